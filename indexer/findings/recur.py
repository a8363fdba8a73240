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

import datetime as dt
import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache

from indexer.analysis.similarity import key_terms, sentences
from indexer.findings.respond import score

THRESHOLD = 65.0
CITED_THRESHOLD = 45.0
# Recurrences listed per finding: the most alike, then the nearest in time. A
# finding repeated in hundreds of reports (a generated corpus repeats every one)
# would otherwise carry hundreds of links, and the findings file grow as their square.
RECURRENCE_LIMIT = 10
RARE_TERMS = 4  # a statement's rarest key terms, through which alike ones are found
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


def _forces_meet(fa: frozenset, fb: frozenset) -> bool:
    # Both about the same forces, or sharing one; two findings naming none count.
    return fa == fb or bool(fa & fb)


def _similar_statements(statements: list[str]) -> dict[int, list[tuple[int, float]]]:
    """Return, per distinct statement, the others scoring at least :data:`THRESHOLD`.

    Candidates share one of either statement's :data:`RARE_TERMS` rarest key
    terms: two statements alike enough to reach the threshold share most of their
    terms, so they share a rare one, and a term every statement holds ("force")
    never makes every pair a candidate.
    """
    terms = [key_terms(s) for s in statements]
    postings: dict[str, list[int]] = {}
    for i, found in enumerate(terms):
        for term in found:
            postings.setdefault(term, []).append(i)
    similar: dict[int, list[tuple[int, float]]] = {i: [] for i in range(len(terms))}
    seen: set[tuple[int, int]] = set()
    for i, found in enumerate(terms):
        rare = sorted(found, key=lambda t: (len(postings[t]), t))[:RARE_TERMS]
        for j in {j for t in rare for j in postings[t] if j != i}:
            pair = (min(i, j), max(i, j))
            if pair in seen:
                continue
            seen.add(pair)
            value = score(statements[pair[0]], statements[pair[1]])[0]
            if value >= THRESHOLD:
                similar[i].append((j, value))
                similar[j].append((i, value))
    return similar


@dataclass
class _Holders:
    """The findings of one statement about one set of forces, oldest first."""

    forces: frozenset
    findings: list[dict] = field(default_factory=list)

    def finish(self) -> None:
        self.findings.sort(key=lambda f: (f["report"]["date"] or "", f["id"]))
        self.dates = [f["report"]["date"] or "" for f in self.findings]
        self.reports = {f["report"]["id"] for f in self.findings}

    def nearest(self, date: str, report: str, limit: int) -> list[dict]:
        """Return up to ``limit`` findings of other reports nearest to ``date``."""
        right = bisect_left(self.dates, date)
        left, out = right - 1, []
        while len(out) < limit and (left >= 0 or right < len(self.findings)):
            take_right = left < 0 or (
                right < len(self.findings)
                and _days(self.dates[right], date) <= _days(date, self.dates[left])
            )
            if take_right:
                found, right = self.findings[right], right + 1
            else:
                found, left = self.findings[left], left - 1
            if found["report"]["id"] != report:
                out.append(found)
        return out

    def first(self, report: str) -> str | None:
        """Return the earliest date among findings of other reports."""
        return next(
            (f["report"]["date"] for f in self.findings if f["report"]["id"] != report),
            None,
        )


def _days(later: str, earlier: str) -> int:
    """Return the ordinal distance between two ISO dates ("" counts as far)."""
    a, b = _ordinal(later[:10]), _ordinal(earlier[:10])
    return 10**6 if a is None or b is None else abs(a - b)


@lru_cache(maxsize=65_536)
def _ordinal(date: str) -> int | None:
    """Return an ISO date's day number, None if it is not one (a build meets few)."""
    try:
        return dt.date.fromisoformat(date).toordinal()
    except ValueError:
        return None


