"""Lift letter furniture and report front matter out of the body as metadata.

A document's date is its own date (a letter's date line, a report's cover month, a
date line under its title), never a date its body merely mentions. A web page's
"Published ..." and "Updated ..." lines are kept as ``published`` and ``updated``;
the published date is the date only of a document that gives none of its own.

Letters are read by :mod:`indexer.document.letters`. Anything else is a report, a
statement (a press response), written evidence or an annex (an annex or action
plan), told apart by its title: the vocabulary is :data:`DOC_TYPES`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from indexer.document.dates import DATE_PATTERNS, MONTHS, find_date, month_year
from indexer.document.gazetteer import FORCES, find_organisations
from indexer.document.letters import (
    SIGN_OFF,
    extract_letter,
    is_subject,
    letter_start,
)
from indexer.document.parse import Block, clean_inline
from indexer.document.people import (
    force_label,
    person,
    role_organisation,
    title_case_role,
)
from indexer.document.rules import rules

__all__ = ["DATE_PATTERNS", "MONTHS", "DOC_TYPES", "DocumentMeta", "extract"]

# The kinds of document researchers tell apart, shown in the type facet.
DOC_TYPES = {
    "letter": "a letter, with sender, recipients and a date line",
    "report": "a report or inspection, or a page that presents one",
    "statement": "a statement or press response on a report",
    "evidence": "written evidence submitted to a committee",
    "annex": "an annex or action plan, such as responses to recommendations",
}
_TYPE_BY_TITLE = (
    ("annex", re.compile(r"^Annex\b|\baction plan\b", re.I)),
    ("evidence", re.compile(r"^(?:Written |Oral |Supplementary )*evidence\b", re.I)),
    (
        "statement",
        re.compile(
            r"^(?:Statement|Press release)\b|\b(?:responds|reacts|welcomes|comments)"
            r"\s+(?:to|on)\b",
            re.I,
        ),
    ),
)
_WEB_DATE = re.compile(
    r"^(?:(?P<updated>(?:Last\s+)?Updated)|(?P<published>Published|Publication date|"
    r"Date published|First published))\b(?:\s+on)?\s*:?\s*(?P<rest>.*)$",
    re.I,
)
_OWN_DATE = re.compile(r"^(?:Date|Dated)\s*:\s*", re.I)
_SUBMITTED_BY = re.compile(
    r"\bsubmitted by (?:the )?(?P<who>.+?)(?:\s*\([A-Z]{2,}\d+\))?$", re.I
)
_ATTRIBUTION = (
    # "the Deputy Mayor for Policing and Crime, Priya Desai, said:"
    re.compile(
        r"\bthe\s+(?P<role>[A-Z][\w'’]*(?:\s+[\w'’]+){0,7}),\s+"
        r"(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){1,2}),\s+said"
    ),
    # "Assistant Commissioner Claire Ibbotson said:"
    re.compile(
        r"^(?P<role>(?:(?:Assistant|Deputy)\s+)?(?:Commissioner|Chief Constable))\s+"
        r"(?P<name>[A-Z]\w+\s+[A-Z][\w'’-]+)\s+said"
    ),
)
_ABOUT = re.compile(
    r"^About (?:us|the inspectorate|the author|this (?:report|inspection))$", re.I
)


@dataclass
class DocumentMeta:
    """What a document says about itself, apart from its body."""

    title: str = ""
    date: str | None = None
    author: str = ""
    author_role: str = ""
    recipients: list[str] = field(default_factory=list)
    recipient_role: str = ""
    organisation: str = ""
    type: str = "report"
    reference: str = ""
    cc: str = ""
    published: str | None = None
    updated: str | None = None
    postnominals: tuple[str, ...] = ()
    furniture: list[tuple[str, str]] = field(default_factory=list)

    @property
    def recipient(self) -> str:
        """The recipients as one line: "A and B"."""
        return " and ".join(self.recipients)

    @property
    def year(self) -> int | None:
        return int(self.date[:4]) if self.date else None


def extract(blocks: list[Block], stem: str = "") -> tuple[DocumentMeta, list[Block]]:
    """Split ``blocks`` into the document's metadata and its body blocks.

    :param stem: the file name without extension, whose leading ``YYYY-MM-DD`` is a
        last-resort date.
    """
    meta = DocumentMeta()
    blocks = _take_web_dates(meta, list(blocks))
    start = letter_start(blocks)
    if start is None:
        body = _extract_other(meta, blocks)
    else:
        body = extract_letter(meta, blocks, start)
    if meta.date is None and meta.published:
        meta.date = meta.published
    if meta.date is None:
        match = re.match(r"(\d{4}-\d{2}-\d{2})", stem)
        if match and find_date(match.group(1)):
            meta.date = match.group(1)
            meta.furniture.append(("date-from-file-name", match.group(1)))
    return meta, body


def _take_web_dates(meta: DocumentMeta, blocks: list[Block]) -> list[Block]:
    """Move "Published ..." / "Updated ..." lines near the top into their fields."""
    kept = []
    for i, block in enumerate(blocks):
        lines = [line for line in block.lines if i >= 8 or not _web_date(meta, line)]
        if len(lines) < len(block.lines):
            block.lines = lines
            block.text = clean_inline(" ".join(lines))
        if block.text:
            kept.append(block)
    return kept


def _web_date(meta: DocumentMeta, line: str) -> bool:
    """Keep a "Published ..." or "Updated ..." line's date; return whether it was."""
    match = _WEB_DATE.match(clean_inline(line))
    date = find_date(match.group("rest")) if match else None
    if date is None:
        return False
    if match.group("updated"):
        meta.updated = meta.updated or date
    else:
        meta.published = meta.published or date
    meta.furniture.append(("web-date", clean_inline(line)))
    return True


