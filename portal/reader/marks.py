"""Mark text for reading: a query's words by stem, and a correction's changes.

The query is parsed over the text fields with the schema's analyzer, so
``policing`` marks ``police`` and ``polic*`` marks every word starting so; words
under ``NOT`` are never marked. The text is run through the same analyzer, and
every stretch of it is escaped before ``<mark>`` tags go around matching tokens.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import lru_cache

from markupsafe import Markup, escape
from rapidfuzz.distance import Levenshtein
from whoosh.qparser import FieldAliasPlugin, MultifieldParser, OrGroup
from whoosh.query import Not, Prefix, Query, Wildcard

from indexer.analysis.schema import QUERY_FIELDS, build_schema

TEXT_FIELDS = ("text", "label", "section", "title")


@lru_cache(maxsize=1)
def _schema():
    return build_schema()


def _parser() -> MultifieldParser:
    # Field filters (force:MPS, year:2023) parse as filters, so are not marked.
    # A new parser per call: one shared by threads is not known to be safe.
    parser = MultifieldParser(list(TEXT_FIELDS), _schema(), group=OrGroup)
    aliases: dict[str, list[str]] = {}
    for alias, target in QUERY_FIELDS.items():
        if alias != target:
            aliases.setdefault(target, []).append(alias)
    parser.add_plugin(FieldAliasPlugin(aliases))
    return parser


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
        query = _parser().parse(hl)
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


def word_diff(old: str, new: str) -> Markup:
    """Return ``new`` as HTML, words removed since ``old`` in del, added in ins."""
    a, b = old.split(), new.split()
    out: list[Markup] = []
    for op in Levenshtein.opcodes(a, b):
        removed = " ".join(a[op.src_start : op.src_end])
        added = " ".join(b[op.dest_start : op.dest_end])
        if op.tag == "equal":
            out.append(escape(added))
            continue
        if removed:
            out.append(Markup("<del>%s</del>") % removed)
        if added:
            out.append(Markup("<ins>%s</ins>") % added)
    return Markup(" ").join(out)
