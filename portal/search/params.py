"""Read search parameters from a request's query string, checking each one."""

from __future__ import annotations

import datetime as dt
import re

from flask import current_app
from werkzeug.datastructures import MultiDict

from indexer.analysis.schema import FACET_FIELDS
from portal.search.service import SORTS, BadRequestError, SearchRequest

MAX_VALUE_LENGTH = 200
# Facet values one request may select, all facets together. Every facet link
# carries the whole selection, so an answer grows with the square of it: 400
# values made a 3.9 MB answer. Forty is more than any reader ticks by hand.
MAX_FILTER_VALUES = 40
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_FLAGS = {"": True, "1": True, "true": True, "yes": True, "on": True}
_FLAGS |= {"0": False, "false": False, "no": False, "off": False}


def _int(args: MultiDict, name: str, default: int) -> int:
    """Return a whole-number parameter, or ``default`` when absent."""
    raw = args.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise BadRequestError(
            f"{name} must be a whole number, not {raw[:20]!r}"
        ) from None


def _date(args: MultiDict, name: str) -> str | None:
    """Return an ISO date parameter, or None when absent."""
    raw = args.get(name, "").strip()
    if not raw:
        return None
    try:
        # fromisoformat alone would also take 20230519 and week dates.
        if not _ISO_DATE.fullmatch(raw):
            raise ValueError(raw)
        return dt.date.fromisoformat(raw).isoformat()
    except ValueError:
        raise BadRequestError(
            f"{name} must be a date written YYYY-MM-DD (for example 2023-05-19), "
            f"not {raw[:20]!r}"
        ) from None


def _flag(args: MultiDict, name: str) -> bool:
    """Return an on/off parameter; absent means on."""
    raw = args.get(name, "").strip().lower()
    if raw not in _FLAGS:
        raise BadRequestError(f"{name} must be 1 or 0, not {raw[:20]!r}")
    return _FLAGS[raw]


def search_request(args: MultiDict) -> SearchRequest:
    """Build a :class:`SearchRequest` from query-string arguments.

    :raise BadRequestError: for a query too long, a bad page or per_page, or an
        unknown sort, a malformed date or flag, with a message saying what is
        allowed.
    """
    config = current_app.config
    q = args.get("q", "")
    if len(q) > config["MAX_QUERY_LENGTH"]:
        raise BadRequestError(
            f"the query is {len(q):,} characters; the limit is "
            f"{config['MAX_QUERY_LENGTH']:,}"
        )
    per_page = _int(args, "per_page", config["PER_PAGE"])
    if not 1 <= per_page <= config["MAX_PER_PAGE"]:
        raise BadRequestError(
            f"per_page must be between 1 and {config['MAX_PER_PAGE']}"
        )
    page = _int(args, "page", 1)
    if not 1 <= page <= 100_000:
        raise BadRequestError("page must be between 1 and 100000")
    filters = {
        name: [v.strip() for v in dict.fromkeys(args.getlist(name)) if v.strip()]
        for name in FACET_FIELDS
    }
    selected = sum(len(values) for values in filters.values())
    if selected > MAX_FILTER_VALUES:
        raise BadRequestError(
            f"{selected} filter values are selected; at most {MAX_FILTER_VALUES} "
            "may be combined in one search"
        )
    for name, values in filters.items():
        if any(len(v) > MAX_VALUE_LENGTH for v in values):
            raise BadRequestError(
                f"a {name} value is longer than {MAX_VALUE_LENGTH} characters"
            )
    sort = args.get("sort", "").strip() or "relevance"
    if sort not in SORTS:
        raise BadRequestError(
            f"sort must be one of {', '.join(SORTS)}, not {sort[:20]!r}"
        )
    group = args.get("group", "").strip()
    if group not in ("", "doc"):
        raise BadRequestError(f"group must be doc or absent, not {group[:20]!r}")
    date_from, date_to = _date(args, "from"), _date(args, "to")
    if date_from and date_to and date_from > date_to:
        raise BadRequestError(f"from ({date_from}) is after to ({date_to})")
    return SearchRequest(
        q=q,
        filters={k: v for k, v in filters.items() if v},
        page=page,
        per_page=per_page,
        sort=sort,
        date_from=date_from,
        date_to=date_to,
        group=group == "doc",
        expand=_flag(args, "expand"),
        correct=_flag(args, "correct"),
        default_per_page=config["PER_PAGE"],
    )
