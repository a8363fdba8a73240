"""Slow clients cannot starve others: idle and slowloris connections beside traffic.

gunicorn runs as ``make run`` runs it (:mod:`tools.harness`), with a single worker,
the hardest case: with sync workers, one idle connection held it until timeout.
"""

from __future__ import annotations

import urllib.request

import pytest

from tools.harness import HOST, serve
from tools.slowclients import SlowClients

pytestmark = pytest.mark.slow
PATHS = ["/api/search?q=custody", "/healthz", "/search?q=police", "/api/documents"]


def _status(url: str) -> int:
    # The timeout only bounds a hung test; any answer at all is checked below.
    with urllib.request.urlopen(url, timeout=20) as response:
        response.read()
        return response.status


@pytest.fixture
def portal(index_dir, corpus_dir):
    env = {
        "OVERSIGHT_INDEX_DIR": str(index_dir),
        "OVERSIGHT_CORPUS_DIR": str(corpus_dir),
    }
    with serve(env, workers=1) as (base, _proc):
        yield base


@pytest.mark.parametrize(("idle", "slowloris"), [(4, 0), (0, 3), (4, 3)])
def test_requests_are_answered_while_slow_connections_are_held(portal, idle, slowloris):
    port = int(portal.rsplit(":", 1)[1])
    with SlowClients(HOST, port, idle, slowloris, interval=0.5) as slow:
        statuses = [_status(portal + PATHS[n % len(PATHS)]) for n in range(24)]
        assert slow.held >= 1  # the slow connections were there all along
    assert statuses == [200] * 24


def test_many_requests_at_once_beside_slow_connections_all_succeed(portal):
    from concurrent.futures import ThreadPoolExecutor

    port = int(portal.rsplit(":", 1)[1])
    with SlowClients(HOST, port, 6, 6, interval=0.5), ThreadPoolExecutor(8) as pool:
        urls = [portal + PATHS[n % len(PATHS)] for n in range(40)]
        statuses = list(pool.map(_status, urls))
    assert statuses == [200] * 40
