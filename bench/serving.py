"""Serving measurements: both engines over HTTP, FTS5 in-process, the memo apart.

Every reported search figure is a computed answer: the portal is served with
its answer memo off (``OVERSIGHT_ANSWER_MEMO=0``), the FTS5 twin has none, and
the in-process floor calls the same search function directly. Each worker's
first requests, which open the index, ask :data:`~bench.queries.WARMUPS`, never
a measured query. The memo is measured on its own, on a one-worker portal with
the memo on: the same request asked again of the worker that answered it.
"""

from __future__ import annotations

import sqlite3
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.fts_search import FacetColumns, search
from bench.queries import QUERIES, WARMUPS
from bench.serve import get, gunicorn, peak_rss_mb, throughput, worker_pids

ENGINES = ("ours", "fts5", "floor")
# Passes over the warm-up words before giving up on a worker that opens nothing.
WARM_UP_PASSES = 10
# Repeats of each query asked of the memo (its first ask computes the answer).
MEMO_REPEATS = 3


def pct(values: list[float], q: float) -> float:
    """Return the ``q`` quantile of ``values`` (nearest rank), rounded to 0.01."""
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 2)


def p50(values: list[float]) -> float:
    """Return the median of ``values``, rounded to 0.01 (NaN when empty)."""
    return round(statistics.median(values), 2) if values else float("nan")


def _params(query, engine: str) -> dict:
    """Return the query's parameters as ``engine``'s search API takes them."""
    return query.portal_params() if engine == "ours" else query.fts_params()


def _opened(pid: int, path: Path) -> bool:
    """Return whether process ``pid`` has a file under ``path`` open or mapped."""
    prefix = str(path.resolve())
    proc = Path(f"/proc/{pid}")
    try:
        if prefix in (proc / "maps").read_text():
            return True
        return any(str(fd.readlink()).startswith(prefix) for fd in proc.glob("fd/*"))
    except OSError:
        return False


def warm_up(url: str, master: int, path: Path, engine: str) -> float:
    """Send warm-up queries, four at once, until every worker has opened ``path``.

    The warm-up words are asked again if need be (never a measured query): which
    worker accepts a connection is the kernel's choice.

    :return: the slowest warm-up request in ms (a worker opening the index).
    :raise RuntimeError: when a worker has still not opened it after
        :data:`WARM_UP_PASSES` passes over the warm-up words.
    """
    slowest = 0.0
    batches = [WARMUPS[i : i + 4] for i in range(0, len(WARMUPS), 4)]
    for batch in batches * WARM_UP_PASSES:
        params = [_params(q, engine) for q in batch]
        with ThreadPoolExecutor(len(params)) as pool:
            timed = pool.map(lambda p: get(url, "/api/search", p)[0], params)
            slowest = max(slowest, *timed)
        if all(_opened(pid, path) for pid in worker_pids(master)):
            return slowest
    raise RuntimeError(f"a worker of {url} never opened {path}")


class InProcess:
    """The FTS5 twin's search called directly: no HTTP, no Flask (the floor)."""

    def __init__(self, db: Path):
        self.db = sqlite3.connect(str(db))
        self.columns = FacetColumns(self.db)
        for query in WARMUPS[:4]:
            self(query.fts_params())

    def __enter__(self) -> InProcess:
        return self

    def __exit__(self, *exc) -> None:
        self.db.close()

    def __call__(self, params: dict) -> float:
        """Run one search; return its milliseconds."""
        filters = {k: v for k, v in params.items() if k not in ("q", "per_page")}
        started = time.perf_counter()
        search(self.db, self.columns, params["q"], filters, params["per_page"])
        return (time.perf_counter() - started) * 1000


def query_rounds(urls: dict[str, str], floor: InProcess, rounds: int) -> tuple:
    """Ask the three engines the mix ``rounds`` times, rotating which goes first.

    :return: per engine every latency (ms), and per HTTP engine the non-200 count.
    """
    latencies: dict[str, list[float]] = {e: [] for e in ENGINES}
    errors = {"ours": 0, "fts5": 0}
    for r in range(rounds):
        order = ENGINES[r % 3 :] + ENGINES[: r % 3]
        for query in QUERIES:
            for engine in order:
                if engine == "floor":
                    latencies[engine].append(floor(query.fts_params()))
                    continue
                ms, status, _ = get(urls[engine], "/api/search", _params(query, engine))
                errors[engine] += status != 200
                latencies[engine].append(ms)
    return latencies, errors


