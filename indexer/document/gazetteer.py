"""Names of police forces and oversight bodies, with their acronyms.

Forces are identified by a short code (the acronym researchers use where one is
common, otherwise the force's place name) and matched in text by their full names
and acronyms. Bare place names count only where they are unambiguous force areas.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from indexer.document.rules import rules


@dataclass(frozen=True)
class Force:
    code: str
    name: str
    aliases: tuple[str, ...] = ()


FORCES: tuple[Force, ...] = (
    Force(
        "MPS",
        "Metropolitan Police Service",
        (
            "Metropolitan Police Service",
            "Metropolitan Police",
            "Commissioner of Police of the Metropolis",
            "Commissioner of the Police of the Metropolis",
            "the Met",
            "MPS",
            "Met Police",
            "Met's",
        ),
    ),
    Force("CoLP", "City of London Police", ("City of London Police", "CoLP")),
    Force("BTP", "British Transport Police", ("British Transport Police", "BTP")),
    Force(
        "Avon",
        "Avon and Somerset Constabulary",
        ("Avon and Somerset", "Avon & Somerset"),
    ),
    Force("Beds", "Bedfordshire Police", ("Bedfordshire",)),
    Force("Cambs", "Cambridgeshire Constabulary", ("Cambridgeshire",)),
    Force("Cheshire", "Cheshire Constabulary", ("Cheshire",)),
    Force("Cleveland", "Cleveland Police", ("Cleveland",)),
    Force("Cumbria", "Cumbria Constabulary", ("Cumbria",)),
    Force("Derbys", "Derbyshire Constabulary", ("Derbyshire",)),
    Force(
        "D&C", "Devon and Cornwall Police", ("Devon & Cornwall", "Devon and Cornwall")
    ),
    Force("Dorset", "Dorset Police", ("Dorset",)),
    Force("Durham", "Durham Constabulary", ("Durham",)),
    Force("DPP", "Dyfed-Powys Police", ("Dyfed-Powys", "Dyfed Powys")),
    Force("Essex", "Essex Police", ("Essex",)),
    Force("Glos", "Gloucestershire Constabulary", ("Gloucestershire",)),
    Force("GMP", "Greater Manchester Police", ("Greater Manchester", "GMP")),
    Force("Gwent", "Gwent Police", ("Gwent",)),
    Force(
        "Hants",
        "Hampshire and Isle of Wight Constabulary",
        ("Hampshire", "Hampshire Constabulary"),
    ),
    Force("Herts", "Hertfordshire Constabulary", ("Hertfordshire",)),
    Force("Humberside", "Humberside Police", ("Humberside",)),
    Force("Kent", "Kent Police", ("Kent Police", "Kent")),
    Force("Lancs", "Lancashire Constabulary", ("Lancashire",)),
    Force("Leics", "Leicestershire Police", ("Leicestershire",)),
    Force("Lincs", "Lincolnshire Police", ("Lincolnshire",)),
    Force("Merseyside", "Merseyside Police", ("Merseyside",)),
    Force("Norfolk", "Norfolk Constabulary", ("Norfolk",)),
    Force("NYP", "North Yorkshire Police", ("North Yorkshire",)),
    Force("Northants", "Northamptonshire Police", ("Northamptonshire",)),
    Force("Northumbria", "Northumbria Police", ("Northumbria",)),
    Force("Notts", "Nottinghamshire Police", ("Nottinghamshire",)),
    Force("NWP", "North Wales Police", ("North Wales",)),
    Force("SWP", "South Wales Police", ("South Wales",)),
    Force("SYP", "South Yorkshire Police", ("South Yorkshire",)),
    Force("Staffs", "Staffordshire Police", ("Staffordshire",)),
    Force("Suffolk", "Suffolk Constabulary", ("Suffolk",)),
    Force("Surrey", "Surrey Police", ("Surrey",)),
    Force("Sussex", "Sussex Police", ("Sussex",)),
    Force("TVP", "Thames Valley Police", ("Thames Valley", "TVP")),
    Force("Warks", "Warwickshire Police", ("Warwickshire",)),
    Force("WMerc", "West Mercia Police", ("West Mercia",)),
    Force("WMP", "West Midlands Police", ("West Midlands Police", "WMP")),
    Force("WYP", "West Yorkshire Police", ("West Yorkshire",)),
    Force("Wilts", "Wiltshire Police", ("Wiltshire",)),
    Force("PSoS", "Police Scotland", ("Police Scotland",)),
    Force(
        "PSNI",
        "Police Service of Northern Ireland",
        ("PSNI", "Police Service of Northern Ireland"),
    ),
    Force("MDP", "Ministry of Defence Police", ("Ministry of Defence Police",)),
    Force("CNC", "Civil Nuclear Constabulary", ("Civil Nuclear Constabulary", "CNC")),
)

FORCE_BY_CODE = {force.code: force for force in FORCES}


@dataclass(frozen=True)
class Organisation:
    code: str
    name: str
    aliases: tuple[str, ...]


ORGANISATIONS: tuple[Organisation, ...] = (
    Organisation(
        "MOPAC",
        "Mayor's Office for Policing and Crime",
        (
            "Mayor's Office for Policing and Crime",
            "Mayor of London Office for Policing and Crime",
            "Deputy Mayor for Policing and Crime",
            "MOPAC",
        ),
    ),
    Organisation(
        "HMICFRS",
        "His Majesty's Inspectorate of Constabulary and Fire & Rescue Services",
        (
            "Inspectorate of Constabulary and Fire & Rescue Services",
            "Inspectorate of Constabulary and Fire and Rescue Services",
            "Inspectorate of Constabulary, Fire and Rescue Services",
            "HMICFRS",
        ),
    ),
    Organisation(
        "HMIC",
        "Her Majesty's Inspectorate of Constabulary",
        ("Majesty's Inspectorate of Constabulary", "HMIC"),
    ),
    Organisation("Home Office", "Home Office", ("Home Office",)),
    Organisation(
        "London Assembly",
        "London Assembly",
        ("London Assembly", "Police and Crime Committee"),
    ),
)


def _alias_pattern(aliases: tuple[str, ...], guard: str = "") -> str:
    # Longest first so "Metropolitan Police Service" wins over "Metropolitan Police".
    parts = sorted(aliases, key=len, reverse=True)
    alternation = "|".join(re.escape(a) for a in parts)
    return r"(?<![\w-])(?:" + alternation + r")(?![\w-])" + guard


@cache
def _not_a_force() -> str:
    # "Kent County Council", "the Met Office", "Durham University" name other
    # institutions; the words are data (indexer/document/rules.toml).
    words = rules()["forces"]["not_followed_by"]
    return r"(?!\s+(?:" + "|".join(re.escape(w) for w in words) + r")\b)"


@cache
def _force_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    guard = _not_a_force()
    return tuple((f.code, re.compile(_alias_pattern(f.aliases, guard))) for f in FORCES)


@cache
def _forces_by_first_word() -> dict[str, tuple[int, ...]]:
    index: dict[str, list[int]] = {}
    for i, force in enumerate(FORCES):
        for alias in force.aliases:
            first = re.match(r"\w+", alias)
            if first and i not in index.setdefault(first.group(), []):
                index[first.group()].append(i)
    return {word: tuple(found) for word, found in index.items()}


def find_forces(text: str) -> list[str]:
    """Return the codes of the forces named in ``text``, in gazetteer order."""
    # An alias can only match where its first word stands as a whole word, so the
    # word-boundary regexes run only for forces whose first word occurs: this makes
    # indexing several times faster with the same result.
    by_word = _forces_by_first_word()
    candidates = sorted(
        {i for word in set(re.findall(r"\w+", text)) for i in by_word.get(word, ())}
    )
    patterns = _force_patterns()
    return [patterns[i][0] for i in candidates if patterns[i][1].search(text)]


@cache
def _heading_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for force in FORCES:
        for name in (force.name, *force.aliases):
            names.setdefault(name.lower(), force.code)
    return names


def force_of_heading(heading: str) -> str | None:
    """Return the code of the force a heading is entirely about, if it names one."""
    name = re.sub(r"^the\s+", "", heading.strip(), flags=re.I)
    return _heading_names().get(name.lower())


def find_organisations(text: str) -> list[str]:
    """Return the codes of the organisations named in ``text``, most mentioned first."""
    counts = []
    for org in ORGANISATIONS:
        n = len(re.findall(_alias_pattern(org.aliases), text))
        if n:
            counts.append((-n, ORGANISATIONS.index(org), org.code))
    return [code for _, _, code in sorted(counts)]
