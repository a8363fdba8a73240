"""A parsed document: its metadata and its passages, ready to index."""

from __future__ import annotations

import copy
from collections import Counter
from dataclasses import dataclass, field, fields

from indexer.document.dates import find_date
from indexer.document.furniture import strip_furniture
from indexer.document.gazetteer import FORCE_BY_CODE, find_forces
from indexer.document.metadata import DOC_TYPES, extract
from indexer.document.parse import parse_blocks
from indexer.document.segment import Passage, segment
from indexer.source.corpus import RawDocument

# Sidecar fields a researcher may set in NAME.meta.toml.
OVERRIDABLE = {
    "title",
    "date",
    "author",
    "author_role",
    "recipient",
    "recipient_role",
    "organisation",
    "type",
    "reference",
    "forces",
    "source_url",
}


@dataclass
class Document:
    """One corpus document: metadata, the furniture lifted out of it, its passages."""

    id: str
    title: str
    date: str | None
    author: str
    author_role: str
    recipient: str
    recipient_role: str
    organisation: str
    type: str
    reference: str
    forces: list[str]
    source: str
    format: str
    checksum: str
    source_url: str = ""
    cc: str = ""
    recipients: list[str] = field(default_factory=list)
    # A web page's own "Published" and "Updated" dates, apart from the document's.
    published: str | None = None
    updated: str | None = None
    furniture: list[tuple[str, str]] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def year(self) -> int | None:
        return int(self.date[:4]) if self.date else None

    def summary(self) -> dict:
        """Return the document's metadata as plain data, with a passage count."""
        # Field by field rather than asdict(): asdict deep-copies every passage
        # only for them to be dropped, which cost seconds per build at 100k.
        skip = {"passages", "furniture", "warnings", "checksum"}
        data = {
            f.name: copy.deepcopy(getattr(self, f.name))
            for f in fields(self)
            if f.name not in skip
        }
        data["year"] = self.year
        data["passages"] = len(self.passages)
        data["force_names"] = [
            FORCE_BY_CODE[c].name for c in self.forces if c in FORCE_BY_CODE
        ]
        return data


def document_forces(passages: list[Passage]) -> list[str]:
    """Return the forces a document is about, most often named first.

    Short documents (letters) count every force they name; long ones (reports) count
    forces with a section of their own or named in at least two passages, so that an
    appendix listing every force in England and Wales does not tag the report with all.
    """
    counts: Counter[str] = Counter(code for p in passages for code in p.forces)
    sectioned = {
        code
        for p in passages
        if p.kind == "heading" and p.level == 1
        for code in p.forces
    }
    floor = 1 if len(passages) <= 20 else 2
    return [c for c, n in counts.most_common() if n >= floor or c in sectioned]


def load_document(raw: RawDocument) -> Document:
    """Parse, extract and segment one raw document, applying its sidecar overrides."""
    text, dropped = strip_furniture(raw.text)  # blanked: line numbers stay
    blocks = parse_blocks(text)
    layout = raw.layout
    if layout is not None and layout.page_starts:
        for block in blocks:
            block.page = layout.page_of(block.line)
    meta, body = extract(blocks, stem=raw.source.rsplit("/", 1)[-1])
    meta.furniture.extend(("page-furniture", line) for line in dropped)
    passages = segment(raw.slug, body)
    if layout is not None and layout.ocr_pages:
        for passage in passages:
            passage.ocr = passage.page in layout.ocr_pages
    doc = Document(
        id=raw.slug,
        title=meta.title,
        date=meta.date,
        author=meta.author,
        author_role=meta.author_role,
        recipient=meta.recipient,
        recipient_role=meta.recipient_role,
        organisation=meta.organisation,
        type=meta.type,
        reference=meta.reference,
        # A force named in the title (a subject line lifted out of the body) counts.
        forces=list(dict.fromkeys(find_forces(meta.title) + document_forces(passages))),
        source=raw.source,
        format=raw.format,
        checksum=raw.checksum,
        cc=meta.cc,
        recipients=list(meta.recipients),
        published=meta.published,
        updated=meta.updated,
        furniture=meta.furniture,
        passages=passages,
        # Reading warnings are the reader's to report (read_corpus does); these
        # are what parsing adds, so a build never reports one twice.
        warnings=[],
    )
    if layout is not None:
        _apply_fallbacks(doc, layout.properties)
    _apply_overrides(doc, raw.overrides)
    if not doc.title:
        doc.title = _fallback_title(doc)
    if doc.date is None:
        doc.warnings.append('no date found; add date = "YYYY-MM-DD" to its .meta.toml')
    return doc


def _apply_fallbacks(doc: Document, properties: dict[str, str]) -> None:
    """Fill what the text did not give from the file's own title, author and date;
    the letter's own text wins."""
    if not doc.title and properties.get("title"):
        doc.title = properties["title"]
    if not doc.author and properties.get("author"):
        doc.author = properties["author"]
    if doc.date is None and find_date(properties.get("date", "")):
        doc.date = properties["date"]


def _apply_overrides(doc: Document, overrides: dict) -> None:
    for key, value in overrides.items():
        if key not in OVERRIDABLE:
            doc.warnings.append(f"sidecar field {key!r} is not known and was ignored")
            continue
        if key not in ("date", "forces") and not isinstance(value, str):
            # A number or table where text belongs would break the index writer.
            doc.warnings.append(f"sidecar field {key!r} must be a string; ignored")
            continue
        if key == "date":
            iso = find_date(str(value))
            if iso is None:
                doc.warnings.append(
                    f"sidecar date {value!r} is not YYYY-MM-DD; ignored"
                )
                continue
            value = iso
        if key == "type" and value not in DOC_TYPES:
            kinds = ", ".join(DOC_TYPES)
            doc.warnings.append(f"sidecar type {value!r} is not one of {kinds}")
            continue
        if key == "forces":
            value = [str(v) for v in (value if isinstance(value, list) else [value])]
        setattr(doc, key, value)
        if key == "recipient":
            doc.recipients = [value] if value else []


def _fallback_title(doc: Document) -> str:
    if doc.type == "letter":
        parts = [
            "Letter",
            f"from {doc.author}" if doc.author else "",
            f"to {doc.recipient}" if doc.recipient else "",
        ]
        return " ".join(p for p in parts if p)
    return doc.source.rsplit("/", 1)[-1].rsplit(".", 1)[0].replace("-", " ")
