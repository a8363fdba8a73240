"""Find the passages that answer each finding, and how sure the answer is.

A finding's candidate answers are the body paragraphs of the documents linked to
its report as answering it (a letter's ``answers``, see
:mod:`indexer.document.relations`; statements, annexes and action plans linked
the same way once their types exist) and the "Response:" paragraphs written
beneath it in its own document. Each candidate is scored 0-100:
:data:`WORDING_WEIGHT` of the best sentence-to-sentence rapidfuzz score
(:func:`indexer.analysis.similarity.best_sentences`, the alignment's scoring)
plus the rest from the share of the finding's key terms the paragraph uses.

A candidate counts as an answer when it scores at least :data:`THRESHOLD`, or when
the documents say so explicitly: it is written beneath the finding as its
response, or it cites the finding's number ("In response to recommendation 7").
:data:`THRESHOLD` was calibrated on the labelled pairs of
``tests/corpus/findings/calibration.json`` (see the README's findings section).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from indexer.analysis.similarity import best_sentences, term_overlap
from indexer.document.segment import Passage
from indexer.findings.model import Finding

THRESHOLD = 45.8
WORDING_WEIGHT = 0.6
MAX_RESPONSES = 3
# Document types whose paragraphs may answer a report they are linked to.
RESPONDING_TYPES = frozenset(
    {"letter", "statement", "evidence", "annex", "action-plan", "response"}
)
_CITES = re.compile(
    r"\b(?P<name>recommendations?|areas? for improvement|causes? of concern)\s+"
    r"(?:(?:no\.?|number)\s*)?(?P<number>\d{1,3})\b",
    re.I,
)
_KIND_WORDS = {
    "recommendation": "recommendation",
    "area": "area-for-improvement",
    "cause": "cause-of-concern",
}


def score(
    statement: str, text: str, weights: dict[str, float] | None = None
) -> tuple[float, str]:
    """Return how well ``text`` answers ``statement`` (0-100) and its best sentence.

    ``weights`` are the term weights of the report (see
    :func:`indexer.analysis.similarity.term_weights`).
    """
    wording, sentence = best_sentences(text, statement)
    overlap = term_overlap(statement, text, weights)
    value = WORDING_WEIGHT * wording + (1 - WORDING_WEIGHT) * 100 * overlap
    return round(value, 1), sentence


def _cited(text: str) -> set[tuple[str, str]]:
    found = set()
    for match in _CITES.finditer(text):
        word = match["name"].lower().split()[0]
        kind = next(k for w, k in _KIND_WORDS.items() if word.startswith(w))
        found.add((kind, match["number"]))
    return found


def _answerable(passage: Passage) -> bool:
    return passage.kind != "heading" and len(passage.text.split()) >= 6


def link_responses(
    findings: list[Finding],
    responders: Iterable[tuple[str, list[Passage]]],
    own: dict[str, Passage],
    weights: dict[str, float] | None = None,
) -> dict[str, list[dict]]:
    """Return, by finding id, the passages answering each finding, best first.

    ``findings`` are one report's; ``responders`` the (doc id, passages) of the
    documents linked to it as answering it; ``own`` the report's passages by id
    (for the inline responses); ``weights`` the report's term weights. Each
    answer is ``{"passage_id", "doc_id", "score", "text", "evidence"}``; score
    is 0-100.
    """
    answers: dict[str, list[dict]] = {f.id: [] for f in findings}
    for finding in findings:
        for passage_id, marker in finding.inline_responses:
            passage = own[passage_id]
            value, _ = score(finding.statement, passage.text, weights)
            answers[finding.id].append(
                _answer(passage, value, f"written beneath it as its {marker!r}")
            )
    for _doc_id, passages in responders:
        for passage in passages:
            if not _answerable(passage):
                continue
            cited = _cited(passage.text)
            for finding in findings:
                value, sentence = score(finding.statement, passage.text, weights)
                if finding.kind == "graded-judgement" and not _names_grade(
                    finding, passage.text
                ):
                    continue
                if finding.number and (finding.kind, finding.number) in cited:
                    name = finding.kind.replace("-", " ")
                    evidence = f"cites {name} {finding.number}"
                elif value >= THRESHOLD:
                    evidence = f"restates it: “{_clip(sentence)}”"
                else:
                    continue
                answers[finding.id].append(_answer(passage, value, evidence))
    for found in answers.values():
        found.sort(
            key=lambda a: (
                not a["evidence"].startswith(("cites", "written")),
                -a["score"],
            )
        )
        del found[MAX_RESPONSES:]
    return answers


def _names_grade(finding: Finding, text: str) -> bool:
    # A paragraph answers a grade only when it speaks of the grade itself.
    return bool(finding.grade) and finding.grade in text.lower()


def _clip(sentence: str, words: int = 20) -> str:
    parts = sentence.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def _answer(passage: Passage, value: float, evidence: str) -> dict:
    return {
        "passage_id": passage.id,
        "doc_id": passage.doc_id,
        "score": value,
        "text": passage.text,
        "evidence": evidence,
    }
