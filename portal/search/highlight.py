"""Highlighting: escape the text first, then wrap only the matching words in ``<mark>``.

The passage analyzer is run over the text with character offsets, so a match is
exactly what the index matched: stems (``victims`` for ``victim``), both halves
and the whole of ``co-ordination``, expanded wildcards. Words a query excludes
(``-fraud``, ``NOT fraud``) are never marked.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from functools import lru_cache

from markupsafe import Markup
from whoosh import query as wq

from indexer.analysis.analyzer import TOKEN_PATTERN, ExactAnalyzer, PassageAnalyzer

TEXT_FIELDS = {"text", "label", "section"}
WHOLE = 420  # passages up to this many characters are shown whole
WINDOW_BEFORE, WINDOW_AFTER = 80, 220
MAX_FRAGMENTS = 3
MAX_WINDOW = 2 * (WINDOW_BEFORE + WINDOW_AFTER)  # one fragment, at most
ALMOST_WHOLE = 40  # fragments leaving out less than this show the passage whole
_ANALYZER = PassageAnalyzer()
_WORD = re.compile(TOKEN_PATTERN)  # the analyzer's tokenizer's words
_EXACT = ExactAnalyzer()
EXACT_FIELD = "exact"  # words as written: marked where the same form occurs


def _positive_leaves(query: wq.Query, out: list) -> None:
    """Collect the leaf queries a passage must or may match, skipping exclusions."""
    if isinstance(query, wq.AndNot):
        _positive_leaves(query.a, out)
    elif isinstance(query, wq.Not):
        return
    elif query.is_leaf():
        out.append(query)
    else:
        for child in query.children():
            _positive_leaves(child, out)


class Terms(frozenset):
    """The words to mark, and the phrases to mark only where they occur whole."""

    phrases: tuple[tuple[str, ...], ...] = ()
    exact: frozenset[str] = frozenset()


NOTHING = Terms()


def query_terms(query: wq.Query, reader) -> Terms:
    """Return the indexed text-field terms ``query`` matches, wildcards expanded.

    A phrase's words are marked only where the whole phrase occurs, so the
    expansion of SOC does not mark every "and" and "crime".
    """
    leaves: list = []
    _positive_leaves(query, leaves)
    terms = set()
    phrases = set()
    exact = {
        leaf.text for leaf in leaves if getattr(leaf, "fieldname", "") == EXACT_FIELD
    }
    for leaf in leaves:
        if isinstance(leaf, wq.Phrase):
            if leaf.fieldname in TEXT_FIELDS and leaf.words:
                phrases.add(tuple(leaf.words))
            continue
        try:
            found = leaf.existing_terms(reader, phrases=True, expand=True)
        except (NotImplementedError, AttributeError):
            continue
        for fieldname, text in found:
            if fieldname in TEXT_FIELDS:
                terms.add(text.decode("utf-8") if isinstance(text, bytes) else text)
    found = Terms(terms)
    found.phrases = tuple(sorted(phrases))
    found.exact = frozenset(exact)
    return found


def _phrase_spans(tokens: list, phrases) -> list[tuple[int, int]]:
    """Return the spans where a phrase's words follow each other."""
    at_pos: dict[int, dict[str, tuple[int, int]]] = {}
    for text, pos, start, end in tokens:
        at_pos.setdefault(pos, {})[text] = (start, end)
    spans = []
    for words in phrases:
        for pos, texts in at_pos.items():
            if words[0] not in texts:
                continue
            ends = [at_pos.get(pos + k, {}).get(w) for k, w in enumerate(words)]
            if all(ends):
                spans.append((ends[0][0], ends[-1][1]))
    return spans


def _exact_spans(text: str, exact: frozenset[str]) -> list[tuple[int, int]]:
    """Return the spans of the words written in one of the ``exact`` forms."""
    if not exact:
        return []
    return [
        (t.startchar, t.endchar)
        for t in _EXACT(text, chars=True, mode="index")
        if t.text in exact
    ]


def analysed_tokens(text: str) -> list[tuple[str, int, int, int]]:
    """Return ``text``'s index tokens as (term, position, start, end) characters.

    The same tokens the passage analyzer gives, a word at a time: its filters
    each look at one word (a hyphenated or slashed word's parts sit at the word's
    position), so a word's analysis is remembered and reused for every passage
    holding it, where running the analyzer over the text stemmed every word of
    every passage shown. (Tested against the analyzer run over whole passages.)
    """
    return [
        (term, pos, match.start() + start, match.start() + end)
        for pos, match in enumerate(_WORD.finditer(text))
        for term, start, end in _word_forms(match.group())
    ]


