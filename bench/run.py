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
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench import fts
from bench.generate import ensure_corpus
from bench.queries import QUERIES
from bench.report import markdown, update_readme
from bench.serve import get, gunicorn, peak_rss_mb, throughput, worker_pids
from indexer.document.record import load_document
from indexer.source.corpus import read_document
from indexer.store.build import current_generation

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "var" / "bench"
RESULTS = ROOT / "bench" / "results"
_EDIT = " The benchmark added this sentence to one paragraph."


def _median(values: list[float]) -> float:
    return round(statistics.median(values), 3) if values else float("nan")


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 2)


def _du_mb(path: Path) -> float:
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    return round(sum(p.stat().st_size for p in files) / 1e6, 1)


def _index_cli(corpus: Path, index: Path, force: bool) -> float:
    args = [
        sys.executable,
        "-m",
        "indexer",
        "build",
        "--corpus",
        str(corpus),
        "--index",
        str(index),
        "--quiet",
    ] + (["--force"] if force else [])
    started = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    return time.perf_counter() - started


def _warm(index: Path) -> float:
    """Precompute the curated themes for the served generation; return seconds."""
    args = [sys.executable, "-m", "flask", "--app", "portal:create_app()", "warm"]
    env = os.environ | {"OVERSIGHT_INDEX_DIR": str(index)}
    started = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, cwd=ROOT, env=env)
    return time.perf_counter() - started


