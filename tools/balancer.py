"""Run Debian's nginx on loopback with a configuration from ``deploy/``, no root needed.

The deploy test and the replica drill start nginx the same way: the configuration
is copied into a private prefix folder with its ``listen`` address and its
upstream servers replaced by loopback ones, checked with ``nginx -t``, and run in
the foreground until the block ends.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tools.harness import HOST, ROOT, free_port, wait_until_up

SINGLE = ROOT / "deploy" / "nginx.conf"
REPLICAS = ROOT / "deploy" / "nginx-replicas.conf"
_LISTEN = re.compile(r"^(\s*)listen \S+;", re.M)
_UPSTREAM = re.compile(r"(upstream portal \{\n)(.*?)(\n\s*keepalive)", re.S)
_SERVER = re.compile(r"^(\s*)server \S+(.*;.*)$", re.M)


class BalancerError(RuntimeError):
    """nginx refused the configuration or did not start; the message has its log."""


def nginx_command(prefix: Path, config: Path, *args: str) -> list[str]:
    """Return the nginx command line for ``config`` under the folder ``prefix``."""
    # As root nginx's workers would run as nobody, who cannot enter pytest's folders.
    user = ["-g", "user root;"] if os.geteuid() == 0 else []
    return ["nginx", "-p", f"{prefix}/", "-c", str(config), "-e", "error.log",
            *user, *args]  # fmt: skip


def render(text: str, upstreams: list[str], port: int) -> str:
    """Return ``text`` listening on loopback ``port``, proxying to ``upstreams``.

    Each upstream (``host:port``) takes the place of one ``server`` line of the
    ``upstream portal`` block, keeping that line's parameters (``max_fails``...);
    the first line's parameters serve for any extra upstream.

    :raise ValueError: when the text has no ``listen`` or no upstream servers.
    """
    block = _UPSTREAM.search(text)
    servers = _SERVER.findall(block.group(2)) if block else []
    if not servers or not _LISTEN.search(text):
        raise ValueError("the configuration has no listen line or no upstream server")
    comments = [
        line for line in block.group(2).splitlines() if line.strip().startswith("#")
    ]
    indent = servers[0][0]
    lines = [
        f"{indent}server {address}{servers[min(i, len(servers) - 1)][1]}"
        for i, address in enumerate(upstreams)
    ]
    body = "\n".join(comments + lines)
    text = text[: block.start(2)] + body + text[block.end(2) :]
    return _LISTEN.sub(rf"\1listen {HOST}:{port};", text, count=1)


@contextmanager
def balance(
    upstreams: list[str], workdir: Path, config: Path = REPLICAS
) -> Iterator[str]:
    """Run nginx with ``config`` in front of ``upstreams``; yield its base URL.

    :raise BalancerError: when ``nginx -t`` fails or nginx does not answer.
    """
    prefix = workdir / "nginx"
    (prefix / "tmp").mkdir(parents=True, exist_ok=True)
    port = free_port()
    conf = prefix / "nginx.conf"
    conf.write_text(render(config.read_text(), upstreams, port))
    check = subprocess.run(
        nginx_command(prefix, conf, "-t"), capture_output=True, text=True
    )
    if check.returncode != 0:
        raise BalancerError(f"nginx -t refused {config.name}: {check.stderr.strip()}")
    proc = subprocess.Popen(nginx_command(prefix, conf, "-g", "daemon off;"))
    base = f"http://{HOST}:{port}"
    try:
        try:
            wait_until_up(base, proc, timeout=30)
        except RuntimeError as exc:
            log = (prefix / "error.log").read_text(errors="replace")[-2000:]
            raise BalancerError(f"{exc}; nginx's error.log ends:\n{log}") from None
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)
