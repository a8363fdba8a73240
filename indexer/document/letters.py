"""Lift a letter's furniture out of its body: sender, recipients, date, subject.

A letter is recognised by a salutation of any shape ("Dear Nadia, Graham,", "Dear
Home Secretary and Mayor,"), by a From/To layout, or by a letterhead, an addressee
block and a date line with a typed signature at the end. Its author is the typed
name of the signature, else the sender block (From, or the letterhead's name), else
a "Letter from X" title line; the author's role and organisation come from the
author, never from the recipient or a body the text mentions.
"""

from __future__ import annotations

import re

from indexer.document.dates import find_date, long_date
from indexer.document.gazetteer import find_organisations
from indexer.document.parse import Block, clean_inline
from indexer.document.people import (
    Person,
    is_role,
    person,
    role_organisation,
    title_case_role,
)

SALUTATION = re.compile(r"^(?:Dear|To)\s+(?P<who>[^:]{1,80}?)\s*[,:]?$", re.I)
SIGN_OFF = re.compile(
    r"^(?:Yours(?:\s+(?:sincerely|faithfully|truly|ever))?|(?:With\s+)?(?:Kind|Best|"
    r"Warm)\s+(?:regards|wishes)|Regards)[,.]?$",
    re.I,
)
_REFERENCE = re.compile(
    r"(?:(?:Our|Your)\s+ref(?:erence)?|Ref(?:erence)?)\.?\s*(?:no\.?)?\s*[:.]\s*"
    r"(?P<ref>\S.*)",
    re.I,
)
_BARE_REFERENCE = re.compile(r"\b(?P<ref>[A-Z]{2,}\d{4,}(?:\s*[-/]\s*[A-Z]?\d+)?)\b")
_CC = re.compile(r"^(?:cc|copy(?:\s+to)?)\s*[:.]\s*(?P<who>.+)$", re.I)
_SUBJECT_PREFIX = re.compile(r"^(?:Re|Subject|RE)\s*:\s*")
_LETTER_FROM = re.compile(
    r"^Letter from (?P<author>.+?)(?: to (?:the )?(?P<to>.+?))?"
    r"(?:,? (?:on|about|regarding|dated)\b.*)?$"
)
TERMINAL = '.!?:;"”’)'


def is_salutation(block: Block) -> bool:
    """Return whether a block is a salutation line."""
    return len(block.text.split()) <= 10 and bool(SALUTATION.match(block.text))


def is_subject(block: Block) -> bool:
    """Return whether a block reads as a subject line or title."""
    text = block.text
    return (
        block.kind == "heading"
        or (len(text.split()) <= 25 and text[-1] not in TERMINAL)
    ) and not SIGN_OFF.match(text)


def _signature_at(blocks: list[Block]) -> int | None:
    """Return the index of a closing typed name (with a role) among the last blocks."""
    for i in range(len(blocks) - 1, max(len(blocks) - 4, -1), -1):
        lines = blocks[i].lines
        if person(clean_inline(lines[0])) and (
            len(lines) > 1 and is_role(clean_inline(lines[1]))
        ):
            return i
    return None


def letter_start(blocks: list[Block]) -> tuple[int, int] | None:
    """Return (header end, body start) when ``blocks`` are a letter, else None."""
    for i, block in enumerate(blocks[:20]):
        if is_salutation(block):
            return i, i + 1
    texts = [b.text for b in blocks[:12]]
    if "From" in texts and "To" in texts[texts.index("From") :]:
        date = next(
            (i for i, b in enumerate(blocks[:25]) if _is_date_line(b.text)), None
        )
        if date is not None:
            return date + 1, date + 1
    date = next((i for i, b in enumerate(blocks[:12]) if _is_date_line(b.text)), None)
    if date is not None and date > 0 and _signature_at(blocks) is not None:
        return date + 1, date + 1
    return None


def _is_date_line(text: str) -> bool:
    return len(text.split()) <= 6 and find_date(text) is not None


