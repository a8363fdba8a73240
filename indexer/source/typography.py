"""Where a PDF's paragraphs break and which lines are headings, from its typography.

Typesetters (Word, InDesign, LaTeX, reportlab) set a paragraph's lines at one
fixed pitch (baseline to baseline, usually 1.15 to 1.5 times the font size) and
mark a new paragraph in one of three ways: extra space before it, an indented
first line, or, with neither, by the short last line of the paragraph before.
Headings are set larger or bolder than the body text. This module measures the
body of a document (its dominant font size and line pitch) and judges each
line against those measures, never against fixed point values, so the same
rules read a report set in 11-point Arial at 1.15 and one set in 12-point
Times at 1.5. Lines without a font size (OCR) give no measures: for them
:class:`Spacing` keeps to the gaps between lines on the page.
"""

from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass

# A line this much further below the last than the body's line pitch starts a
# paragraph: Word's default 8 points after an 11-point paragraph is 1.55 times
# its pitch, TeX's (texinfo's) small paragraph skip 1.2 times. Lines are placed
# by their dominant-size characters, so a superscript does not move them.
PARAGRAPH_PITCH = 1.15
# Two heading lines this close (pitch over font size) are one wrapped heading.
WRAPPED_HEADING = 1.5
# A first line indented by this many body font sizes starts a paragraph.
INDENT = 0.8
# A line ending a sentence and shorter than this share of the page's measure
# (its body lines' width) ends its paragraph.
SHORT_LINE = 0.67
# A size this much larger than the body's is a heading size.
HEADING_SIZE = 1.15
_SENTENCE_END = tuple('.!?:"”’')


@dataclass
class Line:
    """One line of text on a page, with what the layout says about it."""

    text: str
    top: float = 0.0  # distance from the top of the page, in points or pixels
    bottom: float = 0.0
    x0: float = 0.0
    size: float = 0.0  # font size; 0 when not known (OCR)
    bold: bool = False
    x1: float = 0.0  # right edge; 0 when not known


def body_size(pages: list[list[Line]]) -> float:
    """Return the font size most of the document's characters are set in, or 0.0."""
    sizes: Counter[float] = Counter()
    for lines in pages:
        for line in lines:
            if line.size:
                sizes[round(line.size, 1)] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def heading_sizes(pages: list[list[Line]], body: float) -> list[float]:
    """Return the sizes larger than ``body`` that lines are set in, largest first."""
    found = {round(line.size, 1) for lines in pages for line in lines if line.size}
    return sorted((s for s in found if body and s >= body * HEADING_SIZE), reverse=True)


def body_pitch(pages: list[list[Line]], body: float) -> float | None:
    """Return the pitch (points, top to top) of consecutive lines of one paragraph.

    Measured over pairs of consecutive body-size lines on a page: the smallest
    pitch that at least a fifth of the pairs share (within 5%), so a document of
    mostly one-line paragraphs still shows the pitch of its few longer ones.
    None without font sizes or without two such lines.
    """
    if not body:
        return None
    pitches = []
    for lines in pages:
        for a, b in zip(lines, lines[1:], strict=False):
            if _at(a, body) and _at(b, body) and body * 0.9 < b.top - a.top < body * 4:
                pitches.append(b.top - a.top)
    pitches.sort()
    need = max(2, len(pitches) // 5)
    for i, pitch in enumerate(pitches):
        cluster = pitches[i : bisect.bisect_right(pitches, pitch * 1.05 + 0.2)]
        if len(cluster) >= need:
            return cluster[len(cluster) // 2]
    return pitches[0] if pitches else None


def _at(line: Line, size: float) -> bool:
    return abs(line.size - size) < 0.5 and not line.bold


@dataclass
class Spacing:
    """The measures one page's lines are judged by.

    ``pitch`` is the document's body line pitch (None without font sizes: then
    ``limit``, the widest gap between two lines of a paragraph on this page,
    decides alone); ``body`` the body font size; ``measure`` the width of the
    page's body lines (0.0 when not known).
    """

    pitch: float | None
    body: float
    limit: float
    measure: float = 0.0

    @classmethod
    def of_page(cls, lines: list[Line], pitch: float | None, body: float) -> Spacing:
        """Return the measures of a page of ``lines`` in a document so set."""
        widths = sorted(
            line.x1 - line.x0 for line in lines if line.x1 and _at(line, body)
        )
        measure = widths[int(len(widths) * 0.9)] if len(widths) >= 3 else 0.0
        return cls(pitch, body, _gap_limit(lines), measure)

    def joins(self, prev: Line, line: Line, indents: bool = True) -> bool:
        """Return whether ``line`` goes on with the paragraph ``prev`` ends.

        ``indents`` is False under a list item, whose hanging indent is no
        paragraph's first line.
        """
        if self.pitch is None or not (prev.size and line.size):
            return line.top - prev.bottom <= self.limit  # OCR lines: no sizes
        scale = max(prev.size, line.size) / self.body
        if line.top - prev.top > self.pitch * scale * PARAGRAPH_PITCH:
            return False
        ends = prev.text.rstrip().endswith(_SENTENCE_END)
        if indents and ends and line.x0 > prev.x0 + INDENT * self.body:
            return False  # an indented first line
        short = self.measure and prev.x1 - prev.x0 < self.measure * SHORT_LINE
        return not (ends and short)

    def wraps(self, prev: Line, line: Line) -> bool:
        """Return whether heading line ``line`` goes on with heading line ``prev``."""
        if self.pitch is None or not (prev.size and line.size):
            return line.top - prev.bottom <= self.limit
        return line.top - prev.top <= WRAPPED_HEADING * max(line.size, prev.size)


def _gap_limit(lines: list[Line]) -> float:
    """Return the widest gap between two lines of one paragraph on a page.

    About one and a half times the usual gap between consecutive lines. On a page
    of only a few lines (a signature, a short scanned annex) the usual gap may be
    a paragraph's, so there a gap must be less than a line's height.
    """
    pairs = zip(lines, lines[1:], strict=False)
    gaps = sorted(b.top - a.bottom for a, b in pairs if b.top > a.top)
    if len(gaps) < 3:
        heights = sorted(line.bottom - line.top for line in lines)
        return heights[len(heights) // 2] if heights else 0.0
    return max(gaps[len(gaps) // 3], 0.0) * 1.5 + 1.0
