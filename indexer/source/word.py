"""Read a Word ``.docx`` file through python-docx into block text.

Headings come from the heading styles (``Title``, ``Heading 1`` ...), list items
keep the number Word shows for them (worked out from the numbering definitions,
since Word stores the format, not the number), each table row becomes a passage
of its own (labelled with the header row's cells), and the page headers and
footers are dropped: they are furniture. The core properties (title, author,
created) are fallbacks for the metadata.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from indexer.source.errors import UnreadableDocumentError
from indexer.source.layout import NUMBERED, Layout, is_furniture_line

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADING = re.compile(r"^(?:Heading\s*(\d)|Title|Subtitle)$", re.I)
# Word's encrypted files are OLE compound files, not zip archives.
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_docx(path: Path, max_bytes: int) -> tuple[str, Layout, list[str]]:
    """Return a Word file's text in block form, its layout and reading warnings.

    :raise UnreadableDocumentError: for an encrypted, damaged, empty or oversized
        file, with a message saying what to do.
    """
    import docx

    with path.open("rb") as handle:
        head = handle.read(8)
    if head == _OLE:
        raise UnreadableDocumentError(
            "is an encrypted (password-protected) or old-format Word file; "
            "save an unprotected copy as .docx and add that instead"
        )
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise UnreadableDocumentError(
            "Word file is damaged and cannot be read (not a valid .docx archive); "
            "open it in Word and save it again"
        ) from exc
    if unpacked > 10 * max_bytes:
        raise UnreadableDocumentError(
            f"Word file unpacks to {unpacked / 1e6:.0f} MB, over ten times the "
            f"{max_bytes / 1e6:.0f} MB limit; raise OVERSIGHT_MAX_FILE_MB to index it"
        )
    try:
        document = docx.Document(str(path))
        lines = list(_lines(document))
        furniture = _headers_and_footers(document)
        properties = _properties(document.core_properties)
    except UnreadableDocumentError:
        raise
    except Exception as exc:  # python-docx and lxml raise many kinds
        raise UnreadableDocumentError(
            f"Word file is damaged and cannot be read ({type(exc).__name__}); "
            "open it in Word and save it again"
        ) from exc
    kept = []
    for line in lines:
        if is_furniture_line(line.lstrip("#- ")):
            furniture.append(line.lstrip("#- "))
        else:
            kept.extend([line, ""])
    text = "\n".join(kept)
    if not text.strip():
        raise UnreadableDocumentError("Word file contains no text")
    return text, Layout(furniture=furniture, properties=properties), []


def _lines(document) -> list[str]:
    """Yield one block-form line per paragraph and per table row, in order."""
    from docx.table import Table

    counters: dict[tuple[str, int], int] = {}
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            yield from _table_rows(item)
            continue
        text = " ".join(item.text.split())
        if not text:
            continue
        style = item.style.name if item.style is not None else ""
        heading = _HEADING.match(style)
        if heading:
            yield "#" * int(heading.group(1) or 1) + " " + text
            continue
        marker = _list_marker(document, item, counters)
        if marker is not None:
            yield f"- {marker} {text}".replace("-  ", "- ")
        elif NUMBERED.match(text):
            yield f"- {text}"  # a typed number: keep it, as the item's
        else:
            yield text


def _table_rows(table) -> list[str]:
    """Return each row of a table below its header row as a sentence of its own:
    "Owner: MOPAC; Status: Complete." reads right out of the table's context."""
    rows = []
    for row in table.rows:
        cells = [" ".join(cell.text.split()) for cell in row.cells]
        # A merged cell is repeated in every column it spans.
        rows.append([c for i, c in enumerate(cells) if i == 0 or c != cells[i - 1]])
    header, body = (rows[0], rows[1:]) if len(rows) > 1 else ([], rows)
    out = []
    for cells in body:
        pairs = [
            f"{header[i]}: {cell}" if i < len(header) and header[i] else cell
            for i, cell in enumerate(cells)
            if cell
        ]
        if pairs:
            text = "; ".join(pairs)
            out.append(text if text[-1] in ".!?" else text + ".")
    return out


def _num_pr(paragraph):
    """Return a paragraph's numbering properties, its own or its style's."""
    ppr = paragraph._p.pPr
    if ppr is not None and ppr.numPr is not None:
        return ppr.numPr
    style = paragraph.style
    while style is not None:
        sppr = style.element.pPr
        if sppr is not None and sppr.numPr is not None:
            return sppr.numPr
        style = style.base_style
    return None


def _list_marker(document, paragraph, counters: dict) -> str | None:
    """Return the number or bullet Word shows before a list paragraph, or None."""
    num_pr = _num_pr(paragraph)
    if num_pr is None or num_pr.numId is None:
        return None
    num_id = str(num_pr.numId.val)
    level = int(num_pr.ilvl.val) if num_pr.ilvl is not None else 0
    fmt, text, start = _level_format(document, num_id, level)
    if fmt in ("bullet", "none", ""):
        return ""
    key = (num_id, level)
    counters[key] = counters.get(key, start - 1) + 1
    for deeper in [k for k in counters if k[0] == num_id and k[1] > level]:
        del counters[deeper]  # a sub-list restarts under each new item
    number = _format_number(counters[key], fmt)
    return re.sub(r"%\d", number, text or "%1.")


def _level_format(document, num_id: str, level: int) -> tuple[str, str, int]:
    """Return (number format, level text, start) of a list level, or blanks."""
    try:
        numbering = document.part.numbering_part.element
    except (KeyError, NotImplementedError):
        return "", "", 1
    for num in numbering.findall(f"{_W}num"):
        if num.get(f"{_W}numId") != num_id:
            continue
        abstract = num.find(f"{_W}abstractNumId").get(f"{_W}val")
        for definition in numbering.findall(f"{_W}abstractNum"):
            if definition.get(f"{_W}abstractNumId") != abstract:
                continue
            for lvl in definition.findall(f"{_W}lvl"):
                if lvl.get(f"{_W}ilvl") == str(level):
                    return (
                        _val(lvl, "numFmt") or "decimal",
                        _val(lvl, "lvlText") or "",
                        int(_val(lvl, "start") or 1),
                    )
    return "", "", 1


def _val(element, name: str) -> str | None:
    child = element.find(f"{_W}{name}")
    return child.get(f"{_W}val") if child is not None else None


def _format_number(n: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (n - 1) % 26)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        numerals = [(10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
        out = ""
        for value, numeral in numerals:
            while n >= value:
                out, n = out + numeral, n - value
        return out.upper() if fmt == "upperRoman" else out
    return str(n)


def _headers_and_footers(document) -> list[str]:
    """Return the distinct lines of every page header and footer."""
    lines: list[str] = []
    for section in document.sections:
        for part in (section.header, section.footer):
            if part.is_linked_to_previous and lines:
                continue
            for paragraph in part.paragraphs:
                text = " ".join(paragraph.text.split())
                if text and text not in lines:
                    lines.append(text)
    return lines


def _properties(core) -> dict[str, str]:
    """Return the title, author and created date of a Word file's core properties."""
    out = {}
    if core.title and core.title.strip():
        out["title"] = " ".join(core.title.split())
    if core.author and core.author.strip():
        out["author"] = " ".join(core.author.split())
    if core.created is not None:
        out["date"] = core.created.date().isoformat()
    return out
