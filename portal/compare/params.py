"""Read compare, trend, diff and align parameters from a query string."""

from __future__ import annotations

from flask import current_app
from werkzeug.datastructures import MultiDict

from portal.compare.service import CompareRequest
from portal.compare.themes import Theme, ThemeSet
from portal.search.service import BadRequestError

# Year is a column, not a filter; doc would empty every column but one.
COMPARE_FILTERS = ("author", "force", "type")
MAX_PER_COLUMN = 50
MAX_SERIES = 8


def _query(args: MultiDict, name: str = "q") -> str:
    q = args.get(name, "").strip()
    limit = current_app.config["MAX_QUERY_LENGTH"]
    if len(q) > limit:
        raise BadRequestError(
            f"the query is {len(q):,} characters; the limit is {limit:,}"
        )
    return q


def _theme(themes: ThemeSet, theme_id: str) -> Theme:
    theme = themes.get(theme_id.strip())
    if theme is None:
        known = ", ".join(t.id for t in themes.themes) or "none are defined"
        raise BadRequestError(f"there is no theme {theme_id!r}; known themes: {known}")
    return theme


def read_years(args: MultiDict, available: list[str]) -> list[str]:
    """Return the years asked for, in the order asked, or every year.

    :raise BadRequestError: for a year with no documents.
    """
    asked = [y.strip() for raw in args.getlist("years") for y in raw.split(",")]
    asked = list(dict.fromkeys(y for y in asked if y))
    for year in asked:
        if year not in available:
            raise BadRequestError(
                f"years: {year[:20]!r} has no documents; the years indexed are "
                + ", ".join(available)
            )
    return asked or list(available)


def read_filters(args: MultiDict) -> dict[str, list[str]]:
    """Return the author, force and type filters, which apply to every column."""
    filters = {
        name: [v for v in dict.fromkeys(args.getlist(name)) if v.strip()]
        for name in COMPARE_FILTERS
    }
    return {k: v for k, v in filters.items() if v}


def compare_request(
    args: MultiDict, themes: ThemeSet, available: list[str]
) -> CompareRequest | None:
    """Return the comparison asked for, or None when neither theme nor q is given.

    :raise BadRequestError: for both a theme and a query, an unknown theme, an
        unindexed year or a per_column outside 1-50.
    """
    q, theme_id = _query(args), args.get("theme", "").strip()
    if q and theme_id:
        raise BadRequestError("choose a theme or type a query, not both")
    if not q and not theme_id:
        return None
    raw = args.get("per_column", "").strip() or "10"
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_PER_COLUMN:
        raise BadRequestError(
            f"per_column must be a whole number from 1 to {MAX_PER_COLUMN}"
        )
    return CompareRequest(
        q=q,
        theme=_theme(themes, theme_id) if theme_id else None,
        years=read_years(args, available),
        filters=read_filters(args),
        per_column=int(raw),
    )


def trend_series(args: MultiDict, themes: ThemeSet) -> list[tuple[str, str, str]]:
    """Return ``(label, query, theme id)`` for every theme and q asked for.

    :raise BadRequestError: for an unknown theme or more than eight series.
    """
    series = []
    for theme_id in dict.fromkeys(t for t in args.getlist("theme") if t.strip()):
        theme = _theme(themes, theme_id)
        series.append((theme.label, theme.query, theme.id))
    for q in dict.fromkeys(q.strip() for q in args.getlist("q") if q.strip()):
        _query(MultiDict({"q": q}))
        series.append((q, q, ""))
    if len(series) > MAX_SERIES:
        raise BadRequestError(
            f"a chart can overlay at most {MAX_SERIES} themes or queries"
        )
    return series
