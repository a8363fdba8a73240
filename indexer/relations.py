"""Decide which report each letter answers, at build time.

A MOPAC letter usually opens by naming the report it responds to: "I write with
regard to the report published by ... on 19 May 2023". The sentence naming the
report, the publication date it cites and the letter's subject line are compared
with every report in the corpus. A report is the one answered when the cited date
is its publication date and its title matches the subject line or the sentence's
wording; with no date cited, only a near-identical title counts. A letter whose
report is not in the corpus keeps the sentence and the date, so the portal can say
which report it refers to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz, utils

from indexer.document import Document
from indexer.metadata import find_date

# A sentence names a report when it speaks of a report or an inspection being
# published, or opens the letter with "with regard to" one.
_REPORT_WORD = re.compile(r"\b(report|inspection|review)\b", re.I)
_REFERRING = re.compile(r"\b(published|with regard to|in response to)\b", re.I)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
# Only the opening passages of a letter say what it answers; later mentions of
# "the report" refer back to it.
OPENING_PASSAGES = 3
TITLE_MATCH = 60.0
TITLE_ONLY_MATCH = 90.0


@dataclass
class Relation:
    """What one letter says about the report it answers."""

    reference: str | None = None
    cited_date: str | None = None
    subject: str | None = None
    answers: str | None = None
    evidence: list[str] = field(default_factory=list)


def sentences(text: str) -> list[str]:
    """Split ``text`` into sentences at a stop followed by a capital letter."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def reference_sentence(doc: Document) -> str | None:
    """Return the sentence in a letter's opening that names a report, or None."""
    for passage in doc.passages[:OPENING_PASSAGES]:
        for sentence in sentences(passage.text):
            if _REPORT_WORD.search(sentence) and _REFERRING.search(sentence):
                return sentence
    return None


def _similarity(a: str, b: str) -> float:
    return fuzz.token_set_ratio(a, b, processor=utils.default_process)


def relate(letter: Document, reports: list[Document]) -> Relation:
    """Return the report in ``reports`` that ``letter`` answers, with the evidence."""
    relation = Relation(reference=reference_sentence(letter))
    if relation.reference is None:
        return relation
    relation.cited_date = find_date(relation.reference)
    relation.subject = letter.title or None
    best: tuple[float, Document, list[str]] | None = None
    for report in reports:
        if letter.date and report.date and report.date > letter.date:
            continue  # a letter cannot answer a report published after it
        title = _similarity(letter.title, report.title)
        wording = _similarity(relation.reference, report.title)
        dated = relation.cited_date is not None and relation.cited_date == report.date
        evidence = []
        if dated:
            evidence.append(f"cites the publication date {report.date}")
        if title >= TITLE_MATCH:
            evidence.append(f"subject line matches the report title ({title:.0f}/100)")
        if wording >= TITLE_MATCH:
            evidence.append(f"opening names the report ({wording:.0f}/100)")
        strength = max(title, wording)
        linked = (dated and strength >= TITLE_MATCH) or (
            relation.cited_date is None and title >= TITLE_ONLY_MATCH
        )
        if linked and (best is None or strength > best[0]):
            best = (strength, report, evidence)
    if best is not None:
        relation.answers, relation.evidence = best[1].id, best[2]
    return relation


def annotate(documents: list[Document]) -> list[dict]:
    """Return every document's summary with its ``answers``/``answered_by`` links.

    Letters get ``answers`` (a report's id or None), ``answers_reference`` (the
    sentence naming the report), ``answers_date`` (the publication date it cites),
    ``answers_title`` (the letter's subject line) and ``answers_evidence``; every
    document gets ``answered_by``, the ids of the letters answering it.
    """
    reports = [d for d in documents if d.type == "report"]
    summaries = []
    answered_by: dict[str, list[str]] = {}
    for doc in documents:
        summary = doc.summary()
        relation = relate(doc, reports) if doc.type == "letter" else Relation()
        summary["answers"] = relation.answers
        summary["answers_reference"] = relation.reference
        summary["answers_date"] = relation.cited_date
        summary["answers_title"] = relation.subject if relation.reference else None
        summary["answers_evidence"] = relation.evidence
        if relation.answers:
            answered_by.setdefault(relation.answers, []).append(doc.id)
        summaries.append(summary)
    for summary in summaries:
        summary["answered_by"] = sorted(answered_by.get(summary["id"], []))
    return summaries
