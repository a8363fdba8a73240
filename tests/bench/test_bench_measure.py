"""The benchmark's measurements: build memory, cold serving, the memo apart."""

from __future__ import annotations

import subprocess
import sys

import pytest

from bench import fts
from bench.builds import run_measured
from bench.queries import QUERIES, WARMUPS
from bench.report import markdown
from bench.serving import measure_memo, measure_search


def test_a_build_process_peak_memory_is_measured():
    grow = "b = bytearray(120_000_000); b[::4096] = b'x' * len(b[::4096])"
    seconds, peak = run_measured([sys.executable, "-c", grow])
    assert seconds > 0 and peak >= 120


def test_a_build_is_not_charged_the_benchmark_process_memory():
    # Linux charges a forked child the memory of its parent at the fork.
    held = bytearray(300_000_000)
    held[::4096] = b"x" * len(held[::4096])
    _, small = run_measured([sys.executable, "-c", "pass"])
    assert small < 100 and len(held)


def test_a_failed_build_is_an_error():
    with pytest.raises(subprocess.CalledProcessError):
        run_measured([sys.executable, "-c", "raise SystemExit(3)"])


def test_warm_ups_are_never_measured_queries():
    assert not {(q.q, q.fts) for q in WARMUPS} & {(q.q, q.fts) for q in QUERIES}


def test_the_table_has_the_floor_the_memo_and_the_build_memory_rows():
    row = {
        "passages": 2100, "documents": 40, "requests": 32, "errors": [0, 0],
        "build_peak_rss_mb": [410.5, 95.2], "search_p50_ms": [30.0, 20.0],
        "search_p95_ms": [90.0, 60.0], "search_floor_ms": [10.0, 45.0],
        "memo": {"computed_p50_ms": 28.0, "repeat_p50_ms": 2.5, "repeat_p95_ms": 4.0},
        "compare": {"skipped": "no themes"},
    }  # fmt: skip
    results = {"date": "2026-11-30T05:00:00+00:00", "sizes": {"2000": row}}
    results["machine"] = {"cpus": 2, "load_avg_1m": 3.0, "load_avg_end": 3.5}
    table = markdown(results)
    assert "32 measured searches per engine" in table
    assert "| full build: peak resident memory of one process (MB) | 410.5 |" in table
    assert "every answer computed: p50 (ms) | 30.0 | 20.0 | 1.50 |" in table
    assert "(the floor): p50 / p95 (ms); ratio ours over HTTP / floor | – | " in table
    assert "| 10.0 / 45.0 | 3.00 / 2.00 |" in table
    assert "answered from the worker's memo" in table and "| 2.5 / 4.0; 28.0 |" in table


@pytest.mark.slow
def test_both_engines_are_served_cold_and_the_memo_measured_apart(
    index_dir, corpus_dir, tmp_path
):
    db = tmp_path / "fts.sqlite"
    fts.build(corpus_dir, db)
    measured = measure_search(index_dir, db, rounds=1, seconds=0.5)
    assert measured["errors"] == [0, 0]
    assert measured["requests"] == len(QUERIES)
    assert min(measured["first_request_ms"]) > 0
    assert all(x > 0 for x in measured["search_floor_ms"])
    assert measured["compare"]["themes"] > 1
    memo = measure_memo(index_dir)
    assert set(memo) == {"computed_p50_ms", "repeat_p50_ms", "repeat_p95_ms"}
