"""The analyzer shared by indexing and querying.

A tokenizer feeds filters, chained with ``|`` as in Whoosh's own ``analysis``
package: words, numbers and money amounts become tokens; possessives are dropped;
hyphenated and slashed words are indexed whole and split; curly apostrophes are
straight; everything is lower-cased and stripped of accents (Siân = Sian); American
``-ize`` spellings are folded to the British ``-ise`` the corpus uses, and words are
stemmed. Filters look at ``token.mode`` so that a query gets only the forms it needs.
"""

from __future__ import annotations

import re

from whoosh.analysis import (
    CharsetFilter,
    Composable,
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    Token,
)
from whoosh.support.charset import accent_map

# Money (£5, €34m), numbers with separators (2021/22, 43,000, 2.4m) and words
# with internal apostrophes or hyphens stay single tokens.
TOKEN_PATTERN = r"[£€$]?\w+(?:(?:[.,/'’‐‑-])\w+)*"
HYPHENS = re.compile(r"[‐‑-]")
CURRENCY = "£€$"
_PLURAL_ACRONYM = re.compile(r"^[A-Z][A-Za-z]*[A-Z]s$")
_IZE = re.compile(r"(?<=\w\w)iz(e|es|ed|ing|ation|ations|er|ers)$")


class PossessiveFilter(Filter):
    """Strip a trailing ``'s``, ``’s`` or bare apostrophe: victims' = victims."""

    def __call__(self, tokens):
        for token in tokens:
            text = token.text
            # The token's characters keep the apostrophe: "London's" is marked whole.
            if text.endswith(("'s", "’s", "'S", "’S")):
                token.text = text[:-2]
            elif text.endswith(("'", "’")):
                token.text = text[:-1]
            yield token


class ApostropheFilter(Filter):
    """Make curly apostrophes straight: doesn’t = doesn't."""

    def __call__(self, tokens):
        for token in tokens:
            if "’" in token.text:
                token.text = token.text.replace("’", "'")
            yield token


class SlashFilter(Filter):
    """Index ``MPS/BTP`` whole and as ``MPS`` and ``BTP``; numbers stay whole.

    A figure such as ``2021/22`` keeps one form. The parts sit at the word's
    position, as a hyphenated word's do; a query keeps the whole word (the
    query parser ORs its parts, so that ``MPS/BTP`` finds either).
    """

    def __call__(self, tokens):
        for token in tokens:
            text = token.text
            yield token
            if "/" not in text or token.mode == "query":
                continue
            parts = text.split("/")
            if not any(p[:1].isalpha() for p in parts):
                continue
            yield from _split_token(token, parts)


def _split_token(token, parts: list[str], start: int | None = None):
    """Yield ``token`` once per non-empty part of a word split at one-character
    separators, each with its own character span (``start``: the word's first
    character, by default the token's)."""
    if start is None:
        start = token.startchar if token.chars else 0
    offset = 0
    for part in parts:
        if part:
            token.text = part
            if token.chars:
                token.startchar = start + offset
                token.endchar = start + offset + len(part)
            yield token
        offset += len(part) + 1


class AcronymPluralFilter(Filter):
    """Make a plural acronym singular before case folding: ROCUs = ROCU, PCCs = PCC."""

    def __call__(self, tokens):
        for token in tokens:
            if _PLURAL_ACRONYM.match(token.text):
                token.text = token.text[:-1]
            yield token


class HyphenFilter(Filter):
    """Index a hyphenated word joined and split; a query keeps only the joined form.

    ``co-ordination`` is indexed as ``coordination``, ``co`` and ``ordination`` at
    one position, so a phrase over the joined form still matches and a query for
    ``coordination``, ``co-ordination`` or ``ordination`` finds it. Number ranges
    keep one form: ``2021-22`` is ``2021/22``, as the documents mostly write it.
    """

    def __call__(self, tokens):
        for token in tokens:
            text = token.text
            if not HYPHENS.search(text):
                yield token
                continue
            parts = HYPHENS.split(text)
            if all(p.isdigit() for p in parts):
                token.text = "/".join(parts)
                yield token
                continue
            start = token.startchar if token.chars else 0
            token.text = "".join(parts)
            yield token
            if token.mode == "query":
                continue
            yield from _split_token(token, parts, start)


