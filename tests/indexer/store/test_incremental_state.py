"""What lets an update skip the unchanged: stat signatures, the ledger checkpoint,
the cached parses and the folding of update segments."""

from __future__ import annotations

import json
import os
import shutil
import time

import pytest
from whoosh import index as whoosh_index

import indexer.source.scan
from indexer.analysis.schema import build_schema
from indexer.permalinks.ledger import ledger_path
from indexer.permalinks.resolution import read_resolution
from indexer.permalinks.state import CHECKPOINT
from indexer.source.corpus import RawDocument, read_corpus
from indexer.store.build import build, current_generation, load_corpus
from indexer.store.fields import passage_fields
from indexer.store.writer import REPEATED_FIELDS, segment_count, write_full
from tests.conftest import LETTER_2016, LETTER_2022, LETTER_2023, REPORT_2023
from tests.indexer.store.test_incremental import edit

# Each test builds the seed corpus two or more times.
pytestmark = pytest.mark.slow


def raws_of(corpus):
    """Return the raw documents of ``corpus``."""
    return [r for r in read_corpus(corpus, 10**8) if isinstance(r, RawDocument)]


@pytest.fixture
def corpus(tmp_path, corpus_dir):
    """A copy of the seed corpus whose files were last modified an hour ago."""
    target = tmp_path / "corpus"
    shutil.copytree(corpus_dir, target)
    age(target)
    return target


def age(corpus, seconds=3600, names=None):
    """Set the files' modification time ``seconds`` into the past."""
    past = time.time_ns() - seconds * 10**9
    for path in corpus.iterdir():
        if names is None or path.name in names:
            os.utime(path, ns=(past, past))


@pytest.fixture
def reads(monkeypatch):
    """Record the document files the scan reads."""
    seen = []
    original = indexer.source.scan.read_body

    def read_body(path, max_bytes):
        seen.append(path.name)
        return original(path, max_bytes)

    monkeypatch.setattr(indexer.source.scan, "read_body", read_body)
    return seen


def test_a_second_build_reads_no_unchanged_document(corpus, tmp_path, reads):
    build(corpus, tmp_path / "ix")
    assert len(set(reads)) == 5
    edit(corpus)
    # Only the edited file: setting a time changes the change time as well.
    age(corpus, 60, {f"{LETTER_2016}.txt"})
    reads.clear()
    assert build(corpus, tmp_path / "ix").incremental
    # Once to list it, once to parse it.
    assert reads == [f"{LETTER_2016}.txt"] * 2


def test_a_file_rewritten_with_the_same_size_and_time_is_still_seen(corpus, tmp_path):
    first = build(corpus, tmp_path / "ix")
    path = corpus / f"{LETTER_2016}.txt"
    st = path.stat()
    text = path.read_text()
    changed = text.replace("sincerely", "Sincerely", 1)
    assert changed != text and len(changed) == len(text)
    path.write_text(changed)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # as `cp -p` would leave it
    second = build(corpus, tmp_path / "ix")
    assert not second.up_to_date and second.generation != first.generation


def test_a_file_changed_within_the_racy_window_is_read_again(
    corpus, tmp_path, monkeypatch, reads
):
    # A file system whose clock ticks once a second: a change in the same tick
    # keeps size and times, so only the racy rule can see it.
    path = corpus / f"{LETTER_2016}.txt"
    build(corpus, tmp_path / "ix")
    signature = indexer.source.scan._signature
    monkeypatch.setattr(
        indexer.source.scan, "_signature", lambda st: signature(st)[:2] + (st.st_size,)
    )
    now = time.time_ns()
    os.utime(path, ns=(now, now))
    build(corpus, tmp_path / "ix", force=True)  # reads the file in the same tick
    reads.clear()
    text = path.read_text()
    path.write_text(text.replace("sincerely", "Sincerely", 1))
    os.utime(path, ns=(now, now))
    report = build(corpus, tmp_path / "ix")
    assert f"{LETTER_2016}.txt" in reads
    assert not report.up_to_date


@pytest.mark.parametrize(
    "change", ["edit letter", "remove letter", "remove report", "add report twice"]
)
def test_an_update_writes_the_documents_a_full_rebuild_writes(
    seed_copy, tmp_path, change
):
    corpus, index = seed_copy  # built already: only the update and a full build
    age(corpus)
    index.rename(tmp_path / "ix")
    assert build(corpus, tmp_path / "ix").up_to_date
    if change == "edit letter":
        edit(corpus)
    elif change == "remove letter":
        (corpus / f"{LETTER_2023}.txt").unlink()
    elif change == "remove report":
        (corpus / f"{REPORT_2023}.txt").unlink()
    else:
        # The report comes back under another name: the letter answers it again.
        (corpus / f"{REPORT_2023}.txt").rename(tmp_path / "report.txt")
        assert build(corpus, tmp_path / "ix").incremental
        shutil.copy(tmp_path / "report.txt", corpus / f"{REPORT_2023}-copy.txt")
    assert build(corpus, tmp_path / "ix").incremental
    assert not build(corpus, tmp_path / "full", force=True).incremental
    updated = current_generation(tmp_path / "ix")
    full = current_generation(tmp_path / "full")
    assert (updated / "documents.json").read_text() == (
        full / "documents.json"
    ).read_text()
    answers = {
        d["id"]: d["answers"]
        for d in json.loads((updated / "documents.json").read_text())
    }
    expected = {
        "edit letter": REPORT_2023,
        "remove report": None,
        "add report twice": f"{REPORT_2023}-copy",
    }
    if change in expected:
        assert answers[LETTER_2023] == expected[change]
    else:
        assert LETTER_2023 not in answers


