"""Searching the FTS5 twin as a competent FTS5 user would.

Per request: ONE full-text query (``MATCH``) returns every matching rowid with
its bm25 score; the filters, the total and the five facet counts are worked out
over those rowids with numpy, against facet columns each worker loads once (as
the portal loads its facet columns once per generation); the top ``limit`` are
picked by score and only they get their stored fields and ``snippet()``, from a
second query restricted to their rowids. A search returns what ``/api/search``
returns: the total, the top hits with a highlighted snippet, and the facet
counts, each counted over the matches that pass the other facets' filters.
"""

from __future__ import annotations

import sqlite3

import numpy as np

from bench.fts import FACETS

# The portal's plain words search a passage's text and label only (not its title
# nor section path), with these boosts; FTS5 is asked the same.
WEIGHTS = "1.0, 1.5, 0.0, 0.0"
COLUMNS_SEARCHED = "{text label}"
_MATCH_ROW = np.dtype([("rowid", np.int64), ("score", np.float64)])
_HIT_KEYS = (
    "id doc_id doc_title date year author type forces section kind label "
    "position text snippet"
).split()


class FacetColumns:
    """Every passage's facet values, as integer codes indexed by rowid.

    ``codes[name]`` holds one code per rowid (-1: no value) for the single-valued
    facets; the forces (several per passage) are ``force_codes`` with the rowid
    each belongs to in ``force_owner``. ``values[name][code]`` is the value.
    """

    def __init__(self, db: sqlite3.Connection):
        size = db.execute("SELECT coalesce(max(rowid), 0) + 1 FROM passages")
        size = size.fetchone()[0]
        self.values: dict[str, list[str]] = {name: [] for name in FACETS}
        self.codes: dict[str, np.ndarray] = {}
        lookup: dict[str, dict[str, int]] = {name: {} for name in FACETS}
        single = [n for n in FACETS if n != "force"]
        for name in single:
            self.codes[name] = np.full(size, -1, dtype=np.int32)
        columns = ", ".join(FACETS[n] for n in single)
        for rowid, *row in db.execute(f"SELECT rowid, {columns} FROM passages"):
            for name, value in zip(single, row, strict=True):
                if value:
                    self.codes[name][rowid] = self._code(lookup[name], name, value)
        owners, forces = [], []
        for rowid, force in db.execute("SELECT rowid, force FROM passage_forces"):
            owners.append(rowid)
            forces.append(self._code(lookup["force"], "force", force))
        self.force_owner = np.array(owners, dtype=np.int64)
        self.force_codes = np.array(forces, dtype=np.int32)
        self.size = size

    def _code(self, lookup: dict[str, int], name: str, value: str) -> int:
        code = lookup.get(value)
        if code is None:
            code = lookup[value] = len(self.values[name])
            self.values[name].append(value)
        return code

    def _chosen(self, name: str, chosen: list[str]) -> np.ndarray:
        wanted = set(chosen)
        return np.array(
            [c for c, v in enumerate(self.values[name]) if v in wanted], dtype=np.int32
        )

    def mask(self, name: str, rowids: np.ndarray, chosen: list[str]) -> np.ndarray:
        """Return which of ``rowids`` have one of the ``chosen`` values of ``name``."""
        codes = self._chosen(name, chosen)
        if name != "force":
            return np.isin(self.codes[name][rowids], codes)
        having = np.zeros(self.size, dtype=bool)
        having[self.force_owner[np.isin(self.force_codes, codes)]] = True
        return having[rowids]

    def count(self, name: str, rowids: np.ndarray) -> list[dict]:
        """Return ``name``'s value counts over ``rowids``, most frequent first."""
        if name == "force":
            inside = np.zeros(self.size, dtype=bool)
            inside[rowids] = True
            found = self.force_codes[inside[self.force_owner]]
        else:
            found = self.codes[name][rowids]
            found = found[found >= 0]
        counts = np.bincount(found, minlength=len(self.values[name]))
        values = self.values[name]
        counted = [(int(counts[c]), values[c]) for c in np.flatnonzero(counts)]
        counted.sort(key=lambda pair: (-pair[0], pair[1]))
        return [{"value": v, "count": c} for c, v in counted]


def _top(rowids: np.ndarray, scores: np.ndarray, limit: int) -> list[int]:
    """Return the ``limit`` best rowids: lowest bm25 first, ties by rowid."""
    if len(rowids) > limit:
        cut = np.partition(scores, limit - 1)[limit - 1]
        near = scores <= cut
        rowids, scores = rowids[near], scores[near]
    order = np.lexsort((rowids, scores))[:limit]
    return [int(r) for r in rowids[order]]


def _hits(db: sqlite3.Connection, match: str, top: list[int]) -> list[dict]:
    """Return the stored fields and snippet of each of ``top``, in that order."""
    if not top:
        return []
    rows = db.execute(
        "SELECT p.rowid, p.id, p.doc_id, p.title, p.date, p.year, p.author, p.type, "
        "p.forces, p.section, p.kind, p.label, p.position, p.text, "
        "snippet(passages_fts, 0, '<mark>', '</mark>', ' … ', 40) "
        "FROM passages_fts JOIN passages p ON p.rowid = passages_fts.rowid "
        f"WHERE passages_fts MATCH ? AND passages_fts.rowid IN "
        f"({','.join('?' * len(top))})",
        [match, *top],
    ).fetchall()
    by_rowid = {row[0]: dict(zip(_HIT_KEYS, row[1:], strict=True)) for row in rows}
    return [by_rowid[r] for r in top]


def search(
    db: sqlite3.Connection,
    columns: FacetColumns,
    match: str,
    filters: dict[str, list[str]] | None = None,
    limit: int = 10,
) -> dict:
    """Return the total, the top ``limit`` hits with snippets and the facet counts.

    :param match: an FTS5 MATCH expression over the text and label columns.
    :param filters: facet name -> values, a passage passing when it has one of
        them; names outside :data:`~bench.fts.FACETS` are ignored.
    :return: ``{"total", "results": [hit dict], "facets": {name: [{value,
        count}]}}``, as the old twin and the portal's API shape them.
    :raise sqlite3.OperationalError: for an expression FTS5 cannot parse.
    """
    match = f"{COLUMNS_SEARCHED} : ({match})"
    found = np.fromiter(
        db.execute(
            f"SELECT rowid, bm25(passages_fts, {WEIGHTS}) FROM passages_fts "
            "WHERE passages_fts MATCH ?",
            (match,),
        ),
        dtype=_MATCH_ROW,
    )
    rowids, scores = found["rowid"], found["score"]
    chosen = {n: v for n, v in (filters or {}).items() if v and n in FACETS}
    masks = {n: columns.mask(n, rowids, v) for n, v in chosen.items()}
    everything = np.ones(len(rowids), dtype=bool)
    passing = np.logical_and.reduce([everything, *masks.values()])
    facets = {}
    for name in FACETS:
        others = [m for n, m in masks.items() if n != name]
        kept = np.logical_and.reduce([everything, *others])
        facets[name] = columns.count(name, rowids[kept])
    top = _top(rowids[passing], scores[passing], limit)
    return {
        "total": int(passing.sum()),
        "results": _hits(db, match, top),
        "facets": facets,
    }
