"""Connections that never finish a request: idle ones and slowloris ones.

An idle client connects and sends nothing; a slowloris client sends a request
line and then one header every ``interval`` seconds, never the blank line that
ends the headers. Either kind, reconnected whenever the server drops it, is what
froze the portal's sync workers. :class:`SlowClients` holds some of each open
while other traffic runs, for the load test and the tests.
"""

from __future__ import annotations

import socket
import threading


class SlowClients:
    """Hold ``idle`` idle and ``slowloris`` slowloris connections to host:port."""

    def __init__(
        self,
        host: str,
        port: int,
        idle: int = 0,
        slowloris: int = 0,
        interval: float = 1.0,
    ):
        self.address = (host, port)
        self.kinds = ["idle"] * idle + ["slowloris"] * slowloris
        self.interval = interval
        self.sockets: list[socket.socket | None] = [None] * len(self.kinds)
        self.connects = 0  # connections opened, reconnections included
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _open(self, n: int) -> None:
        """(Re)open connection ``n`` and send what its kind sends first."""
        sock = socket.create_connection(self.address, timeout=5)
        self.connects += 1
        if self.kinds[n] == "slowloris":
            sock.sendall(b"GET /search?q=police HTTP/1.1\r\nHost: localhost\r\n")
        self.sockets[n] = sock

    def _tick(self, n: int, beat: int) -> None:
        """Keep connection ``n`` open: one more header for a slowloris one."""
        sock = self.sockets[n]
        try:
            if sock is None:
                self._open(n)
            elif self.kinds[n] == "slowloris":
                sock.sendall(f"X-Slow-{beat}: {beat}\r\n".encode())
        except OSError:  # dropped by the server: come back, as an attacker would
            if sock is not None:
                sock.close()
            self.sockets[n] = None

    def _run(self) -> None:
        beat = 0
        while not self._stop.wait(self.interval):
            beat += 1
            for n in range(len(self.kinds)):
                self._tick(n, beat)

    def __enter__(self) -> SlowClients:
        for n in range(len(self.kinds)):
            self._open(n)
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        self._thread.join(timeout=30)
        for sock in self.sockets:
            if sock is not None:
                sock.close()

    @property
    def held(self) -> int:
        """Return how many of the connections are open now."""
        return sum(s is not None for s in self.sockets)
