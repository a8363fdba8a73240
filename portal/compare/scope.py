"""Which passages a comparison covers: each year's, and those passing the filters.

Worked out from the year sets and facet values the served :class:`Generation`
keeps, since a comparison over 100k passages needs them on every request.
"""

from __future__ import annotations

from indexer.document.gazetteer import FORCE_BY_CODE
from portal.index.generation import Generation
from portal.index.handle import get_index


def facet_choices(handle: Generation | None = None) -> dict[str, list[dict]]:
    """Return the values the author, force and type filters can take, with labels."""
    handle = handle or get_index()
    choices = {}
    for name in ("author", "force", "type"):
        values = sorted(handle.distinct_values[name], key=str.lower)
        choices[name] = [
            {
                "value": v,
                "label": FORCE_BY_CODE[v].name
                if name == "force" and v in FORCE_BY_CODE
                else v,
            }
            for v in values
        ]
    return choices


def available_years(handle: Generation | None = None) -> list[str]:
    """Return every year with passages in the index, oldest first."""
    return list((handle or get_index()).year_documents)


def allowed_documents(
    handle: Generation, filters: dict[str, list[str]]
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
    handle: Generation, year: str, allowed: set[int] | None
) -> frozenset[int]:
    """Return the document numbers of ``year`` passing the facet filters."""
    docs = handle.year_documents.get(year, frozenset())
    return docs if allowed is None else docs & allowed
