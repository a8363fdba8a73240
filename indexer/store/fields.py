"""Fields: what a parsed document becomes in the index, passage by passage.

``passage_fields`` gives the Whoosh fields of each passage, ``rows_of`` its facet
row (the columns :mod:`indexer.store.columns` writes), and ``parse_one`` turns a
raw document into a parsed one, or into the problems that kept it out.
"""

from __future__ import annotations

from collections.abc import Iterator

from indexer.document.record import Document, load_document
from indexer.source.corpus import Problem, RawDocument

Row = tuple[str, str, str, str, str, str] | None  # id, doc, year, author, type, forces


def parse_one(raw: RawDocument) -> tuple[Document | None, list[Problem]]:
    """Parse one raw document; a failure or an empty body is a problem, not a stop."""
    if not raw.text and raw.warnings:  # unreadable by the time it was loaded
        return None, [Problem(raw.source, raw.warnings[-1])]
    try:
        doc = load_document(raw)
    except Exception as exc:  # one broken document never stops the build
        return None, [Problem(raw.source, f"could not be parsed: {exc!r}")]
    problems = [Problem(doc.source, w, skipped=False) for w in doc.warnings]
    if not doc.passages:
        problems.append(Problem(doc.source, "has no body text to index"))
        return None, problems
    return doc, problems


def passage_fields(doc: Document) -> Iterator[dict]:
    """Yield the index fields of each passage of ``doc``."""
    for p in doc.passages:
        yield {
            "id": p.id,
            "doc_id": doc.id,
            "position": p.position,
            "kind": p.kind,
            "label": p.label,
            "label_pairs": p.label,
            "section": p.section,
            "text": p.text,
            "pairs": p.text,
            "exact": p.text,
            "title": doc.title,
            "date": doc.date or "",
            "year": str(doc.year or ""),
            "author": doc.author,
            "type": doc.type,
            "forces": ",".join(p.forces),
            "page": p.page,
            "ocr": p.ocr or None,
        }


def rows_of(doc: Document) -> list[Row]:
    """Return the facet row of each passage of ``doc``, in passage order."""
    year = str(doc.year or "")
    return [
        (p.id, doc.id, year, doc.author, doc.type, ",".join(p.forces))
        for p in doc.passages
    ]