@lru_cache(maxsize=100_000)
def _word_forms(word: str) -> tuple[tuple[str, int, int], ...]:
    """Return one word's terms with their character spans within the word."""
    return tuple(
        (t.text, t.startchar, t.endchar)
        for t in _ANALYZER(word, positions=True, chars=True, mode="index")
    )


def match_spans(text: str, terms: frozenset[str]) -> list[tuple[int, int]]:
    """Return the merged character spans of ``text`` whose tokens are in ``terms``."""
    phrases = getattr(terms, "phrases", ())
    exact = getattr(terms, "exact", frozenset())
    if not (terms or phrases or exact) or not text:
        return []
    tokens = analysed_tokens(text)
    spans = sorted(
        [(start, end) for word, _, start, end in tokens if word in terms]
        + _phrase_spans(tokens, phrases)
        + _exact_spans(text, exact)
    )
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def mark(text: str, spans: list[tuple[int, int]], start: int = 0, end=None) -> str:
    """Return ``text[start:end]`` escaped, with the spans inside it in ``<mark>``."""
    end = len(text) if end is None else end
    out, at = [], start
    for s, e in spans:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        out.append(html.escape(text[at:s], quote=False))
        out.append("<mark>" + html.escape(text[s:e], quote=False) + "</mark>")
        at = e
    out.append(html.escape(text[at:end], quote=False))
    return "".join(out)


def _snap(text: str, pos: int, forward: bool) -> int:
    """Move ``pos`` to the nearest space so a fragment never cuts a word."""
    if pos <= 0 or pos >= len(text):
        return max(0, min(pos, len(text)))
    found = text.find(" ", pos) if forward else text.rfind(" ", 0, pos)
    if found == -1:
        return len(text) if forward else 0
    return found if forward else found + 1


def _windows(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Return the fragments to show around the matches, never overlapping.

    A match inside or next to the fragment before extends it (up to
    ``MAX_WINDOW`` characters) instead of opening a second fragment over the
    same text; so no text is ever shown twice.
    """
    windows: list[tuple[int, int]] = []
    for s, e in spans:
        if windows and e <= windows[-1][1]:
            continue  # already shown
        start = _snap(text, s - WINDOW_BEFORE, forward=False)
        end = _snap(text, max(e, s + WINDOW_AFTER), forward=True)
        if windows and not text[windows[-1][1] : start].strip():
            first, last = windows[-1]
            if end - first > MAX_WINDOW:
                if s < last:
                    continue  # the match starts inside: shown in part, marked
                start = last
            else:
                windows[-1] = (first, end)
                continue
        if len(windows) == MAX_FRAGMENTS:
            break
        windows.append((max(start, windows[-1][1] if windows else 0), end))
    return windows


def highlight(text: str, terms: frozenset[str], whole: bool = False) -> Markup:
    """Return ``text`` escaped and marked; long text is cut to fragments at matches.

    Fragments never overlap, so no text is repeated and a snippet is never
    longer than its passage; a passage of up to ``WHOLE`` characters, or one
    whose fragments would cover nearly all of it, is shown whole.
    """
    spans = match_spans(text, terms)
    if whole or len(text) <= WHOLE:
        return Markup(mark(text, spans))
    windows = _windows(text, spans)
    if not windows:
        windows = [(0, _snap(text, WHOLE - 120, forward=True))]
    if sum(end - start for start, end in windows) >= len(text) - ALMOST_WHOLE:
        return Markup(mark(text, spans))
    parts = []
    for start, end in windows:
        lead = "… " if start > 0 else ""
        tail = " …" if end < len(text) else ""
        parts.append(lead + mark(text, spans, start, end).strip() + tail)
    return Markup(" ".join(parts).replace(" … … ", " … "))


def marker(terms: frozenset[str]) -> Callable[[str], Markup]:
    """Return a function marking whole texts with ``terms`` (for reading pages).

    The reader, the permalink page and every page that shows passages whole mark
    with this, from the same :func:`query_terms` as the search snippets.
    """
    return lambda text: highlight(text, terms, whole=True)
