"""Highlighting: escape the text first, then wrap only the matching words in ``<mark>``.

The passage analyzer is run over the text with character offsets, so a match is
exactly what the index matched: stems (``victims`` for ``victim``), both halves
and the whole of ``co-ordination``, expanded wildcards. Words a query excludes
(``-fraud``, ``NOT fraud``) are never marked.
"""

from __future__ import annotations

import html

from markupsafe import Markup
from whoosh import query as wq

from indexer.analysis import PassageAnalyzer

TEXT_FIELDS = {"text", "label", "section"}
WHOLE = 420  # passages up to this many characters are shown whole
WINDOW_BEFORE, WINDOW_AFTER = 80, 220
MAX_FRAGMENTS = 3
_ANALYZER = PassageAnalyzer()


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


def query_terms(query: wq.Query, reader) -> frozenset[str]:
    """Return the indexed text-field terms ``query`` matches, wildcards expanded."""
    leaves: list = []
    _positive_leaves(query, leaves)
    terms = set()
    for leaf in leaves:
        try:
            found = leaf.existing_terms(reader, phrases=True, expand=True)
        except (NotImplementedError, AttributeError):
            continue
        for fieldname, text in found:
            if fieldname in TEXT_FIELDS:
                terms.add(text.decode("utf-8") if isinstance(text, bytes) else text)
    return frozenset(terms)


def match_spans(text: str, terms: frozenset[str]) -> list[tuple[int, int]]:
    """Return the merged character spans of ``text`` whose tokens are in ``terms``."""
    if not terms or not text:
        return []
    spans = sorted(
        (t.startchar, t.endchar)
        for t in _ANALYZER(text, chars=True, mode="index")
        if t.text in terms
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


def highlight(text: str, terms: frozenset[str], whole: bool = False) -> Markup:
    """Return ``text`` escaped and marked; long text is cut to fragments around matches."""
    spans = match_spans(text, terms)
    if whole or len(text) <= WHOLE:
        return Markup(mark(text, spans))
    windows: list[tuple[int, int]] = []
    for s, _ in spans:
        if windows and s < windows[-1][1]:
            continue
        start = _snap(text, s - WINDOW_BEFORE, forward=False)
        windows.append((start, _snap(text, s + WINDOW_AFTER, forward=True)))
        if len(windows) == MAX_FRAGMENTS:
            break
    if not windows:
        windows = [(0, _snap(text, WHOLE - 120, forward=True))]
    parts = []
    for start, end in windows:
        lead = "… " if start > 0 else ""
        tail = " …" if end < len(text) else ""
        parts.append(lead + mark(text, spans, start, end).strip() + tail)
    return Markup(" ".join(parts).replace(" … … ", " … "))
