"""What a search asks and what it answers: plain data for a page, JSON or CSV."""

from __future__ import annotations

from dataclasses import dataclass, field

SORTS = ("relevance", "newest", "oldest")
TEXT_FIELDS = ("text", "label")


class BadRequestError(ValueError):
    """A search parameter is out of range; the message says which and why."""


@dataclass
class SearchRequest:
    """Everything a search page or API call can ask for."""

    q: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    page: int = 1
    per_page: int = 20
    sort: str = "relevance"
    date_from: str | None = None
    date_to: str | None = None
    group: bool = False  # results grouped by document
    expand: bool = True  # expand acronyms and long forms
    correct: bool = True  # show corrected results when the query finds nothing
    default_per_page: int = 20


@dataclass
class SearchResult:
    """What a search found, as plain data ready for a page, JSON or CSV."""

    query: str
    total: int
    page: int
    per_page: int
    pages: int
    results: list[dict]
    facets: dict[str, list[dict]]
    description: str
    suggestion: str | None = None
    corrected: str | None = None
    expansions: list[dict] = field(default_factory=list)
    understood: str = ""
    notices: list[str] = field(default_factory=list)
    offers: list[dict] = field(default_factory=list)  # author/recipient filters
    hints: list[dict] = field(default_factory=list)  # ways out of no results
    chips: list[dict] = field(default_factory=list)
    pager: list[dict] = field(default_factory=list)
    links: dict[str, str | None] = field(default_factory=dict)
    echo: dict = field(default_factory=dict)
    grouped: bool = False
    groups: list[dict] = field(default_factory=list)  # when grouped: by document
    documents: int = 0  # how many documents the matches come from
