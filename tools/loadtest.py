"""Load test: gunicorn on loopback, concurrent clients, a forced rebuild mid-run.

Serves a copy of the index with gunicorn on 127.0.0.1 (the settings of ``make
run``, see :mod:`tools.harness`), runs threaded clients over a mix of searches,
facet filters, passages and documents for a bounded time and request count, holds
idle and slowloris connections open all the while (:mod:`tools.slowclients`),
runs the same forced rebuild as ``make index`` in the middle, and reports
requests, errors and p50/p95 latency. Exits 1 on any error.

    python -m tools.loadtest --corpus corpus --index var/index --duration 60
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from tools.harness import HOST, ROOT, serve
from tools.slowclients import SlowClients

QUERIES = [
    "custody", "victims", "serious organised crime", '"financial investigators"',
    "recruitment AND retention", "county lines", "fraud OR cyber", "inteligence",
    "BTP", "police and crime plan", "training -firearms", "",
]  # fmt: skip


@dataclass
class Tally:
    """Every request's latency and kind, and every error, shared by the clients."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, seconds: float, error: str | None) -> None:
        """Add one request's outcome."""
        with self.lock:
            self.latencies.setdefault(kind, []).append(seconds)
            if error:
                self.errors.append(error)


def fetch(url: str, timeout: float = 15) -> tuple[int, bytes]:
    """GET ``url``; return the status and body, HTTP errors included."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def prepare(corpus: Path, index: Path, workdir: Path) -> tuple[Path, Path]:
    """Copy the corpus and index into ``workdir``; build the copy if there is none."""
    corpus_copy, index_copy = workdir / "corpus", workdir / "index"
    shutil.copytree(corpus, corpus_copy)
    if (index / "CURRENT").exists():
        shutil.copytree(index, index_copy, ignore=shutil.ignore_patterns("*.lock"))
    else:
        subprocess.run(_build_command(corpus_copy, index_copy), check=True, cwd=ROOT)
    return corpus_copy, index_copy


def _build_command(corpus: Path, index: Path) -> list[str]:
    """The command ``make index`` runs, forced, for the copies."""
    return [
        sys.executable, "-m", "indexer", "build", "--corpus", str(corpus),
        "--index", str(index), "--force", "--quiet",
    ]  # fmt: skip


def url_mix(base: str) -> list[tuple[str, str]]:
    """Return (kind, URL) pairs over searches, facets, passages and documents.

    Ids and facet values come from the served index; the reader and passage pages
    join the mix only when the portal has them.
    """
    found = json.loads(fetch(base + "/api/search?per_page=100")[1])
    facets = {
        name: [v["value"] for v in vals] for name, vals in found["facets"].items()
    }
    passages = [r["id"] for r in found["results"]]
    docs = [d["id"] for d in json.loads(fetch(base + "/api/documents")[1])["documents"]]
    mix = []
    for q in QUERIES:
        mix.append(("search", "/api/search?" + urllib.parse.urlencode({"q": q})))
        mix.append(("search", "/search?" + urllib.parse.urlencode({"q": q})))
    for name, values in facets.items():
        for value in values[:4]:
            args = {"q": random.Random(value).choice(QUERIES), name: value}
            mix.append(("facet", "/api/search?" + urllib.parse.urlencode(args)))
    for pid in passages[::7]:
        mix.append(("passage", f"/api/passages/{pid}"))
    mix.append(("document", "/api/documents"))
    mix.append(("document", "/"))
    if passages and fetch(base + f"/p/{passages[0]}")[0] == 200:
        mix += [("passage", f"/p/{pid}") for pid in passages[::13]]
    if docs and fetch(base + f"/docs/{docs[0]}")[0] == 200:
        mix += [("document", f"/docs/{doc}") for doc in docs]
    return mix


def run_client(base, mix, seed, deadline, budget, tally) -> None:
    """Send requests from ``mix`` until the deadline or the shared budget runs out."""
    rng = random.Random(seed)
    while time.monotonic() < deadline and budget.acquire(blocking=False):
        kind, path = rng.choice(mix)
        started = time.monotonic()
        try:
            status, _body = fetch(base + path)
            error = None if status == 200 else f"{status} {path}"
        except Exception as exc:  # a refused or reset connection is an error too
            error = f"{type(exc).__name__}: {exc} {path}"
        tally.record(kind, time.monotonic() - started, error)


def rebuild(base, corpus, index, at: float, report: dict) -> None:
    """At time ``at``, rebuild the index forced and check the portal serves it."""
    time.sleep(max(0.0, at - time.monotonic()))
    started = time.monotonic()
    result = subprocess.run(
        _build_command(corpus, index), cwd=ROOT, capture_output=True, text=True
    )
    report["rebuild_seconds"] = round(time.monotonic() - started, 2)
    report["rebuild_exit"] = result.returncode
    generation = (index / "CURRENT").read_text().strip()
    versions = {
        json.loads(fetch(base + "/healthz")[1])["index_version"] for _ in range(4)
    }
    report["swapped"] = result.returncode == 0 and versions == {generation}
    report["generation"] = generation


def percentile(values: list[float], fraction: float) -> float:
    """Return the ``fraction`` quantile of ``values`` in milliseconds."""
    if len(values) < 2:
        return round(1000 * (values[0] if values else 0.0), 1)
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return round(1000 * cuts[int(fraction * 100) - 1], 1)


def summarise(tally: Tally, seconds: float, rebuilds: list[dict]) -> dict:
    """Return the figures the run produced, overall and per kind of request."""
    every = [s for values in tally.latencies.values() for s in values]
    kinds = {
        kind: {
            "requests": len(v),
            "p50_ms": percentile(v, 0.5),
            "p95_ms": percentile(v, 0.95),
        }
        for kind, v in sorted(tally.latencies.items())
    }
    return {
        "requests": len(every),
        "errors": len(tally.errors),
        "error_samples": [e for e, _n in Counter(tally.errors).most_common(5)],
        "seconds": round(seconds, 1),
        "requests_per_second": round(len(every) / seconds, 1) if seconds else 0.0,
        "p50_ms": percentile(every, 0.5),
        "p95_ms": percentile(every, 0.95),
        "max_ms": round(1000 * max(every), 1) if every else 0.0,
        "kinds": kinds,
        "rebuilds": rebuilds,
    }


def run(args: argparse.Namespace) -> dict:
    """Run the whole load test and return its summary."""
    with tempfile.TemporaryDirectory(prefix="loadtest-") as tmp:
        corpus, index = prepare(Path(args.corpus), Path(args.index), Path(tmp))
        env = {"OVERSIGHT_INDEX_DIR": str(index), "OVERSIGHT_CORPUS_DIR": str(corpus)}
        with (
            serve(env, workers=args.workers) as (base, _server),
            SlowClients(
                HOST, int(base.rsplit(":", 1)[1]), args.idle, args.slowloris
            ) as slow,
        ):
            mix = url_mix(base)
            tally, budget = Tally(), threading.Semaphore(args.max_requests)
            started = time.monotonic()
            deadline = started + args.duration
            rebuilds = [{} for _ in range(args.rebuilds)]
            threads = [
                threading.Thread(
                    target=rebuild,
                    args=(
                        base,
                        corpus,
                        index,
                        started + (n + 1) * args.duration / (args.rebuilds + 1),
                        rebuilds[n],
                    ),
                )  # fmt: skip
                for n in range(args.rebuilds)
            ]
            threads += [
                threading.Thread(
                    target=run_client,
                    args=(base, mix, n, deadline, budget, tally),
                )
                for n in range(args.clients)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            summary = summarise(tally, time.monotonic() - started, rebuilds)
            summary["slow_connections_held"] = slow.held
    summary |= {"clients": args.clients, "workers": args.workers, "mix": len(mix)}
    summary |= {"idle": args.idle, "slowloris": args.slowloris}
    return summary


def failed(summary: dict) -> list[str]:
    """Return why the run failed: errors, a failed or unseen rebuild, no requests."""
    reasons = []
    if summary["errors"]:
        reasons.append(f"{summary['errors']} requests failed")
    if not summary["requests"]:
        reasons.append("no request was made")
    for n, info in enumerate(summary["rebuilds"], 1):
        if not info.get("swapped"):
            reasons.append(f"rebuild {n} did not complete or was not served: {info}")
    return reasons


def _print(summary: dict) -> None:
    print(
        f"{summary['requests']} requests in {summary['seconds']}s "
        f"({summary['requests_per_second']}/s) from {summary['clients']} clients "
        f"against {summary['workers']} gunicorn workers, beside "
        f"{summary['idle']} idle and {summary['slowloris']} slowloris connections "
        f"({summary['slow_connections_held']} open at the end); "
        f"{summary['errors']} errors; "
        f"p50 {summary['p50_ms']} ms, p95 {summary['p95_ms']} ms, "
        f"max {summary['max_ms']} ms"
    )
    for kind, figures in summary["kinds"].items():
        print(
            f"  {kind:>9}: {figures['requests']} requests, "
            f"p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms"
        )
    for info in summary["rebuilds"]:
        print(
            f"  rebuild: exit {info.get('rebuild_exit')} in "
            f"{info.get('rebuild_seconds')}s, served next: {info.get('swapped')}"
        )
    for error in summary["error_samples"]:
        print(f"  error: {error}")


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments, run the load test, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default="corpus", help="corpus folder to copy")
    parser.add_argument("--index", default="var/index", help="index folder to copy")
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients")
    parser.add_argument("--duration", type=float, default=60, help="seconds to run")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--rebuilds", type=int, default=1, help="forced rebuilds")
    parser.add_argument(
        "--idle", type=int, default=4, help="idle connections held open"
    )
    parser.add_argument(
        "--slowloris", type=int, default=4, help="slowloris connections held open"
    )
    parser.add_argument(
        "--max-requests", type=int, default=200_000, help="stop after this many"
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args(argv)
    summary = run(args)
    print(json.dumps(summary, indent=1)) if args.json else _print(summary)
    reasons = failed(summary)
    for reason in reasons:
        print(f"FAILED: {reason}", file=sys.stderr)
    return 1 if reasons else 0


if __name__ == "__main__":
    sys.exit(main())