def measure_memo(index: Path) -> dict:
    """Time repeated identical requests answered from a worker's memo.

    One worker with the memo on: each query of the mix is asked once (computed,
    and kept), then :data:`MEMO_REPEATS` times more, all answered from the memo.
    """
    env = {"OVERSIGHT_INDEX_DIR": str(index), "OVERSIGHT_ANSWER_MEMO": "1"}
    computed, repeated = [], []
    with gunicorn("portal:create_app()", env, workers=1) as (url, master):
        warm_up(url, master, index, "ours")
        for query in QUERIES:
            computed.append(get(url, "/api/search", query.portal_params())[0])
            for _ in range(MEMO_REPEATS):
                repeated.append(get(url, "/api/search", query.portal_params())[0])
    return {
        "computed_p50_ms": p50(computed),
        "repeat_p50_ms": p50(repeated),
        "repeat_p95_ms": pct(repeated, 0.95),
    }


def measure_search(index: Path, db: Path, rounds: int, seconds: float) -> dict:
    """Time ``/api/search`` on both engines through gunicorn, and FTS5 in-process.

    :return: the search rows of one size: pairs [ours, FTS5 over HTTP] in ms,
        requests/s and MB; ``search_floor_ms`` is FTS5 in-process [p50, p95];
        ``compare`` the compare view's figures (:func:`measure_compare`).
    """
    envs = {
        "ours": ("portal:create_app()", {"OVERSIGHT_INDEX_DIR": str(index),
                                         "OVERSIGHT_ANSWER_MEMO": "0"}),
        "fts5": ("bench.fts_app:create_app()", {"BENCH_FTS_DB": str(db)}),
    }  # fmt: skip
    with (
        gunicorn(*envs["ours"]) as (ours_url, ours_pid),
        gunicorn(*envs["fts5"]) as (fts_url, fts_pid),
        InProcess(db) as floor,
    ):
        urls = {"ours": ours_url, "fts5": fts_url}
        first = {
            "ours": warm_up(ours_url, ours_pid, index, "ours"),
            "fts5": warm_up(fts_url, fts_pid, db, "fts5"),
        }
        latencies, errors = query_rounds(urls, floor, rounds)
        rps = {}
        for engine in ("fts5", "ours"):
            requests = [_params(q, engine) for q in QUERIES]
            rps[engine] = round(throughput(urls[engine], requests, seconds, 4), 1)
        compare = measure_compare(ours_url)
        rss = [peak_rss_mb(worker_pids(pid)) for pid in (ours_pid, fts_pid)]
    ours, fts5, floor_ms = (latencies[e] for e in ENGINES)
    return {
        "search_p50_ms": [p50(ours), p50(fts5)],
        "search_p95_ms": [pct(ours, 0.95), pct(fts5, 0.95)],
        "search_floor_ms": [p50(floor_ms), pct(floor_ms, 0.95)],
        "requests": len(ours),
        "first_request_ms": [round(first["ours"], 1), round(first["fts5"], 1)],
        "requests_per_s": [rps["ours"], rps["fts5"]],
        "worker_peak_rss_mb": [round(rss[0], 1), round(rss[1], 1)],
        "errors": [errors["ours"], errors["fts5"]],
        "compare": compare,
    }


def measure_compare(url: str, repeats: int = 4) -> dict:
    """Time ``/api/compare`` for every curated theme over all years.

    The first request for each theme is cold: no worker has answered it before,
    so it shows what precomputed theme data costs, not the workers' memo. Then
    each theme is asked ``repeats`` more times (either worker may answer; on the
    benchmark's memo-off portal each is computed again).
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
        "cold_p50_ms": p50(list(cold.values())),
        "cold_max_ms": max(cold.values()),
        "cold_ms": cold,
        "repeat_p50_ms": p50(repeated),
        "repeat_p95_ms": pct(repeated, 0.95),
    }
