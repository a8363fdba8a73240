"""Atomic, hot re-index: swaps under load, builds killed at any moment, make index.

The portal reads the small ``CURRENT`` file on every request, so a finished build
is served by the very next request, with no restart and no failed request. A build
killed with SIGKILL leaves the served generation untouched; its lock dies with it
and the next build removes what it left.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from werkzeug.serving import make_server
from whoosh import index as whoosh_index

from indexer.store.build import build, current_generation, read_manifest
from portal.index.generation import Generation
from tests.conftest import LETTER_2016, ROOT, SEED_CORPUS, make_app
from tools.harness import free_port, wait_until_up

pytestmark = pytest.mark.slow
URLS = [
    "/api/search?q=custody",
    "/api/search?q=serious+organised+crime&year=2023",
    "/api/search?force=BTP",
    "/search?q=victims",
    "/api/documents",
    "/healthz",
    "/",
]


def _add_document(corpus: Path, n: int) -> None:
    """Add a new, distinct document so the next build changes what is served."""
    text = (SEED_CORPUS / f"{LETTER_2016}.txt").read_text()
    (corpus / f"added-{n}.txt").write_text(text + f"\n\nAddendum number {n}.\n")


@pytest.fixture
def served(tmp_path):
    """A copy of the seed corpus, built once, served by a threaded live server."""
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(SEED_CORPUS, corpus)
    build(corpus, index)
    app = make_app(index, corpus)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield corpus, index, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=20) as response:
        return response.status, response.read()


def _health(base: str) -> dict:
    return json.loads(_get(base + "/healthz")[1])


def test_rebuilds_swap_in_under_concurrent_requests_with_no_failure(served):
    corpus, index, base = served
    failures, counts = [], []
    stop = threading.Event()

    def client(seed: int) -> None:
        rng, done = random.Random(seed), 0
        while not stop.is_set():
            url = base + rng.choice(URLS)
            try:
                status, _body = _get(url)
                if status != 200:
                    failures.append((url, status))
            except Exception as exc:  # every failure is recorded, none hidden
                failures.append((url, repr(exc)))
            done += 1
        counts.append(done)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    versions = [_health(base)["index_version"]]
    try:
        for n in range(3):
            _add_document(corpus, n)
            # In its own process, as `make index` runs it beside a serving portal.
            subprocess.run(
                [sys.executable, "-m", "indexer", "build", "--corpus", str(corpus),
                 "--index", str(index), "--quiet"],
                cwd=ROOT, check=True, capture_output=True, timeout=120,
            )  # fmt: skip
            generation = current_generation(index).name
            # The very next request is answered from the new generation.
            health = _health(base)
            assert health["index_version"] == generation
            assert health["documents"] == 6 + n
            versions.append(generation)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    assert not failures, failures[:5]
    assert sum(counts) >= 8 * 3, counts
    assert len(set(versions)) == 4
    # Only the served generation and the one before it are kept.
    assert sorted(p.name for p in index.glob("gen-*")) == sorted(versions[-2:])


def _build_process(corpus: Path, index: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "indexer", "build", "--corpus", str(corpus),
         "--index", str(index), "--force", "--quiet"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def _kill_when(proc: subprocess.Popen, ready) -> bool:
    """SIGKILL ``proc`` as soon as ``ready()`` is true; False if it finished first."""
    while proc.poll() is None:
        if ready():
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            return True
        time.sleep(0.0005)
    return False


def _assert_serving_intact(index: Path, corpus: Path, generations: set[str]) -> str:
    generation = current_generation(index)
    assert generation is not None and generation.name in generations
    manifest = read_manifest(generation)
    with whoosh_index.open_dir(str(generation)).searcher() as searcher:
        assert searcher.doc_count() == manifest["passages"]
    client = make_app(index, corpus).test_client()
    assert client.get("/healthz").get_json()["index_version"] == generation.name
    assert client.get("/api/search?q=custody").get_json()["total"] > 0
    return generation.name


def _files(directory: Path) -> list[Path]:
    """List ``directory``, or nothing when the build has just renamed it."""
    try:
        return list(directory.iterdir())
    except FileNotFoundError:
        return []


@pytest.fixture
def slow_corpus(tmp_path):
    """Two copies of the seed corpus, so one build lasts a few seconds."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in range(2):
        for path in SEED_CORPUS.glob("*.txt"):
            text = path.read_text() + f"\n\nCopy {n} for the build test.\n"
            (corpus / f"{path.stem}-{n}.txt").write_text(text)
    return corpus


