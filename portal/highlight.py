"""Mark a query's words in passage text, server-side, matching stems.

The query is parsed with the search parser, so ``policing`` marks ``police`` and
``polic*`` marks every word starting so; words under ``NOT`` are never marked.
The text is run through the schema's own analyzer, and every stretch of it is
escaped before ``<mark>`` tags are put around the matching tokens.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import lru_cache

from markupsafe import Markup, escape
from whoosh.query import Not, Prefix, Query, Wildcard

from indexer.schema import build_schema
from portal.search import make_parser

TEXT_FIELDS = ("text", "label", "section", "title")


@lru_cache(maxsize=1)
def _schema():
    return build_schema()


def _leaves(query: Query) -> Iterator[Query]:
    if isinstance(query, Not):
        return
    if query.is_leaf():
        yield query
        return
    for child in query.children():
        yield from _leaves(child)


def query_terms(hl: str) -> tuple[set[str], tuple[str, ...]]:
    """Return the analysed words and the prefixes a highlight query asks for."""
    if not hl.strip():
        return set(), ()
    try:
        query = make_parser(_schema()).parse(hl)
    except Exception:  # a query the parser rejects highlights nothing
        return set(), ()
    words, prefixes = set(), []
    for leaf in _leaves(query):
        if isinstance(leaf, Prefix | Wildcard):
            if leaf.fieldname in TEXT_FIELDS:
                stem = leaf.text.split("*")[0].split("?")[0].lower()
                if stem:
                    prefixes.append(stem)
            continue
        for fieldname, text in leaf.terms(phrases=True):
            if fieldname in TEXT_FIELDS and isinstance(text, str):
                words.add(text)
    return words, tuple(prefixes)


def highlighter(hl: str) -> Callable[[str], Markup]:
    """Return a function turning plain text into escaped HTML with marked words."""
    words, prefixes = query_terms(hl)
    analyzer = _schema()["text"].analyzer
    if not words and not prefixes:
        return lambda text: Markup(escape(text))

    def mark(text: str) -> Markup:
        out, at = [], 0
        for token in analyzer(text, chars=True, mode="index"):
            stem = token.text
            surface = text[token.startchar : token.endchar].lower()
            if stem in words or (prefixes and surface.startswith(prefixes)):
                out.append(escape(text[at : token.startchar]))
                word = text[token.startchar : token.endchar]
                out.append(Markup("<mark>%s</mark>") % word)
                at = token.endchar
        out.append(escape(text[at:]))
        return Markup("").join(out)

    return mark
