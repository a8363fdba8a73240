"""Graded judgements: who was graded, the grade on the inspectorate's scale, and what.

Two shapes: one sentence ("British Transport Police is adequate at tackling serious
and organised crime", "The force requires improvement at investigating crime"),
whose subject must name a force or stand for one, and a grade line
("Investigating crime: Good").
"""

from __future__ import annotations

import re

from indexer.analysis.similarity import sentences
from indexer.document.gazetteer import find_forces
from indexer.document.segment import Passage
from indexer.findings.model import Finding

_GRADE_SCALE = r"outstanding|good|adequate|inadequate"
_GRADED = re.compile(
    rf"^(?P<subject>[A-Z][^.;:]{{1,90}}?)\s+(?:(?:is|are|was|were|remains?)\s+"
    rf"(?P<grade>{_GRADE_SCALE})|(?P<ri>requires?\s+improvement))\s+"
    r"(?:at|in)\s+(?P<what>[^.;]{3,160}?)\.?$",
    re.I,
)
_GRADE_LINE = re.compile(
    r"^(?P<what>[A-Z][\w ,’'/-]{3,80}?)\s*[:–—-]\s*"
    r"(?P<grade>Outstanding|Good|Adequate|Requires improvement|Inadequate)\.?$"
)
# A subject that stands for the force or body the section is about.
SELF = re.compile(
    r"^the (?:force|constabulary|service|region|organisation|unit)$|police\b", re.I
)
_MAX_GRADED_WORDS = 30


def graded_judgement(passage: Passage) -> Finding | None:
    """Return the graded judgement ``passage`` states, or None when it states none."""
    if passage.kind == "list" or len(passage.text.split()) > 2 * _MAX_GRADED_WORDS:
        return None
    for sentence in sentences(passage.text):
        if len(sentence.split()) > _MAX_GRADED_WORDS:
            continue
        match = _GRADED.match(sentence.strip())
        if match:
            subject = match["subject"]
            named = find_forces(subject)
            if not named and not SELF.search(subject):
                continue
            grade = (match["grade"] or "requires improvement").lower()
            forces = named or list(passage.forces)
            return _judgement(passage, sentence.strip(), grade, match["what"], forces)
    line = _GRADE_LINE.match(passage.text.strip())
    if line:
        grade = line["grade"].lower()
        return _judgement(passage, passage.text.strip(), grade, line["what"], None)
    return None


def _judgement(
    passage: Passage, statement: str, grade: str, what: str, forces: list[str] | None
) -> Finding:
    return Finding(
        kind="graded-judgement",
        statement=statement,
        report_id=passage.doc_id,
        passage_id=passage.id,
        section=passage.section,
        forces=forces if forces is not None else list(passage.forces),
        supporting=[passage.id],
        grade=grade,
        graded=what.strip(),
    )