def extract_letter(meta, blocks: list[Block], start: tuple[int, int]) -> list[Block]:
    """Fill ``meta`` (a DocumentMeta) from a letter; return the body blocks."""
    meta.type = "letter"
    header, rest = blocks[: start[0]], blocks[start[1] :]
    salutation = blocks[start[0]] if start[0] < start[1] else None
    if salutation is not None:
        meta.furniture.append(("salutation", salutation.text))
    sign_off = next((i for i, b in enumerate(rest) if SIGN_OFF.match(b.text)), None)
    if sign_off is None:
        sign_off = _signature_at(rest)
        body, footer = rest[: sign_off or len(rest)], rest[sign_off or len(rest) :]
    else:
        meta.furniture.append(("sign-off", rest[sign_off].text))
        body, footer = rest[:sign_off], rest[sign_off + 1 :]
    _read_footer(meta, footer)
    people, letterhead, title_line = _read_header(meta, header)
    if body and is_subject(body[0]):
        meta.title = _SUBJECT_PREFIX.sub("", body[0].text)
        meta.furniture.append(("subject", body.pop(0).text))
    elif title_line:
        meta.title = title_line
    _assign_people(meta, people, letterhead, title_line, salutation)
    return body


def _read_header(meta, header: list[Block]):
    """Read date, reference, cc and the people of a letter's header blocks."""
    people: list[tuple[str, Person]] = []  # ("from" | "to" | "", person)
    lines_of: dict[str, list[str]] = {}  # a person's whole address block
    letterhead: list[str] = []
    title_line = ""
    side = ""
    for index, block in enumerate(header):
        if block.text in ("From", "To"):
            side = block.text.lower()
            meta.furniture.append(("layout", block.text))
            continue
        if index == 0 and (
            block.kind == "heading" or block.text.startswith("Letter from")
        ):
            title_line = block.text
            meta.furniture.append(("title", block.text))
            continue
        lines = [clean_inline(line) for line in block.lines]
        if _read_header_line(meta, lines):
            continue
        first = person(lines[0])
        if first is not None and not first.role and len(lines) > 1:
            if is_role(lines[1]):
                first = Person(first.name, lines[1], first.postnominals)
        if first is None and people and not people[-1][1].role and is_role(lines[0]):
            # "Rt Hon Jane Doe MP" on its own, then "Home Secretary" and an address.
            prev_side, prev = people[-1]
            people[-1] = (prev_side, Person(prev.name, lines[0], prev.postnominals))
            meta.furniture.append(("address", " / ".join(lines)))
            continue
        if first is not None:
            lines_of[first.name] = lines
            people.append((side, first))
            for line in lines[1:]:
                other = person(line)
                if other is not None and other.role:
                    people.append((side, other))
            meta.furniture.append(("address", " / ".join(lines)))
        elif not people:
            letterhead.extend(lines)
            meta.furniture.append(("letterhead", " / ".join(lines)))
        else:
            meta.furniture.append(("address", " / ".join(lines)))
    # The sender's own block names their force or office as a letterhead does.
    letterhead = letterhead + [
        line for side, who in people if side == "from" for line in lines_of[who.name]
    ]
    return people, letterhead, title_line


def _read_header_line(meta, lines: list[str]) -> bool:
    """Take a block of reference, date or cc lines; return whether it was one."""
    if len(lines) != 1:
        return False
    line = lines[0]
    ref = _REFERENCE.match(line)
    cc = _CC.match(line)
    if ref:
        meta.reference = re.sub(r"\s*-\s*", "-", ref.group("ref").strip())
        meta.furniture.append(("reference", line))
    elif cc:
        meta.cc = cc.group("who").strip()
        meta.furniture.append(("cc", line))
    elif _is_date_line(line) and meta.date is None:
        meta.date = find_date(line)
        meta.furniture.append(("date", line))
        bare = _BARE_REFERENCE.search(line)
        if bare and not meta.reference:
            meta.reference = re.sub(r"\s*-\s*", "-", bare.group("ref"))
    else:
        return False
    return True


