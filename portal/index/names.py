"""Display names that tell documents apart: a letter from the report it answers.

A letter's subject line often repeats the title of the report it answers, so a
title alone cannot tell them apart in a list, a facet or a comparison. The display
name puts what kind of document it is, who wrote it to whom, and when, beside the
title: ``Letter, Nadia Rahman to Daniel Okafor, 18 July 2023``.
"""

from __future__ import annotations

import datetime as dt


def _names(value) -> str:
    if isinstance(value, list):
        value = [str(v) for v in value if v]
        if len(value) > 2:
            return ", ".join(value[:-1]) + " and " + value[-1]
        return " and ".join(value)
    return str(value or "")


def long_date(iso: str | None) -> str:
    """Return ``2023-07-18`` as ``18 July 2023``, or ``undated``."""
    if not iso:
        return "undated"
    try:
        day = dt.date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{day.day} {day:%B %Y}"


def display_name(doc: dict) -> str:
    """Return ``"Type, Author to Recipient, 18 July 2023"`` for a document.

    Parts the metadata lacks are left out: a report reads ``Report, HMICFRS,
    19 May 2023``; an undated letter without a known author ``Letter, undated``.
    """
    kind = (doc.get("type") or "document").replace("-", " ").capitalize()
    author = _names(doc.get("author")) or str(doc.get("organisation") or "")
    recipient = _names(doc.get("recipients") or doc.get("recipient"))
    who = author
    if recipient and doc.get("type") == "letter":
        who = f"{author} to {recipient}" if author else f"to {recipient}"
    parts = [kind, who, long_date(doc.get("date"))]
    return ", ".join(part for part in parts if part)
