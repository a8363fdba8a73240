"""The FTS5 twin as a competent user writes it gives the old twin's answers.

The reference is the old twin's logic, kept here in plain SQL: the MATCH into a
temporary table, the ranked page with a second MATCH, and each facet counted by
GROUP BY over the matching passages that pass the other facets' filters.
"""

from __future__ import annotations

import sqlite3

import pytest

from bench import fts
from bench.fts_search import COLUMNS_SEARCHED, WEIGHTS, FacetColumns, search
from bench.generate import generate
from bench.queries import QUERIES, WARMUPS
from indexer.store.build import load_corpus

_FACET_SQL = {
    "year": "p.year",
    "author": "p.author",
    "force": "f.force",
    "doc": "p.doc_id",
    "type": "p.type",
}


def _where(filters: dict[str, list[str]], skip: str = "") -> tuple[str, list]:
    clauses, args = [], []
    for name, chosen in filters.items():
        if name == skip or not chosen:
            continue
        marks = ",".join("?" * len(chosen))
        if name == "force":
            clauses.append(
                "p.rowid IN (SELECT rowid FROM passage_forces "
                f"WHERE force IN ({marks}))"
            )
        else:
            clauses.append(f"{_FACET_SQL[name]} IN ({marks})")
        args.extend(chosen)
    return "".join(" AND " + c for c in clauses), args


def old_search(db: sqlite3.Connection, match: str, filters: dict) -> dict:
    """The old twin: total, top 10 ids and facet counts, all in SQL."""
    match = f"{COLUMNS_SEARCHED} : ({match})"
    db.execute("DROP TABLE IF EXISTS temp.m")
    db.execute(
        "CREATE TEMP TABLE m AS SELECT rowid FROM passages_fts "
        "WHERE passages_fts MATCH ?",
        (match,),
    )
    where, args = _where(filters)
    total = db.execute(
        f"SELECT count(*) FROM m JOIN passages p ON p.rowid = m.rowid WHERE 1{where}",
        args,
    ).fetchone()[0]
    top = db.execute(
        "SELECT p.id FROM passages_fts JOIN passages p ON p.rowid = passages_fts.rowid"
        f" WHERE passages_fts MATCH ?{where} "
        f"ORDER BY bm25(passages_fts, {WEIGHTS}) LIMIT 10",
        [match, *args],
    ).fetchall()
    facets = {}
    for name, expr in _FACET_SQL.items():
        where, args = _where(filters, skip=name)
        join = "JOIN passage_forces f ON f.rowid = p.rowid" if name == "force" else ""
        rows = db.execute(
            f"SELECT {expr}, count(*) FROM m JOIN passages p ON p.rowid = m.rowid "
            f"{join} WHERE {expr} != ''{where} GROUP BY {expr}",
            args,
        ).fetchall()
        facets[name] = dict(rows)
    return {"total": total, "top": [r[0] for r in top], "facets": facets}


def _new(db, columns, match, filters) -> dict:
    found = search(db, columns, match, filters, 10)
    return {
        "total": found["total"],
        "top": [r["id"] for r in found["results"]],
        "facets": {
            n: {v["value"]: v["count"] for v in values}
            for n, values in found["facets"].items()
        },
    }


@pytest.fixture(scope="module")
def twin(corpus_dir, tmp_path_factory):
    """A generated corpus of about 1,500 passages in an FTS5 database."""
    root = tmp_path_factory.mktemp("twin")
    generate(corpus_dir, root / "corpus", 1500)
    fts.build(root / "corpus", root / "fts.sqlite", batch=7)
    db = sqlite3.connect(str(root / "fts.sqlite"))
    yield db, FacetColumns(db), root / "corpus"
    db.close()


def _cases(db) -> list[tuple[str, dict]]:
    """The benchmark's mix, and each query again under filters of every kind."""
    year, author, force, doc = db.execute(
        "SELECT p.year, p.author, f.force, p.doc_id FROM passages p "
        "JOIN passage_forces f ON f.rowid = p.rowid WHERE p.author != '' "
        "ORDER BY p.rowid LIMIT 1"
    ).fetchone()
    filtered = [
        {"type": ["letter"], "year": [year]},
        {"force": [force, "no such force"]},
        {"author": [author], "force": [force]},
        {"doc": [doc]},
        {"year": ["1066"]},
    ]
    cases = [(q.fts, q.filters) for q in QUERIES + WARMUPS]
    cases += [(q.fts, f) for q in QUERIES[:4] for f in filtered]
    return cases


def test_the_new_twin_gives_the_old_totals_facets_and_top_ten(twin):
    db, columns, _ = twin
    cases = _cases(db)
    compared = 0
    for match, filters in cases:
        old = old_search(db, match, filters)
        assert _new(db, columns, match, filters) == old, (match, filters)
        compared += old["total"] > 0
    assert compared > len(cases) / 2  # most cases match something


def test_ties_in_score_come_in_rowid_order_as_sqlite_sorts_them(twin):
    db, columns, _ = twin
    # Generated passages repeat seed sentences, so many tie on score.
    found = search(db, columns, "police", {}, 10)
    scores = db.execute(
        f"SELECT bm25(passages_fts, {WEIGHTS}) FROM passages_fts "
        "WHERE passages_fts MATCH ? ORDER BY 1 LIMIT 10",
        (f"{COLUMNS_SEARCHED} : (police)",),
    ).fetchall()
    assert len(set(scores)) < 10  # the top ten holds ties
    assert [r["id"] for r in found["results"]] == old_search(db, "police", {})["top"]


def test_facets_come_most_frequent_first_and_hits_carry_snippets(twin):
    db, columns, _ = twin
    found = search(db, columns, "intelligence", {}, 5)
    for values in found["facets"].values():
        counts = [v["count"] for v in values]
        assert counts == sorted(counts, reverse=True) and all(counts)
    assert len(found["results"]) == 5
    assert all("<mark>" in r["snippet"].lower() for r in found["results"])


def test_a_bad_expression_is_an_sqlite_error(twin):
    db, columns, _ = twin
    with pytest.raises(sqlite3.OperationalError):
        search(db, columns, '"unbalanced', {}, 10)


def test_the_streamed_build_stores_every_passage_load_corpus_gives(twin):
    db, _, corpus = twin
    documents, _ = load_corpus(corpus, 20_000_000)
    stored = {r[0] for r in db.execute("SELECT id FROM passages")}
    assert stored == {p.id for d in documents for p in d.passages}
