"""The benchmark's scaled corpus generator and its SQLite FTS5 twin."""

from __future__ import annotations

import sqlite3

import pytest

from bench import fts
from bench.fts_search import FacetColumns, search
from bench.generate import ensure_corpus, generate, load_templates
from indexer.analysis.schema import DERIVED_FACETS
from indexer.document.sentences import sentences as split_sentences
from indexer.store.build import load_corpus


@pytest.fixture(scope="module")
def scaled(corpus_dir, tmp_path_factory):
    """A generated corpus of about 600 passages."""
    out = tmp_path_factory.mktemp("scaled") / "corpus"
    generate(corpus_dir, out, 600)
    return out


def test_the_generator_writes_the_same_files_for_the_same_seed(corpus_dir, tmp_path):
    generate(corpus_dir, tmp_path / "a", 300)
    generate(corpus_dir, tmp_path / "b", 300)
    a = {p.name: p.read_bytes() for p in (tmp_path / "a").iterdir()}
    b = {p.name: p.read_bytes() for p in (tmp_path / "b").iterdir()}
    assert a == b and len(a) > 5


def test_another_seed_recombines_other_sentences(corpus_dir, tmp_path):
    generate(corpus_dir, tmp_path / "a", 300, seed=1)
    generate(corpus_dir, tmp_path / "b", 300, seed=2)
    texts = {p.read_text() for p in (tmp_path / "a").iterdir()}
    assert texts != {p.read_text() for p in (tmp_path / "b").iterdir()}


def test_generated_documents_keep_the_structure_metadata_is_read_from(
    corpus_dir, scaled
):
    templates = {t.stem.split("-", 3)[3]: t for t in load_templates(corpus_dir)}
    documents, problems = load_corpus(scaled, 20_000_000)
    assert [p for p in problems if p.skipped] == []
    assert len(documents) > len(templates)
    for doc in documents:
        stem = doc.source.rsplit(".", 1)[0]
        template = templates[stem.split("-", 3)[3].rsplit("-", 1)[0]]
        assert doc.type == template.type
        assert doc.date == stem[:10], doc.source  # the dated header line moved
        assert doc.title
        if doc.type == "letter":
            assert doc.author, doc.source
        assert abs(len(doc.passages) - template.passages) <= 2


def test_generated_paragraphs_are_real_seed_sentences_recombined(corpus_dir, scaled):
    seed = " ".join(p.read_text() for p in corpus_dir.glob("*.txt"))
    report = next(scaled.glob("*hmicfrs*"))
    blocks = report.read_text().split("\n\n")
    paragraphs = [b for b in blocks if len(split_sentences(b)) >= 3 and "\n" not in b]
    assert paragraphs
    # Recombined, not copied: most paragraphs are new, every sentence is real.
    assert sum(p in seed for p in paragraphs) < len(paragraphs) / 2
    assert [s for p in paragraphs for s in split_sentences(p) if s not in seed] == []


def test_the_size_asked_for_is_reached(corpus_dir, scaled):
    documents, _ = load_corpus(scaled, 20_000_000)
    assert 600 <= sum(len(d.passages) for d in documents) < 600 + 250


def test_a_cached_corpus_is_reused_until_the_size_changes(corpus_dir, tmp_path):
    first = ensure_corpus(corpus_dir, tmp_path, 200)
    marker = first / "marker.txt"
    marker.write_text("left alone")
    assert ensure_corpus(corpus_dir, tmp_path, 200) == first and marker.exists()
    ensure_corpus(corpus_dir, tmp_path, 200, seed=8)
    assert not (tmp_path / "corpus-200" / "marker.txt").exists()


def _search(db: sqlite3.Connection, q: str, filters=None, limit: int = 10) -> dict:
    """Search with facet columns loaded now (the database may have changed)."""
    return search(db, FacetColumns(db), q, filters, limit)


@pytest.fixture(scope="module")
def fts_db(corpus_dir, tmp_path_factory):
    path = tmp_path_factory.mktemp("fts") / "fts.sqlite"
    fts.build(corpus_dir, path)
    db = sqlite3.connect(str(path))
    yield db
    db.close()


def test_fts5_indexes_the_same_passages_as_the_portal(fts_db, client):
    ours = client.get("/healthz").get_json()["passages"]
    ids = {r[0] for r in fts_db.execute("SELECT id FROM passages")}
    assert len(ids) == ours
    listed = client.get("/api/search?per_page=100&page=1").get_json()
    assert {r["id"] for r in listed["results"]} <= ids


@pytest.mark.parametrize(
    ("q", "filters"),
    [
        ("intelligence", {}),
        ("recruitment", {}),
        ("fraud", {"type": ["report"]}),
        ("intelligence", {"force": ["BTP"]}),
        ('"organised crime"', {"year": ["2023"]}),
    ],
)
def test_fts5_facet_counts_agree_with_the_portal(fts_db, client, q, filters):
    params = {"q": q, "per_page": 10, **filters}
    ours = client.get("/api/search", query_string=params).get_json()
    theirs = _search(fts_db, q, filters)
    assert theirs["total"] == ours["total"] > 0
    for name, values in ours["facets"].items():
        if name in DERIVED_FACETS:
            continue  # findings are the portal's own; the FTS5 baseline has none
        counted = {v["value"]: v["count"] for v in values if v["count"]}
        assert {v["value"]: v["count"] for v in theirs["facets"][name]} == counted


def test_fts5_results_carry_highlighted_snippets(fts_db):
    result = _search(fts_db, "surveillance", limit=3)
    assert len(result["results"]) == 3
    assert all("<mark>" in r["snippet"] for r in result["results"])


def test_fts5_deletes_and_re_adds_one_document(fts_db, corpus_dir):
    documents, _ = load_corpus(corpus_dir, 20_000_000)
    letter = next(d for d in documents if d.type == "letter")
    before = _search(fts_db, "organised")["total"]
    fts.delete_document(fts_db, letter.id)
    assert _search(fts_db, "organised")["total"] < before
    fts.add_documents(fts_db, [letter])
    assert _search(fts_db, "organised")["total"] == before
