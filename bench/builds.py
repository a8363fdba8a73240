"""Build timings: full builds and one-document re-indexing, ours against SQLite FTS5.

Each full-build time is appended to ``var/bench/builds.jsonl`` so that a later run
can report it without building again (``--reuse-builds``).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

from bench import fts
from indexer.document.record import load_document
from indexer.source.corpus import read_document
from indexer.store.build import current_generation

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "var" / "bench"
_EDIT = " The benchmark added this sentence to one paragraph."


def median(values: list[float]) -> float:
    return round(statistics.median(values), 3) if values else float("nan")


def seconds(measured: list[tuple[float, float]]) -> list[float]:
    """Return the seconds of (seconds, peak MB) pairs."""
    return [s for s, _ in measured]


def _du_mb(path: Path) -> float:
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    return round(sum(p.stat().st_size for p in files) / 1e6, 1)


# Runs a command and prints its seconds and the peak RSS (KB) of it and its
# children. A small process of its own starts the command: Linux counts in a
# child's ru_maxrss the memory of the process it was forked from, so a command
# forked from the benchmark itself would be charged the benchmark's memory.
_MEASURE = """
import resource, subprocess, sys, time
started = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
seconds = time.perf_counter() - started
print(seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(code)
"""


def run_measured(args: list[str]) -> tuple[float, float]:
    """Run ``args`` from the project root; return (seconds, peak resident MB).

    The peak is the largest resident set of the process or of any child it
    waited for (``ru_maxrss``), not a sum over processes.

    :raise subprocess.CalledProcessError: when the command fails.
    """
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    seconds, peak_kb = done.stdout.split()
    return float(seconds), int(peak_kb) / 1024  # Linux reports kilobytes


def _index_cli(corpus: Path, index: Path, force: bool) -> tuple[float, float]:
    """Build (or update) the portal's index; return (seconds, peak MB)."""
    args = [sys.executable, "-m", "indexer", "build", "--corpus", str(corpus),
            "--index", str(index), "--quiet"]  # fmt: skip
    return run_measured(args + (["--force"] if force else []))


def _fts_build(corpus: Path, db: Path) -> tuple[float, float]:
    """Build the FTS5 database in its own process; return (seconds, peak MB)."""
    return run_measured([sys.executable, "-m", "bench.fts", str(corpus), str(db)])


def warm_themes(index: Path) -> float:
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


def _record(size: int, engine: str, measured: tuple[float, float]) -> None:
    """Append one full build's seconds and peak MB to ``var/bench/builds.jsonl``."""
    seconds, peak = measured
    line = {"size": size, "engine": engine, "seconds": round(seconds, 3)}
    line["peak_mb"] = round(peak, 1)
    line["at"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    with (CACHE / "builds.jsonl").open("a") as handle:
        handle.write(json.dumps(line) + "\n")


def _recorded(size: int, engine: str) -> list[tuple[float, float]]:
    """Return the (seconds, peak MB) of builds recorded for ``size`` and ``engine``.

    Lines from before the peak was recorded are left out.
    """
    try:
        lines = (CACHE / "builds.jsonl").read_text().splitlines()
    except FileNotFoundError:
        return []
    found = [json.loads(line) for line in lines if line.strip()]
    return [
        (f["seconds"], f["peak_mb"])
        for f in found
        if (f["size"], f["engine"]) == (size, engine) and "peak_mb" in f
    ]


def _paths(size: int) -> tuple[Path, Path]:
    """Return where the index and the FTS5 database of ``size`` are kept."""
    return CACHE / f"index-{size}", CACHE / f"fts-{size}.sqlite"


def _full_builds(
    corpus: Path, size: int, runs: int, reuse: bool
) -> tuple[list[tuple[float, float]], list[tuple[float, float]]]:
    """Measure ``runs`` full builds of each engine, interleaved, or reuse recorded ones.

    :return: per engine, each build's (seconds, peak MB).
    """
    index, db = _paths(size)
    reuse_ours = bool(reuse and current_generation(index) and _recorded(size, "ours"))
    reuse_fts = bool(reuse and db.exists() and _recorded(size, "fts5"))
    ours = _recorded(size, "ours") if reuse_ours else []
    theirs = _recorded(size, "fts5") if reuse_fts else []
    for _ in range(runs):
        if not reuse_ours:
            ours.append(_index_cli(corpus, index, force=True))
            _record(size, "ours", ours[-1])
        if not reuse_fts:
            theirs.append(_fts_build(corpus, db))
            _record(size, "fts5", theirs[-1])
    return ours, theirs


def _reindex_one(corpus: Path, size: int, runs: int) -> tuple[list[float], list[float]]:
    """Time re-indexing one edited document ``2 * runs`` times on each engine."""
    index, db = _paths(size)
    re_ours, re_theirs = [], []
    edited = _edited_file(corpus)
    original = edited.read_text(encoding="utf-8")
    connection = sqlite3.connect(str(db))
    try:
        for run in range(2 * runs):
            if run % 2 == 0:
                _edit(edited, original)
            else:
                edited.write_text(original, encoding="utf-8")
            re_ours.append(_index_cli(corpus, index, force=False)[0])
            started = time.perf_counter()
            doc = load_document(read_document(edited, corpus, 20_000_000))
            fts.delete_document(connection, doc.id)
            fts.add_documents(connection, [doc])
            re_theirs.append(time.perf_counter() - started)
    finally:
        edited.write_text(original, encoding="utf-8")
        connection.close()
    return re_ours, re_theirs


def measure_builds(corpus: Path, size: int, runs: int, reuse: bool = False) -> dict:
    """Time full builds and one-document re-indexing of both engines, interleaved.

    With ``reuse``, an engine whose index exists and has recorded build times is
    not built again: its recorded times are reported (a second run of a size
    measures serving without paying for the builds twice).
    """
    index, db = _paths(size)
    ours, theirs = _full_builds(corpus, size, runs, reuse)
    with closing(sqlite3.connect(str(db))) as connection:
        passages = connection.execute("SELECT count(*) FROM passages").fetchone()[0]
    re_ours, re_theirs = _reindex_one(corpus, size, runs)
    _index_cli(corpus, index, force=False)
    # The served generation's themes are precomputed before serving, as `make
    # index` does: a cost of the build, reported beside it.
    warm = warm_themes(index)
    generation = current_generation(index)
    manifest = json.loads((generation / "manifest.json").read_text())
    return {
        "passages": manifest["passages"],
        "documents": manifest["documents"],
        "fts_passages": passages,
        "build_s": [median(seconds(ours)), median(seconds(theirs))],
        "passages_per_s": [
            round(manifest["passages"] / median(seconds(ours))),
            round(passages / median(seconds(theirs))),
        ],
        "build_peak_rss_mb": [
            round(max(peak for _, peak in ours), 1),
            round(max(peak for _, peak in theirs), 1),
        ],
        "reindex_one_s": [median(re_ours), median(re_theirs)],
        "index_mb": [_du_mb(generation), _du_mb(db)],
        "theme_warm_s": round(warm, 2),
    }
