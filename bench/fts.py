"""The SQLite FTS5 side of the benchmark: the same passages, doing the same work.

The passages come from the portal's own pipeline (read, parse, segment), so both
engines index exactly the same text and metadata. A search returns what
``/api/search`` returns: the total, the top hits ranked by bm25 with a
highlighted snippet, and the five facet counts, each counted over the matches that
pass the other facets' filters (GROUP BY over a temporary table of the matching
row ids, with a join table for the multi-valued force field).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from indexer.document.record import Document
from indexer.store.build import load_corpus
from indexer.store.fields import passage_fields

# The portal's plain words search a passage's text and label only (not its title
# nor section path), with these boosts; FTS5 is asked the same.
_WEIGHTS = "1.0, 1.5, 0.0, 0.0"
_COLUMNS_SEARCHED = "{text label}"
# Facet name -> SQL expression over the passage row p (forces via the join table).
FACETS = {
    "year": "p.year",
    "author": "p.author",
    "force": "f.force",
    "doc": "p.doc_id",
    "type": "p.type",
}
_SCHEMA = """
CREATE TABLE passages (
    rowid INTEGER PRIMARY KEY, id TEXT, doc_id TEXT, position INTEGER, kind TEXT,
    label TEXT, section TEXT, text TEXT, title TEXT, date TEXT, year TEXT,
    author TEXT, type TEXT, forces TEXT
);
CREATE TABLE passage_forces (rowid INTEGER, force TEXT);
CREATE INDEX passage_forces_rowid ON passage_forces (rowid);
CREATE INDEX passages_doc ON passages (doc_id);
CREATE VIRTUAL TABLE passages_fts USING fts5(
    text, label, section, title, content='passages', content_rowid='rowid',
    tokenize='porter unicode61'
);
"""
_COLUMNS = (
    "id doc_id position kind label section text title date year author type forces"
).split()


def create(path: Path) -> sqlite3.Connection:
    """Create an empty FTS5 database at ``path``, replacing any old one."""
    path.unlink(missing_ok=True)
    db = sqlite3.connect(str(path))
    db.executescript(_SCHEMA)
    return db


def add_documents(db: sqlite3.Connection, documents: list[Document]) -> int:
    """Insert every passage of ``documents``; return how many were added."""
    start = db.execute("SELECT coalesce(max(rowid), 0) FROM passages").fetchone()[0]
    rows, forces = [], []
    for doc in sorted(documents, key=lambda d: (d.date or "", d.id)):
        for fields in passage_fields(doc):
            start += 1
            rows.append((start, *(fields[c] for c in _COLUMNS)))
            forces.extend((start, f) for f in fields["forces"].split(",") if f)
    with db:
        db.executemany(f"INSERT INTO passages VALUES ({','.join('?' * 14)})", rows)
        db.executemany("INSERT INTO passage_forces VALUES (?, ?)", forces)
        db.executemany(
            "INSERT INTO passages_fts (rowid, text, label, section, title) "
            "VALUES (?, ?, ?, ?, ?)",
            [(r[0], r[7], r[5], r[6], r[8]) for r in rows],
        )
    return len(rows)


def delete_document(db: sqlite3.Connection, doc_id: str) -> None:
    """Remove every passage of one document, from the table and the FTS index."""
    with db:
        db.execute(
            "INSERT INTO passages_fts (passages_fts, rowid, text, label, section, "
            "title) SELECT 'delete', rowid, text, label, section, title "
            "FROM passages WHERE doc_id = ?",
            (doc_id,),
        )
        db.execute(
            "DELETE FROM passage_forces WHERE rowid IN "
            "(SELECT rowid FROM passages WHERE doc_id = ?)",
            (doc_id,),
        )
        db.execute("DELETE FROM passages WHERE doc_id = ?", (doc_id,))


def build(corpus_dir: Path, path: Path) -> int:
    """Parse ``corpus_dir`` with the portal's pipeline and index it into ``path``."""
    documents, _ = load_corpus(corpus_dir, 20_000_000)
    db = create(path)
    count = add_documents(db, documents)
    db.execute("INSERT INTO passages_fts (passages_fts) VALUES ('optimize')")
    db.commit()
    db.close()
    return count


def _filter_sql(filters: dict[str, list[str]], skip: str = "") -> tuple[str, list]:
    clauses, args = [], []
    for name, chosen in filters.items():
        if name == skip or not chosen or name not in FACETS:
            continue
        marks = ",".join("?" * len(chosen))
        if name == "force":
            clauses.append(
                "p.rowid IN (SELECT rowid FROM passage_forces "
                f"WHERE force IN ({marks}))"
            )
        else:
            clauses.append(f"{FACETS[name]} IN ({marks})")
        args.extend(chosen)
    return (" AND " + " AND ".join(clauses)) if clauses else "", args


def search(
    db: sqlite3.Connection,
    match: str,
    filters: dict[str, list[str]] | None = None,
    limit: int = 10,
) -> dict:
    """Return the total, the top ``limit`` hits with snippets and the facet counts."""
    filters = filters or {}
    match = f"{_COLUMNS_SEARCHED} : ({match})"
    db.execute("DROP TABLE IF EXISTS temp.m")
    db.execute(
        "CREATE TEMP TABLE m AS SELECT rowid FROM passages_fts WHERE passages_fts "
        "MATCH ?",
        (match,),
    )
    where, args = _filter_sql(filters)
    total = db.execute(
        f"SELECT count(*) FROM m JOIN passages p ON p.rowid = m.rowid WHERE 1{where}",
        args,
    ).fetchone()[0]
    hits = db.execute(
        "SELECT p.id, p.doc_id, p.title, p.date, p.year, p.author, p.type, p.forces, "
        "p.section, p.kind, p.label, p.position, p.text, "
        "snippet(passages_fts, 0, '<mark>', '</mark>', ' … ', 40) "
        "FROM passages_fts JOIN passages p ON p.rowid = passages_fts.rowid "
        f"WHERE passages_fts MATCH ?{where} "
        f"ORDER BY bm25(passages_fts, {_WEIGHTS}) LIMIT ?",
        [match, *args, limit],
    ).fetchall()
    keys = "id doc_id doc_title date year author type forces section kind label"
    keys = (keys + " position text snippet").split()
    facets = {}
    for name, expr in FACETS.items():
        where, args = _filter_sql(filters, skip=name)
        join = "JOIN passage_forces f ON f.rowid = p.rowid" if name == "force" else ""
        rows = db.execute(
            f"SELECT {expr}, count(*) FROM m JOIN passages p ON p.rowid = m.rowid "
            f"{join} WHERE {expr} != ''{where} GROUP BY {expr} "
            "ORDER BY count(*) DESC",
            args,
        ).fetchall()
        facets[name] = [{"value": v, "count": c} for v, c in rows]
    return {
        "total": total,
        "results": [dict(zip(keys, row, strict=True)) for row in hits],
        "facets": facets,
    }
