"""Facet counting over the matching passages, with toggle links and chips.

Counts come from the per-generation value arrays of :class:`IndexHandle`, so the
multi-valued ``forces`` field counts each force of a passage once (Whoosh's
``FieldFacet`` miscounts it: WHOOSH-NOTES pitfall 2). Several values of one facet
combine with OR, different facets with AND, and each facet's counts reflect the
query and every other facet's choice, so ticking a value never hides its siblings.
"""

from __future__ import annotations

import threading
from collections import Counter

from indexer.schema import FACET_FIELDS
from portal.index import IndexHandle
from portal.links import search_url

FACET_TITLES = {
    "year": "Year",
    "author": "Author",
    "force": "Force",
    "doc": "Document",
    "type": "Type",
}
_POSTINGS: dict[str, dict[str, dict[str, frozenset[int]]]] = {}
_POSTINGS_LOCK = threading.Lock()  # threads of one worker share the cache


def postings(handle: IndexHandle) -> dict[str, dict[str, frozenset[int]]]:
    """Return, per facet and value, the document numbers having it (cached)."""
    key = str(handle.path)
    cached = _POSTINGS.get(key)
    if cached is None:
        cached = {}
        for name in FACET_FIELDS:
            found: dict[str, set[int]] = {}
            for docnum, values in enumerate(handle.values[name]):
                for value in values:
                    found.setdefault(value, set()).add(docnum)
            cached[name] = {v: frozenset(d) for v, d in found.items()}
        with _POSTINGS_LOCK:
            # Keep only the newest generations: old ones are no longer served.
            while len(_POSTINGS) >= 2:
                _POSTINGS.pop(next(iter(_POSTINGS)))
            _POSTINGS[key] = cached
    return cached


def allowed_docs(
    handle: IndexHandle, filters: dict[str, list[str]], skip: str = ""
) -> set[int] | None:
    """Return the document numbers passing every facet filter but ``skip``.

    None means no filter applies, so every document passes.
    """
    table = postings(handle)
    allowed: set[int] | None = None
    for name, chosen in filters.items():
        if name == skip or not chosen:
            continue
        docs: set[int] = set()
        for value in chosen:
            docs |= table[name].get(value, frozenset())
        allowed = docs if allowed is None else allowed & docs
    return allowed


def facet_label(handle: IndexHandle, name: str, value: str) -> str:
    """Return how a facet value is shown: a document by its title and date."""
    if name == "doc" and value in handle.documents:
        doc = handle.documents[value]
        return f"{doc['title']} ({doc['date'] or 'undated'})"
    return value


def count_facets(
    handle: IndexHandle, matching: set[int], req, extra: set[int] | None = None
) -> dict[str, list[dict]]:
    """Count each facet's values over the matches passing the other facets' filters.

    ``extra`` is a further restriction every facet respects (the date range).
    """
    facets = {}
    base = matching if extra is None else matching & extra
    for name in FACET_FIELDS:
        allowed = allowed_docs(handle, req.filters, skip=name)
        docs = base if allowed is None else base & allowed
        column = handle.values[name]
        counts = Counter(v for n in docs for v in column[n])
        chosen = req.filters.get(name, [])
        for value in chosen:
            counts.setdefault(value, 0)
        if name == "year":
            order = sorted(counts.items(), reverse=True)
        else:
            order = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].lower()))
        facets[name] = [
            {
                "value": value,
                "count": count,
                "selected": value in chosen,
                "label": facet_label(handle, name, value),
                "toggle_url": search_url(req, **{name: _toggle(chosen, value)}),
                "id": f"f-{name}-{i}",
            }
            for i, (value, count) in enumerate(order)
        ]
    return facets


def _toggle(chosen: list[str], value: str) -> list[str]:
    """Return ``chosen`` with ``value`` removed if present, added if not."""
    return [v for v in chosen if v != value] if value in chosen else [*chosen, value]


def chips(handle: IndexHandle, req) -> list[dict]:
    """Return one removable chip per chosen facet value and date bound."""
    found = []
    for name, chosen in req.filters.items():
        for value in chosen:
            found.append(
                {
                    "facet": name,
                    "value": value,
                    "label": f"{FACET_TITLES.get(name, name)}: "
                    f"{facet_label(handle, name, value)}",
                    "remove_url": search_url(req, **{name: _toggle(chosen, value)}),
                }
            )
    for key, title in (("from", "From"), ("to", "To")):
        value = req.date_from if key == "from" else req.date_to
        if value:
            found.append(
                {
                    "facet": key,
                    "value": value,
                    "label": f"{title}: {value}",
                    "remove_url": search_url(req, **{key: None}),
                }
            )
    return found
