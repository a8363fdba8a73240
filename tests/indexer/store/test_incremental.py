"""Re-indexing: the parse cache, one changed document, and parallel full builds."""

from __future__ import annotations

import pytest
from whoosh import index as whoosh_index

import indexer.store.generation
from indexer.analysis.schema import FACET_FIELDS
from indexer.store.build import build, current_generation
from indexer.store.columns import read_columns
from portal.index.generation import Generation
from tests.conftest import LETTER_2016, LETTER_2022, copy_seed, make_app

# Each test builds the seed corpus two or more times.
pytestmark = pytest.mark.slow

LETTER_2016_FILE = f"{LETTER_2016}.txt"
ADDED = " We shall report on the financial investigators recruited in the spring."


@pytest.fixture
def corpus(seed_copy, tmp_path):
    """A copy of the seed corpus, with a copy of its index already in ``ix``.

    A test's first ``build(corpus, tmp_path / "ix")`` then finds the index up to
    date instead of building the seed corpus again.
    """
    corpus, index = seed_copy
    index.rename(tmp_path / "ix")
    return corpus


def edit(corpus, name=LETTER_2016_FILE, extra=ADDED):
    """Lengthen the first long paragraph of one document."""
    path = corpus / name
    blocks = path.read_text().split("\n\n")
    at = next(i for i, b in enumerate(blocks) if len(b) > 150)
    blocks[at] = blocks[at].rstrip() + extra
    path.write_text("\n\n".join(blocks))


def stored(generation):
    """Return every live passage's stored fields, by passage id."""
    with whoosh_index.open_dir(str(generation)).searcher() as searcher:
        return {f["id"]: f for f in searcher.all_stored_fields()}


def search_everything(index_dir, corpus, q):
    """Return the total, the ids of every match (all pages) and the facet counts."""
    client = make_app(index_dir, corpus).test_client()
    ids, page, pages = set(), 1, 1
    while page <= pages:
        params = {"q": q, "per_page": 100, "page": page}
        body = client.get("/api/search", query_string=params).get_json()
        ids |= {r["id"] for r in body["results"]}
        pages, page = body["pages"], page + 1
    facets = {
        name: {v["value"]: v["count"] for v in values}
        for name, values in body["facets"].items()
    }
    # Passages of equal score may come in another order when document numbers
    # differ, so the comparison is of every match, not of one page.
    return body["total"], ids, facets


@pytest.fixture
def counted_parses(monkeypatch):
    """Count the documents the build parses in this process."""
    parsed = []
    original = indexer.store.generation.parse_one

    def parse_one(raw):
        parsed.append(raw.slug)
        return original(raw)

    monkeypatch.setattr(indexer.store.generation, "parse_one", parse_one)
    return parsed


def test_changing_one_document_re_indexes_only_that_document(
    corpus, tmp_path, counted_parses
):
    build(corpus, tmp_path / "ix")
    edit(corpus)
    report = build(corpus, tmp_path / "ix")
    assert report.incremental
    assert counted_parses == [LETTER_2016]


def test_ids_of_unchanged_passages_stay_the_same(corpus, tmp_path):
    build(corpus, tmp_path / "ix")
    before = stored(current_generation(tmp_path / "ix"))
    edit(corpus)
    build(corpus, tmp_path / "ix")
    after = stored(current_generation(tmp_path / "ix"))
    kept = {i for i, f in before.items() if f["doc_id"] != LETTER_2016}
    assert kept <= set(after)
    changed = {i for i, f in after.items() if f["doc_id"] == LETTER_2016}
    assert changed - set(before)  # the edited paragraph has a new id
    assert any(ADDED.strip() in after[i]["text"] for i in changed)


@pytest.fixture(scope="module")
def updated_and_rebuilt(seed_build, tmp_path_factory):
    """The seed corpus edited, then both updated incrementally and rebuilt in full.

    Returns the corpus, the updated index and the rebuilt one, shared by the
    queries below: one update and one full build instead of one per query.
    """
    corpus, index = copy_seed(seed_build, tmp_path_factory.mktemp("updated"))
    edit(corpus)
    assert build(corpus, index).incremental
    full = index.parent / "full"
    assert not build(corpus, full, force=True).incremental
    return corpus, index, full


