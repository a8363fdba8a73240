"""The ledger never blocks a build: lines that do not fit are skipped, by number.

Uses the small corpus of ``tests/corpus/reliability``.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.cli import cli
from indexer.permalinks.ledger import ledger_entries, ledger_path, update_ledger
from indexer.permalinks.schema import line_problem
from indexer.store.build import build, load_corpus
from tests.conftest import make_app

SMALL = Path(__file__).resolve().parents[2] / "corpus" / "reliability"
NEVER_ISSUED = "abcdefghij"
BAD_LINES = [
    {"id": NEVER_ISSUED},
    {"build": ["x"]},
    {"build": 5},
    {"build": ""},
    [1, 2],
    "a string",
    None,
    7,
    {"id": 7},
    {"id": NEVER_ISSUED, "build": "gen-x"},
    {"nothing": "here"},
    {"id": NEVER_ISSUED, "doc": "d", "text": "t", "first": "g", "last": "g",
     "status": "weird", "by": ""},
    {"id": NEVER_ISSUED, "doc": "d", "text": "t", "first": "g", "last": "g",
     "status": "moved", "by": ""},
    {"id": NEVER_ISSUED, "doc": "d", "text": "t", "first": "g", "last": "g",
     "status": "gone", "by": "", "position": "3"},
    {"id": NEVER_ISSUED, "doc": ["d"], "text": "t", "first": "g", "last": "g",
     "status": "gone", "by": ""},
    {"id": NEVER_ISSUED, "doc": "d", "text": "t", "first": "g", "last": "g",
     "status": ["live"], "by": ""},
]  # fmt: skip


@pytest.fixture
def small(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(SMALL, corpus)
    build(corpus, tmp_path / "index")
    return corpus, tmp_path / "index"


def _append(corpus: Path, *raw: bytes) -> int:
    """Append raw lines to the ledger; return the number of the first one."""
    path = ledger_path(corpus)
    first = len(path.read_bytes().split(b"\n"))
    with path.open("ab") as handle:
        handle.write(b"".join(line + b"\n" for line in raw))
    return first


@pytest.mark.parametrize("line", BAD_LINES, ids=[json.dumps(b)[:40] for b in BAD_LINES])
def test_a_line_that_does_not_fit_is_skipped_with_its_number(small, line):
    corpus, index = small
    before = ledger_entries(corpus)
    number = _append(corpus, json.dumps(line).encode())
    (corpus / "2021-05-05-note-body-worn-video.md").write_text(
        "# Body-worn video\n\nOfficers now record every stop.\n"
    )
    report = build(corpus, index)
    warnings = [str(p) for p in report.problems if p.source == "permalinks.jsonl"]
    assert len(warnings) == 1 and f"line {number}:" in warnings[0]
    after = ledger_entries(corpus)
    assert before.keys() <= after.keys()
    assert all(after[pid]["status"] == "live" for pid in before)
    assert NEVER_ISSUED not in after


def test_the_cli_prints_the_warning_and_the_build_succeeds(small):
    corpus, index = small
    number = _append(corpus, b'{"id":"abcdefghij"}', b"not json at all")
    result = CliRunner().invoke(
        cli, ["build", "--corpus", str(corpus), "--index", str(index), "--force"]
    )
    assert result.exit_code == 0, result.output
    assert f"permalinks.jsonl: warning: line {number}: a snapshot needs" in (
        result.output
    )
    assert f"line {number + 1}: not JSON; skipped" in result.output


def test_an_unknown_status_never_makes_an_unissued_id_gone(small):
    corpus, index = small
    line = {"id": NEVER_ISSUED, "doc": "d", "text": "t", "first": "g",
            "last": "g", "status": "archived", "by": ""}  # fmt: skip
    _append(corpus, json.dumps(line).encode())
    build(corpus, index, force=True)
    client = make_app(index, corpus).test_client()
    assert client.get(f"/p/{NEVER_ISSUED}").status_code == 404
    assert client.get(f"/api/passages/{NEVER_ISSUED}").status_code == 404


def test_a_status_written_as_gone_json_by_older_builds_still_means_gone(small):
    corpus, index = small
    line = {"id": NEVER_ISSUED, "doc": "d", "text": "An old passage.", "first": "g",
            "last": "g", "status": "gone.json", "by": ""}  # fmt: skip
    _append(corpus, json.dumps(line).encode())
    build(corpus, index, force=True)
    assert ledger_entries(corpus)[NEVER_ISSUED]["status"] == "gone"
    client = make_app(index, corpus).test_client()
    assert client.get(f"/p/{NEVER_ISSUED}").status_code == 410


def test_every_line_a_build_writes_fits_the_schema(small):
    corpus, _ = small
    for line in ledger_path(corpus).read_bytes().splitlines():
        assert line_problem(json.loads(line)) is None


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
    | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8,
)  # fmt: skip
FIELDS = ["id", "doc", "text", "first", "last", "status", "by", "to", "build",
          "before", "after", "position", "section", "score", "passages"]  # fmt: skip
SHAPED = st.dictionaries(
    st.sampled_from(FIELDS),
    JSON | st.sampled_from(["live", "moved", "gone", NEVER_ISSUED, "", "gen-x"]),
    min_size=1,
    max_size=len(FIELDS),
)
DOCUMENTS = load_corpus(SMALL, 10**8)[0]


@pytest.fixture(scope="module")
def base_ledger(tmp_path_factory) -> bytes:
    corpus = tmp_path_factory.mktemp("ledger")
    update_ledger(corpus, DOCUMENTS, "gen-first")
    return ledger_path(corpus).read_bytes()


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(JSON | SHAPED, min_size=1, max_size=6))
def test_random_json_lines_never_block_a_build_nor_lose_a_valid_id(base_ledger, values):
    with tempfile.TemporaryDirectory() as folder:
        corpus = Path(folder)
        with ledger_path(corpus).open("wb") as handle:
            handle.write(base_ledger)
            for value in values:
                handle.write(json.dumps(value).encode() + b"\n")
        before = {pid for pid, e in ledger_entries(corpus).items()}
        result = update_ledger(corpus, DOCUMENTS, "gen-second")
        after = ledger_entries(corpus)
        issued = {p.id for d in DOCUMENTS for p in d.passages}
        assert issued <= after.keys()
        assert all(after[pid]["status"] == "live" for pid in issued)
        assert before <= after.keys()
        assert not set(result.gone) & issued
        assert len(result.skipped) <= len(values)