class CurrencyFilter(Filter):
    """Index ``£5`` also as ``5``, so a figure is found with or without its symbol."""

    def __call__(self, tokens):
        for token in tokens:
            yield token
            text = token.text
            if token.mode != "query" and len(text) > 1 and text[0] in CURRENCY:
                token.text = text[1:]
                if token.chars:
                    token.startchar += 1
                yield token


class BritishSpellingFilter(Filter):
    """Fold ``organized`` to ``organised`` so both spellings stem alike."""

    def __call__(self, tokens):
        for token in tokens:
            token.text = _IZE.sub(r"is\1", token.text)
            yield token


def PassageAnalyzer():
    """Return the stemming analyzer used for passage text, labels and titles."""
    return (
        RegexTokenizer(TOKEN_PATTERN)
        | PossessiveFilter()
        | ApostropheFilter()
        | AcronymPluralFilter()
        | HyphenFilter()
        | SlashFilter()
        | CurrencyFilter()
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | BritishSpellingFilter()
        | StemFilter(lang="en", cachesize=50000)
    )


def SurfaceAnalyzer():
    """Return the unstemmed analyzer for words as a reader knows them.

    Spelling suggestions and the comparison columns' distinctive words use it.
    """
    return (
        RegexTokenizer(TOKEN_PATTERN)
        | PossessiveFilter()
        | ApostropheFilter()
        | LowercaseFilter()
    )


def ExactAnalyzer():
    """Return the analyzer for words as written: folded to lower case, not stemmed.

    ``=policing`` searches this form alone, not police or policy.
    """
    return (
        RegexTokenizer(TOKEN_PATTERN)
        | PossessiveFilter()
        | ApostropheFilter()
        | HyphenFilter()
        | SlashFilter()
        | LowercaseFilter()
        | CharsetFilter(accent_map)
    )


def NameAnalyzer():
    """Return the analyzer for names (authors, recipients): lower-cased, not stemmed."""
    return (
        RegexTokenizer(r"\w+(?:[-'’]\w+)*")
        | ApostropheFilter()
        | LowercaseFilter()
        | CharsetFilter(accent_map)
    )


class PairAnalyzer(Composable):
    """Index each two neighbouring words of a passage as one term: ``organis crime``.

    A two-word phrase is then one term to look up instead of two position lists
    checked passage by passage (in Python, the slowest part of a phrase search at
    100k passages); longer phrases intersect their pairs before positions are
    checked. A pair sits at its first word's position, so a phrase of pairs
    (``a b``, ``b c``, ``c d``) is exactly the phrase ``a b c d``, checked over
    short posting lists. Where a position holds several forms (``co-ordination``
    is ``coordination``, ``co`` and ``ordination``), every combination is a pair.
    """

    def __call__(self, value, positions=False, mode="", **kwargs):
        by_position: dict[int, list[str]] = {}
        for token in _ANALYZER(value, positions=True, mode="index"):
            by_position.setdefault(token.pos, []).append(token.text)
        token = Token(positions=positions, mode=mode, **kwargs)
        for pos, words in by_position.items():
            following = by_position.get(pos + 1, ())
            for first in words:
                for second in following:
                    token.text = pair_term(first, second)
                    token.boost = 1.0
                    token.pos = pos
                    yield token


def pair_term(first: str, second: str) -> str:
    """Return the term the pair field holds for two neighbouring stems."""
    return f"{first} {second}"


def analyze(text: str, mode: str = "query") -> list[str]:
    """Return the token texts the passage analyzer makes of ``text``."""
    return [t.text for t in _ANALYZER(text, mode=mode)]


_ANALYZER = PassageAnalyzer()
