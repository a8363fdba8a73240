"""Finding one's way in a long document: its contents and its matches in order.

The matches of ``?hl=`` are the passages search finds for the same query within
the document (the same parser, expansion and filters as ``/search?doc=``), so the
reader's count and search's count for that document are the same number.
"""

from __future__ import annotations

from portal.search.service import BadRequestError, SearchRequest, run_query


def match_ids(doc_id: str, q: str) -> set[str]:
    """Return the ids of the passages of ``doc_id`` that search finds for ``q``."""
    if not q.strip():
        return set()
    try:
        found = run_query(SearchRequest(q=q, filters={"doc": [doc_id]}, correct=False))
    except BadRequestError:
        return set()
    stored = found.handle.searcher.stored_fields
    return {stored(n)["id"] for n in found.hits}


def number_matches(passages: list[dict], matches: set[str]) -> int:
    """Give each matching passage ``match`` (1-based) and its neighbours' anchors.

    :return: how many passages match.
    """
    order = [p for p in passages if p["id"] in matches]
    for i, passage in enumerate(order):
        passage["match"] = i + 1
        passage["previous_match"] = order[i - 1]["id"] if i > 0 else None
        passage["next_match"] = order[i + 1]["id"] if i + 1 < len(order) else None
    return len(order)


def contents(passages: list[dict]) -> list[dict]:
    """Return the headings as a table of contents: ``{"id", "text", "level"}``."""
    return [
        {"id": p["id"], "text": p["text"], "level": p["heading_level"]}
        for p in passages
        if p["kind"] == "heading"
    ]
