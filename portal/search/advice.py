"""What to try when a search finds nothing: fewer filters, fewer words, a field.

A page that says only "0 passages" leaves a researcher guessing. When nothing
matches (and no correction was found), the results page says so and offers
each way out as a link: the search without its filters, without each word no
passage holds, or the word as a name or title.
"""

from __future__ import annotations

import re

from indexer.analysis.analyzer import analyze
from portal.search.links import search_url
from portal.search.lookup import fold

_WORD = re.compile(r'"[^"]*"|[^\s"]+')
_FIELDED = re.compile(r"^[A-Za-z_]+:")
OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}


def nothing_found(req, holds, documents: dict[str, dict]) -> list[dict]:
    """Return ways out of an empty result: ``[{"text", "url"}]``, best first.

    ``holds(stem)`` says whether any passage holds a stem; ``documents`` maps
    ids to metadata, so that a field is offered only where it finds something.
    A hint whose url is None only says what is missing.
    """
    hints = []
    if req.filters or req.date_from or req.date_to:
        cleared = {name: [] for name in req.filters}
        url = search_url(req, **cleared, **{"from": None, "to": None})
        hints.append({"text": "Search without the filters", "url": url})
    words = _WORD.findall(req.q)
    plain = [w for w in words if w not in OPERATORS and not _FIELDED.match(w)]
    missing = [w for w in plain if not w.startswith('"') and not _held(w, holds)]
    for word in missing:
        bare = word.strip(".,;!?()")
        fields = _fields_holding(bare, documents)
        for name in fields:
            q = f"{name}:{bare}"
            hints.append({"text": f"Search {q}", "url": search_url(req, q=q)})
        if len(words) > 1:
            rest = _without(words, word)
            text = f"No passage holds “{bare}”: search without it"
            hints.append({"text": text, "url": search_url(req, q=rest)})
        elif not fields:
            text = f"No passage or document mentions “{bare}”."
            hints.append({"text": text, "url": None})
    return hints


def _without(words: list[str], word: str) -> str:
    """Return the query without ``word`` and any operator it leaves dangling."""
    rest = [w for w in words if w != word]
    while rest and rest[0] in OPERATORS:
        rest.pop(0)
    while rest and rest[-1] in OPERATORS:
        rest.pop()
    kept = [
        w
        for i, w in enumerate(rest)
        if not (w in OPERATORS and rest[i - 1] in OPERATORS)
    ]
    return " ".join(kept)


def _fields_holding(word: str, documents: dict[str, dict]) -> list[str]:
    """Return the metadata fields (author, recipient, title) some document's holds."""
    wanted = fold(word)
    return [
        name
        for name in ("author", "recipient", "title")
        if any(
            wanted in fold(doc.get(name) or "").replace(",", " ").split()
            for doc in documents.values()
        )
    ]


def _held(word: str, holds) -> bool:
    """Return whether a passage holds ``word`` (any of its forms)."""
    return any(holds(stem) for stem in analyze(word)[:1]) or not analyze(word)
