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

from indexer.document.metadata import find_date
from indexer.document.record import Document
from indexer.document.sentences import sentences

# A sentence names a report when it speaks of a report or an inspection being
# published, or opens the letter with "with regard to" one.
_REPORT_WORD = re.compile(r"\b(report|inspection|review)\b", re.I)
_REFERRING = re.compile(r"\b(published|with regard to|in response to)\b", re.I)
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


def reference_sentence(doc: Document) -> str | None:
    """Return the sentence in a letter's opening that names a report, or None."""
    for passage in doc.passages[:OPENING_PASSAGES]:
        for sentence in sentences(passage.text):
            if _REPORT_WORD.search(sentence) and _REFERRING.search(sentence):
                return sentence
    return None


def _similarity(a: str, b: str) -> float:
    return fuzz.token_set_ratio(a, b, processor=utils.default_process)


@dataclass(frozen=True)
class Side:
    """What the matching reads of one document: id, title, date, opening sentence."""

    id: str
    title: str
    date: str | None
    reference: str | None = None
    cited_date: str | None = None

    @classmethod
    def of(cls, doc: Document) -> Side:
        """Return the side of ``doc``; a letter's carries its reference sentence."""
        reference = reference_sentence(doc) if doc.type == "letter" else None
        cited = find_date(reference) if reference else None
        return cls(doc.id, doc.title, doc.date, reference, cited)


# A report a letter may answer: (strength, report id, evidence).
Candidate = tuple[float, str, list[str]]


def link(letter: Side, report: Side) -> Candidate | None:
    """Return how strongly ``letter`` answers ``report``, or None if it does not."""
    if letter.reference is None:
        return None
    if letter.date and report.date and report.date > letter.date:
        return None  # a letter cannot answer a report published after it
    title = _similarity(letter.title, report.title)
    wording = _similarity(letter.reference, report.title)
    dated = letter.cited_date is not None and letter.cited_date == report.date
    evidence = []
    if dated:
        evidence.append(f"cites the publication date {report.date}")
    if title >= TITLE_MATCH:
        evidence.append(f"subject line matches the report title ({title:.0f}/100)")
    if wording >= TITLE_MATCH:
        evidence.append(f"opening names the report ({wording:.0f}/100)")
    strength = max(title, wording)
    linked = (dated and strength >= TITLE_MATCH) or (
        letter.cited_date is None and title >= TITLE_ONLY_MATCH
    )
    return (strength, report.id, evidence) if linked else None


def _best(candidates: list[Candidate], order: dict[str, int]) -> Candidate | None:
    # The strongest wins; between equals, the report met first in ``order``.
    ranked = sorted(candidates, key=lambda c: (-c[0], order.get(c[1], 0)))
    return ranked[0] if ranked else None


@dataclass
class Links:
    """Every letter's candidate reports, kept between builds and updated in place."""

    sides: dict[str, tuple[str, Side]] = field(default_factory=dict)  # id -> type
    candidates: dict[str, list[Candidate]] = field(default_factory=dict)

    def update(self, removed: set[str], added: list[tuple[str, Side]]) -> None:
        """Forget the documents ``removed`` and match the ``added`` (type, side) ones.

        A new letter is matched with every report, a new report with every
        letter; nothing else is compared again.
        """
        for doc_id in removed:
            self.sides.pop(doc_id, None)
            self.candidates.pop(doc_id, None)
        if removed:
            for letter_id, found in self.candidates.items():
                if any(c[1] in removed for c in found):
                    kept = [c for c in found if c[1] not in removed]
                    self.candidates[letter_id] = kept
        for doc_type, side in added:
            self.sides[side.id] = (doc_type, side)
        reports = [s for t, s in self.sides.values() if t == "report"]
        new_reports = [s for t, s in added if t == "report"]
        new_letters = {s.id for t, s in added if t == "letter"}
        for doc_type, side in added:
            if doc_type == "letter":
                found = [link(side, r) for r in reports]
                self.candidates[side.id] = [c for c in found if c is not None]
        for letter_id, (doc_type, side) in self.sides.items():
            if doc_type != "letter" or letter_id in new_letters:
                continue
            for report in new_reports:
                if (c := link(side, report)) is not None:
                    self.candidates.setdefault(letter_id, []).append(c)


def annotate(summaries: list[dict], links: Links) -> list[dict]:
    """Add every summary's ``answers``/``answered_by`` links, in place; return them.

    ``summaries`` are :meth:`Document.summary` dicts in corpus order and ``links``
    their matches. Letters get ``answers`` (a
    report's id or None), ``answers_reference`` (the sentence naming the report),
    ``answers_date`` (the publication date it cites), ``answers_title`` (the
    letter's subject line) and ``answers_evidence``; every document gets
    ``answered_by``, the ids of the letters answering it.
    """
    order = {s["id"]: n for n, s in enumerate(summaries)}
    answered_by: dict[str, list[str]] = {}
    for summary in summaries:
        doc_type, side = links.sides.get(summary["id"], ("", None))
        relation = Relation()
        if doc_type == "letter" and side is not None and side.reference is not None:
            subject = summary["title"] or None
            relation = Relation(side.reference, side.cited_date, subject)
            best = _best(links.candidates.get(side.id, []), order)
            if best is not None:
                relation.answers, relation.evidence = best[1], list(best[2])
        summary["answers"] = relation.answers
        summary["answers_reference"] = relation.reference
        summary["answers_date"] = relation.cited_date
        summary["answers_title"] = relation.subject if relation.reference else None
        summary["answers_evidence"] = relation.evidence
        if relation.answers:
            answered_by.setdefault(relation.answers, []).append(summary["id"])
    for summary in summaries:
        summary["answered_by"] = sorted(answered_by.get(summary["id"], []))
    return summaries