def test_many_updates_keep_the_segments_few_and_the_rows_right(corpus, tmp_path):
    build(corpus, tmp_path / "ix", procs=2)
    for n in range(10):
        edit(corpus, LETTER_2022 + ".txt" if n % 2 else LETTER_2016 + ".txt", f" N{n}.")
        assert build(corpus, tmp_path / "ix").incremental
    generation = current_generation(tmp_path / "ix")
    assert segment_count(generation) <= 3
    columns = json.loads((generation / "columns.json").read_text())
    with whoosh_index.open_dir(str(generation)).searcher() as searcher:
        stored = {n: f["id"] for n, f in searcher.iter_docs()}
        assert columns["size"] == searcher.doc_count_all()
    assert {n: i for n, i in enumerate(columns["ids"]) if i} == stored


def test_the_ledger_checkpoint_gives_the_state_a_full_read_gives(corpus, tmp_path):
    build(corpus, tmp_path / "ix")
    edit(corpus)
    build(corpus, tmp_path / "ix")
    assert (tmp_path / "ix" / CHECKPOINT).exists()
    lines = ledger_path(corpus).read_bytes()
    edit(corpus, extra=" A second correction.")
    with_checkpoint = build(corpus, tmp_path / "ix")
    maps = read_resolution(current_generation(tmp_path / "ix"))
    tail = ledger_path(corpus).read_bytes()[len(lines) :]
    # The same build again, without the checkpoint: the same lines and maps.
    ledger_path(corpus).write_bytes(lines)
    (tmp_path / "ix" / CHECKPOINT).unlink()
    shutil.rmtree(tmp_path / "again", ignore_errors=True)
    shutil.copytree(tmp_path / "ix", tmp_path / "again")
    without = build(corpus, tmp_path / "again", force=True)
    again = ledger_path(corpus).read_bytes()[len(lines) :]

    def strip(data, generation):
        records = [
            {k: v for k, v in json.loads(line).items() if k != "at"}
            for line in data.replace(generation.encode(), b"G").splitlines()
        ]
        return sorted(json.dumps(r, sort_keys=True) for r in records)

    assert strip(tail, with_checkpoint.generation) == strip(again, without.generation)
    maps_again = read_resolution(current_generation(tmp_path / "again"))
    assert json.dumps(maps).replace(with_checkpoint.generation, "G") == json.dumps(
        maps_again
    ).replace(without.generation, "G")
    assert maps[0]  # the edited passage's first id redirects


def test_a_ledger_another_index_appended_to_is_read_whole(corpus, tmp_path):
    build(corpus, tmp_path / "a")
    edit(corpus)
    build(corpus, tmp_path / "b")  # appends to the ledger the checkpoint of a knew
    edit(corpus, extra=" Corrected once more.")
    build(corpus, tmp_path / "a")
    redirects, _, _ = read_resolution(current_generation(tmp_path / "a"))
    full, _, _ = read_resolution(current_generation(tmp_path / "b"))
    # Every id b saw retired is retired for a too, and a's own edit on top.
    assert set(full) < set(redirects)


def test_remembered_values_index_what_whoosh_alone_indexes(corpus, tmp_path):
    documents, _ = load_corpus(corpus, 10**8)
    (tmp_path / "fast").mkdir()
    (tmp_path / "plain").mkdir()
    write_full(tmp_path / "fast", [(raw, None) for raw in raws_of(corpus)], procs=1)
    plain = whoosh_index.create_in(str(tmp_path / "plain"), build_schema())
    with plain.writer() as writer:
        for doc in documents:
            for fields in passage_fields(doc):
                writer.add_document(**fields)

    def postings(path):
        with whoosh_index.open_dir(str(path)).searcher() as searcher:
            reader = searcher.reader()
            ids = {n: f["id"] for n, f in searcher.iter_docs()}
            found = {}
            for name in REPEATED_FIELDS:
                for term in reader.lexicon(name):
                    matcher = reader.postings(name, term)
                    found[name, term] = sorted(
                        (ids[n], w, reader.doc_field_length(n, name))
                        for n, w in matcher.items_as("weight")
                    )
            return found

    fast, slow = postings(tmp_path / "fast"), postings(tmp_path / "plain")
    assert fast == slow and len(fast) > 100
