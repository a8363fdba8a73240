"""Lift letter furniture and report front matter out of the body as metadata.

A letter has an address block, a date line, a reference, a salutation, perhaps a
subject line, a sign-off, the typed name and role of its signatory and a CC line.
None of that is body text. Lines under the signatory that are neither a role nor a
CC line are the OCR of a scanned signature ("Jane huden"); they are dropped.

A document's date is its own date (the letter's date line, a report's "Published
on:" line), never a date its body merely mentions.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from indexer.document.gazetteer import find_organisations
from indexer.document.parse import Block, clean_inline

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})\s*(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d{2})"
DATE_PATTERNS = (
    re.compile(rf"\b{_DAY}\s*(?:of\s+)?{_MONTH}\s*,?\s*{_YEAR}\b", re.I),
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.I),
    re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<month>\d{2})-(?P<day>\d{2})\b"),
)
_SALUTATION = re.compile(r"^(?:Dear|To)\s+(?P<who>[^,:]{1,60})[,:]?$", re.I)
_SIGN_OFF = re.compile(
    r"^(?:Yours(?:\s+(?:sincerely|faithfully|truly|ever))?|(?:With\s+)?(?:Kind|Best|"
    r"Warm)\s+(?:regards|wishes)|Regards)[,.]?$",
    re.I,
)
_REFERENCE = re.compile(
    r"(?:(?:Our|Your)\s+ref(?:erence)?|Ref(?:erence)?)\.?\s*(?:no\.?)?\s*[:.]?\s*(?P<ref>\S.*)",
    re.I,
)
_BARE_REFERENCE = re.compile(r"\b(?P<ref>[A-Z]{2,}\d{4,}(?:\s*[-/]\s*[A-Z]?\d+)?)\b")
_HONORIFIC = (
    r"(?:(?:The\s+)?(?:Rt\.?\s+Hon\.?|Right\s+Honourable)|Dr\.?|Sir|Dame|Lord|Lady|"
    r"Baroness|Baron|Mr\.?|Mrs\.?|Ms\.?|Miss|Cllr\.?|Professor|Prof\.?)"
)
_POSTNOMINAL = r"(?:MP|MBE|OBE|CBE|QPM|KC|QC|AM|MEP)"
_NAME = r"[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?"
_ADDRESSEE = re.compile(
    rf"^(?:{_HONORIFIC}\s+)+(?P<name>{_NAME}(?:\s+{_NAME}){{0,3}})"
    rf"(?:\s+{_POSTNOMINAL}\b)*,?\s*(?P<rest>.*)$"
    rf"|^(?P<name2>{_NAME}(?:\s+{_NAME}){{1,3}})\s+{_POSTNOMINAL}\b,?\s*(?P<rest2>.*)$"
)
_TYPED_NAME = re.compile(
    rf"^(?:{_HONORIFIC}\s+)?{_NAME}(?:\s+{_NAME}){{1,3}}(?:\s+{_POSTNOMINAL})*$"
)
_ROLE_WORDS = re.compile(
    r"\b(?:Mayor|Deputy|Commissioner|Director|Chief|Secretary|Chair|Chairman|Officer|"
    r"Inspector|Head|Minister|Constable|Lead|Manager|President|Clerk|Member)\b",
    re.I,
)
_CC = re.compile(r"^(?:cc|copy(?:\s+to)?)\s*[:.]\s*(?P<who>.+)$", re.I)
_PUBLISHED = re.compile(r"^(?:Published|Publication date|Date)\b(?:\s+on)?\s*:?", re.I)
_COMMITTEE = re.compile(
    r"\b(?:the\s+)?((?:[A-Z][\w']*\s+(?:and\s+|of\s+)?){1,6}Committee)\b"
)
_SMALL_WORDS = {"and", "for", "of", "the", "in", "on", "to", "at"}
TERMINAL = '.!?:;"”’)'


@dataclass
class DocumentMeta:
    """What a document says about itself, apart from its body."""

    title: str = ""
    date: str | None = None
    author: str = ""
    author_role: str = ""
    recipient: str = ""
    recipient_role: str = ""
    organisation: str = ""
    type: str = "report"
    reference: str = ""
    cc: str = ""
    furniture: list[tuple[str, str]] = field(default_factory=list)

    @property
    def year(self) -> int | None:
        return int(self.date[:4]) if self.date else None


def find_date(text: str) -> str | None:
    """Return the first date in ``text`` as an ISO string, or None."""
    for pattern in DATE_PATTERNS:
        for match in pattern.finditer(text):
            month = match.group("month")
            month = int(month) if month.isdigit() else MONTHS[month.lower().rstrip(".")]
            try:
                return dt.date(
                    int(match.group("year")), month, int(match.group("day"))
                ).isoformat()
            except ValueError:
                continue
    return None


def _title_case_role(role: str) -> str:
    words = role.split()
    return " ".join(
        w.lower() if i and w.lower() in _SMALL_WORDS else w for i, w in enumerate(words)
    )


def _is_subject_line(block: Block) -> bool:
    text = block.text
    return (
        block.kind == "heading"
        or (len(text.split()) <= 25 and text[-1] not in TERMINAL and "\n" not in text)
    ) and not _SIGN_OFF.match(text)


def extract(blocks: list[Block], stem: str = "") -> tuple[DocumentMeta, list[Block]]:
    """Split ``blocks`` into the document's metadata and its body blocks.

    :param stem: the file name without extension, whose leading ``YYYY-MM-DD`` is a
        last-resort date.
    """
    salutation = next(
        (i for i, b in enumerate(blocks[:15]) if _SALUTATION.match(b.text)), None
    )
    if salutation is None:
        meta, body = _extract_report(blocks)
    else:
        meta, body = _extract_letter(blocks, salutation)
    if meta.date is None:
        match = re.match(r"(\d{4}-\d{2}-\d{2})", stem)
        if match and find_date(match.group(1)):
            meta.date = match.group(1)
            meta.furniture.append(("date-from-file-name", match.group(1)))
    return meta, body


def _extract_letter(
    blocks: list[Block], salutation: int
) -> tuple[DocumentMeta, list[Block]]:
    meta = DocumentMeta(type="letter")
    header, rest = blocks[:salutation], blocks[salutation + 1 :]
    sign_off = next(
        (i for i, b in enumerate(rest) if _SIGN_OFF.match(b.text)), len(rest)
    )
    body, footer = rest[:sign_off], rest[sign_off + 1 :]
    meta.furniture.append(("salutation", blocks[salutation].text))
    _read_header(meta, header)
    if body and _is_subject_line(body[0]):
        meta.title = body[0].text
        meta.furniture.append(("subject", body.pop(0).text))
    if sign_off < len(rest):
        meta.furniture.append(("sign-off", rest[sign_off].text))
    _read_footer(meta, footer)
    if not meta.recipient:
        who = _SALUTATION.match(blocks[salutation].text).group("who").strip()
        if who.lower() in {"colleagues", "all", "sir or madam", "sir/madam", "sirs"}:
            committee = _COMMITTEE.search(" ".join(b.text for b in body[:4]))
            meta.recipient = committee.group(1) if committee else ""
        elif not re.search(r"\b(?:Home|Secretary|Minister|Chair|Commissioner)\b", who):
            meta.recipient = who
        elif not meta.recipient_role:
            meta.recipient_role = who
    orgs = find_organisations(
        " ".join([meta.author_role, meta.reference, *(t for _, t in meta.furniture)])
    )
    meta.organisation = orgs[0] if orgs else ""
    return meta, body


def _read_header(meta: DocumentMeta, header: list[Block]) -> None:
    address: list[str] = []
    for block in header:
        if block.kind == "heading":
            meta.furniture.append(("letterhead", block.text))
            continue
        for line in block.lines:
            line = clean_inline(line)
            ref = _REFERENCE.match(line)
            if ref:
                meta.reference = re.sub(r"\s*-\s*", "-", ref.group("ref").strip())
                meta.furniture.append(("reference", line))
                continue
            date = find_date(line)
            if date and meta.date is None:
                meta.date = date
                meta.furniture.append(("date", line))
                bare = _BARE_REFERENCE.search(line)
                if bare and not meta.reference:
                    meta.reference = re.sub(r"\s*-\s*", "-", bare.group("ref"))
                continue
            who = _ADDRESSEE.match(line)
            if who and not meta.recipient:
                meta.recipient = who.group("name") or who.group("name2")
                rest = (who.group("rest") or who.group("rest2") or "").strip()
                role = re.split(r"\s+\d|,", rest, maxsplit=1)[0].strip()
                if role and len(role.split()) <= 6:
                    meta.recipient_role = role
                address.append(line)
                continue
            role = re.split(r"\s+\d|,", line, maxsplit=1)[0].strip()
            if (
                not meta.recipient_role
                and meta.recipient
                and _ROLE_WORDS.search(role)
                and len(role.split()) <= 6
            ):
                meta.recipient_role = role
            address.append(line)
    if address:
        meta.furniture.append(("address", " / ".join(address)))


def _read_footer(meta: DocumentMeta, footer: list[Block]) -> None:
    lines = [clean_inline(line) for block in footer for line in block.lines]
    for line in lines:
        cc = _CC.match(line)
        if cc:
            meta.cc = cc.group("who").strip()
            meta.furniture.append(("cc", line))
        elif (
            not meta.author and _TYPED_NAME.match(line) and not _ROLE_WORDS.search(line)
        ):
            meta.author = line
            meta.furniture.append(("signatory", line))
        elif meta.author and not meta.author_role and _ROLE_WORDS.search(line):
            meta.author_role = _title_case_role(line)
            meta.furniture.append(("role", line))
        elif line:
            # Under a typed name, anything that is neither role nor CC is the OCR of a
            # scanned signature; it is never indexed.
            meta.furniture.append(("signature-noise", line))


def _extract_report(blocks: list[Block]) -> tuple[DocumentMeta, list[Block]]:
    meta = DocumentMeta(type="report")
    body = list(blocks)
    if body and _is_subject_line(body[0]):
        meta.title = body[0].text
        meta.furniture.append(("title", body.pop(0).text))
    for i, block in enumerate(body[:5]):
        if _PUBLISHED.match(block.text) or (
            len(block.text.split()) <= 6 and find_date(block.text)
        ):
            meta.date = find_date(block.text)
            if meta.date:
                meta.furniture.append(("date", body.pop(i).text))
                break
    # Web captures end with navigation and a repeated title.
    while body and (
        body[-1].text == meta.title
        or re.fullmatch(
            r"(?:Back to (?:publication|top)|Print this page)", body[-1].text, re.I
        )
    ):
        meta.furniture.append(("trailer", body.pop().text))
    orgs = [
        o
        for o in find_organisations(" ".join(b.text for b in body))
        if o in {"HMICFRS", "HMIC"}
    ]
    if orgs:
        meta.organisation = meta.author = orgs[0]
    return meta, body
