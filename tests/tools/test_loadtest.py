"""The load test, short: gunicorn, concurrent clients and a rebuild, zero errors."""

from __future__ import annotations

import pytest

from tools import loadtest

pytestmark = pytest.mark.slow


def test_a_short_load_test_with_a_rebuild_has_no_errors(corpus_dir, index_dir, capsys):
    code = loadtest.main(
        ["--corpus", str(corpus_dir), "--index", str(index_dir), "--clients", "4",
         "--duration", "8", "--workers", "2", "--rebuilds", "1", "--json"]
    )  # fmt: skip
    out = capsys.readouterr()
    assert code == 0, out.out + out.err
    summary = loadtest.json.loads(out.out[out.out.index("{") :])
    assert summary["errors"] == 0
    assert summary["requests"] >= 50
    assert set(summary["kinds"]) >= {"search", "facet", "passage", "document"}
    (rebuild,) = summary["rebuilds"]
    assert rebuild["rebuild_exit"] == 0 and rebuild["swapped"]


def test_the_load_test_counts_a_failed_request_as_a_failure():
    summary = {"errors": 2, "requests": 10, "rebuilds": [{"swapped": True}]}
    assert loadtest.failed(summary) == ["2 requests failed"]
    summary = {"errors": 0, "requests": 10, "rebuilds": [{"rebuild_exit": 1}]}
    assert "rebuild 1 did not complete" in loadtest.failed(summary)[0]


@pytest.mark.parametrize(
    ("values", "p50", "p95"),
    [([0.001] * 99 + [1.0], 1.0, 1.0), ([i / 1000 for i in range(1, 101)], 50.5, 95.0)],
)
def test_percentiles_are_reported_in_milliseconds(values, p50, p95):
    assert loadtest.percentile(values, 0.5) == p50
    assert loadtest.percentile(values, 0.95) == pytest.approx(p95, abs=0.1)
