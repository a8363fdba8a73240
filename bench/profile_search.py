"""Profile cold ``/api/search`` in-process: where a search's time goes, no memo.

Usage::

    OVERSIGHT_INDEX_DIR=/tmp/perf/speed-idx \\
        .venv/bin/python -m bench.profile_search [--rounds 3] [--top 30] [--no-profile]

It opens the portal app in this process on the index ``OVERSIGHT_INDEX_DIR``
names (or ``--index``), switches the per-worker answer memo off
(:meth:`portal.index.generation.Generation.remember` computes every answer) and
the request deadline (``REQUEST_SECONDS``) off, asks
one warm-up query that is not in the mix (so the generation is opened and its
per-generation structures are loaded outside the measurement), then asks every
query of :data:`bench.queries.QUERIES` through the Flask test client on
``/api/search``, so parsing, scoring, facets, snippets and JSON rendering all
count. Each round asks the mix once; with ``--rounds`` above 1 the later rounds
ask it again (still computed, not remembered: only Whoosh's and the operating
system's caches are warm).

It prints each query's wall time (milliseconds, per round), p50 and p95 per query
kind and over all requests, and, unless ``--no-profile``, the top functions of a
cProfile of the first round (by own time and by cumulative time). Profiling slows
Python code down, so the wall times come from the rounds run without the profiler:
with profiling on, round 1 runs twice (profiled, then timed), the profiled pass
first, on a fresh app, so the timed rounds are not the first to touch any query.

To compare two checkouts, run this script with ``PYTHONPATH`` naming the other
checkout's root (the script imports ``portal`` and ``bench.queries`` from there).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import time
from pathlib import Path

WARM_UP = {"q": "annual statement", "per_page": 10}


def _pct(values: list[float], q: float) -> float:
    """Return the ``q`` quantile of ``values`` (nearest rank), in their unit."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _app(index: Path):
    """Return a test client of the portal on ``index``, its memo switched off."""
    from portal import create_app
    from portal.index import generation

    generation.Generation.remember = lambda self, key, compute: compute()
    # No request deadline: a slow request is what this measures, not a 503.
    app = create_app({"INDEX_DIR": str(index), "TESTING": True, "REQUEST_SECONDS": 0})
    client = app.test_client()
    answer = client.get("/api/search", query_string=WARM_UP)
    if answer.status_code != 200:
        raise SystemExit(f"warm-up answered {answer.status_code}: {answer.data[:300]}")
    return client


def _ask(client, query) -> float:
    """Ask one query; return its wall time in milliseconds.

    :raise SystemExit: when the portal does not answer 200.
    """
    start = time.perf_counter()
    answer = client.get("/api/search", query_string=query.portal_params())
    ms = (time.perf_counter() - start) * 1000
    if answer.status_code != 200:
        raise SystemExit(f"{query.q!r} answered {answer.status_code}")
    return ms


def _profile(index: Path, top: int) -> None:
    """Print the top functions of one profiled round, on a fresh app."""
    from bench.queries import QUERIES

    client = _app(index)
    profiler = cProfile.Profile()
    profiler.enable()
    for query in QUERIES:
        _ask(client, query)
    profiler.disable()
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order)
        stats.print_stats(top)
        print(f"--- profile of one round, by {order} ---")
        print(out.getvalue().split("\n\n", 1)[-1].rstrip())


def main(argv: list[str] | None = None) -> None:
    """Parse the arguments, profile a round, then time ``--rounds`` rounds."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--index", default=os.environ.get("OVERSIGHT_INDEX_DIR"))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--no-profile", action="store_true")
    args = parser.parse_args(argv)
    if not args.index:
        raise SystemExit("name the index: --index DIR or OVERSIGHT_INDEX_DIR")
    from bench.queries import QUERIES

    index = Path(args.index)
    if not args.no_profile:
        _profile(index, args.top)
    client = _app(index)
    times: dict[str, list[float]] = {q.q: [] for q in QUERIES}
    for _ in range(args.rounds):
        for query in QUERIES:
            times[query.q].append(_ask(client, query))
    print(f"--- wall ms per query, {args.rounds} round(s), memo off ---")
    for query in QUERIES:
        row = " ".join(f"{ms:8.1f}" for ms in times[query.q])
        print(f"{query.kind:8} {query.q[:32]:34} {row}")
    kinds: dict[str, list[float]] = {}
    for query in QUERIES:
        kinds.setdefault(query.kind, []).extend(times[query.q])
    every = [ms for values in kinds.values() for ms in values]
    kinds["ALL"] = every
    for kind, values in kinds.items():
        print(
            f"{kind:8} p50 {statistics.median(values):7.1f} ms  "
            f"p95 {_pct(values, 0.95):7.1f} ms  (n={len(values)})"
        )
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
