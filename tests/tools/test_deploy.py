"""The production set-up of the README: nginx in front of gunicorn, tested for real.

``deploy/nginx.conf`` is checked with ``nginx -t`` and then run, in front of the
portal under gunicorn (as ``make run`` serves it), with idle and slowloris
connections held against nginx while requests go through it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tools.harness import HOST, ROOT, free_port, serve, wait_until_up
from tools.slowclients import SlowClients

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        shutil.which("nginx") is None, reason="nginx is not installed (apt nginx)"
    ),
]
CONFIG = ROOT / "deploy" / "nginx.conf"


def _prefix(tmp_path: Path) -> Path:
    prefix = tmp_path / "nginx"
    (prefix / "tmp").mkdir(parents=True)
    return prefix


def _nginx(prefix: Path, config: Path, *args: str) -> list[str]:
    # As root nginx's workers would run as nobody, who cannot enter pytest's folders.
    user = ["-g", "user root;"] if os.geteuid() == 0 else []
    return ["nginx", "-p", f"{prefix}/", "-c", str(config), "-e", "error.log",
            *user, *args]  # fmt: skip


def test_the_nginx_configuration_passes_nginx_t(tmp_path):
    result = subprocess.run(
        _nginx(_prefix(tmp_path), CONFIG, "-t"), capture_output=True, text=True
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
    prefix = _prefix(tmp_path)
    with serve(env, workers=1) as (upstream, _gunicorn):
        port = free_port()
        text = CONFIG.read_text()
        text = text.replace("127.0.0.1:5000", upstream.removeprefix("http://"))
        text = text.replace("listen 127.0.0.1:8080", f"listen {HOST}:{port}")
        config = prefix / "nginx.conf"
        config.write_text(text)
        proxy = subprocess.Popen(_nginx(prefix, config, "-g", "daemon off;"))
        base = f"http://{HOST}:{port}"
        try:
            wait_until_up(base, proxy, timeout=30)
            with SlowClients(HOST, port, idle=8, slowloris=8, interval=0.5):
                statuses = []
                for n in range(30):
                    path = ("/api/search?q=custody", "/healthz", "/search?q=fraud")[
                        n % 3
                    ]
                    statuses.append(_status(base + path))
                    time.sleep(0.06)  # under the 20 requests a second allowed
            assert statuses == [200] * 30
        finally:
            proxy.terminate()
            proxy.wait(timeout=30)
