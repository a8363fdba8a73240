"""Serve over gunicorn (:mod:`tools.harness`), drive it over HTTP, read its memory."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from tools.harness import serve


@contextmanager
def gunicorn(app: str, env: dict[str, str], workers: int = 2):
    """Run ``app`` under gunicorn as ``make run`` does; yield (url, master pid)."""
    with serve(env, app=app, workers=workers) as (url, proc):
        yield url, proc.pid


def get(url: str, path: str, params: dict) -> tuple[float, int, dict | None]:
    """GET ``path`` and return (milliseconds, status, JSON body or None)."""
    full = url + path + "?" + urllib.parse.urlencode(params, doseq=True)
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(full, timeout=120) as response:
            body = response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        body, status = exc.read(), exc.code
    elapsed = (time.perf_counter() - started) * 1000
    try:
        data = json.loads(body)
    except ValueError:
        data = None
    return elapsed, status, data


def worker_pids(master: int) -> list[int]:
    """Return the pids of the gunicorn workers under ``master``."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The parent pid is the fourth field, after the parenthesised name.
        if int(stat.rsplit(")", 1)[1].split()[1]) == master:
            pids.append(int(entry.name))
    return pids


def peak_rss_mb(pids: list[int]) -> float:
    """Return the largest peak resident memory (VmHWM) among ``pids``, in MB."""
    peak = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]))
        except OSError:
            continue
    return peak / 1024


def throughput(url: str, requests: list[dict], seconds: float, clients: int) -> float:
    """Return requests per second from ``clients`` threads cycling ``requests``."""
    done = [0] * clients
    stop = time.monotonic() + seconds

    def client(n: int) -> None:
        """Send requests in turn until time is up."""
        i = n
        while time.monotonic() < stop:
            get(url, "/api/search", requests[i % len(requests)])
            done[n] += 1
            i += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(done) / (time.monotonic() - started)
