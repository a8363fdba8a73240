"""Replica drill: two replicas behind nginx, a new generation shipped under load.

What ``make replicas`` runs and ``tests/tools/test_replicas.py`` checks, on loopback
in a temporary folder: a build host builds an index of a copy of the corpus; the
generation is shipped to two replica folders (:mod:`tools.ship`); each replica is
a gunicorn portal over its own folder (:mod:`tools.harness`); nginx runs
``deploy/nginx-replicas.conf`` in front of both (:mod:`tools.balancer`). Clients
send searches through nginx, paced under its per-address limit, while the build
host adds a paragraph holding a word no document had, builds again and ships the
new generation to both replicas. The drill reports every failed request, what the
new word found before and after the swap, and what each replica then serves::

    python -m tools.replicas --corpus corpus
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from indexer.store.layout import current_generation
from tools.balancer import balance
from tools.harness import ROOT, serve
from tools.loadtest import fetch
from tools.ship import ship, source_generation

NEW_WORD = "quillworts"  # in no document until the drill adds it
PATHS = ["/api/search?q=custody", "/search?q=fraud", "/healthz", "/api/documents"]
RATE = 12.0  # requests a second through nginx, all clients together: under its 20


@dataclass
class Drill:
    """What the clients saw through nginx, and what the replicas served at the end."""

    requests: int = 0
    failures: list[str] = field(default_factory=list)
    # (sent, answered, matches) of each search for the new word, from the start.
    new_word: list[tuple[float, float, int]] = field(default_factory=list)
    shipped_at: tuple[float, float] = (0.0, 0.0)  # the ship began, ended
    generations: tuple[str, str] = ("", "")  # before, after
    replicas: dict[str, dict] = field(default_factory=dict)  # base: what it says
    lock: threading.Lock = field(default_factory=threading.Lock)

    def problems(self) -> list[str]:
        """Return why the drill failed; empty when it passed."""
        began, ended = self.shipped_at
        before = [n for _sent, done, n in self.new_word if done < began]
        after = [n for sent, _done, n in self.new_word if sent > ended]
        found = []
        if self.failures or not self.requests:
            found.append(f"{len(self.failures)} of {self.requests} requests failed")
        if not before or any(before):
            found.append(f"{NEW_WORD!r} was not searched, or found, before the ship")
        if not after or not all(after):
            found.append(f"{NEW_WORD!r} was not searched, or missed, after the ship")
        for base, info in self.replicas.items():
            if info["index_version"] != self.generations[1] or not info["found"]:
                found.append(f"{base} serves {info['index_version']} without it")
        if len(self.replicas) < 2:
            found.append("a replica was not asked what it serves")
        return found


def _matches(body: bytes) -> int:
    return int(json.loads(body)["total"])


def _client(base: str, drill: Drill, start: float, pace, stop: threading.Event):
    """Send requests through ``base`` until ``stop``, recording each outcome."""
    paths = [*PATHS, "/api/search?" + urllib.parse.urlencode({"q": NEW_WORD})]
    n = 0
    while not stop.is_set():
        pace()
        path = paths[n % len(paths)]
        n += 1
        sent = time.monotonic() - start
        try:
            status, body = fetch(base + path, timeout=30)
            error = None if status == 200 else f"{status} {path}"
        except Exception as exc:  # a refused or reset connection is a failure too
            status, body, error = 0, b"", f"{type(exc).__name__}: {exc} {path}"
        answered = time.monotonic() - start
        with drill.lock:
            drill.requests += 1
            if error:
                drill.failures.append(f"{sent:.2f}s {error}")
            elif NEW_WORD in path:
                drill.new_word.append((sent, answered, _matches(body)))


def _pacer(rate: float):
    """Return a function that waits for the next of ``rate`` slots a second."""
    lock, slot = threading.Lock(), [time.monotonic()]

    def pace() -> None:
        with lock:
            now = time.monotonic()
            at = max(slot[0], now)
            slot[0] = at + 1 / rate
        time.sleep(at - now)

    return pace


def _build(corpus: Path, index: Path) -> None:
    """Build and warm as ``make index`` does: the build host's part of the recipe."""
    env = os.environ | _env(index, corpus)
    for command in (
        ["-m", "indexer", "build", "--corpus", str(corpus), "--index", str(index)],
        ["-m", "flask", "--app", "portal:create_app()", "warm"],
    ):
        subprocess.run(
            [sys.executable, *command], cwd=ROOT, env=env, check=True,
            capture_output=True,
        )  # fmt: skip


