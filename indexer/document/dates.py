"""Dates as documents write them: "18 July 2023", "July 18, 2023", "2023-07-18",
UK numeric "01/12/2015", and a cover's month and year ("March 2017")."""

from __future__ import annotations

import datetime as dt
import re

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
    # UK order, day first: 01/12/2015 is the first of December.
    re.compile(
        r"\b(?P<day>\d{1,2})[/.](?P<month>\d{1,2})[/.](?P<year>(?:19|20)\d{2})\b"
    ),
)
_MONTH_YEAR = re.compile(rf"^(?:{_MONTH}|(?P<season>))\s+{_YEAR}$", re.I)
_NAMES = [
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
]  # fmt: skip


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


def month_year(text: str) -> str | None:
    """Return "YYYY-MM-01" for a line that is only a month and year, else None."""
    match = _MONTH_YEAR.match(" ".join(text.split()).strip(" ()"))
    if not match or not match.group("month"):
        return None
    month = MONTHS[match.group("month").lower().rstrip(".")]
    return f"{match.group('year')}-{month:02d}-01"


def long_date(iso: str) -> str:
    """Return an ISO date as a letter writes it: "2 September 2024"."""
    year, month, day = (int(part) for part in iso.split("-"))
    return f"{day} {_NAMES[month - 1]} {year}"
