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


def allowed_docs(
    handle: Generation, filters: dict[str, list[str]], skip: str = ""
) -> set[int] | None:
    """Return the document numbers passing every facet filter but ``skip``.

    None means no filter applies, so every document passes.
    """
    allowed: set[int] | None = None
    for name, chosen in filters.items():
        if name == skip or not chosen:
            continue
        docs: set[int] = set()
        for value in chosen:
            docs |= handle.value_docs(name, value)
        allowed = docs if allowed is None else allowed & docs
    return allowed


def facet_label(handle: Generation, name: str, value: str) -> str:
    """Return how a facet value is shown: a document by its title and date."""
    if name == "doc" and value in handle.documents:
        doc = handle.documents[value]
        return f"{doc['display_name']}: {doc['title']}"
    if name == "kind":
        return KIND_NAMES.get(value, value)
    return value


def passages_mask(handle: Generation, docs) -> np.ndarray:
    """Return a bool array by document number marking ``docs`` (an iterable)."""
    mask = np.zeros(handle.searcher.doc_count_all(), bool)
    if docs:
        mask[np.fromiter(docs, np.int64, len(docs))] = True
    return mask


def _allowed_mask(handle: Generation, filters, skip: str) -> np.ndarray | None:
    """Return :func:`allowed_docs` as a bool array (None: every document passes)."""
    allowed = None
    size = handle.searcher.doc_count_all()
    for name, chosen in filters.items():
        if name == skip or not chosen:
            continue
        docs = handle.facet_codes[name].having(chosen, size)
        allowed = docs if allowed is None else allowed & docs
    return allowed


def count_facets(
    handle: Generation, matching: set[int], req, extra: set[int] | None = None
) -> dict[str, list[dict]]:
    """Count each facet's values over the matches passing the other facets' filters.

    ``extra`` is a further restriction every facet respects (the date range).
    """
    facets = {}
    base = passages_mask(handle, matching)
    if extra is not None:
        base &= passages_mask(handle, extra)
    for name in FACET_FIELDS:
        allowed = _allowed_mask(handle, req.filters, skip=name)
        docs = base if allowed is None else base & allowed
        counts = handle.facet_codes[name].count(docs)
        chosen = req.filters.get(name, [])
        for value in chosen:
            counts.setdefault(value, 0)
        if name == "year":
            order = sorted(counts.items(), reverse=True)
        else:
            order = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].lower()))
        order = _capped(order, chosen)
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
