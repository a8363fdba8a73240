"""The production set-up of the README: nginx in front of gunicorn, tested for real.

``deploy/nginx.conf`` is checked with ``nginx -t`` and then run, in front of the
portal under gunicorn (as ``make run`` serves it), with idle and slowloris
connections held against nginx while requests go through it.
"""

from __future__ import annotations

import shutil
import subprocess
import time
import urllib.request

import pytest

from tools.balancer import REPLICAS, SINGLE, balance, nginx_command
from tools.harness import HOST, serve
from tools.slowclients import SlowClients

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        shutil.which("nginx") is None, reason="nginx is not installed (apt nginx)"
    ),
]


@pytest.mark.parametrize("config", [SINGLE, REPLICAS], ids=["single", "replicas"])
def test_the_nginx_configuration_passes_nginx_t(tmp_path, config):
    (tmp_path / "tmp").mkdir()
    result = subprocess.run(
        nginx_command(tmp_path, config, "-t"), capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def _status(url: str) -> int:
    # The timeout only bounds a hung test.
    with urllib.request.urlopen(url, timeout=20) as response:
        response.read()
        return response.status


def test_requests_go_through_nginx_while_slow_clients_hold_connections(
    tmp_path, index_dir, corpus_dir
):
    env = {
        "OVERSIGHT_INDEX_DIR": str(index_dir),
        "OVERSIGHT_CORPUS_DIR": str(corpus_dir),
    }
    with (
        serve(env, workers=1) as (upstream, _gunicorn),
        balance([upstream.removeprefix("http://")], tmp_path, SINGLE) as base,
    ):
        port = int(base.rsplit(":", 1)[1])
        with SlowClients(HOST, port, idle=8, slowloris=8, interval=0.5):
            statuses = []
            for n in range(30):
                path = ("/api/search?q=custody", "/healthz", "/search?q=fraud")[n % 3]
                statuses.append(_status(base + path))
                time.sleep(0.06)  # under the 20 requests a second allowed
        assert statuses == [200] * 30
