"""Shared fixtures: the seed corpus indexed once per session, and an app over it.

The seed corpus is built once per run (``seed_build``); every other index a test
needs of it is a copy (``index_dir``, ``seed_copy``, ``copy_index``), which takes a
fraction of a second. Tests that are about building build for themselves.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import coverage
import pytest
from click.testing import CliRunner

from indexer.permalinks.ledger import LEDGER
from indexer.store.build import DERIVED, build, load_corpus
from portal import create_app

ROOT = Path(__file__).resolve().parent.parent
SEED_CORPUS = ROOT / "corpus"
LETTER_2023 = "2023-07-18-mopac-letter-serious-organised-crime-inspection"
LETTER_2022 = "2022-11-18-mopac-letter-peel-2021-22-metropolitan-police"
LETTER_2017 = "2017-03-17-mopac-letter-police-and-crime-plan-committee-response"
LETTER_2016 = "2016-02-23-mopac-letter-regional-organised-crime-units"
REPORT_2023 = "2023-05-19-hmicfrs-report-london-serious-organised-crime"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    """Run the slow tests untraced when coverage is on (``make test``).

    Tracing doubles the time of pure-Python work such as index builds (measured:
    4.9 s of CPU became 9.9 s), and the slow tests are four fifths of the run, so
    coverage is that of the quick tests, whose code the slow ones also run.
    pytest-cov's controller is paused for the test's setup, call and teardown,
    in this process or in an xdist worker alike.
    """
    controller = _coverage(item.config) if item.get_closest_marker("slow") else None
    paused = controller is not None and controller.started
    if paused:
        controller.pause()
    # In an xdist worker a second Coverage still traced after the pause: stop it too.
    stopped = []
    while paused and (running := coverage.Coverage.current()) is not None:
        running.stop()
        stopped.append(running)
    try:
        yield
    finally:
        for running in reversed(stopped):
            running.start()
        if paused:
            controller.resume()


def _coverage(config):
    """Return pytest-cov's running controller, or None when coverage is off."""
    plugin = config.pluginmanager.getplugin("_cov")
    return getattr(plugin, "cov_controller", None)


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory) -> tuple[Path, Path]:
    """The seed corpus and its index, built once per run: the one full build.

    Never handed to a test to read or write: ``corpus_dir``, ``index_dir`` and
    ``seed_copy`` are copies of it, so what one test writes (the portal's derived
    files, ledger lines of another build) cannot change what another starts from.
    """
    root = tmp_path_factory.mktemp("seed-build")
    corpus, index = root / "corpus", root / "index"
    # A developer's `make run` leaves a ledger in corpus/; tests start without one.
    shutil.copytree(SEED_CORPUS, corpus, ignore=shutil.ignore_patterns(LEDGER))
    build(corpus, index)
    return corpus, index


@pytest.fixture(scope="session")
def corpus_dir(seed_build, tmp_path_factory) -> Path:
    """A copy of the seed corpus with its build's ledger, shared: copy it to edit it."""
    target = tmp_path_factory.mktemp("corpus") / "corpus"
    shutil.copytree(seed_build[0], target)
    return target


@pytest.fixture(scope="session")
def index_dir(seed_build, tmp_path_factory) -> Path:
    """The seed corpus's index, built once for the whole session; shared."""
    return copy_index(seed_build[1], tmp_path_factory.mktemp("index") / "index")


@pytest.fixture
def seed_copy(seed_build, tmp_path) -> tuple[Path, Path]:
    """This test's own copy of the built seed corpus: ``tmp_path``/corpus and /index.

    For a test that edits the corpus and rebuilds: its first build finds the
    index up to date, where building it would take seconds.
    """
    return copy_seed(seed_build, tmp_path)


def copy_seed(seed_build: tuple[Path, Path], root: Path) -> tuple[Path, Path]:
    """Copy the built seed corpus to ``root``/corpus and /index; return both."""
    corpus = root / "corpus"
    shutil.copytree(seed_build[0], corpus)
    return corpus, copy_index(seed_build[1], root / "index")


@pytest.fixture(scope="session")
def seed_counts(corpus_dir) -> tuple[int, int]:
    """Return (documents, passages) of the seed corpus as the parser makes them.

    Read from the files with the indexer's parser, not from the index: every count
    the portal or the CLI reports for the whole seed corpus must equal these (every
    passage parsed is indexed once). Pinning the numbers instead (5 and 246 today)
    would break on every change to the segmentation rules without saying why.
    """
    documents, _ = load_corpus(corpus_dir, 10**8)
    return len(documents), sum(len(d.passages) for d in documents)


@pytest.fixture(scope="session")
def revised_index(seed_build, tmp_path_factory) -> tuple[Path, Path, list]:
    """The seed index rebuilt after a date correction and a deleted paragraph.

    Returns the corpus, the index and the 2023 letter's passages before the edits.
    Shared by the reader's and the browser's tests; nothing may write to it.
    """
    from tests.edits import correct_date, passages_of, remove_paragraph

    root = tmp_path_factory.mktemp("revised")
    corpus, index = root / "corpus", copy_index(seed_build[1], root / "index")
    shutil.copytree(seed_build[0], corpus)  # with the ledger of the seed build
    before = passages_of(corpus, LETTER_2023)
    correct_date(corpus)
    remove_paragraph(corpus)
    assert build(corpus, index).incremental
    return corpus, index, before


def copy_index(index_dir: Path, target: Path) -> Path:
    """Copy a built index to ``target`` and return it, for a test to rebuild or break.

    Copying the session's index takes a fraction of a second where a build of the
    seed corpus takes seconds. What the portal derived from it at run time is left
    out, so the copy does not depend on which tests ran before.
    """
    shutil.copytree(index_dir, target, ignore=shutil.ignore_patterns(DERIVED))
    return target


def make_app(index_dir: Path, corpus_dir: Path, **overrides):
    """Return a testing app over ``index_dir`` with any setting overridden."""
    config = {
        "TESTING": True,
        "INDEX_DIR": str(index_dir),
        "CORPUS_DIR": str(corpus_dir),
    }
    return create_app(config | overrides)


@pytest.fixture
def app(index_dir, corpus_dir):
    return make_app(index_dir, corpus_dir)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner():
    return CliRunner()
