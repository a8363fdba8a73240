"""Turn the positioned lines of paged documents into Markdown-like text.

A PDF's text layer and Tesseract's output both come as lines on pages, each with
a position and (for a PDF) a font size and weight. This module drops the running
furniture those pages repeat (protective markings, "Page 3 of 9", bare page
numbers, running titles and dot-leader contents lines), then groups the lines
into paragraphs, headings and list items (by the measures of
:mod:`indexer.source.typography`), rejoining a paragraph that runs over a page
break and words hyphenated at a line's end. The text it returns is in the block
form :func:`indexer.document.parse.parse_blocks` reads: one block per line,
blocks separated by blank lines, headings as ``#`` lines (the smallest of several
heading styles as lines of their own), list items as ``-`` lines that keep their
number (``- 7. The force should ...``).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field

from indexer.source.typography import (
    Line,
    Spacing,
    body_pitch,
    body_size,
    heading_sizes,
)

# Protective markings of the Government Security Classifications, alone on a line.
MARKING = re.compile(
    r"^(?:OFFICIAL|OFFICIAL[\s-]+SENSITIVE|SECRET|TOP[\s-]+SECRET|RESTRICTED|"
    r"PROTECT|UNCLASSIFIED|NOT PROTECTIVELY MARKED)"
    r"(?:\s*[-–:]\s*[A-Z][A-Z ]{2,40})?$"
)
PAGE_NUMBER = re.compile(
    r"^(?:[-–]\s*)?(?:Page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?(?:\s*[-–])?$", re.I
)
# "3. Findings ........ 12", "Annex A …… 40": a contents line with a dot leader.
DOT_LEADER = re.compile(r"^(?P<title>.*?\S)\s*(?:\.\s?){4,}\s*\.?\s*\d{1,4}$|…{2,}")
_CONTENTS = re.compile(r"^(?:Table of )?Contents$", re.I)
NUMBERED = re.compile(r"^(?:\(?\d{1,3}[.)]|\(?[a-z][.)]|\(?[ivx]{1,4}\))\s+\S")
BULLET = re.compile(r"^[•·▪◦‣●■–-]\s+")
TERMINAL = '.!?:;"”’)'
# The lines a page shows nearest its top and bottom edges, where running
# headers and footers sit.
BAND = 3


@dataclass
class Layout:
    """What a paged or styled reader knows beyond the text itself.

    ``page_starts`` holds (first line number, page number) pairs, both 1-based,
    in order: a block starting on a line is on the page of the last pair at or
    before it. ``properties`` are the file's own title, author and date
    (ISO ``YYYY-MM-DD``), fallbacks for the metadata the text gives.
    """

    pages: int = 0
    page_starts: list[tuple[int, int]] = field(default_factory=list)
    ocr_pages: list[int] = field(default_factory=list)
    furniture: list[str] = field(default_factory=list)
    properties: dict[str, str] = field(default_factory=dict)

    def page_of(self, line: int) -> int | None:
        """Return the page on which text line ``line`` (1-based) sits, or None."""
        at = bisect.bisect_right(self.page_starts, (line, float("inf"))) - 1
        return self.page_starts[at][1] if at >= 0 else None


def _shape(text: str) -> str:
    """Return what a running line keeps from page to page: digits vary."""
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


def is_furniture_line(text: str) -> bool:
    """Return whether a line is furniture wherever it sits on a page."""
    text = " ".join(text.split())
    return bool(MARKING.match(text) or DOT_LEADER.search(text))


def drop_furniture(pages: list[list[Line]]) -> tuple[list[list[Line]], list[str]]:
    """Remove running headers and footers and contents lines from every page.

    A line near a page's top or bottom edge is furniture when it is a page
    number, or when its shape (digits aside) recurs at an edge on at least half
    the pages (and at least two). Protective markings and dot-leader contents
    lines are furniture anywhere, and so is a "Contents" heading over them.

    :return: the pages without furniture, and the dropped lines in page order.
    """
    edges: Counter[str] = Counter()
    for lines in pages:
        edges.update({_shape(line.text) for line in _band(lines)})
    floor = max(2, (len(pages) + 1) // 2)
    running = {shape for shape, n in edges.items() if n >= floor}
    kept_pages, dropped = [], []
    for lines in pages:
        band = {id(line) for line in _band(lines)}
        kept = []
        for line in lines:
            text = " ".join(line.text.split())
            at_edge = id(line) in band
            if (
                is_furniture_line(text)
                or (at_edge and PAGE_NUMBER.match(text))
                or (at_edge and _shape(text) in running)
            ):
                dropped.append(text)
            else:
                kept.append(line)
        kept_pages.append(_drop_contents_heading(kept, lines, dropped))
    return kept_pages, dropped


def _band(lines: list[Line]) -> list[Line]:
    return lines[:BAND] + lines[max(BAND, len(lines) - BAND) :]


def _drop_contents_heading(
    kept: list[Line], lines: list[Line], dropped: list[str]
) -> list[Line]:
    """Drop a "Contents" line whose next line on the page was a dot-leader line."""
    out = []
    for line in kept:
        if _CONTENTS.match(line.text.strip()):
            after = lines[lines.index(line) + 1 : lines.index(line) + 2]
            if after and DOT_LEADER.search(after[0].text):
                dropped.append(line.text.strip())
                continue
        out.append(line)
    return out


@dataclass
class _Block:
    kind: str  # "para" | "heading" | "item"
    lines: list[str]
    page: int
    level: int = 0
    last: Line | None = None

    @property
    def text(self) -> str:
        return " ".join(self.lines)

    def add(self, text: str, line: Line) -> None:
        """Add a line, mending a hyphenated word and keeping block markers inside."""
        last = self.lines[-1]
        if re.search(r"[A-Za-z]-$", last) and text[:1].islower():
            self.lines[-1] = last[:-1] + text
        elif self.kind != "para" or _MARKER.match(text):
            # One line for headings and items; a wrapped line that would read as
            # a list item or heading of its own stays on the line before it.
            self.lines[-1] = f"{last} {text}"
        else:
            self.lines.append(text)
        self.last = line


# A heading that numbers its place in the document ("2.1 Naming", "1.3. Scope").
_SECTION_NUMBER = re.compile(r"^\d{1,2}(?:\.\d{1,2})+\.?\s")
# What parse_blocks reads as the start of a heading or a list item.
_MARKER = re.compile(r"^(?:#|[-*+•·▪◦‣●]\s|\(?\d{1,2}[.)]\s|\(?[a-z][.)]\s)")


def compose(pages: list[list[Line]]) -> tuple[str, list[tuple[int, int]]]:
    """Return the pages' lines as block text and its page starts (see :class:`Layout`).

    Lines join into a paragraph while :class:`~indexer.source.typography.Spacing`
    says they do (at the body's line pitch, no indented first line, no short
    line ending a sentence before); a heading line or a numbered or bulleted
    line starts a new block, and a heading never runs into the paragraph after
    it. A paragraph left unfinished at the foot of a page (no closing
    punctuation) continues with the first paragraph of the next page. A
    paragraph keeps its lines (an address block is several lines); a word
    hyphenated at a line's end is mended.
    """
    body = body_size(pages)
    sizes = heading_sizes(pages, body)
    pitch = body_pitch(pages, body)
    blocks: list[_Block] = []
    for number, lines in enumerate(pages, start=1):
        spacing = Spacing.of_page(lines, pitch, body)
        prev: Line | None = None
        for line in lines:
            text = " ".join(line.text.split())
            if not text:
                continue
            level = _heading_level(line, text, body, sizes)
            current = blocks[-1] if blocks else None
            if level:
                if (
                    current is not None
                    and current.kind == "heading"
                    and current.level == level
                    and prev is not None
                    and prev is current.last
                    and spacing.wraps(prev, line)
                ):
                    current.add(text, line)
                else:
                    blocks.append(_Block("heading", [text], number, level, line))
            elif NUMBERED.match(text) or BULLET.match(text):
                item = BULLET.sub("", text)
                blocks.append(_Block("item", [item], number, last=line))
            elif current is not None and _continues(current, prev, line, spacing):
                current.add(text, line)
            else:
                blocks.append(_Block("para", [text], number, last=line))
            prev = line
    return _render(blocks)


def _heading_level(line: Line, text: str, body: float, sizes: list[float]) -> int:
    words = len(text.split())
    if words > 20 or text[-1:] in ".,;" or (NUMBERED.match(text) and words > 12):
        return 0
    size = round(line.size, 1)
    if size in sizes:
        return min(sizes.index(size) + 1, 3)
    if line.bold and size and abs(size - body) < 0.5:
        return min(len(sizes) + 1, 4)
    return 0


def _continues(
    current: _Block, prev: Line | None, line: Line, spacing: Spacing
) -> bool:
    """Return whether ``line`` goes on with the block ``current``."""
    if current.kind == "heading":
        return False
    if prev is None:  # the first line of a page: carry on an unfinished sentence
        return current.kind == "para" and _unfinished(current.text, line.text)
    if current.last is not prev:
        return False
    if current.kind == "item" and line.x0 + 1 < current.last.x0 - 12:
        return False  # back at the left margin under an indented item
    return spacing.joins(prev, line, indents=current.kind == "para")


def _unfinished(text: str, following: str) -> bool:
    """Return whether a page ending in ``text`` breaks a sentence ``following``
    finishes: it ends on a small word, a comma or a hyphen, or the next page
    starts in lower case. A name or a role ("Assistant Commissioner") ends a
    signature block, not a sentence half."""
    if text[-1:] in TERMINAL:
        return False
    last = text.split()[-1]
    following = following.strip()
    return last[:1].islower() or last[-1] in ",-–" or following[:1].islower()


def _render(blocks: list[_Block]) -> tuple[str, list[tuple[int, int]]]:
    out: list[str] = []
    starts: list[tuple[int, int]] = []
    plain = _plain_level(blocks)
    for block in blocks:
        if not starts or starts[-1][1] != block.page:
            starts.append((len(out) + 1, block.page))
        if block.kind == "heading" and (
            block.level != plain
            or _MARKER.match(block.text)
            or _SECTION_NUMBER.match(block.text)
            or block.text[-1] == ":"
        ):
            out.append("#" * block.level + " " + block.text)
        elif block.kind == "heading":
            out.append(block.text)  # a line of its own: the text rules read it
        elif block.kind == "item":
            out.append("- " + block.text)
        else:
            first = block.lines[0]
            # A paragraph starting with "#" would read as a heading.
            out.extend([first.lstrip("#").strip() or first, *block.lines[1:]])
        out.append("")
    return "\n".join(out), starts


def _plain_level(blocks: list[_Block]) -> int:
    """Return the level whose headings are written as lines of their own, or 0.

    Size ranks headings but does not say what a heading is: reports set the
    name of an assessment ("Areas for improvement"), a finding stated as a
    heading and a section title in one style. Where a document has two or more
    heading styles, its smallest one is therefore written as a line of its own
    (not a ``#`` heading), which the document parser reads as it reads a text
    file's headings: by what they say. A document of one heading style keeps it, and so
    does a heading that numbers its section ("2.1 Naming").
    """
    levels = {block.level for block in blocks if block.kind == "heading"}
    return max(levels) if len(levels) > 1 else 0