def test_a_build_killed_at_any_moment_leaves_the_served_index_intact(
    slow_corpus, tmp_path
):
    corpus, index = slow_corpus, tmp_path / "index"
    started = time.monotonic()
    proc = _build_process(corpus, index)
    assert proc.wait() == 0
    duration = time.monotonic() - started
    served = {current_generation(index).name}

    def tmp_dirs() -> list[Path]:
        return list(index.glob(".tmp-*"))

    moments = {
        "as the new generation is created": lambda: bool(tmp_dirs()),
        "while Whoosh writes segments": lambda: any(
            f.suffix in (".seg", ".toc") for d in tmp_dirs() for f in _files(d)
        ),
        "after the rename, around the swap": lambda: bool(
            set(p.name for p in index.glob("gen-*")) - served
        ),
    }
    rng = random.Random(20261122)
    # Up to 0.75 of the first build's time: later builds are warm and quicker.
    delays = {f"at random point {n}": rng.uniform(0.1, 0.75) for n in range(3)}
    delays["while reading the corpus"] = 0.4
    killed = []
    for moment in [*moments, *delays]:
        proc = _build_process(corpus, index)
        if moment in delays:
            deadline = time.monotonic() + delays[moment] * duration
            ready = lambda deadline=deadline: time.monotonic() >= deadline  # noqa: E731
        else:
            ready = moments[moment]
        if _kill_when(proc, ready):
            killed.append(moment)
        # A build that slipped through the kill is fine too: it swapped in whole.
        served |= {p.name for p in index.glob("gen-*")}
        _assert_serving_intact(index, corpus, served)
    # A build may finish between two polls under load; most must still be killed.
    assert len(killed) >= 4, killed

    result = subprocess.run(
        [sys.executable, "-m", "indexer", "build", "--corpus", str(corpus),
         "--index", str(index), "--force"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "another build" not in result.stdout + result.stderr
    name = _assert_serving_intact(index, corpus, {current_generation(index).name})
    assert name in result.stdout
    assert not list(index.glob(".tmp-*"))
    assert len(list(index.glob("gen-*"))) <= 2


def test_a_second_build_while_one_runs_fails_with_a_clear_message(
    slow_corpus, tmp_path
):
    index = tmp_path / "index"
    first = _build_process(slow_corpus, index)
    try:
        while first.poll() is None and not (index / "build.lock").exists():
            time.sleep(0.001)
        while first.poll() is None and not list(index.glob(".tmp-*")):
            time.sleep(0.001)
        second = subprocess.run(
            [sys.executable, "-m", "indexer", "build", "--corpus",
             str(slow_corpus), "--index", str(index)],
            cwd=ROOT, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
    finally:
        assert first.wait(timeout=120) == 0
    assert second.returncode == 1
    assert f"another build (pid {first.pid}) is writing" in second.stderr


def test_make_index_works_while_make_run_serves_the_same_index(tmp_path):
    if not shutil.which("make"):
        pytest.skip("make is not installed")
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(SEED_CORPUS, corpus)
    port = free_port()
    # -o: the test's own environment is installed already; BIN points make at it.
    make = ["make", "-s", "-C", str(ROOT), "-o", ".venv/.installed",
            f"BIN={Path(sys.executable).parent}", f"CORPUS={corpus}",
            f"INDEX={index}"]  # fmt: skip
    log = (tmp_path / "make-run.log").open("w")
    run = subprocess.Popen(
        [*make, "run", f"PORT={port}"],
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, timeout=60)
        before = _health(base)
        _add_document(corpus, 1)
        result = subprocess.run(
            [*make, "index"], capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 0, result.stdout + result.stderr
        assert "6 documents" in result.stdout
        after = [_health(base) for _ in range(4)]  # both gunicorn workers answer
        assert {h["index_version"] for h in after} == {current_generation(index).name}
        assert before["index_version"] != after[0]["index_version"]
        assert {h["documents"] for h in after} == {6}
    finally:
        os.killpg(run.pid, signal.SIGTERM)
        run.wait(timeout=30)
        log.close()


def test_a_generation_pruned_while_being_opened_is_retried_on_the_new_one(
    tmp_path, monkeypatch
):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(SEED_CORPUS, corpus)
    old = build(corpus, index).generation
    new = build(corpus, index, force=True).generation
    (index / "CURRENT").write_text(old)
    original = Generation.open.__func__
    opened = []

    def open_racing_a_build(cls, path):
        # The first open loses the race: a build swaps CURRENT and prunes the old.
        opened.append(path.name)
        if len(opened) == 1:
            (index / "CURRENT").write_text(new)
            raise FileNotFoundError(path / "_MAIN_1.toc")
        return original(cls, path)

    monkeypatch.setattr(Generation, "open", classmethod(open_racing_a_build))
    response = make_app(index, corpus).test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["index_version"] == new
    assert opened == [old, new]


def test_a_generation_that_cannot_be_read_answers_503_saying_to_rebuild(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(SEED_CORPUS, corpus)
    generation = build(corpus, index).generation
    for toc in (index / generation).glob("*.toc"):
        toc.unlink()
    response = make_app(index, corpus).test_client().get("/api/search?q=custody")
    assert response.status_code == 503
    assert "rebuild it with `make index`" in response.get_json()["error"]["message"]
