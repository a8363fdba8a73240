"""The findings fixture corpus (tests/corpus/findings), indexed once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.store.build import build
from tests.findings.helpers import copy_corpus, read_findings


@pytest.fixture(scope="session")
def findings_corpus(tmp_path_factory) -> Path:
    return copy_corpus(tmp_path_factory.mktemp("fcorpus") / "corpus")


@pytest.fixture(scope="session")
def findings_index(findings_corpus, tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("findex") / "index"
    build(findings_corpus, target)
    return target


@pytest.fixture(scope="session")
def fixture_findings(findings_index) -> list[dict]:
    return read_findings(findings_index)["findings"]