def _extract_other(meta: DocumentMeta, blocks: list[Block]) -> list[Block]:
    body = list(blocks)
    if body and (is_subject(body[0]) or _titled(body[0])):
        meta.title = body[0].text
        meta.furniture.append(("title", body.pop(0).text))
    meta.type = next(
        (kind for kind, pattern in _TYPE_BY_TITLE if pattern.search(meta.title)),
        "report",
    )
    _take_own_date(meta, body)
    # Web captures end with navigation and a repeated title.
    while body and (
        body[-1].text == meta.title
        or re.fullmatch(
            r"(?:Back to (?:publication|top)|Print this page)", body[-1].text, re.I
        )
    ):
        meta.furniture.append(("trailer", body.pop().text))
    _find_issuer(meta, body)
    return body


def _titled(block: Block) -> bool:
    # A document's first line may end in "?" or ")" and still be its title.
    text = block.text
    return len(block.lines) == 1 and len(text.split()) <= 25 and text[-1] in "?)"


def _take_own_date(meta: DocumentMeta, body: list[Block]) -> None:
    """Take a date line or cover month near the top (or, failing that, the end)."""
    near = [i for i in range(min(6, len(body)))]
    near += [i for i in range(max(len(body) - 2, 6), len(body))]
    for i in near:
        text = _OWN_DATE.sub("", body[i].text)
        short = len(text.split()) <= 6
        date = (find_date(text) if short else None) or month_year(text)
        if date:
            meta.date = date
            meta.furniture.append(("date", body.pop(i).text))
            return


def _find_issuer(meta: DocumentMeta, body: list[Block]) -> None:
    """Find who issued a report, statement, evidence or annex, and their body."""
    submitted = _SUBMITTED_BY.search(meta.title)
    if submitted:
        who = submitted.group("who")
        orgs = find_organisations(who)
        meta.author, meta.organisation = who, orgs[0] if orgs else who
        return
    if _signed(meta, body) or _attributed(meta, body) or _cover_body(meta, body):
        return
    for i, block in enumerate(body[:-1]):
        if block.kind == "heading" or _ABOUT.match(block.text):
            if not _ABOUT.match(block.text):
                continue
            orgs = find_organisations(body[i + 1].text[:200])
            if orgs:
                meta.author = meta.organisation = orgs[0]
            return


def _signed(meta: DocumentMeta, body: list[Block]) -> bool:
    """Read a closing typed name and role ("Margaret Hale / Police ... for Essex")."""
    for block in body[-2:]:
        lines = [clean_inline(line) for line in block.lines]
        who = person(lines[0]) if len(lines) == 2 else None
        if who is not None and role_organisation(lines[1]):
            meta.author, meta.author_role = who.name, title_case_role(lines[1])
            meta.organisation = role_organisation(lines[1], date=meta.date)
            meta.furniture.append(("signatory", " / ".join(lines)))
            body.remove(block)
            return True
    return False


def _attributed(meta: DocumentMeta, body: list[Block]) -> bool:
    """Read a statement's "Role, Name, said:" attribution."""
    if meta.type != "statement":
        return False
    for block in body[:4]:
        for pattern in _ATTRIBUTION:
            match = pattern.search(block.text)
            if match and person(match.group("name")):
                role = match.group("role").strip()
                meta.author = person(match.group("name")).name
                meta.author_role = title_case_role(role)
                meta.organisation = role_organisation(role, meta.title, meta.date)
                return True
    return False


def _cover_body(meta: DocumentMeta, body: list[Block]) -> bool:
    """Read a cover line naming the issuing body ("HMIC", "Metropolitan Police
    Service", "Office of the Police and Crime Commissioner for Cumbria")."""
    logos = rules()["bodies"]["logos"]
    names = {f.name.lower(): f.code for f in FORCES}
    for i, block in enumerate(body[:4]):
        line = clean_inline(block.lines[0])
        if len(block.lines) > 2 or len(line.split()) > 10 or SIGN_OFF.match(line):
            continue
        orgs = find_organisations(line)
        if line in logos:
            meta.author = meta.organisation = logos[line]
        elif line.lower() in names:
            meta.author, meta.organisation = line, force_label(names[line.lower()])
        elif line.startswith("Office of the ") or (
            orgs and len(line.split()) <= 3 and line.isupper()
        ):
            meta.author = line
            meta.organisation = orgs[0] if orgs and line.isupper() else line
        else:
            continue
        meta.furniture.append(("issuer", body.pop(i).text))
        return True
    return False
