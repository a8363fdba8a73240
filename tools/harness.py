"""Start gunicorn on loopback with the portal's settings, wait for it, stop it.

The one way the load test, the benchmark and the tests start a server: the same
worker class, threads and timeouts as ``make run`` (:mod:`portal.gunicorn_conf`).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"  # loopback only: nothing here listens or sends elsewhere
CONFIG = "python:portal.gunicorn_conf"
PORTAL = "portal:create_app()"


def free_port() -> int:
    """Return a TCP port on loopback that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def gunicorn_command(app: str, port: int, workers: int) -> list[str]:
    """Return the command serving ``app`` on loopback ``port`` with ``workers``."""
    return [
        sys.executable, "-m", "gunicorn", "-c", CONFIG, "--workers", str(workers),
        "--bind", f"{HOST}:{port}", "--log-level", "warning", app,
    ]  # fmt: skip


def wait_until_up(
    base: str, proc: subprocess.Popen | None = None, timeout: float = 60
) -> None:
    """Wait until ``base``/healthz answers at all, or raise RuntimeError.

    Gives up early when ``proc`` (the server, if known) has exited.
    """
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(base + "/healthz", timeout=30).read()
            return
        except urllib.error.HTTPError:
            return  # it answers: a 503 for an unbuilt index is still an answer
        except (urllib.error.URLError, ConnectionError):
            exited = proc is not None and proc.poll() is not None
            if exited or time.monotonic() > deadline:
                raise RuntimeError(f"the server at {base} did not start") from None
            time.sleep(0.2)


@contextmanager
def serve(
    env: dict[str, str], app: str = PORTAL, workers: int = 2
) -> Iterator[tuple[str, subprocess.Popen]]:
    """Run ``app`` under gunicorn with ``env`` added; yield (base URL, process)."""
    port = free_port()
    proc = subprocess.Popen(
        gunicorn_command(app, port, workers), cwd=ROOT, env=os.environ | env
    )
    base = f"http://{HOST}:{port}"
    try:
        wait_until_up(base, proc)
        yield base, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=30)
