"""Run the benchmark: build, re-index, serve and query both engines, interleaved.

Usage: ``python -m bench [--sizes 10000,100000] [--rounds N]``. Results go to
``bench/results/<date>.json`` and ``.md``; ``--readme`` also puts the table in the
README between its bench markers. Every search figure is a computed answer (see
:mod:`bench.serving`); the memo's effect is measured on its own.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil

from bench.builds import CACHE, ROOT, measure_builds, warm_themes
from bench.generate import ensure_corpus
from bench.report import markdown, update_readme
from bench.serving import measure_compare, measure_memo, measure_search

RESULTS = ROOT / "bench" / "results"
__all__ = ["main", "measure_compare", "measure_serving"]


def measure_serving(size: int, rounds: int, seconds: float) -> dict:
    """Measure search (memo off), the memo on its own, and the compare view."""
    index, db = CACHE / f"index-{size}", CACHE / f"fts-{size}.sqlite"
    warm_themes(index)  # nothing to do when measure_builds warmed this generation
    out = measure_search(index, db, rounds, seconds)
    out["memo"] = measure_memo(index)
    return out


def _save(results: dict) -> str:
    """Write the results (merged with the day's earlier sizes); return the table."""
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
    return table


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
        help="keep existing indexes and report their recorded build figures",
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
    table = _save(results)
    if args.readme:
        update_readme(ROOT / "README.md", table)
    print(table)
    shutil.rmtree(CACHE / "tmp", ignore_errors=True)
