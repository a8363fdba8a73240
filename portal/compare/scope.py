"""Which passages a comparison covers: each year's, and those passing the filters.

Worked out from the facet value arrays once per generation per worker, since a
comparison over 100k passages needs them on every request.
"""

from __future__ import annotations

import threading

from indexer.document.gazetteer import FORCE_BY_CODE
from portal.index.handle import IndexHandle, get_index

_lock = threading.Lock()
_year_docs: dict[str, dict[str, frozenset[int]]] = {}
# The filter choices of the served generation: reading every passage's values
# takes tens of milliseconds at 100k passages, and the compare page shows them.
_choices: dict[str, dict[str, list[dict]]] = {}


def year_documents(handle: IndexHandle) -> dict[str, frozenset[int]]:
    """Return the document numbers of each year, computed once per generation."""
    key = str(handle.path)
    with _lock:
        cached = _year_docs.get(key)
    if cached is not None:
        return cached
    by_year: dict[str, set[int]] = {}
    for docnum, values in enumerate(handle.values["year"]):
        for year in values:
            by_year.setdefault(year, set()).add(docnum)
    result = {y: frozenset(d) for y, d in sorted(by_year.items())}
    with _lock:
        _year_docs.clear()  # only the served generation is worth keeping
        _year_docs[key] = result
    return result


def facet_choices(handle: IndexHandle | None = None) -> dict[str, list[dict]]:
    """Return the values the author, force and type filters can take, with labels.

    Computed once per generation; callers must not change the lists.
    """
    handle = handle or get_index()
    key = str(handle.path)
    with _lock:
        cached = _choices.get(key)
    if cached is not None:
        return cached
    choices = {}
    for name in ("author", "force", "type"):
        values = sorted(
            {v for vals in handle.values[name] for v in vals}, key=str.lower
        )
        choices[name] = [
            {
                "value": v,
                "label": FORCE_BY_CODE[v].name
                if name == "force" and v in FORCE_BY_CODE
                else v,
            }
            for v in values
        ]
    with _lock:
        _choices.clear()  # only the served generation is worth keeping
        _choices[key] = choices
    return choices


def available_years(handle: IndexHandle | None = None) -> list[str]:
    """Return every year with passages in the index, oldest first."""
    return list(year_documents(handle or get_index()))


def allowed_documents(
    handle: IndexHandle, filters: dict[str, list[str]]
) -> set[int] | None:
    """Return the document numbers passing every facet filter, or None for all."""
    allowed = None
    for name, chosen in filters.items():
        wanted = set(chosen)
        column = handle.values[name]
        docs = {n for n, vals in enumerate(column) if wanted.intersection(vals)}
        allowed = docs if allowed is None else allowed & docs
    return allowed


def year_scope(
    handle: IndexHandle, year: str, allowed: set[int] | None
) -> frozenset[int]:
    """Return the document numbers of ``year`` passing the facet filters."""
    docs = year_documents(handle).get(year, frozenset())
    return docs if allowed is None else docs & allowed
