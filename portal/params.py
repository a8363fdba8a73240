"""Read search parameters from a request's query string, checking each one."""

from __future__ import annotations

from flask import current_app
from werkzeug.datastructures import MultiDict

from indexer.schema import FACET_FIELDS
from portal.search import BadRequestError, SearchRequest


def _int(args: MultiDict, name: str, default: int) -> int:
    raw = args.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise BadRequestError(
            f"{name} must be a whole number, not {raw[:20]!r}"
        ) from None


def search_request(args: MultiDict) -> SearchRequest:
    """Build a :class:`SearchRequest` from query-string arguments.

    :raise BadRequestError: for a query too long, a bad page or per_page, or an
        unknown sort, with a message saying what is allowed.
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
        name: [v for v in dict.fromkeys(args.getlist(name)) if v.strip()]
        for name in FACET_FIELDS
    }
    return SearchRequest(
        q=q,
        filters={k: v for k, v in filters.items() if v},
        page=page,
        per_page=per_page,
        sort=args.get("sort", "relevance") or "relevance",
    )
