"""Passages and documents as plain records: what the reader, API and exports show."""

from __future__ import annotations

from whoosh.query import Term

from portal.index.generation import Generation
from portal.index.handle import get_index
from portal.search.links import permalink_url


def passage_record(handle: Generation, stored: dict) -> dict:
    """Return the public fields of a passage from its stored fields."""
    doc = handle.documents.get(stored["doc_id"], {})
    return {
        "id": stored["id"],
        "permalink": permalink_url(stored["id"]),
        "doc_id": stored["doc_id"],
        "doc_title": stored.get("title", ""),
        "date": stored.get("date") or None,
        "year": int(stored["year"]) if stored.get("year") else None,
        "author": stored.get("author", ""),
        "author_role": doc.get("author_role", ""),
        "type": stored.get("type", ""),
        "forces": [f for f in stored.get("forces", "").split(",") if f],
        "section": stored.get("section", ""),
        "kind": stored.get("kind", ""),
        "label": stored.get("label", ""),
        "position": stored.get("position", 0),
        "page": stored.get("page"),
        "ocr": bool(stored.get("ocr")),
        "text": stored.get("text", ""),
    }


def list_documents() -> list[dict]:
    """Return every indexed document's metadata, oldest first."""
    docs = get_index().documents.values()
    return sorted(docs, key=lambda d: (d.get("date") or "", d["id"]))


def get_passage(passage_id: str, context: int = 2) -> dict | None:
    """Return a passage with ``context`` neighbours before and after, or None."""
    handle = get_index()
    docnum = handle.ids.get(passage_id)
    if docnum is None:
        return None
    searcher = handle.searcher
    record = passage_record(handle, searcher.stored_fields(docnum))
    neighbours = [
        passage_record(handle, hit.fields())
        for hit in document_hits(handle, record["doc_id"])
    ]
    at = next(i for i, p in enumerate(neighbours) if p["id"] == passage_id)
    record["before"] = neighbours[max(0, at - context) : at]
    record["after"] = neighbours[at + 1 : at + 1 + context]
    return record


def document_hits(handle: Generation, doc_id: str):
    """Return the hits of every passage of a document, in reading order."""
    return handle.searcher.search(
        Term("doc_id", doc_id), limit=None, sortedby="position"
    )


def health() -> dict:
    """Return the counts and version of the served index, and any fallback.

    ``status`` is ``degraded`` when the generation ``CURRENT`` names is damaged
    and an earlier intact one is served; ``notice`` then says which and why.
    """
    handle = get_index()
    manifest = handle.manifest
    return {
        "status": "degraded" if handle.notice else "ok",
        "notice": handle.notice or None,
        "documents": manifest["documents"],
        "passages": manifest["passages"],
        "index_version": manifest["generation"],
        "format_version": manifest["format_version"],
        "built_at": manifest["built_at"],
    }
