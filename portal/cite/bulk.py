"""The whole corpus as data: passages, documents and permalinks, streamed.

Every generator here yields text a chunk at a time, so a download of a million
passages never sits in memory whole; the views stream it inside the request (the
index handle belongs to the request's thread).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

from portal.cite.feed import first_seen
from portal.index.generation import Generation
from portal.search.export import safe_cell
from portal.search.service import document_hits, passage_record

PASSAGE_COLUMNS = (
    ("id", "the passage's permanent id (10 characters)"),
    ("permalink", "its page on the portal"),
    ("doc_id", "the document's id"),
    ("doc_title", "the document's title"),
    ("date", "the document's own date (ISO 8601), empty if unknown"),
    ("year", "the year of that date"),
    ("type", "letter, report, or another document type"),
    ("author", "who wrote or issued the document"),
    ("author_role", "the author's role, e.g. Deputy Mayor for Policing and Crime"),
    ("recipient", "to whom a letter is addressed"),
    ("organisation", "the author's organisation"),
    ("forces", "the police forces the passage names, ';'-separated codes"),
    ("section", "the headings above the passage, ' > '-separated"),
    ("kind", "paragraph, heading or list"),
    ("label", "the finding or list lead-in the passage sits under"),
    ("paragraph", "the paragraph's number in its document (empty for a heading)"),
    ("page", "the page it starts on, for documents with pages"),
    ("first_seen", "when the passage first entered the index (UTC)"),
    ("text", "the passage's text"),
)
DOCUMENT_FIELDS = (
    ("id", "the document's id (from its file name)"),
    ("title", "its title"),
    ("date", "its own date (ISO 8601)"),
    ("type", "letter, report, ..."),
    ("author", "who wrote or issued it"),
    ("author_role", "the author's role"),
    ("recipient", "to whom a letter is addressed"),
    ("organisation", "the author's organisation"),
    ("reference", "the document's own reference number"),
    ("forces", "the forces it names, as codes"),
    ("source", "the file it was read from"),
    ("passages", "how many passages it has"),
    ("answers / answered_by", "the letters and reports it is linked to"),
)
PERMALINK_FIELDS = (
    ("id", "a passage id ever issued"),
    ("status", "live, moved (its passage was revised) or gone (removed)"),
    ("to", "for a moved id, the live id it now leads to"),
    ("doc", "the document the passage belongs or belonged to"),
    ("first_seen", "when the id was first issued (UTC), for live ids"),
    ("text", "for moved and gone ids, the text as it was when cited"),
)


def _by_date(handle: Generation) -> list[dict]:
    """Return the documents oldest first (undated first), then by id."""
    docs = handle.documents.values()
    return sorted(docs, key=lambda d: (d.get("date") or "", d["id"]))


def passage_rows(handle: Generation, root: str) -> Iterator[dict]:
    """Yield every passage, document by document in date order, with metadata."""
    seen = first_seen(handle)
    docs = sorted(
        handle.documents.values(), key=lambda d: (d.get("date") or "", d["id"])
    )
    for doc in docs:
        para = 0
        for hit in document_hits(handle, doc["id"]):
            stored = hit.fields()
            record = passage_record(handle, stored)
            if record["kind"] != "heading":
                para += 1
            first = seen.get(record["id"])
            recipient = doc.get("recipient") or ""
            yield record | {
                "permalink": root.rstrip("/") + record["permalink"],
                "recipient": "; ".join(recipient)
                if isinstance(recipient, list)
                else recipient,
                "organisation": doc.get("organisation", ""),
                "paragraph": para if record["kind"] != "heading" else None,
                "page": stored.get("page") or None,
                "first_seen": first.isoformat() if first else None,
            }


def passages_csv(rows: Iterator[dict]) -> Iterator[str]:
    """Yield the passages as CSV, a byte-order mark and header first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([name for name, _ in PASSAGE_COLUMNS])
    yield "\ufeff" + buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        values = dict(row, forces=";".join(row["forces"]))
        writer.writerow([safe_cell(values.get(name)) for name, _ in PASSAGE_COLUMNS])
        yield buffer.getvalue()


def passages_jsonl(rows: Iterator[dict]) -> Iterator[str]:
    """Yield one JSON object per line per passage."""
    for row in rows:
        values = {name: row.get(name) for name, _ in PASSAGE_COLUMNS}
        yield json.dumps(values, ensure_ascii=False) + "\n"


def documents_json(handle: Generation) -> Iterator[str]:
    """Yield every document's metadata as one JSON array, a document at a time."""
    docs = sorted(
        handle.documents.values(), key=lambda d: (d.get("date") or "", d["id"])
    )
    yield "["
    for i, doc in enumerate(docs):
        yield ("," if i else "") + "\n" + json.dumps(doc, ensure_ascii=False)
    yield "\n]\n"


def permalinks_jsonl(handle: Generation) -> Iterator[str]:
    """Yield every passage id ever issued with its status, one per line."""
    seen = first_seen(handle)
    for pid in sorted(handle.ids):
        first = seen.get(pid)
        yield (
            json.dumps(
                {
                    "id": pid,
                    "status": "live",
                    "first_seen": first.isoformat() if first else None,
                }
            )
            + "\n"
        )
    redirects, gone, revised, _ = handle.resolution
    for pid in sorted(redirects):
        was = revised.get(pid, {})
        line = {"id": pid, "status": "moved", "to": redirects[pid]}
        line |= {"doc": was.get("doc"), "text": was.get("text")}
        yield json.dumps(line, ensure_ascii=False) + "\n"
    for pid in sorted(gone):
        was = gone[pid]
        line = {"id": pid, "status": "gone", "doc": was.get("doc")}
        yield json.dumps(line | {"text": was.get("text")}, ensure_ascii=False) + "\n"
