"""Facet counting over the matching passages, with toggle links and chips.

Counts come from the facet value arrays of :class:`Generation`, so the
multi-valued ``forces`` field counts each force of a passage once (Whoosh's
``FieldFacet`` miscounts it: WHOOSH-NOTES pitfall 2). Several values of one facet
combine with OR, different facets with AND, and each facet's counts reflect the
query and every other facet's choice, so ticking a value never hides its siblings.
"""

from __future__ import annotations

import numpy as np

from indexer.analysis.schema import FACET_FIELDS
from indexer.findings.model import KIND_NAMES
from portal.index.generation import Generation
from portal.search.links import facet_url_maker, search_url

FACET_TITLES = {
    "year": "Year",
    "author": "Author",
    "force": "Force",
    "doc": "Document",
    "type": "Type",
    "kind": "Finding",
}
# Values listed per facet (the selected ones always are): bounds an answer's size.
MAX_FACET_VALUES = 100


def facet_label(handle: Generation, name: str, value: str) -> str:
    """Return how a facet value is shown: a document by its title and date."""
    if name == "doc" and value in handle.documents:
        doc = handle.documents[value]
        return f"{doc['display_name']}: {doc['title']}"
    if name == "kind":
        return KIND_NAMES.get(value, value)
    return value


def passages_mask(handle: Generation, docs) -> np.ndarray:
    """Return a bool array by document number marking ``docs``.

    ``docs``: a set of document numbers, or an int64 array of them.
    """
    mask = np.zeros(handle.searcher.doc_count_all(), bool)
    if isinstance(docs, np.ndarray):
        mask[docs] = True
    elif docs:
        mask[np.fromiter(docs, np.int64, len(docs))] = True
    return mask


def allowed_mask(
    handle: Generation, filters: dict[str, list[str]], skip: str = ""
) -> np.ndarray | None:
    """Return a bool array by document number: the passages passing every facet
    filter but ``skip``'s (values of one facet OR, facets AND).

    None means no filter applies, so every passage passes.
    """
    allowed = None
    for name, chosen in filters.items():
        if name == skip or not chosen:
            continue
        docs = handle.facet_codes[name].having(chosen)
        allowed = docs if allowed is None else allowed & docs
    return allowed


def count_facets(
    handle: Generation, matching, req, extra: np.ndarray | None = None
) -> dict[str, list[dict]]:
    """Count each facet's values over the matches passing the other facets' filters.

    ``matching``: the matches, a set of document numbers or an int64 array.
    ``extra`` is a further restriction every facet respects (the date range), a
    bool array by document number.
    """
    facets = {}
    base = passages_mask(handle, matching)
    if extra is not None:
        base &= extra
    for name in FACET_FIELDS:
        allowed = allowed_mask(handle, req.filters, skip=name)
        docs = base if allowed is None else base & allowed
        codes = handle.facet_codes[name]
        chosen = req.filters.get(name, [])
        if name == "year":
            # Few values, newest first, a chosen year in its place even at 0.
            counts = codes.count(docs)
            for value in chosen:
                counts.setdefault(value, 0)
            order = _capped(sorted(counts.items(), reverse=True), chosen)
        else:
            order = _by_count(codes, codes.counts(docs), chosen)
        toggle_url = facet_url_maker(req, name)
        facets[name] = [
            {
                "value": value,
                "count": count,
                "selected": value in chosen,
                "label": facet_label(handle, name, value),
                "toggle_url": toggle_url(_toggle(chosen, value)),
                "id": f"f-{name}-{i}",
            }
            for i, (value, count) in enumerate(order)
        ]
    return facets


def _by_count(codes, counts: np.ndarray, chosen: list[str]) -> list[tuple[str, int]]:
    """Return a facet's values most passages first, then by name (case ignored).

    The first :data:`MAX_FACET_VALUES` with a count, then the chosen ones past
    them, then chosen values no passage has (count 0). Ordered in numpy: a facet
    of thousands of documents is ordered without a Python step per value.
    """
    present = np.flatnonzero(counts)
    order = present[np.lexsort((codes.name_rank[present], -counts[present]))]
    kept = order[:MAX_FACET_VALUES].tolist()
    if len(order) > MAX_FACET_VALUES:
        wanted = [codes.index[v] for v in chosen if v in codes.index]
        past = order[MAX_FACET_VALUES:]
        kept += past[np.isin(past, wanted)].tolist()
    found = [(codes.names[c], int(counts[c])) for c in kept]
    listed = {codes.names[c] for c in present.tolist()} if chosen else set()
    absent = list(dict.fromkeys(v for v in chosen if v not in listed))
    return found + [(v, 0) for v in sorted(absent, key=str.lower)]


def _capped(order: list[tuple[str, int]], chosen: list[str]) -> list:
    """Return the first :data:`MAX_FACET_VALUES` of ``order``, plus any chosen ones.

    Each value carries a link, so a facet of thousands of documents would make
    every answer large; the values past the cap are reached by searching.
    """
    if len(order) <= MAX_FACET_VALUES:
        return order
    kept = order[:MAX_FACET_VALUES]
    return kept + [kv for kv in order[MAX_FACET_VALUES:] if kv[0] in chosen]


def _toggle(chosen: list[str], value: str) -> list[str]:
    """Return ``chosen`` with ``value`` removed if present, added if not."""
    return [v for v in chosen if v != value] if value in chosen else [*chosen, value]


def chips(handle: Generation, req) -> list[dict]:
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
