"""Every URL the portal hands out is built here: searches, documents, passages, diffs.

Every state of a search is a link; document ids and queries are always quoted.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from urllib.parse import quote, quote_plus, urlencode

from indexer.analysis.schema import FACET_FIELDS

SEARCH_PATH = "/search"


@lru_cache(maxsize=256)
def _quoted(value: str) -> str:
    """Return ``value`` quoted for a URL (a theme's query is long, and used often)."""
    return quote(value, safe="")


@lru_cache(maxsize=4096)
def _quoted_plus(value: str) -> str:
    """Return ``value`` as ``urlencode`` writes a name or value (``quote_plus``)."""
    return quote_plus(value, safe="")


def doc_url(doc_id: str, passage_id: str, q: str = "") -> str:
    """Return the path of a document scrolled to a passage, the query highlighted."""
    hl = f"?hl={_quoted(q)}" if q.strip() else ""
    anchor = f"#{passage_id}" if passage_id else ""
    return f"/docs/{_quoted(doc_id)}{hl}{anchor}"


def permalink_url(passage_id: str) -> str:
    """Return the permalink of a passage."""
    return f"/p/{_quoted(passage_id)}"


def diff_url(a: str, b: str) -> str:
    """Return the page comparing passages ``a`` and ``b`` word by word."""
    return "/diff?" + urlencode({"a": a, "b": b})


def compare_url(theme: str) -> str:
    """Return the comparison of a curated theme across years."""
    return "/compare?" + urlencode({"theme": theme})


def query_url(q: str, args: list[tuple[str, str]]) -> str:
    """Return the search page for ``q`` with the extra ``(name, value)`` pairs."""
    rest = urlencode(args)
    return f"{SEARCH_PATH}?q={_quoted(q)}" + (f"&{rest}" if rest else "")


def search_args(req, **changes) -> list[tuple[str, str]]:
    """Return the query-string pairs of ``req`` with ``changes`` applied.

    A change of ``None`` drops the parameter; a facet change is a list of values.
    Defaults are left out so that links stay short and canonical.
    """
    state = {
        "q": req.q,
        **{name: list(req.filters.get(name, [])) for name in FACET_FIELDS},
        "from": req.date_from or "",
        "to": req.date_to or "",
        "sort": "" if req.sort == "relevance" else req.sort,
        "expand": "" if req.expand else "0",
        "correct": "" if req.correct else "0",
        "per_page": "" if req.per_page == req.default_per_page else str(req.per_page),
        "page": "",
        "group": "doc" if getattr(req, "group", False) else "",
    }
    state.update({k: ("" if v is None else v) for k, v in changes.items()})
    pairs = []
    for key, value in state.items():
        values = value if isinstance(value, list) else [value]
        pairs.extend((key, str(v)) for v in values if str(v) != "")
    return pairs


def search_url(req, path: str = SEARCH_PATH, **changes) -> str:
    """Return the path and query string of ``req`` with ``changes`` applied."""
    query = urlencode(search_args(req, **changes))
    return f"{path}?{query}" if query else path


def facet_url_maker(req, name: str, path: str = SEARCH_PATH) -> Callable[[list], str]:
    """Return ``values -> search_url(req, path, **{name: values})``, fast to call often.

    A facet can list thousands of values, each with a toggle link; encoding the
    rest of the state once instead of per value keeps those links cheap.
    """
    marker = "\x00facet"
    pairs = search_args(req, **{name: [marker]})
    at = pairs.index((name, marker))
    before, after = urlencode(pairs[:at]), urlencode(pairs[at + 1 :])

    key = _quoted_plus(name)

    def url(values: list) -> str:
        # As urlencode writes the pairs: quote_plus on each (a value's quoting
        # is remembered: facet values recur in every answer).
        middle = "&".join(f"{key}={_quoted_plus(str(v))}" for v in values if str(v))
        query = "&".join(part for part in (before, middle, after) if part)
        return f"{path}?{query}" if query else path

    return url


def pager(req, page: int, pages: int, path: str = SEARCH_PATH) -> list[dict]:
    """Return numbered page links: first, last, and two either side of ``page``."""
    if pages <= 1:
        return []
    shown = {1, pages, *range(max(1, page - 2), min(pages, page + 2) + 1)}
    items, last = [], 0
    for number in sorted(shown):
        if number - last > 1:
            items.append({"gap": True})
        items.append(
            {
                "number": number,
                "url": search_url(req, path, page=str(number) if number > 1 else None),
                "current": number == page,
            }
        )
        last = number
    if page > 1:
        items.insert(0, _step(req, path, page - 1, "Previous"))
    if page < pages:
        items.append(_step(req, path, page + 1, "Next"))
    return items


def _step(req, path: str, number: int, title: str) -> dict:
    """Return a Previous or Next page link."""
    page = str(number) if number > 1 else None
    return {"number": number, "url": search_url(req, path, page=page), "step": title}
