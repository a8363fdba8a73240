"""Clean Markdown and inline HTML residue and split text into blocks.

A block is a paragraph, a Markdown heading or a list item. Its text is clean: no
``**bold**`` markers, no ``<sup>`` tags, no bullet characters, whitespace collapsed;
currency signs, numbers and punctuation are kept exactly.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

_INLINE_TAG = re.compile(
    r"</?(?:sup|sub|b|strong|i|em|u|span|a|small|font|mark|abbr|code|br)\b[^<>]*/?>",
    re.I,
)
_BOLD = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EMPHASIS = re.compile(r"(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])")
_BULLET = re.compile(r"^\s*(?:[-*+•·▪◦‣●]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s+")
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_LABEL = re.compile(r"^\s*(?:\*\*|__)(.+?)(?:\*\*|__)[\s:.–-]*")
_WHOLE_BOLD = re.compile(r"^\s*(?:\*\*|__)(.+?)(?:\*\*|__)\s*$")


@dataclass
class Block:
    """A paragraph, heading or list item, with its cleaned text."""

    kind: str  # "para" | "heading" | "item"
    text: str
    lines: list[str] = field(default_factory=list)
    level: int = 0  # heading level from Markdown; 0 when not known
    label: str = ""  # a list item's bold lead words
    bold: bool = False  # the whole block was bold
    line: int = 0  # 1-based line number in the source text


def clean_inline(text: str) -> str:
    """Remove inline markup from one line or paragraph and collapse whitespace."""
    text = _INLINE_TAG.sub(
        lambda m: " " if m.group(0).lower().startswith("<br") else "", text
    )
    if "&" in text:
        text = html.unescape(text)
    text = _BOLD.sub(r"\2", text)
    text = _EMPHASIS.sub(r"\1", text)
    text = text.replace("\u00ad", "")  # soft hyphens from PDF or Word exports
    return " ".join(text.split())


def normalise(text: str) -> str:
    """Normalise line endings and the space characters of a whole document."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    text = unicodedata.normalize("NFC", text)
    return re.sub(r"[\u00a0\u2007\u202f\t]", " ", text)


def _new_block(kind: str, raw: str, number: int, level: int = 0) -> Block:
    block = Block(kind=kind, text="", lines=[raw], level=level, line=number)
    label = _LABEL.match(raw)
    if kind == "item" and label and label.end() < len(raw.rstrip()):
        block.label = clean_inline(label.group(1)).rstrip(" :.")
    block.bold = bool(_WHOLE_BOLD.match(raw))
    return block


def parse_blocks(text: str) -> list[Block]:
    """Split a document's text into cleaned :class:`Block` records."""
    return list(_iter_blocks(normalise(text)))


def _iter_blocks(text: str) -> Iterator[Block]:
    current: Block | None = None

    def finish(block: Block | None) -> Iterator[Block]:
        if block is None:
            return
        block.text = clean_inline(" ".join(block.lines))
        if block.label:
            # The label is kept apart so the passage text does not repeat it.
            block.text = _LABEL.sub("", " ".join(block.lines), count=1)
            block.text = clean_inline(block.text)
        if block.text:
            yield block

    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip()
        if not line.strip():
            yield from finish(current)
            current = None
            continue
        heading = _HEADING.match(line)
        bullet = _BULLET.match(line)
        if heading:
            yield from finish(current)
            yield from finish(
                _new_block("heading", heading.group(2), number, len(heading.group(1)))
            )
            current = None
        elif bullet and not _is_emphasis_start(line):
            yield from finish(current)
            current = _new_block("item", _item_text(line, bullet), number)
        elif current is None:
            current = _new_block("para", line.strip(), number)
        else:
            current.lines.append(line.strip())
    yield from finish(current)


def _item_text(line: str, bullet: re.Match[str]) -> str:
    # A numbered item keeps its number ("1. The force should ..."): reports cite
    # recommendations by it. Bullets and lettered items drop their marker.
    digits = re.sub(r"\D", "", bullet.group(0))
    rest = line[bullet.end() :]
    return f"{digits}. {rest}" if digits else rest


def _is_emphasis_start(line: str) -> bool:
    # "**Dear Home Secretary**" starts with "*" but is bold text, not a bullet.
    return line.lstrip().startswith("**") or bool(_EMPHASIS.match(line.strip()))
