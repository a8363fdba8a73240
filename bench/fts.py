"""The SQLite FTS5 side of the benchmark: the same passages, stored for FTS5.

The passages come from the portal's own pipeline (read, parse, segment), so both
engines index exactly the same text and metadata. The database is built file by
file, in batches of documents, so a million-passage corpus is never held in
memory whole. Searching it is :mod:`bench.fts_search`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path

from indexer.document.record import Document
from indexer.source.corpus import Problem, dedupe, discover, read_document, text_key
from indexer.source.errors import UnreadableDocumentError
from indexer.store.fields import parse_one, passage_fields

# Facet name -> column of the passages table (forces: the passage_forces table).
FACETS = {
    "year": "year",
    "author": "author",
    "force": "forces",
    "doc": "doc_id",
    "type": "type",
}
# Documents inserted per transaction while building.
BATCH_DOCUMENTS = 500
MAX_FILE_BYTES = 20_000_000
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


def add_documents(db: sqlite3.Connection, documents: Iterable[Document]) -> int:
    """Insert every passage of ``documents`` in one transaction; return how many."""
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


def _readings(corpus_dir: Path) -> Iterator[Problem | tuple]:
    """Yield each file's reading and text key, one file at a time."""
    files, problems = discover(corpus_dir)
    yield from problems
    for path in files:
        try:
            raw = read_document(path, corpus_dir, MAX_FILE_BYTES)
        except (UnreadableDocumentError, OSError) as exc:
            yield Problem(str(path.relative_to(corpus_dir)), str(exc))
            continue
        yield raw, text_key(raw.text)


def iter_documents(corpus_dir: Path) -> Iterator[Document]:
    """Yield the documents the portal's build indexes, parsed one file at a time.

    The same documents, ids and passages as
    :func:`indexer.store.build.load_corpus`: duplicates dropped and slugs made
    unique by the same :func:`~indexer.source.corpus.dedupe`, which keeps only
    the text keys and slugs seen, not the documents.
    """
    for item in dedupe(_readings(corpus_dir)):
        if isinstance(item, Problem):
            continue
        doc, _ = parse_one(item)
        if doc is not None:
            yield doc


def build(corpus_dir: Path, path: Path, batch: int = BATCH_DOCUMENTS) -> int:
    """Parse ``corpus_dir`` with the portal's pipeline and index it into ``path``.

    Documents are inserted ``batch`` at a time, so memory stays flat with size.

    :return: the number of passages stored.
    """
    db = create(path)
    count, pending = 0, []
    for doc in iter_documents(corpus_dir):
        pending.append(doc)
        if len(pending) >= batch:
            count += add_documents(db, pending)
            pending = []
    count += add_documents(db, pending)
    db.execute("INSERT INTO passages_fts (passages_fts) VALUES ('optimize')")
    db.commit()
    db.close()
    return count


def main(argv: list[str] | None = None) -> None:
    """``python -m bench.fts CORPUS DB``: build the database, print passages."""
    import sys

    corpus, db = (argv if argv is not None else sys.argv[1:])[:2]
    print(build(Path(corpus), Path(db)))


if __name__ == "__main__":
    main()