def _edited_file(corpus: Path) -> Path:
    return sorted(corpus.glob("*-mopac-letter-*.txt"))[len(list(corpus.iterdir())) // 4]


def _edit(path: Path, original: str) -> None:
    # Lengthen the first long paragraph, so the document's passages really change.
    blocks = original.split("\n\n")
    at = next(i for i, b in enumerate(blocks) if len(b) > 150)
    blocks[at] = blocks[at].rstrip() + _EDIT
    path.write_text("\n\n".join(blocks), encoding="utf-8")


def _record(size: int, engine: str, seconds: float) -> None:
    """Append one full-build time to ``var/bench/builds.jsonl``."""
    line = {"size": size, "engine": engine, "seconds": round(seconds, 3)}
    line["at"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    with (CACHE / "builds.jsonl").open("a") as handle:
        handle.write(json.dumps(line) + "\n")


def _recorded(size: int, engine: str) -> list[float]:
    """Return the full-build times recorded for ``size`` and ``engine``."""
    try:
        lines = (CACHE / "builds.jsonl").read_text().splitlines()
    except FileNotFoundError:
        return []
    found = [json.loads(line) for line in lines if line.strip()]
    return [f["seconds"] for f in found if (f["size"], f["engine"]) == (size, engine)]


def measure_builds(corpus: Path, size: int, runs: int, reuse: bool = False) -> dict:
    """Time full builds and one-document re-indexing of both engines, interleaved.

    With ``reuse``, an engine whose index exists and has recorded build times is
    not built again: its recorded times are reported (a second run of a size
    measures serving without paying for the builds twice).
    """
    index, db = CACHE / f"index-{size}", CACHE / f"fts-{size}.sqlite"
    ours, theirs, re_ours, re_theirs = [], [], [], []
    reuse_ours = bool(reuse and current_generation(index) and _recorded(size, "ours"))
    reuse_fts = bool(reuse and db.exists() and _recorded(size, "fts5"))
    ours = _recorded(size, "ours") if reuse_ours else []
    theirs = _recorded(size, "fts5") if reuse_fts else []
    for _ in range(runs):
        if not reuse_ours:
            ours.append(_index_cli(corpus, index, force=True))
            _record(size, "ours", ours[-1])
        if not reuse_fts:
            started = time.perf_counter()
            fts.build(corpus, db)
            theirs.append(time.perf_counter() - started)
            _record(size, "fts5", theirs[-1])
    connection = sqlite3.connect(str(db))
    passages = connection.execute("SELECT count(*) FROM passages").fetchone()[0]
    connection.close()
    edited = _edited_file(corpus)
    original = edited.read_text(encoding="utf-8")
    connection = sqlite3.connect(str(db))
    try:
        for run in range(2 * runs):
            if run % 2 == 0:
                _edit(edited, original)
            else:
                edited.write_text(original, encoding="utf-8")
            re_ours.append(_index_cli(corpus, index, force=False))
            started = time.perf_counter()
            doc = load_document(read_document(edited, corpus, 20_000_000))
            fts.delete_document(connection, doc.id)
            fts.add_documents(connection, [doc])
            re_theirs.append(time.perf_counter() - started)
    finally:
        edited.write_text(original, encoding="utf-8")
        connection.close()
    _index_cli(corpus, index, force=False)
    # The served generation's themes are precomputed before serving, as `make
    # index` does: a cost of the build, reported beside it.
    warm = _warm(index)
    generation = current_generation(index)
    manifest = json.loads((generation / "manifest.json").read_text())
    return {
        "passages": manifest["passages"],
        "documents": manifest["documents"],
        "fts_passages": passages,
        "build_s": [_median(ours), _median(theirs)],
        "passages_per_s": [
            round(manifest["passages"] / _median(ours)),
            round(passages / _median(theirs)),
        ],
        "reindex_one_s": [_median(re_ours), _median(re_theirs)],
        "index_mb": [_du_mb(generation), _du_mb(db)],
        "theme_warm_s": round(warm, 2),
    }


def measure_serving(size: int, rounds: int, seconds: float) -> dict:
    """Time ``/api/search`` end to end on both engines through gunicorn, interleaved."""
    index, db = CACHE / f"index-{size}", CACHE / f"fts-{size}.sqlite"
    envs = {
        "ours": ("portal:create_app()", {"OVERSIGHT_INDEX_DIR": str(index)}),
        "fts5": ("bench.fts_app:create_app()", {"BENCH_FTS_DB": str(db)}),
    }
    latencies: dict[str, list[float]] = {"ours": [], "fts5": []}
    # The first round: no request has been asked before, so no memo can answer.
    cold: dict[str, list[float]] = {"ours": [], "fts5": []}
    by_kind: dict[str, dict[str, list[float]]] = {"ours": {}, "fts5": {}}
    errors: dict[str, int] = {"ours": 0, "fts5": 0}
    out: dict = {}
    _warm(index)  # nothing to do when measure_builds warmed this generation
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
        for r in range(rounds):
            order = ("ours", "fts5") if r % 2 == 0 else ("fts5", "ours")
            for query in QUERIES:
                for engine in order:
                    params = (
                        query.portal_params()
                        if engine == "ours"
                        else query.fts_params()
                    )
                    ms, status, _ = get(urls[engine], "/api/search", params)
                    errors[engine] += status != 200
                    latencies[engine].append(ms)
                    if r == 0:
                        cold[engine].append(ms)
                    by_kind[engine].setdefault(query.kind, []).append(ms)
        rps = {}
        for engine in ("fts5", "ours"):
            requests = [
                q.portal_params() if engine == "ours" else q.fts_params()
                for q in QUERIES
            ]
            rps[engine] = round(throughput(urls[engine], requests, seconds, 4), 1)
        out["compare"] = measure_compare(ours_url)
        rss = {
            "ours": peak_rss_mb(worker_pids(ours_pid)),
            "fts5": peak_rss_mb(worker_pids(fts_pid)),
        }
    out.update(
        {
            "search_p50_ms": [_median(latencies["ours"]), _median(latencies["fts5"])],
            "search_p95_ms": [
                _pct(latencies["ours"], 0.95),
                _pct(latencies["fts5"], 0.95),
            ],
            "search_cold_p50_ms": [_median(cold["ours"]), _median(cold["fts5"])],
            "search_cold_p95_ms": [_pct(cold["ours"], 0.95), _pct(cold["fts5"], 0.95)],
            "search_by_kind_p50_ms": {
                kind: [_median(by_kind["ours"][kind]), _median(by_kind["fts5"][kind])]
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
        "cold_p50_ms": _median(list(cold.values())),
        "cold_max_ms": max(cold.values()),
        "cold_ms": cold,
        "repeat_p50_ms": _median(repeated),
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
