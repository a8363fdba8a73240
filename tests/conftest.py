"""Shared fixtures: the seed corpus indexed once per session, and an app over it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.store.build import DERIVED, build, load_corpus
from portal import create_app

ROOT = Path(__file__).resolve().parent.parent
SEED_CORPUS = ROOT / "corpus"
LETTER_2023 = "2023-07-18-mopac-letter-serious-organised-crime-inspection"
LETTER_2022 = "2022-11-18-mopac-letter-peel-2021-22-metropolitan-police"
LETTER_2017 = "2017-03-17-mopac-letter-police-and-crime-plan-committee-response"
LETTER_2016 = "2016-02-23-mopac-letter-regional-organised-crime-units"
REPORT_2023 = "2023-05-19-hmicfrs-report-london-serious-organised-crime"


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory) -> Path:
    """A copy of the seed corpus, so no test can write into the real one."""
    target = tmp_path_factory.mktemp("corpus") / "corpus"
    shutil.copytree(SEED_CORPUS, target)
    return target


@pytest.fixture(scope="session")
def index_dir(corpus_dir, tmp_path_factory) -> Path:
    """The seed corpus indexed once for the whole session."""
    target = tmp_path_factory.mktemp("index") / "index"
    build(corpus_dir, target)
    return target


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
def revised_index(corpus_dir, index_dir, tmp_path_factory) -> tuple[Path, Path, list]:
    """The seed index rebuilt after a date correction and a deleted paragraph.

    Returns the corpus, the index and the 2023 letter's passages before the edits.
    Shared by the reader's and the browser's tests; nothing may write to it.
    """
    from tests.edits import correct_date, passages_of, remove_paragraph

    root = tmp_path_factory.mktemp("revised")
    corpus, index = root / "corpus", copy_index(index_dir, root / "index")
    shutil.copytree(corpus_dir, corpus)  # with the ledger the session build wrote
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
