"""People and the bodies they speak for: names, roles and organisations.

A typed name ("Rt Hon Helen Ashworth MP", "Sir Graham Pellew QPM") is kept without
its honorifics and post-nominals; post-nominals are never roles. An author's
organisation comes from the author's role (the table in ``rules.toml``), never from
the recipient or a body the text mentions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.document.gazetteer import FORCE_BY_CODE, find_forces
from indexer.document.rules import role_rules

HONORIFIC = (
    r"(?:(?:The\s+)?(?:Rt\.?\s+Hon\.?|Right\s+Honourable)|Dr\.?|Sir|Dame|Lord|Lady|"
    r"Baroness|Baron|Mr\.?|Mrs\.?|Ms\.?|Miss|Cllr\.?|Councillor|Professor|Prof\.?|"
    r"(?:Assistant |Deputy )?Chief Constable|(?:Assistant |Deputy )?Commissioner)"
)
POSTNOMINAL = (
    r"(?:MP|MBE|OBE|CBE|DBE|KBE|QPM|KPM|DL|JP|KC|QC|AM|MEP|MSP|MS|PhD|FRSA|CVO|LVO)"
)
# Letters of the Latin scripts (Basic Latin to Latin Extended-B), by case, so that
# "Siân", "Zoë", "Łukasz" and "Seán" are names as "Sian" is.
_UPPER = "".join(c for c in map(chr, range(0x250)) if c.isupper())
_LOWER = "".join(c for c in map(chr, range(0x250)) if c.islower())
_U, _L = f"[{re.escape(_UPPER)}]", f"[{re.escape(_LOWER)}]"
# A capitalised word, with an elided prefix ("O'Neill", "D'Arcy"), one inner capital
# ("McDonald", "MacLeod") and a hyphenated or apostrophe part ("Okonjo-Iweala") allowed.
_PART = rf"{_U}{_L}+(?:{_U}{_L}+)?"
NAME_WORD = rf"(?:{_U}['’])?{_PART}(?:[-'’]{_U}?{_L}+(?:{_U}{_L}+)?)?"
_PERSON = re.compile(
    rf"^(?:{HONORIFIC}\s+)*(?P<name>{NAME_WORD}(?:\s+{NAME_WORD}){{1,3}})"
    rf"(?P<post>(?:,?\s+{POSTNOMINAL}\b)*)\s*(?:,\s*(?P<role>.+))?$"
)
# An honorific or a post-nominal marks a name even when the role and address run on
# without a comma ("Rt Hon Jane Doe MP Home Secretary 14 Albion Street").
_TITLED = re.compile(
    rf"^(?:(?:{HONORIFIC}\s+)+(?P<name>{NAME_WORD}(?:\s+{NAME_WORD}){{1,3}})"
    rf"(?P<post>(?:,?\s+{POSTNOMINAL}\b)*)"
    rf"|(?P<name2>{NAME_WORD}(?:\s+{NAME_WORD}){{1,3}})(?P<post2>(?:,?\s+{POSTNOMINAL}\b)+))"
    r",?\s*(?P<role>.*)$"
)
ROLE_WORDS = re.compile(
    r"\b(?:Mayor|Deputy|Commissioner|Director|Chief|Secretary|Chair|Chairman|Officer|"
    r"Inspector|Head|Minister|Constable|Lead|Manager|President|Clerk|Member|"
    r"Superintendent|Executive)\b",
    re.I,
)
# Words that make a capitalised line a place or a body, not a person.
_NOT_NAME = re.compile(
    r"\b(?:Police|Office|Service|Services|Constabulary|Assembly|Council|Hall|House|"
    r"Street|Road|Square|Way|Yard|Embankment|Lane|Park|Close|Court|Building|Floor|"
    r"London|Mayor|Policing|Crime|Home|Committee|Inspectorate|Headquarters|Scotland|"
    r"Kingdom|Government|Department|Ministry|Panel|Board|"
    r"Team|Unit|Centre|Center|Dear|Yours|Regards|Statement|Annex|Summary)\b"
    r"|" + ROLE_WORDS.pattern,
    re.I,
)
_SMALL_WORDS = {"and", "for", "of", "the", "in", "on", "to", "at"}


@dataclass(frozen=True)
class Person:
    """A typed name, with the role written beside it on the same line, if any."""

    name: str
    role: str = ""
    postnominals: tuple[str, ...] = ()


def person(line: str) -> Person | None:
    """Return the person a line names ("Sir Graham Pellew QPM", "Nadia Rahman,
    Mayor of London"), or None when the line is not a name."""
    match = _PERSON.match(line.strip())
    if match is None:
        titled = _TITLED.match(line.strip())
        if titled is None:
            return None
        name = titled.group("name") or titled.group("name2")
        post_text = titled.group("post") or titled.group("post2") or ""
    else:
        name, post_text = match.group("name"), match.group("post") or ""
    if _NOT_NAME.search(name):
        return None
    post = tuple(re.findall(POSTNOMINAL, post_text))
    role = ((match or titled).group("role") or "").strip()
    return Person(name, role, post)


def is_role(line: str) -> bool:
    """Return whether a line reads as a job title ("Chief Constable")."""
    return bool(ROLE_WORDS.search(line)) and len(line.split()) <= 12


def title_case_role(role: str) -> str:
    """Return a role as titles are written: "Deputy Mayor for Policing and Crime"."""
    if role.isupper():
        role = role.title()
    words = role.split()
    return " ".join(
        w.lower() if i and w.lower() in _SMALL_WORDS else w for i, w in enumerate(words)
    )


def force_label(code: str) -> str:
    """Return how a force is named as an organisation: its acronym where it has one
    (MPS, BTP), else its name ("Essex Police")."""
    force = FORCE_BY_CODE.get(code)
    if force is None:
        return code
    return code if code.isupper() else force.name


def role_organisation(role: str, sender: str = "", date: str | None = None) -> str:
    """Return the organisation a role speaks for, or "" when no rule knows it.

    :param sender: the text of the sender's letterhead or role, where a chief
        constable's force is named.
    :param date: the document's ISO date, for bodies that were renamed.
    """
    if not role:
        return ""
    for rule in role_rules():
        match = rule.pattern.search(role)
        if not match:
            continue
        if rule.before and date and date < rule.before:
            return rule.earlier
        if "{force}" in rule.organisation:
            forces = find_forces(f"{role} {sender}")
            return force_label(forces[0]) if forces else ""
        return rule.organisation.replace("{role}", match.group(0).strip(" ,."))
    return ""
