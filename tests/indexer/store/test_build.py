"""Building the index: generations, fingerprints, stable ids, atomic swap."""

from __future__ import annotations

import shutil

import pytest
from whoosh import index as whoosh_index

from indexer.store.build import (
    BuildError,
    build,
    current_generation,
    read_documents,
    read_manifest,
)

# Each test builds the seed corpus at least once.
pytestmark = pytest.mark.slow


@pytest.fixture
def corpus(tmp_path, corpus_dir):
    target = tmp_path / "corpus"
    shutil.copytree(corpus_dir, target)
    return target


def stored_ids(generation):
    with whoosh_index.open_dir(str(generation)).searcher() as searcher:
        return sorted(f["id"] for f in searcher.all_stored_fields())


def test_build_indexes_every_seed_document(corpus, tmp_path):
    report = build(corpus, tmp_path / "ix")
    assert (report.documents, report.problems) == (5, [])
    generation = current_generation(tmp_path / "ix")
    manifest = read_manifest(generation)
    assert manifest["passages"] == report.passages == len(stored_ids(generation))
    assert {d["type"] for d in read_documents(generation)} == {"letter", "report"}


def test_an_unchanged_corpus_is_not_rebuilt(corpus, tmp_path):
    first = build(corpus, tmp_path / "ix")
    second = build(corpus, tmp_path / "ix")
    assert second.up_to_date and second.generation == first.generation


def test_a_changed_corpus_is_rebuilt_into_a_new_generation(corpus, tmp_path):
    first = build(corpus, tmp_path / "ix")
    (corpus / "2099-01-01-note.md").write_text("# Note\n\nA new paragraph on drugs.\n")
    second = build(corpus, tmp_path / "ix")
    assert not second.up_to_date and second.generation != first.generation
    assert second.documents == 6
    assert current_generation(tmp_path / "ix").name == second.generation


def test_ids_are_the_same_after_a_clean_rebuild(corpus, tmp_path):
    build(corpus, tmp_path / "a")
    build(corpus, tmp_path / "b")
    assert stored_ids(current_generation(tmp_path / "a")) == stored_ids(
        current_generation(tmp_path / "b")
    )


def test_a_broken_file_never_stops_the_others(corpus, tmp_path):
    (corpus / "broken.txt").write_bytes(b"\x00\x01\x02binary")
    report = build(corpus, tmp_path / "ix")
    assert report.documents == 5
    assert [str(p) for p in report.problems] == [
        "broken.txt: skipped: looks like a binary file, not text"
    ]


def test_nothing_to_index_is_an_error_naming_the_problems(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "empty.txt").write_text("")
    with pytest.raises(BuildError, match="nothing could be indexed.*file is empty"):
        build(corpus, tmp_path / "ix")
    assert current_generation(tmp_path / "ix") is None


def test_a_missing_corpus_folder_is_an_error(tmp_path):
    with pytest.raises(BuildError, match="does not exist"):
        build(tmp_path / "nope", tmp_path / "ix")


def test_leftovers_of_a_killed_build_are_removed(corpus, tmp_path):
    index = tmp_path / "ix"
    build(corpus, index)
    (index / ".tmp-gen-killed").mkdir()
    (index / ".tmp-gen-killed" / "half.seg").write_text("x")
    build(corpus, index, force=True)
    assert not (index / ".tmp-gen-killed").exists()


def _documents(corpus) -> dict:
    # The permalink ledger is the one file a build appends to beside the corpus.
    return {
        p: p.read_bytes()
        for p in corpus.rglob("*")
        if p.is_file()
        if p.name != "permalinks.jsonl"
    }


def test_the_build_never_writes_into_the_corpus(corpus, tmp_path):
    before = _documents(corpus)
    build(corpus, tmp_path / "ix")
    assert _documents(corpus) == before
