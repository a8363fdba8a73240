"""A build streams: what it holds at once never changes what it writes.

The build reads documents back through a bounded cache, appends the ledger in
batches and reads a long ledger a piece at a time; each bound is set to one
(document, line, byte) here and the result compared with holding everything.
"""

from __future__ import annotations

import json
import os

import pytest

import indexer.permalinks.ledger
import indexer.permalinks.state
import indexer.store.generation
from indexer.permalinks.ledger import first_builds, ledger_entries, ledger_path
from indexer.permalinks.state import load_state
from indexer.store.build import build, current_generation
from tests.edits import copy_corpus

# Every generation file a build writes beside Whoosh's segments, except the
# manifest (its times and checksums name the generation).
WRITTEN = (
    "documents.json",
    "columns.json",
    "vocabulary.json",
    "acronyms.json",
    "redirects.json",
    "gone.json",
    "revised.json",
    "first-seen.json",
    "findings.json",
)


def _written(index_dir):
    """Return the build's files and ledger lines with its generation name blanked."""
    generation = current_generation(index_dir)
    files = {}
    for name in WRITTEN:
        path = generation / name
        files[name] = path.read_text().replace(generation.name, "G")
    corpus = index_dir.parent / "corpus"
    lines = []
    for line in ledger_path(corpus).read_text().splitlines():
        record = json.loads(line.replace(generation.name, "G"))
        record.pop("at", None)
        lines.append(json.dumps(record, sort_keys=True))
    return files, sorted(lines)


@pytest.mark.slow
def test_a_build_holding_one_document_at_a_time_writes_what_one_holding_all_does(
    tmp_path, monkeypatch
):
    written = []
    for bound in (1, 10**9):
        monkeypatch.setattr(indexer.store.generation, "LOADED_DOCUMENTS", bound)
        monkeypatch.setattr(indexer.permalinks.ledger, "BATCH", bound)
        root = tmp_path / str(bound)
        corpus = copy_corpus(root / "corpus")
        report = build(corpus, root / "index", procs=2)
        assert report.passages > 0 and not report.problems
        written.append(_written(root / "index"))
    assert written[0] == written[1]
    assert json.loads(written[0][0]["first-seen.json"]).keys() == {"G"}


def _ledger(path):
    """Write a ledger: build A, a build killed before its record, a mangled line,
    build B retiring one of A's ids and bringing one back, and a torn tail."""

    def snap(pid, status, by, **extra):
        record = {"id": pid, "doc": "d", "text": f"text of {pid}", "first": "A"}
        return record | {"last": by, "status": status, "by": by} | extra

    lines = [
        snap("p1", "live", "A"),
        snap("p2", "live", "A"),
        snap("p3", "live", "A"),
        {"build": "A", "passages": 3},
        snap("p4", "live", "K", first="K"),  # K was killed: never applied
        "mangled by hand",
        snap("p2", "gone", "B", retired="B"),
        snap("p5", "live", "B", first="B"),
        {"build": "B", "passages": 3},
    ]
    text = "".join(
        (line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines
    )
    path.write_text(text + '{"id": "p6", "doc": "torn')
    return len(text.encode())


@pytest.fixture
def ledger(tmp_path):
    path = tmp_path / "corpus" / "permalinks.jsonl"
    path.parent.mkdir()
    good = _ledger(path)
    fd = os.open(path, os.O_RDONLY)
    yield fd, good
    os.close(fd)


def _state(fd):
    state, good = load_state(fd, None)
    loaded = {pid: state[pid] for pid in state}  # live ones read back by offset
    return good, state.last, state.skipped, state.live, state.offsets, loaded


def test_a_ledger_read_a_byte_at_a_time_gives_the_state_read_whole(ledger, monkeypatch):
    fd, good = ledger
    whole = _state(fd)
    monkeypatch.setattr(indexer.permalinks.state, "_CHUNK", 1)
    assert _state(fd) == whole
    assert whole[:4] == (good, "B", ["line 6: not JSON; skipped"], {"p1", "p3", "p5"})
    assert whole[5]["p2"]["status"] == "gone" and "p4" not in whole[5]


def test_first_builds_are_the_ledger_entries_first_builds(ledger, tmp_path):
    corpus = tmp_path / "corpus"
    entries = ledger_entries(corpus)
    wanted = {"p1", "p2", "p5", "p4", "never"}
    assert first_builds(corpus, wanted) == {
        pid: entries[pid]["first"] for pid in wanted if pid in entries
    }
    assert first_builds(tmp_path / "elsewhere", wanted) == {}