def link_recurrences(findings: list[dict]) -> None:
    """Fill every finding's ``recurrences``, ``recurrence_reports``, ``recurs_since``
    and ``earlier``, in place.

    ``findings`` are plain finding dicts with ``report`` (``id``, ``date``),
    ``supporting_text`` (the texts of their supporting passages) and ``forces``.
    A recurrence is ``{"id", "report_id", "date", "score", "evidence"}``: every
    finding an earlier-inspection sentence cites, and the :data:`RECURRENCE_LIMIT`
    most alike findings of other reports nearest in time.
    ``recurrence_reports`` counts every other report where the finding recurs
    (not only those listed) and ``recurs_since`` is the earliest of their dates.
    The same statement in many reports is scored once, and the work per finding
    does not grow with how many reports repeat it.
    """
    for finding in findings:
        finding["recurrences"] = []
        finding["recurrence_reports"] = 0
        finding["recurs_since"] = None
        if "supporting_text" in finding:  # else reused with its mentions found
            finding["earlier"] = earlier_mentions(finding.pop("supporting_text"))
    comparable = [f for f in findings if f["kind"] != "graded-judgement"]
    by_statement: dict[str, dict[frozenset, _Holders]] = {}
    for f in comparable:
        forces = frozenset(f["forces"])
        holders = by_statement.setdefault(f["statement"], {})
        holders.setdefault(forces, _Holders(forces)).findings.append(f)
    statements = list(by_statement)
    for holders in by_statement.values():
        for group in holders.values():
            group.finish()
    similar = _similar_statements(statements)
    links: dict[str, dict[str, dict]] = {f["id"]: {} for f in comparable}
    for i, statement in enumerate(statements):
        alike = [(i, 100.0), *similar[i]]
        for holders in by_statement[statement].values():
            for finding in holders.findings:
                _link_alike(finding, alike, statements, by_statement, links)
    _link_cited(comparable, links)
    for finding in comparable:
        found = links[finding["id"]].values()
        finding["recurrences"] = sorted(found, key=lambda r: (r["date"] or "", r["id"]))
        reports = {r["report_id"] for r in found}
        finding["recurrence_reports"] = max(finding["recurrence_reports"], len(reports))
        dates = [d for d in (finding["recurs_since"], *(r["date"] for r in found)) if d]
        finding["recurs_since"] = min(dates, default=None)


def _link_alike(finding, alike, statements, by_statement, links) -> None:
    """Link ``finding`` to the nearest findings of the statements ``alike`` it."""
    forces, report = frozenset(finding["forces"]), finding["report"]["id"]
    date = finding["report"]["date"] or ""
    reports, since, chosen = 0, None, []
    for j, value in alike:
        for group in by_statement[statements[j]].values():
            if not _forces_meet(forces, group.forces):
                continue
            reports += len(group.reports - {report})
            first = group.first(report)
            if first and (since is None or first < since):
                since = first
            chosen += [
                (-value, _days(f["report"]["date"] or "", date), f, value)
                for f in group.nearest(date, report, RECURRENCE_LIMIT)
            ]
    finding["recurrence_reports"] = reports
    finding["recurs_since"] = since
    chosen.sort(key=lambda c: (c[0], c[1], c[2]["id"]))
    for _, _, other, value in chosen[:RECURRENCE_LIMIT]:
        _link(links, finding, other, value, "similar wording, same forces")


def _link_cited(comparable: list[dict], links: dict) -> None:
    """Link each finding to the earlier finding its report says it made before."""
    # By year, then by forces: a citing finding looks only at the findings of
    # forces it shares, not at every finding of two years (quadratic at scale).
    by_year: dict[int, dict[frozenset, list[dict]]] = {}
    for f in comparable:
        if f["report"]["date"]:
            year = by_year.setdefault(int(f["report"]["date"][:4]), {})
            year.setdefault(frozenset(f["forces"]), []).append(f)
    scores: dict[tuple[str, str], float] = {}
    for finding in comparable:
        forces, date = frozenset(finding["forces"]), finding["report"]["date"] or ""
        for mention in finding["earlier"]:
            year = int(mention["year"][:4])
            earlier = [
                f
                for y in (year, year + 1)
                for held, group in by_year.get(y, {}).items()
                if _forces_meet(forces, held)
                for f in group
                if f["report"]["date"] < date
            ]
            scored = []
            for f in earlier:
                key = (finding["statement"], f["statement"])
                if key not in scores:
                    scores[key] = score(*key)[0]
                if scores[key] >= CITED_THRESHOLD:
                    scored.append((scores[key], f["id"], f))
            if scored:
                value, _, other = max(scored, key=lambda s: (s[0], s[1]))
                mention["finding_id"] = other["id"]
                evidence = f"cites it: “{mention['text']}”"
                _link(links, finding, other, round(value, 1), evidence)
                _link(links, other, finding, round(value, 1), evidence)


def _link(links: dict, one: dict, other: dict, value: float, evidence: str) -> None:
    """Record that ``one`` recurs as ``other``; a citation replaces a likeness."""
    known = links[one["id"]].get(other["id"])
    if known is not None and not evidence.startswith("cites"):
        return
    links[one["id"]][other["id"]] = {
        "id": other["id"],
        "report_id": other["report"]["id"],
        "date": other["report"]["date"],
        "score": value,
        "evidence": evidence,
    }
