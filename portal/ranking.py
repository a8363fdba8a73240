"""Matching and ordering: every match scored once, then ordered and paged in Python.

Whoosh3's top-N collector gives a passage a different score depending on how
many results are asked for (its matcher replacement drops sub-queries once the
heap is full), so page 2 of a search could repeat page 1. Every match is scored
in one pass with ``limit=None``, which yields the same scores every time; the
same pass gives the matching set that facets count over.
"""

from __future__ import annotations

import threading

from whoosh.query import Every, Query

from portal.index import IndexHandle

_KEYS: dict[str, list[tuple[str, str, int]]] = {}
_KEYS_LOCK = threading.Lock()


def match(handle: IndexHandle, query: Query, scored: bool) -> tuple[set[int], list]:
    """Return the passages ``query`` matches and, if ``scored``, them best first."""
    searcher = handle.searcher
    if isinstance(query, Every):
        return set(searcher.reader().all_doc_ids()), []
    if not scored:
        return set(query.docs(searcher)), []
    results = searcher.search(query, limit=None)
    ranked = [docnum for docnum, _ in results.items()]
    return set(ranked), ranked


def _date_keys(handle: IndexHandle) -> list[tuple[str, str, int]]:
    """Return (date, doc_id, position) for every passage (cached per generation)."""
    key = str(handle.path)
    keys = _KEYS.get(key)
    if keys is None:
        reader = handle.searcher.reader()
        dates = reader.column_reader("date")
        positions = reader.column_reader("position")
        docs = handle.values["doc"]
        keys = [
            (dates[n] or "", docs[n][0] if docs[n] else "", positions[n])
            for n in range(reader.doc_count_all())
        ]
        with _KEYS_LOCK:
            while len(_KEYS) >= 2:
                _KEYS.pop(next(iter(_KEYS)))
            _KEYS[key] = keys
    return keys


def order(handle: IndexHandle, hits: set[int], ranked: list, sort: str) -> list[int]:
    """Return ``hits`` best first (``ranked``) or by date, each document in order."""
    if sort == "relevance" and ranked:
        return [n for n in ranked if n in hits]
    keys = _date_keys(handle)
    found = sorted(hits, key=keys.__getitem__)
    if sort == "newest":
        # Newest document first, but each document's passages still in order.
        found.sort(key=lambda n: keys[n][0], reverse=True)
    return found
