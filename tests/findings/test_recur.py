"""Recurrences at scale: a finding repeated in many reports, linked in bounded work."""

from __future__ import annotations

import json
import shutil

import pytest

from indexer.findings import recur
from indexer.findings.recur import RECURRENCE_LIMIT, link_recurrences
from indexer.findings.stage import FINDING_KINDS, FINDINGS, finding_kinds
from indexer.store.build import current_generation

STATEMENT = (
    "The force should make sure that its control room answers non-emergency "
    "calls from vulnerable callers promptly"
)
REWORDED = (
    "The force should make sure its control room answers the non-emergency "
    "calls of vulnerable callers promptly"
)
OTHER = "The constabulary should improve how it records stop and search encounters"


def _finding(n: int, statement: str, forces: list[str], date: str) -> dict:
    return {
        "id": f"f{n:03d}",
        "kind": "area-for-improvement",
        "statement": statement,
        "forces": forces,
        "report": {"id": f"report-{n:03d}", "title": "", "date": date},
        "supporting_text": [statement],
    }


def _repeated(copies: int) -> list[dict]:
    """The same area for improvement about one force in ``copies`` yearly reports."""
    return [_finding(n, STATEMENT, ["MPS"], f"{2000 + n}-06-01") for n in range(copies)]


def test_a_finding_repeated_in_many_reports_lists_the_nearest_and_counts_them_all():
    findings = _repeated(30)
    link_recurrences(findings)
    middle = findings[15]
    listed = [r["report_id"] for r in middle["recurrences"]]
    assert len(listed) == RECURRENCE_LIMIT
    # The nearest in time on either side, never its own report.
    assert set(listed) == {
        f"report-{n:03d}" for n in (10, 11, 12, 13, 14, 16, 17, 18, 19, 20)
    }
    assert middle["recurrence_reports"] == 29
    assert middle["recurs_since"] == "2000-06-01"
    first = findings[0]
    assert first["recurs_since"] == "2001-06-01"
    assert [r["date"] for r in first["recurrences"]] == [
        f"{2000 + n}-06-01" for n in range(1, 11)
    ]


def test_rewording_still_recurs_but_another_force_or_another_concern_does_not():
    findings = [
        _finding(0, STATEMENT, ["MPS"], "2019-01-10"),
        _finding(1, REWORDED, ["MPS"], "2022-03-01"),
        _finding(2, STATEMENT, ["Kent"], "2021-01-10"),
        _finding(3, OTHER, ["MPS"], "2023-01-10"),
    ]
    link_recurrences(findings)
    assert [r["id"] for r in findings[0]["recurrences"]] == ["f001"]
    assert [r["id"] for r in findings[1]["recurrences"]] == ["f000"]
    assert findings[2]["recurrences"] == [] and findings[2]["recurrence_reports"] == 0
    assert findings[3]["recurrences"] == [] and findings[3]["recurs_since"] is None


def test_the_same_statement_is_scored_once_however_many_reports_repeat_it(
    monkeypatch,
):
    calls = []

    def counted(a: str, b: str, weights=None):
        calls.append((a, b))
        return 100.0 if a == b else 70.0, a

    monkeypatch.setattr(recur, "score", counted)
    findings = _repeated(200) + [
        _finding(500 + n, REWORDED, ["MPS"], f"2010-0{1 + n}-01") for n in range(3)
    ]
    link_recurrences(findings)
    # Two distinct statements: one pair scored, not 203 x 202 / 2.
    assert len(calls) == 1
    assert all(len(f["recurrences"]) <= RECURRENCE_LIMIT for f in findings)
    assert findings[0]["recurrence_reports"] == 199 + 3


@pytest.mark.parametrize("date", ["", "2019"])
def test_a_report_without_a_full_date_still_links(date):
    findings = [
        _finding(0, STATEMENT, ["MPS"], date),
        _finding(1, STATEMENT, ["MPS"], "2020-05-05"),
    ]
    link_recurrences(findings)
    assert [r["id"] for r in findings[0]["recurrences"]] == ["f001"]
    assert findings[1]["recurrence_reports"] == 1


def test_the_kind_facet_reads_the_small_kinds_file_and_falls_back_without_it(
    findings_index, tmp_path
):
    generation = current_generation(findings_index)
    findings = json.loads((generation / FINDINGS).read_text())["findings"]
    expected: dict[str, set[str]] = {}
    for finding in findings:
        expected.setdefault(finding["passage_id"], set()).add(finding["kind"])
    written = finding_kinds(generation)
    assert {p: set(k) for p, k in written.items()} == expected
    assert (generation / FINDING_KINDS).stat().st_size < (
        generation / FINDINGS
    ).stat().st_size / 5
    # A generation built before the kinds file existed: read from the findings.
    older = tmp_path / "older"
    older.mkdir()
    shutil.copy(generation / FINDINGS, older / FINDINGS)
    assert finding_kinds(older) == written
