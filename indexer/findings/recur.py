"""Link findings that repeat across reports and years.

Two findings of different reports recur when they concern the same forces and
say nearly the same thing (:data:`THRESHOLD` on the score responses are linked
with, :func:`indexer.findings.respond.score`: rapidfuzz sentences and shared
terms), or when a later report says
it has said so before ("We made similar observations in the force's 2018/19
inspection"): then the earlier finding of that year most like it is linked, and
the sentence is kept even when the earlier report is not in the corpus.
"""

from __future__ import annotations

import re

from indexer.analysis.similarity import key_terms, sentences
from indexer.findings.respond import score

THRESHOLD = 65.0
CITED_THRESHOLD = 45.0
_EARLIER = re.compile(
    r"\b(?:similar|same|previous(?:ly)?|again|repeat(?:ed)?|already|last)\b.*?"
    r"\b(?P<year>(?:19|20)\d\d(?:/\d\d(?:\d\d)?)?)\b"
    r"|\b(?P<year2>(?:19|20)\d\d(?:/\d\d(?:\d\d)?)?)\b.*?"
    r"\b(?:similar|same|repeat(?:ed)?|again)\b",
    re.I,
)
_ABOUT = re.compile(
    r"\b(?:inspection|report|review|observations?|concerns?|found|"
    r"area for improvement|recommend\w*)\b",
    re.I,
)


def earlier_mentions(texts: list[str]) -> list[dict]:
    """Return the sentences of ``texts`` saying a finding was made before.

    :return: ``[{"text", "year"}]``, ``year`` as written ("2018/19").
    """
    found = []
    for text in texts:
        for sentence in sentences(text):
            match = _EARLIER.search(sentence)
            if match and _ABOUT.search(sentence):
                found.append(
                    {"text": sentence, "year": match["year"] or match["year2"]}
                )
    return found


def _same_forces(a: dict, b: dict) -> bool:
    # Both about the same forces, or sharing one; two findings naming none count.
    fa, fb = set(a["forces"]), set(b["forces"])
    return fa == fb or bool(fa & fb)


def _candidates(comparable: list[dict]) -> set[tuple[int, int]]:
    """Return the pairs (i < j) of findings sharing at least one key term."""
    postings: dict[str, list[int]] = {}
    for i, finding in enumerate(comparable):
        for term in key_terms(finding["statement"]):
            postings.setdefault(term, []).append(i)
    pairs: set[tuple[int, int]] = set()
    for found in postings.values():
        for n, i in enumerate(found):
            pairs.update((i, j) for j in found[n + 1 :])
    return pairs


def link_recurrences(findings: list[dict]) -> None:
    """Fill every finding's ``recurrences`` and ``earlier``, in place.

    ``findings`` are plain finding dicts with ``report`` (``id``, ``date``),
    ``supporting_text`` (the texts of their supporting passages) and ``forces``.
    A recurrence is ``{"id", "report_id", "date", "score", "evidence"}``.
    """
    for finding in findings:
        finding["recurrences"] = []
        if "supporting_text" in finding:  # else reused with its mentions found
            finding["earlier"] = earlier_mentions(finding.pop("supporting_text"))
    comparable = [f for f in findings if f["kind"] != "graded-judgement"]
    links: dict[str, dict[str, dict]] = {f["id"]: {} for f in comparable}
    scores: dict[tuple[str, str], float] = {}

    def pair_score(a: str, b: str) -> float:
        # Reports repeat their wording: score each pair of statements once.
        if (a, b) not in scores:
            scores[a, b] = score(a, b)[0]
        return scores[a, b]

    # Pairs with no key term in common cannot reach the threshold.
    for i, j in sorted(_candidates(comparable)):
        a, b = comparable[i], comparable[j]
        if a["report"]["id"] == b["report"]["id"] or not _same_forces(a, b):
            continue
        value = pair_score(a["statement"], b["statement"])
        if value >= THRESHOLD:
            _pair(links, a, b, value, "similar wording, same forces")
    by_id = {f["id"]: f for f in comparable}
    for finding in comparable:
        for mention in finding["earlier"]:
            year = int(mention["year"][:4])
            earlier = [
                f
                for f in comparable
                if f["report"]["date"]
                and int(f["report"]["date"][:4]) in (year, year + 1)
                and f["report"]["date"] < (finding["report"]["date"] or "")
                and _same_forces(f, finding)
            ]
            scored = [
                (pair_score(finding["statement"], f["statement"]), f["id"])
                for f in earlier
            ]
            scored = [s for s in scored if s[0] >= CITED_THRESHOLD]
            if scored:
                value, other = max(scored)
                mention["finding_id"] = other
                evidence = f"cites it: “{mention['text']}”"
                _pair(links, finding, by_id[other], round(value, 1), evidence)
    for finding in comparable:
        found = links[finding["id"]].values()
        finding["recurrences"] = sorted(found, key=lambda r: (r["date"] or "", r["id"]))


def _pair(links: dict, a: dict, b: dict, value: float, evidence: str) -> None:
    for one, other in ((a, b), (b, a)):
        # A cited recurrence replaces a merely similar one; the first kept otherwise.
        known = links[one["id"]].get(other["id"])
        if known is not None and not evidence.startswith("cites"):
            continue
        links[one["id"]][other["id"]] = {
            "id": other["id"],
            "report_id": other["report"]["id"],
            "date": other["report"]["date"],
            "score": value,
            "evidence": evidence,
        }