def _read_footer(meta, footer: list[Block]) -> None:
    lines = [clean_inline(line) for block in footer for line in block.lines]
    for line in lines:
        cc = _CC.match(line)
        who = person(line)
        if cc:
            meta.cc = cc.group("who").strip()
            meta.furniture.append(("cc", line))
        elif not meta.author and who is not None:
            meta.author = who.name
            meta.author_role = title_case_role(who.role) if who.role else ""
            meta.postnominals = who.postnominals
            meta.furniture.append(("signatory", line))
        elif meta.author and not meta.author_role and is_role(line):
            meta.author_role = title_case_role(line)
            meta.furniture.append(("role", line))
        elif line:
            # Under a typed name, anything that is neither role nor CC is the OCR of a
            # scanned signature; it is never indexed.
            meta.furniture.append(("signature-noise", line))


def _assign_people(meta, people, letterhead, title_line, salutation) -> None:
    """Decide author, role, recipients and organisation from what the header held."""
    titled = _LETTER_FROM.match(title_line) if title_line else None
    senders = [p for side, p in people if side == "from"]
    if not senders and meta.author:
        senders = [p for _, p in people if p.name == meta.author]
    elif not senders and len(people) > 1:
        # Unsigned, with two named blocks: the letterhead's name is the sender's,
        # the addressee block below it the recipient's.
        senders = [people[0][1]]
    if not meta.author:
        if senders:
            meta.author = senders[0].name
        elif titled and person(titled.group("author")):
            meta.author = person(titled.group("author")).name
    sender = senders[0] if senders else None
    if sender is not None and sender.role and is_role(sender.role):
        # The sender block's role is the fuller one ("Commissioner of Police of the
        # Metropolis" where the signature says "Commissioner").
        if len(sender.role) > len(meta.author_role):
            meta.author_role = title_case_role(sender.role)
    if not meta.author_role:
        role = next((line for line in letterhead[:3] if is_role(line)), "")
        if role and role_organisation(role):
            meta.author_role = title_case_role(role.split(",")[0])
    recipients = [p for side, p in people if side != "from" and p not in senders]
    meta.recipients = [p.name for p in recipients]
    if recipients and recipients[0].role:
        role = re.split(r"\s+\d|,", recipients[0].role, maxsplit=1)[0].strip()
        meta.recipient_role = role if len(role.split()) <= 6 else ""
    if not meta.recipients and titled and titled.group("to"):
        meta.recipients = [titled.group("to")]
    if not meta.recipients and salutation is not None:
        _recipient_from_salutation(meta, salutation)
    if "AM" in getattr(meta, "postnominals", ()) and not meta.author_role:
        meta.author_role = "Assembly Member"
    sender_text = " ".join(letterhead)
    meta.organisation = role_organisation(meta.author_role, sender_text, meta.date)
    if not meta.organisation and "AM" in getattr(meta, "postnominals", ()):
        meta.organisation = "London Assembly"
    if not meta.organisation:
        orgs = find_organisations(" ".join([sender_text, meta.reference]))
        meta.organisation = orgs[0] if orgs else ""
    if not meta.title:
        meta.title = fallback_title(meta)


def _recipient_from_salutation(meta, salutation: Block) -> None:
    who = SALUTATION.match(salutation.text).group("who").strip(" ,")
    if who.lower() in {"colleagues", "all", "sir or madam", "sir/madam", "sirs"}:
        return
    if not re.search(r"\b(?:Home|Secretary|Minister|Chair|Commissioner|Mayor)\b", who):
        meta.recipients = [who]
    elif not meta.recipient_role:
        meta.recipient_role = who


def fallback_title(meta) -> str:
    """Return "Letter from X to Y, DATE" with the parts the letter gives."""
    parts = ["Letter"]
    if meta.author:
        parts.append(f"from {meta.author}")
    if meta.recipients:
        parts.append("to " + " and ".join(meta.recipients))
    title = " ".join(parts)
    return f"{title}, {long_date(meta.date)}" if meta.date else title
