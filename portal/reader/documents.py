"""The document service: a document with its passages in order, and permalinks.

Views call these functions and render what they return. Old passage ids are
resolved with the maps the indexer wrote from the permalink ledger into the
served generation, so the portal reads nothing but the index directory.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from indexer.document.segment import PASSAGE_ID, SECTION_SEPARATOR
from portal.index.generation import Generation
from portal.index.handle import get_index
from portal.index.names import long_date
from portal.reader import navigation
from portal.reader.diff import changes_html
from portal.search.highlight import NOTHING, marker, query_terms
from portal.search.service import document_hits, parse_query, passage_record

DOC_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$")
# Relations between documents, as documents.json may carry them.
RELATIONS = (("answers", "Answers"), ("answered_by", "Answered by"))


@dataclass
class Permalink:
    """What a passage id resolves to in the served index."""

    status: str  # "live" | "moved" | "gone" | "unknown" | "malformed"
    id: str
    to: str = ""
    archived: dict = field(default_factory=dict)

    @property
    def message(self) -> str:
        """Say in one sentence why the id does not lead to a passage."""
        if self.status == "malformed":
            return (
                f"{self.id[:40]!r} is not a passage id: ids are 10 characters, "
                "lower-case letters a-z and digits 2-7"
            )
        if self.status == "gone":
            return f"passage {self.id} was removed from its document"
        return f"no passage has the id {self.id!r}"


def resolve_permalink(passage_id: str) -> Permalink:
    """Resolve a passage id: live, moved to a new id, gone, unknown or malformed."""
    if not PASSAGE_ID.fullmatch(passage_id):
        return Permalink("malformed", passage_id)
    handle = get_index()
    if passage_id in handle.ids:
        return Permalink("live", passage_id)
    redirects, gone, _, _ = handle.resolution
    if passage_id in redirects:
        return Permalink("moved", passage_id, to=redirects[passage_id])
    if passage_id in gone:
        archived = dict(gone[passage_id])
        archived["doc_title"] = handle.documents.get(archived["doc"], {}).get("title")
        archived["retired_on"] = build_date(archived.get("retired", ""))
        return Permalink("gone", passage_id, archived=archived)
    return Permalink("unknown", passage_id)


_BUILD_TIME = re.compile(r"^gen-(\d{4})(\d{2})(\d{2})T")


def build_date(build_id: str) -> str:
    """Return the day a build ran, from its generation name, or ``""``."""
    found = _BUILD_TIME.match(build_id or "")
    return long_date("-".join(found.groups())) if found else ""


def cite(doc: dict, passage: dict, url: str) -> str:
    """Return a ready citation: author, what and to whom, date, page and
    paragraph, URL."""
    author = doc.get("author") or doc.get("organisation") or "Unknown author"
    if doc.get("type") == "letter":
        what = f"letter to {doc['recipient']}" if doc.get("recipient") else "letter"
    else:
        what = doc.get("title") or "report"
    where = (
        f"para {passage['para']}"
        if passage.get("para")
        else f"heading “{passage['text']}”"
    )
    if passage.get("page"):
        where = f"p. {passage['page']}, {where}"
    return f"{author}, {what}, {long_date(doc.get('date'))}, {where}, {url}"


def _numbered(handle: Generation, doc_id: str) -> list[dict]:
    passages, para, page = [], 0, None
    for hit in document_hits(handle, doc_id):
        record = passage_record(handle, hit.fields())
        if record["kind"] != "heading":
            para += 1
        record["para"] = para if record["kind"] != "heading" else None
        # The page a passage starts on, when it starts a new one: a boundary.
        record["new_page"] = record["page"] if record["page"] != page else None
        page = record["page"]
        # A heading's section path holds the headings above it: its depth.
        parts = record["section"].split(SECTION_SEPARATOR) if record["section"] else []
        record["heading_level"] = min(2 + len(parts), 5)
        passages.append(record)
    return passages


def _relations(handle: Generation, doc: dict) -> list[dict]:
    """Return the documents this one answers or is answered by, with links."""
    links = []
    for key, label in RELATIONS:
        value = doc.get(key) or []
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict):
                item = item.get("id") or item.get("doc_id") or item.get("title")
            target = str(item)
            other = handle.documents.get(target)
            links.append(
                {
                    "relation": label,
                    "doc_id": other["id"] if other else None,
                    "title": other["title"] if other else target,
                    "display_name": other.get("display_name", "") if other else "",
                    "date": long_date(other.get("date")) if other else "",
                }
            )
    if not any(link["relation"] == "Answers" for link in links):
        if doc.get("answers_reference"):
            links.insert(
                0,
                {
                    "relation": "Answers",
                    "doc_id": None,
                    "title": doc["answers_reference"],
                    "date": "",
                },
            )
    return links


def _marker(handle: Generation, hl: str):
    """Return the marker for ``hl``, parsed as search parses it (acronyms expanded)."""
    if not hl.strip():
        return marker(NOTHING)
    return marker(query_terms(parse_query(hl, handle), handle.searcher.reader()))


def get_document(doc_id: str, hl: str = "") -> dict | None:
    """Return a document's metadata, relations and passages, or None if unknown.

    Each passage carries its paragraph number, the old ids re-anchored to it (so
    old ``#anchors`` still land) and its text as HTML with ``hl`` words marked.
    """
    if not DOC_ID.fullmatch(doc_id):
        return None
    handle = get_index()
    doc = handle.documents.get(doc_id)
    if doc is None:
        return None
    earlier = handle.resolution.earlier
    mark = _marker(handle, hl)
    passages = _numbered(handle, doc_id)
    shown = ""
    for record in passages:
        record["html"] = mark(record["text"])
        # A finding labels every paragraph under it; the reader shows it once.
        label = record["label"] if record["label"] != shown else ""
        shown = record["text"] if record["kind"] == "heading" else record["label"]
        record["label_html"] = mark(label) if label else ""
        record["earlier_ids"] = list(earlier.get(record["id"], ()))
    matches = navigation.number_matches(passages, navigation.match_ids(doc_id, hl))
    first = next((p["id"] for p in passages if p.get("match") == 1), None)
    return {
        "doc": doc,
        "date_long": long_date(doc.get("date")),
        "relations": _relations(handle, doc),
        "passages": passages,
        "marked": matches,
        "first_match": first,
        "contents": navigation.contents(passages),
    }


def get_passage(passage_id: str, url: str, revised_from: str = "") -> dict | None:
    """Return a live passage with two neighbours each side, its document and citation.

    ``revised_from`` is the old id a redirect came from; its earlier text is
    returned when it really was re-anchored to this passage.
    """
    handle = get_index()
    if passage_id not in handle.ids:
        return None
    stored = handle.searcher.stored_fields(handle.ids[passage_id])
    passages = _numbered(handle, stored["doc_id"])
    at = next(i for i, p in enumerate(passages) if p["id"] == passage_id)
    passage = passages[at]
    doc = handle.documents.get(passage["doc_id"], {})
    _, _, revised, earlier = handle.resolution
    previous = revised.get(revised_from) if PASSAGE_ID.fullmatch(revised_from) else None
    if previous is not None and previous["to"] != passage_id:
        previous = None  # only a real re-anchoring to this passage is reported
    if previous is not None:
        previous = previous | {"retired_on": build_date(previous.get("retired", ""))}
    return {
        "passage": passage,
        "before": passages[max(0, at - 2) : at],
        "after": passages[at + 1 : at + 3],
        "doc": doc,
        "date_long": long_date(doc.get("date")),
        "section_path": passage["section"].split(SECTION_SEPARATOR)
        if passage["section"]
        else [],
        "citation": cite(doc, passage, url),
        "revised_from": revised_from if previous else "",
        "previous": previous,
        "changes": changes_html(previous["text"], passage["text"]) if previous else "",
        "earlier_ids": list(earlier.get(passage_id, ())),
    }


def source_file(doc_id: str, corpus_dir: Path) -> tuple[Path, str] | None:
    """Return the original file of a document and its name, or None.

    The path comes from the index's document list, never from the request, and
    must resolve inside the corpus folder.
    """
    if not DOC_ID.fullmatch(doc_id):
        return None
    doc = get_index().documents.get(doc_id)
    if doc is None or not doc.get("source"):
        return None
    root = corpus_dir.resolve()
    path = (root / doc["source"]).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    return path, path.name
