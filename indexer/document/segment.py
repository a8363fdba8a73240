"""Turn a document's body blocks into passages.

A passage is a paragraph. Paragraphs broken across a page are rejoined; a list of
short items stays with its lead-in sentence as one passage; long list items stand
alone with their label. Headings are passages too, and the headings above a
passage form its section path. A passage id depends only on the document slug and
the passage's normalised text, so re-indexing unchanged text keeps every id.
"""

from __future__ import annotations

import base64
import hashlib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from indexer.document.gazetteer import find_forces, force_of_heading
from indexer.document.parse import Block
from indexer.document.rules import any_of, rules

TERMINAL = '.!?:;"”’)'
SECTION_SEPARATOR = " > "
# The assessment categories, top-level headings and finding verbs are data:
# indexer/document/rules.toml says where each comes from.
_CATEGORY = re.compile(rf"^(?:{any_of(rules()['headings']['category'])})$", re.I)
_TOP = re.compile(rf"^(?:{any_of(rules()['headings']['top'])})$", re.I)
# A heading that states a finding ("BTP has invested in ...") is a sentence; it is
# the label of the paragraphs under it rather than a level of the section path.
_FINDING_VERB = re.compile(rf"\b(?:{any_of(rules()['headings']['finding_verbs'])})\b")
_SUBORDINATE = re.compile(r"\b(?:how|what|why|when|where|which|whether)\b", re.I)
_MAX_HEADING_WORDS = 32
_SHORT_ITEM_WORDS = 25
_ID_ALPHABET = re.compile(r"[^a-z0-9]+")
PASSAGE_ID = re.compile(r"^[a-z2-7]{10}$")


@dataclass
class Passage:
    """One searchable unit of a document."""

    id: str
    doc_id: str
    position: int
    kind: str  # "body" | "heading" | "list"
    text: str
    label: str = ""
    section: str = ""
    forces: list[str] = field(default_factory=list)
    level: int = 0
    page: int | None = None  # the page it starts on; None without pages
    ocr: bool = False  # its text was read from a scanned page by OCR


def passage_id(doc_id: str, text: str, occurrence: int = 0) -> str:
    """Return the stable id of a passage: a digest of its slug and normalised text."""
    normal = unicodedata.normalize("NFKC", text).casefold()
    normal = " ".join(_ID_ALPHABET.sub(" ", normal).split())
    key = f"{doc_id}\n{normal}\n{occurrence}".encode()
    return base64.b32encode(hashlib.sha256(key).digest()).decode().lower()[:10]


def _ends_sentence(text: str) -> bool:
    return text.rstrip()[-1:] in TERMINAL


def rejoin_page_breaks(blocks: list[Block]) -> list[Block]:
    """Join a block ending mid-sentence to a next block starting in lower case."""
    out: list[Block] = []
    for block in blocks:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.kind in {"para", "item"}
            and block.kind == "para"
            and not _ends_sentence(prev.text)
            and block.text[:1].islower()
        ):
            prev.text = f"{prev.text} {block.text}"
            prev.lines.extend(block.lines)
            continue
        out.append(block)
    return out


def _is_heading(block: Block, following: Block | None) -> bool:
    if block.kind == "heading":
        return True
    text = block.text
    return (
        block.kind == "para"
        and following is not None
        and len(block.lines) == 1
        and not _ends_sentence(text)
        and not text.endswith(",")
        and len(text.split()) <= _MAX_HEADING_WORDS
        and (text[:1].isupper() or text[:1].isdigit())
    )


def heading_level(block: Block) -> int:
    """Return 1-3 for a section heading, or 4 for a heading that states a finding."""
    if block.level:
        return block.level
    text = block.text
    if _TOP.match(text) or force_of_heading(text):
        return 1
    if _CATEGORY.match(text):
        return 3
    verb, clause = _FINDING_VERB.search(text), _SUBORDINATE.search(text)
    # "Changes to how SOC threats are managed" is a topic; its verb is subordinate.
    if verb and (clause is None or verb.start() < clause.start()):
        return 4
    return 2


