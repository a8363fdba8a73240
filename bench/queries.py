"""The fixed query mix, as the portal receives it and as FTS5 is asked the same."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class BenchQuery:
    """One search: the portal's query string, the FTS5 MATCH expression, filters."""

    kind: str
    q: str
    fts: str
    filters: dict[str, list[str]] = field(default_factory=dict)

    def portal_params(self) -> dict:
        """Return the query-string parameters for the portal's ``/api/search``."""
        return {"q": self.q, "per_page": 10, **self.filters}

    def fts_params(self) -> dict:
        """Return the query-string parameters for the FTS5 app's ``/api/search``."""
        return {"q": self.fts, "per_page": 10, **self.filters}


# Typos: FTS5 has no fuzzy matching, so it is handed the corrected word; the portal
# has to find the correction itself.
QUERIES: tuple[BenchQuery, ...] = (
    BenchQuery("word", "recruitment", "recruitment"),
    BenchQuery("word", "fraud", "fraud"),
    BenchQuery("word", "police", "police"),
    BenchQuery("word", "surveillance", "surveillance"),
    BenchQuery("phrase", '"organised crime"', '"organised crime"'),
    BenchQuery(
        "phrase", '"sensitive intelligence unit"', '"sensitive intelligence unit"'
    ),
    BenchQuery("boolean", "fraud AND cybercrime", "fraud AND cybercrime"),
    BenchQuery(
        "boolean", "intelligence NOT surveillance", "intelligence NOT surveillance"
    ),
    BenchQuery("boolean", "ROCU OR ROCTA", "ROCU OR ROCTA"),
    BenchQuery("acronym", "SIU", "SIU"),
    BenchQuery("acronym", "CoLP", "CoLP"),
    BenchQuery("typo", "surveilance", "surveillance"),
    BenchQuery("typo", "recruitmnet", "recruitment"),
    BenchQuery("filter", "intelligence", "intelligence", {"type": ["report"]}),
    BenchQuery("filter", "funding", "funding", {"year": ["2019"]}),
    BenchQuery("filter", "crime", "crime", {"force": ["BTP"]}),
)

# Each worker's first requests (which open the index) ask these, never the mix:
# words the generated corpora hold, none of them measured.
WARMUPS: tuple[BenchQuery, ...] = tuple(
    BenchQuery("warm-up", word, word)
    for word in (
        "inspection", "complaint", "training", "officers", "custody", "vetting",
        "misconduct", "budget", "oversight", "victims", "response", "review",
    )
)  # fmt: skip
