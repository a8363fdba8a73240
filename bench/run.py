"""Run the benchmark: build, re-index, serve and query both engines, interleaved.

Usage: ``python -m bench [--sizes 10000,100000] [--rounds N]``. Results go to
``bench/results/<date>.json`` and ``.md``; ``--readme`` also puts the table in the
README between its bench markers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil

from bench.builds import CACHE, ROOT, measure_builds, median, warm_themes
from bench.generate import ensure_corpus
from bench.queries import QUERIES
from bench.report import markdown, update_readme
from bench.serve import get, gunicorn, peak_rss_mb, throughput, worker_pids

RESULTS = ROOT / "bench" / "results"


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 2)


def _params(query, engine: str) -> dict:
    """Return the query's parameters as ``engine``'s search API takes them."""
    return query.portal_params() if engine == "ours" else query.fts_params()


def _query_rounds(urls: dict[str, str], rounds: int) -> tuple[dict, dict, dict, dict]:
    """Ask both engines the query mix ``rounds`` times, alternating which goes first.

    :return: per engine, every latency (ms), the first round's (no memo can
        answer it), latencies by query kind, and the count of non-200 answers.
    """
    latencies: dict[str, list[float]] = {"ours": [], "fts5": []}
    cold: dict[str, list[float]] = {"ours": [], "fts5": []}
    by_kind: dict[str, dict[str, list[float]]] = {"ours": {}, "fts5": {}}
    errors: dict[str, int] = {"ours": 0, "fts5": 0}
    for r in range(rounds):
        order = ("ours", "fts5") if r % 2 == 0 else ("fts5", "ours")
        for query in QUERIES:
            for engine in order:
                ms, status, _ = get(urls[engine], "/api/search", _params(query, engine))
                errors[engine] += status != 200
                latencies[engine].append(ms)
                if r == 0:
                    cold[engine].append(ms)
                by_kind[engine].setdefault(query.kind, []).append(ms)
    return latencies, cold, by_kind, errors


def measure_serving(size: int, rounds: int, seconds: float) -> dict:
    """Time ``/api/search`` end to end on both engines through gunicorn, interleaved."""
    index, db = CACHE / f"index-{size}", CACHE / f"fts-{size}.sqlite"
    envs = {
        "ours": ("portal:create_app()", {"OVERSIGHT_INDEX_DIR": str(index)}),
        "fts5": ("bench.fts_app:create_app()", {"BENCH_FTS_DB": str(db)}),
    }
    out: dict = {}
    warm_themes(index)  # nothing to do when measure_builds warmed this generation
    with (
        gunicorn(*envs["ours"]) as (ours_url, ours_pid),
        gunicorn(*envs["fts5"]) as (fts_url, fts_pid),
    ):
        urls = {"ours": ours_url, "fts5": fts_url}
        first = {}
        for engine, url in urls.items():
            # The first request per worker opens the index: timed on its own.
            first[engine] = max(
                get(url, "/api/search", QUERIES[0].portal_params())[0] for _ in range(2)
            )
        latencies, cold, by_kind, errors = _query_rounds(urls, rounds)
        rps = {}
        for engine in ("fts5", "ours"):
            requests = [_params(q, engine) for q in QUERIES]
            rps[engine] = round(throughput(urls[engine], requests, seconds, 4), 1)
        out["compare"] = measure_compare(ours_url)
        rss = {
            "ours": peak_rss_mb(worker_pids(ours_pid)),
            "fts5": peak_rss_mb(worker_pids(fts_pid)),
        }
    out.update(
        {
            "search_p50_ms": [median(latencies["ours"]), median(latencies["fts5"])],
            "search_p95_ms": [
                _pct(latencies["ours"], 0.95),
                _pct(latencies["fts5"], 0.95),
            ],
            "search_cold_p50_ms": [median(cold["ours"]), median(cold["fts5"])],
            "search_cold_p95_ms": [_pct(cold["ours"], 0.95), _pct(cold["fts5"], 0.95)],
            "search_by_kind_p50_ms": {
                kind: [median(by_kind["ours"][kind]), median(by_kind["fts5"][kind])]
                for kind in by_kind["ours"]
            },
            "first_request_ms": [round(first["ours"], 1), round(first["fts5"], 1)],
            "requests_per_s": [rps["ours"], rps["fts5"]],
            "worker_peak_rss_mb": [round(rss["ours"], 1), round(rss["fts5"], 1)],
            "errors": [errors["ours"], errors["fts5"]],
        }
    )
    return out


def measure_compare(url: str, repeats: int = 4) -> dict:
    """Time ``/api/compare`` for every curated theme over all years.

    The first request for each theme is cold: no worker has answered it before,
    so it shows what precomputed theme data costs, not the workers' memo. Then
    each theme is asked ``repeats`` more times (either worker may answer).
    """
    _, status, data = get(url, "/api/themes", {})
    if status != 200 or not data or not data.get("themes"):
        return {"skipped": "the portal has no /api/themes and /api/compare yet"}
    themes = [t["id"] for t in data["themes"]]
    cold: dict[str, float] = {}
    repeated: list[float] = []
    for r in range(1 + repeats):
        for theme in themes:
            ms, status, _ = get(url, "/api/compare", {"theme": theme})
            if status != 200:
                return {"skipped": f"/api/compare?theme={theme} answered {status}"}
            if r == 0:
                cold[theme] = round(ms, 1)
            else:
                repeated.append(ms)
    return {
        "themes": len(themes),
        "cold_p50_ms": median(list(cold.values())),
        "cold_max_ms": max(cold.values()),
        "cold_ms": cold,
        "repeat_p50_ms": median(repeated),
        "repeat_p95_ms": _pct(repeated, 0.95),
    }


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark for each size and write the results."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--sizes", default="10000,100000", help="passage counts")
    parser.add_argument("--rounds", type=int, default=5, help="query-mix rounds")
    parser.add_argument(
        "--builds", type=int, default=3, help="builds per size below 100k"
    )
    parser.add_argument("--seconds", type=float, default=5, help="throughput time")
    parser.add_argument("--readme", action="store_true", help="update README.md")
    parser.add_argument(
        "--reuse-builds",
        action="store_true",
        help="keep existing indexes and report their recorded build times",
    )
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.replace(" ", ",").split(",") if s]
    results = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "load_avg_1m": os.getloadavg()[0]},
        "sizes": {},
    }
    for size in sizes:
        corpus = ensure_corpus(ROOT / "corpus", CACHE, size)
        print(f"[{size}] corpus {corpus}", flush=True)
        # One full build at 100k and above: each takes minutes on two cores.
        runs = args.builds if size < 100_000 else 1
        row = measure_builds(corpus, size, runs, reuse=args.reuse_builds)
        print(f"[{size}] builds {row}", flush=True)
        row |= measure_serving(size, args.rounds, args.seconds)
        results["sizes"][str(size)] = row
        print(f"[{size}] serving done", flush=True)
    results["machine"]["load_avg_end"] = os.getloadavg()[0]
    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = RESULTS / dt.datetime.now(dt.UTC).strftime("%Y-%m-%d")
    if stem.with_suffix(".json").exists():
        # A later run the same day adds its sizes to the day's file.
        earlier = json.loads(stem.with_suffix(".json").read_text())
        results["sizes"] = earlier["sizes"] | results["sizes"]
        results["runs"] = earlier.get("runs", [earlier["machine"]]) + [
            results["machine"]
        ]
    stem.with_suffix(".json").write_text(json.dumps(results, indent=1) + "\n")
    table = markdown(results)
    stem.with_suffix(".md").write_text(table)
    if args.readme:
        update_readme(ROOT / "README.md", table)
    print(table)
    shutil.rmtree(CACHE / "tmp", ignore_errors=True)
