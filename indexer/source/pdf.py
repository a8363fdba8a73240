"""Read a PDF: its text layer through pdfplumber, its scanned pages through OCR.

pdfplumber (on pdfminer.six) gives every character with its font, size and
position, which is what telling a heading from body text and a running footer
from the last line of a paragraph needs. Pages without a text layer are handed
to :mod:`indexer.source.ocr`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

from indexer.source.errors import UnreadableDocumentError
from indexer.source.layout import Layout, Line, compose, drop_furniture
from indexer.source.ocr import OcrUnavailableError, ocr_pages

# A page with fewer characters than this in its text layer is taken for a scan.
MIN_PAGE_CHARS = 20
MAX_PAGES = 2000


def read_pdf(path: Path) -> tuple[str, Layout, list[str]]:
    """Return a PDF's text in block form, its layout and reading warnings.

    :raise UnreadableDocumentError: for an encrypted, damaged, empty or image-only
        PDF that cannot be read, with a message saying what to do.
    """
    # Imported here: a build of text files only never needs the PDF stack.
    import pdfplumber

    with path.open("rb") as handle:
        if handle.read(5) != b"%PDF-":
            raise UnreadableDocumentError(
                "has a .pdf extension but is not a PDF file; check what it is"
            )
    try:
        with pdfplumber.open(path) as pdf:
            count = len(pdf.pages)
            if count == 0:
                raise UnreadableDocumentError(
                    "PDF has no pages; export the document to PDF again"
                )
            if count > MAX_PAGES:
                raise UnreadableDocumentError(
                    f"PDF has {count} pages, over the {MAX_PAGES}-page limit; "
                    "split it into parts and add those"
                )
            properties = _properties(pdf.metadata or {})
            pages = [_page_lines(page) for page in pdf.pages]
    except UnreadableDocumentError:
        raise
    except Exception as exc:  # pdfminer raises many kinds on a damaged file
        raise UnreadableDocumentError(_open_failure(exc)) from exc
    warnings: list[str] = []
    scanned = [n for n, lines in enumerate(pages, 1) if _chars(lines) < MIN_PAGE_CHARS]
    if scanned:
        try:
            for number, lines in ocr_pages(path, scanned).items():
                pages[number - 1] = lines
        except OcrUnavailableError as exc:
            if len(scanned) == count:
                raise UnreadableDocumentError(
                    f"is a scanned PDF with no text layer and {exc}"
                ) from exc
            warnings.append(f"{_pages(scanned)} scanned, not read: {exc}")
            scanned = []
    kept, dropped = drop_furniture(pages)
    text, starts = compose(kept)
    if not text.strip():
        raise UnreadableDocumentError(
            "PDF contains no text (its pages are blank or images OCR read nothing "
            "from); check the file"
        )
    layout = Layout(count, starts, scanned, dropped, properties)
    return text, layout, warnings


def _open_failure(exc: Exception) -> str:
    """Say why pdfplumber could not open a PDF, and what to do."""
    cause = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
    name = type(cause).__name__
    if "Password" in name or "Encrypt" in name or "password" in str(cause).lower():
        return (
            "PDF is encrypted with a password; save an unprotected copy "
            "(print it to PDF) and add that instead"
        )
    return f"PDF is damaged and cannot be read ({name}); download or export it again"


def _chars(lines: list[Line]) -> int:
    return sum(len(line.text.strip()) for line in lines)


def _pages(numbers: list[int]) -> str:
    return ("page " if len(numbers) == 1 else "pages ") + ", ".join(map(str, numbers))


def _page_lines(page) -> list[Line]:
    """Return the text lines of a pdfplumber page, top to bottom.

    A line's top and bottom are those of its characters in its dominant size, so
    a superscript note mark or a drop capital does not move the line.
    """
    lines = []
    for found in page.extract_text_lines(return_chars=True, strip=True):
        chars = [c for c in found["chars"] if c["text"].strip()]
        if not chars:
            continue
        sizes = Counter(round(c["size"], 1) for c in chars)
        size = sizes.most_common(1)[0][0]
        main = [c for c in chars if round(c["size"], 1) == size]
        bold = sum(1 for c in chars if _is_bold(c["fontname"])) > len(chars) / 2
        lines.append(
            Line(
                text=found["text"],
                top=min(c["top"] for c in main),
                bottom=max(c["bottom"] for c in main),
                x0=found["x0"],
                x1=found["x1"],
                size=size,
                bold=bold,
            )
        )
    return lines


def _is_bold(fontname: str) -> bool:
    return bool(re.search(r"bold|black|heavy|semibold", fontname, re.I))


_PDF_DATE = re.compile(r"^(?:D:)?(\d{4})(\d{2})?(\d{2})?")


def _properties(info: dict) -> dict[str, str]:
    """Return the Title, Author and date of a PDF's document information."""
    out = {}
    for key, name in (("Title", "title"), ("Author", "author")):
        value = info.get(key)
        if isinstance(value, bytes):
            value = value.decode("utf-8", "replace")
        if isinstance(value, str) and value.strip():
            out[name] = " ".join(value.split())
    for key in ("CreationDate", "ModDate"):
        value = info.get(key)
        if isinstance(value, bytes):
            value = value.decode("latin-1")
        match = _PDF_DATE.match(value) if isinstance(value, str) else None
        if match and match.group(2) and match.group(3):
            try:
                out["date"] = dt.date(*map(int, match.groups())).isoformat()
                break
            except ValueError:
                continue
    return out