def _split_label(text: str) -> tuple[str, str]:
    """Split "Harmful practices: FGM We are ..." into its label and its text."""
    words = text.split()
    starters = set(rules()["labels"]["starters"])
    verbs = set(rules()["labels"]["verbs"])
    for i in range(2, min(len(words) - 1, 14)):
        word, prev = words[i], words[i - 1]
        if prev[-1] in ",;:-–" or prev.lower() in {
            "and",
            "or",
            "of",
            "the",
            "to",
            "for",
        }:
            continue
        if word in starters or (word[:1].isupper() and words[i + 1] in verbs):
            return " ".join(words[:i]), " ".join(words[i:])
    return "", text


def _group(blocks: list[Block]) -> list[tuple[str, list[Block]]]:
    """Group consecutive list items; everything else stands alone."""
    groups: list[tuple[str, list[Block]]] = []
    for block in blocks:
        if block.kind == "item" and groups and groups[-1][0] == "list":
            groups[-1][1].append(block)
        else:
            groups.append(("list" if block.kind == "item" else "single", [block]))
    return groups


def segment(doc_id: str, blocks: list[Block]) -> list[Passage]:
    """Return the passages of one document's body, in order."""
    blocks = rejoin_page_breaks(blocks)
    drafts: list[Passage] = []
    stack: list[tuple[int, str]] = []
    finding = ""

    def section() -> str:
        return SECTION_SEPARATOR.join(text for _, text in stack)

    def add(
        kind: str, text: str, label: str = "", level: int = 0, page: int | None = None
    ) -> None:
        drafts.append(
            Passage(
                id="",
                doc_id=doc_id,
                position=len(drafts),
                kind=kind,
                text=text,
                label=label,
                section=section(),
                level=level,
                page=page,
            )
        )

    groups = _group(blocks)
    for index, (group_kind, members) in enumerate(groups):
        following = groups[index + 1][1][0] if index + 1 < len(groups) else None
        if group_kind == "single":
            block = members[0]
            if _is_heading(block, following):
                level = heading_level(block)
                if level >= 4:
                    add("heading", block.text, level=level, page=block.page)
                    finding = block.text
                    continue
                while stack and stack[-1][0] >= level:
                    stack.pop()
                add("heading", block.text, level=level, page=block.page)
                stack.append((level, block.text))
                finding = ""
            else:
                add("body", block.text, label=finding, page=block.page)
            continue
        _add_items(add, drafts, members, finding)
    return _finish(doc_id, drafts)


def _add_items(add, drafts: list[Passage], members: list, finding: str) -> None:
    """Add a group of list items through ``add(kind, text, label)``.

    Short unlabelled items make one list passage, joined to a lead-in paragraph
    ending in a colon; labelled or long items make one passage each.
    """
    themed = any(item.label for item in members)
    if not themed and max(len(m.text.split()) for m in members) <= _SHORT_ITEM_WORDS:
        # A numbered item shows its own number ("7. ..."), a bulleted one a bullet.
        items = "\n".join(m.text if m.number else f"• {m.text}" for m in members)
        lead = drafts[-1] if drafts and drafts[-1].kind == "body" else None
        if lead is not None and lead.text.endswith(":"):
            lead.kind, lead.text = "list", f"{lead.text}\n{items}"
        else:
            add("list", items, label=finding, page=members[0].page)
        return
    for item in members:
        label, text = item.label, item.text
        if themed and not label:
            label, text = _split_label(text)
        add("body", text, label=label or finding, page=item.page)


def _finish(doc_id: str, drafts: list[Passage]) -> list[Passage]:
    seen: Counter[str] = Counter()
    for passage in drafts:
        key = passage_id(doc_id, passage.text)
        passage.id = passage_id(doc_id, passage.text, seen[key])
        seen[key] += 1
        section_forces = [
            code
            for part in passage.section.split(SECTION_SEPARATOR)
            if (code := force_of_heading(part))
        ]
        named = find_forces(" ".join([passage.label, passage.text]))
        passage.forces = list(dict.fromkeys(section_forces + named))
    return drafts
