"""The benchmark's compare figures: every theme's first request, then repeats."""

from __future__ import annotations

from bench.report import markdown
from bench.run import measure_compare
from bench.serve import gunicorn


def test_compare_is_measured_cold_for_every_theme_through_gunicorn(
    index_dir, corpus_dir, client
):
    themes = [t["id"] for t in client.get("/api/themes").get_json()["themes"]]
    env = {
        "OVERSIGHT_INDEX_DIR": str(index_dir),
        "OVERSIGHT_CORPUS_DIR": str(corpus_dir),
    }
    with gunicorn("portal:create_app()", env, workers=1) as (url, _):
        measured = measure_compare(url, repeats=2)
    assert measured["themes"] == len(themes) > 1
    assert sorted(measured["cold_ms"]) == sorted(themes)
    assert measured["cold_max_ms"] >= measured["cold_p50_ms"] > 0
    assert measured["repeat_p95_ms"] >= measured["repeat_p50_ms"] > 0


def _results(compare: dict, **extra) -> dict:
    row = {
        "passages": 100,
        "documents": 2,
        "search_by_kind_p50_ms": {},
        "errors": [0, 0],
        "compare": compare,
    }
    return {
        "date": "2026-11-22T06:00:00+00:00",
        "machine": {"cpus": 2, "load_avg_1m": 1.0, "load_avg_end": 1.5},
        "sizes": {"100": row | extra},
    }


def test_the_table_reports_the_cold_median_repeats_and_the_warm_up_cost():
    compare = {
        "themes": 13,
        "cold_p50_ms": 41.5,
        "cold_max_ms": 88.2,
        "cold_ms": {},
        "repeat_p50_ms": 3.1,
        "repeat_p95_ms": 9.0,
    }
    table = markdown(_results(compare, theme_warm_s=38.5))
    assert (
        "| compare view, all years: first request per theme, median (max) over 13 "
        "themes (ms) | 41.5 (88.2) | – | – |" in table
    )
    assert (
        "| compare view, all years: repeated requests p50/p95 (ms) | 3.1 / 9.0 |"
        in table
    )
    assert "| precompute the curated themes after a build (s) | 38.5 |" in table


def test_an_older_result_with_one_theme_still_renders():
    compare = {"theme": "workforce", "p50_ms": 5.0, "p95_ms": 7.0}
    table = markdown(_results(compare))
    assert (
        "| compare view, theme workforce, all years p50/p95 (ms) | 5.0 / 7.0 |" in table
    )
    assert "precompute" not in table