def add_paragraph(corpus: Path) -> Path:
    """Add a paragraph holding :data:`NEW_WORD` to the corpus's first text file.

    It goes after the document's longest paragraph, which is body text whatever
    the document's kind (after a sign-off it would be dropped as its noise).

    :raise ValueError: when the corpus has no ``.txt`` document.
    """
    texts = sorted(corpus.glob("*.txt"))
    if not texts:
        raise ValueError(f"{corpus} has no .txt document to edit")
    paragraphs = texts[0].read_text().split("\n\n")
    longest = max(range(len(paragraphs)), key=lambda i: len(paragraphs[i]))
    added = f"A survey of {NEW_WORD} on the estate was reported by the drill."
    paragraphs.insert(longest + 1, added)
    texts[0].write_text("\n\n".join(paragraphs))
    return texts[0]


def _replica_states(bases: list[str]) -> dict[str, dict]:
    """Ask each replica directly what it serves and whether it finds the new word."""
    states = {}
    for base in bases:
        health = json.loads(fetch(base + "/healthz")[1])
        _, body = fetch(base + "/api/search?" + urllib.parse.urlencode({"q": NEW_WORD}))
        states[base] = health | {"found": _matches(body)}
    return states


def drill(corpus: Path, workdir: Path, clients: int = 4, settle: float = 2.0) -> Drill:
    """Run the drill in ``workdir`` over a copy of ``corpus``; return what it saw.

    :param settle: seconds of traffic before the edit and after the ship.
    """
    build_corpus, build_index = workdir / "build/corpus", workdir / "build/index"
    shutil.copytree(corpus, build_corpus)
    _build(build_corpus, build_index)
    replicas = [workdir / name for name in ("replica-a", "replica-b")]
    ship(source_generation(build_index), [str(r / "index") for r in replicas], 0)
    for replica in replicas:  # originals and themes.toml, shipped like the index
        shutil.copytree(build_corpus, replica / "corpus")
    result, stop = Drill(), threading.Event()
    with ExitStack() as stack:
        servers = [serve(_env(r / "index", r / "corpus"), workers=1) for r in replicas]
        bases = [stack.enter_context(server)[0] for server in servers]
        upstreams = [b.removeprefix("http://") for b in bases]
        base = stack.enter_context(balance(upstreams, workdir))
        start, pace = time.monotonic(), _pacer(RATE)
        threads = [
            threading.Thread(target=_client, args=(base, result, start, pace, stop))
            for _ in range(clients)
        ]
        for thread in threads:
            thread.start()
        try:
            time.sleep(settle)
            before = current_generation(build_index).name
            add_paragraph(build_corpus)
            _build(build_corpus, build_index)
            began = time.monotonic() - start
            generation = source_generation(build_index)
            ship(generation, [str(r / "index") for r in replicas], grace=settle / 2)
            result.shipped_at = (began, time.monotonic() - start)
            result.generations = (before, generation.name)
            result.replicas = _replica_states(bases)
            time.sleep(settle)
        finally:
            stop.set()
            for thread in threads:
                thread.join()
    return result


def _env(index: Path, corpus: Path) -> dict[str, str]:
    return {"OVERSIGHT_INDEX_DIR": str(index), "OVERSIGHT_CORPUS_DIR": str(corpus)}


def main(argv: list[str] | None = None) -> int:
    """Run the drill on a copy of ``--corpus`` and print what it saw; 1 on failure."""
    parser = argparse.ArgumentParser(
        prog="python -m tools.replicas", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--corpus", type=Path, default=Path("corpus"), help="corpus folder to copy"
    )
    parser.add_argument("--clients", type=int, default=4, help="client threads")
    parser.add_argument(
        "--settle", type=float, default=3.0, help="seconds of traffic around the ship"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="replicas-") as tmp:
        result = drill(args.corpus, Path(tmp), args.clients, args.settle)
    before, after = result.generations
    print(f"{result.requests} requests through nginx, {len(result.failures)} failed")
    seconds = result.shipped_at[1] - result.shipped_at[0]
    print(f"shipped {after} (was {before}) to both replicas: {seconds:.1f}s to copy,")
    print(f"  swap, wait {args.settle / 2:g}s of grace and prune")
    for base, info in result.replicas.items():
        version, found = info["index_version"], info["found"]
        print(f"  {base}: serves {version}, {NEW_WORD!r} found in {found} passages")
    for line in result.failures[:10] + result.problems():
        print(f"  FAILED: {line}")
    return 1 if result.problems() else 0


if __name__ == "__main__":
    sys.exit(main())
