"""Results grouped by document: each document's best passages, best documents first.

A document ranks by its best passage in the order asked (relevance, newest,
oldest); inside a group passages keep that order. ``per_page`` counts documents
when results are grouped, and each group shows its first :data:`GROUP_SIZE`
passages with a link to the rest.
"""

from __future__ import annotations

from collections.abc import Callable

GROUP_SIZE = 3  # passages shown per document before "N more in this document"


def group_by_document(
    docnums: list[int], doc_of: Callable[[int], str]
) -> dict[str, list[int]]:
    """Return ``{doc id: [docnums]}`` in first-appearance order of ``docnums``."""
    groups: dict[str, list[int]] = {}
    for docnum in docnums:
        groups.setdefault(doc_of(docnum), []).append(docnum)
    return groups


def page_of_groups(
    groups: dict[str, list[int]], page: int, per_page: int
) -> list[tuple[str, list[int]]]:
    """Return the groups on ``page`` (1-based), ``per_page`` documents a page."""
    items = list(groups.items())
    start = (page - 1) * per_page
    return items[start : start + per_page]