@pytest.mark.parametrize("q", ["financial investigators", "crime", "", "ROCU"])
def test_an_incremental_update_finds_what_a_full_rebuild_finds(updated_and_rebuilt, q):
    corpus, index, full = updated_and_rebuilt
    assert search_everything(index, corpus, q) == search_everything(full, corpus, q)


def test_the_served_generation_is_untouched_by_an_update(corpus, tmp_path):
    build(corpus, tmp_path / "ix")
    old = current_generation(tmp_path / "ix")
    before = stored(old)
    edit(corpus)
    build(corpus, tmp_path / "ix")
    assert current_generation(tmp_path / "ix") != old
    assert stored(old) == before


def test_a_removed_document_disappears_incrementally(corpus, tmp_path):
    build(corpus, tmp_path / "ix")
    (corpus / f"{LETTER_2022}.txt").unlink()
    report = build(corpus, tmp_path / "ix")
    assert report.incremental and report.documents == 4
    docs = {f["doc_id"] for f in stored(current_generation(tmp_path / "ix")).values()}
    assert LETTER_2022 not in docs and len(docs) == 4


def test_force_rebuilds_everything_from_the_files(corpus, tmp_path, counted_parses):
    build(corpus, tmp_path / "ix")
    report = build(corpus, tmp_path / "ix", force=True, procs=1)
    assert not report.incremental
    assert len(counted_parses) == 0  # parsed in the writer, not through build's copy


def test_facet_columns_match_the_stored_fields_after_updates(corpus, tmp_path):
    build(corpus, tmp_path / "ix")
    edit(corpus)
    build(corpus, tmp_path / "ix")
    edit(corpus, f"{LETTER_2022}.txt")
    build(corpus, tmp_path / "ix")
    generation = current_generation(tmp_path / "ix")
    columns = read_columns(generation)
    fast = Generation.open(generation)
    (generation / "columns.json").unlink()
    slow = Generation.open(generation)
    try:
        live = set(stored(generation))
        assert {i for i in columns["ids"] if i} == live
        assert fast.ids == {i: n for i, n in slow.ids.items()}
        for name in FACET_FIELDS:
            for n in slow.ids.values():
                assert fast.values[name][n] == slow.values[name][n], (name, n)
    finally:
        fast.close()
        slow.close()


def test_parallel_and_single_process_builds_index_the_same(corpus, tmp_path):
    one = build(corpus, tmp_path / "one", procs=1)
    two = build(corpus, tmp_path / "two", procs=2)
    assert one.passages == two.passages
    assert set(stored(current_generation(tmp_path / "one"))) == set(
        stored(current_generation(tmp_path / "two"))
    )
    assert search_everything(tmp_path / "one", corpus, "crime") == search_everything(
        tmp_path / "two", corpus, "crime"
    )


def test_a_corrupt_parse_cache_means_a_full_build(corpus, tmp_path):
    build(corpus, tmp_path / "ix")
    (tmp_path / "ix" / "parse-cache.pickle").write_bytes(b"not a pickle")
    edit(corpus)
    report = build(corpus, tmp_path / "ix")
    assert not report.incremental and report.documents == 5


@pytest.mark.parametrize("change", ["edit", "remove"])
def test_an_update_writes_the_lexicon_a_full_rebuild_writes(corpus, tmp_path, change):
    build(corpus, tmp_path / "ix")
    if change == "edit":
        edit(corpus, extra=" Quokkaland Rapid Response Unit (QRRU) officers were seen.")
    else:
        (corpus / f"{LETTER_2022}.txt").unlink()
    assert build(corpus, tmp_path / "ix").incremental
    assert not build(corpus, tmp_path / "full", force=True).incremental
    updated = current_generation(tmp_path / "ix")
    full = current_generation(tmp_path / "full")
    for name in ("vocabulary.json", "acronyms.json"):
        assert (updated / name).read_text() == (full / name).read_text()
    if change == "edit":
        assert "quokkaland" in (updated / "vocabulary.json").read_text()
        assert '"QRRU"' in (updated / "acronyms.json").read_text()
