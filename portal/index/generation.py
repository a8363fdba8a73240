"""One index generation, opened read-only, owning everything derived from it.

The portal opens one :class:`Generation` per generation it serves (see
:mod:`portal.index.handle`), and every structure worked out from that index lives
on it, under one cache policy:

- per-generation structures are built on first use and kept exactly as long as
  the generation: ``functools.cached_property`` for those this room builds (the
  year sets, the distinct facet values and their codes, the date order, the
  permalink maps), and
  :meth:`Generation.derive` for those other rooms build from it (the lexicon, the
  help page's counts, the curated themes' data);
- what must stay bounded is a ``cachetools`` LRU: the passages of one facet value,
  and the answer memo (bounded in bytes).

Nothing is ever evicted when another generation is served: the old object is
dropped whole, and the searchers it opened close with it. A Whoosh searcher is
not thread-safe (WHOOSH-NOTES pitfall 1), so each thread reading a generation gets
a searcher of its own. The memo keeps answers pickled and hands out fresh copies,
so no caller ever holds state another caller sees.
"""

from __future__ import annotations

import pickle
import threading
import weakref
from collections.abc import Callable, Hashable, Mapping
from functools import cached_property
from pathlib import Path
from typing import NamedTuple, TypeVar

from cachetools import LRUCache
from whoosh import index as whoosh_index
from whoosh.matching.wrappers import MultiMatcher
from whoosh.searching import Searcher

from indexer.permalinks.resolution import read_resolution
from indexer.store.build import read_documents, read_manifest
from portal.index.names import display_name
from portal.index.values import FacetCodes, FacetValues, encode_values, load_values
from portal.search.scoring import Scorer

T = TypeVar("T")
# The answer memo's bound, in bytes of pickled answers per worker: at 100k
# passages one search answer (a facet link per matching document) pickles to a
# few hundred kilobytes, a narrow one to a few.
MEMO_BYTES = 32 * 1024 * 1024


def _active_children(self) -> list:
    """Return the sub-matcher being read, or none once every segment is done."""
    return [self.matchers[self.current]] if self.is_active() else []


# whoosh3 3.54.0: MultiMatcher.children() indexes past its last segment when an
# exhausted matcher over several segments is asked for its terms, so some queries
# (an expanded acronym with filters) raised IndexError on any index of more than
# one segment, which parallel and incremental builds produce. Whoosh's other
# wrappers return no children when inactive; this makes MultiMatcher do the same.
MultiMatcher.children = _active_children


class Resolution(NamedTuple):
    """The permalink maps of a generation, and each live id's earlier ids."""

    redirects: dict[str, str]  # old passage id -> live id
    gone: dict[str, dict]  # removed passage id -> its archived snapshot
    revised: dict[str, dict]  # old id -> its earlier text and the live id
    earlier: dict[str, tuple[str, ...]]  # live id -> old ids redirected to it


class _ThreadReader:
    """One thread's searcher on a generation, and the scorer made over it."""

    def __init__(self, searcher: Searcher):
        self.searcher = searcher
        self.scorer: Scorer | None = None


class Generation:
    """One generation of the index, opened read-only and shared by a worker's threads.

    ``path`` is the generation directory; ``manifest`` and ``documents`` (id ->
    summary) are what the build wrote there; ``ids`` maps passage ids to document
    numbers and ``values`` holds, per facet, every document number's values.
    Callers treat all of them as read-only.
    """

    def __init__(self, path: Path, index, manifest: dict, documents: dict[str, dict]):
        self.path = path
        self.manifest = manifest
        self.documents = documents
        # Why this generation is served instead of the one CURRENT names ("" if it is).
        self.notice = ""
        self.ids: dict[str, int] = {}
        self.values: Mapping[str, list[tuple[str, ...]]] = {}
        self._index = index
        self._local = threading.local()
        self._lock = threading.Lock()
        self._closers: list[weakref.finalize] = []
        self._derived: dict[tuple, object] = {}
        self._building: dict[tuple, threading.Lock] = {}
        self._memo: LRUCache = LRUCache(MEMO_BYTES, getsizeof=len)
        # The ANSWER_MEMO setting: off, remember() computes every answer.
        self.memo_on = True

    @classmethod
    def open(cls, path: Path) -> Generation:
        """Open the generation at ``path`` read-only and load its facet columns.

        The one place the portal opens a generation.

        :raise whoosh.index.EmptyIndexError: when ``path`` holds no Whoosh index.
        :raise OSError: when a file of it is missing or unreadable.
        :raise ValueError: when a file of it is not what the build writes.
        """
        index = whoosh_index.open_dir(str(path))
        # Every page and the API tell documents apart by their display names.
        documents = {
            d["id"]: d | {"display_name": display_name(d)} for d in read_documents(path)
        }
        generation = cls(path, index, read_manifest(path), documents)
        try:
            generation.ids, generation.values = load_values(generation.searcher, path)
        except BaseException:
            generation.close()
            raise
        return generation

    @property
    def searcher(self) -> Searcher:
        """Return this thread's searcher, opened on first use."""
        return self._reader().searcher

    @property
    def scorer(self) -> Scorer:
        """Return the scorer over this thread's searcher, made on first use."""
        reader = self._reader()
        if reader.scorer is None:
            reader.scorer = Scorer(reader.searcher)
        return reader.scorer

    def _reader(self) -> _ThreadReader:
        """Return this thread's reader, opening a searcher the first time."""
        reader = getattr(self._local, "reader", None)
        if reader is None:
            searcher = self._index.searcher()
            reader = _ThreadReader(searcher)
            # The reader goes with its thread or with this generation: close its
            # files then (segments are plain files, read through the page cache).
            closer = weakref.finalize(reader, searcher.close)
            with self._lock:
                self._closers = [c for c in self._closers if c.alive]
                self._closers.append(closer)
            self._local.reader = reader
        return reader

    def close(self) -> None:
        """Close every searcher opened on this generation (for a generation no
        thread reads any more; dropping the object does the same)."""
        with self._lock:
            closers, self._closers = self._closers, []
        for closer in closers:
            closer()  # a finalizer runs at most once

    @cached_property
    def year_documents(self) -> dict[str, frozenset[int]]:
        """Return the document numbers of each year, the years oldest first."""
        by_year: dict[str, set[int]] = {}
        for docnum, values in enumerate(self.values["year"]):
            for year in values:
                by_year.setdefault(year, set()).add(docnum)
        return {y: frozenset(d) for y, d in sorted(by_year.items())}

    @cached_property
    def facet_codes(self) -> dict[str, FacetCodes]:
        """Return, per facet, its value array as numbers (for counting by numpy)."""
        if isinstance(self.values, FacetValues):
            return self.values.codes
        return {name: encode_values(column) for name, column in self.values.items()}

    @cached_property
    def distinct_values(self) -> dict[str, frozenset[str]]:
        """Return, per facet, every value some passage has."""
        return {
            name: frozenset(codes.names) for name, codes in self.facet_codes.items()
        }

    @cached_property
    def date_keys(self) -> list[tuple[str, str, int]]:
        """Return (date, doc_id, position) for every document number."""
        reader = self.searcher.reader()
        dates = reader.column_reader("date")
        positions = reader.column_reader("position")
        docs = self.values["doc"]
        return [
            (dates[n] or "", docs[n][0] if docs[n] else "", positions[n])
            for n in range(reader.doc_count_all())
        ]

    @cached_property
    def resolution(self) -> Resolution:
        """Return the permalink maps the indexer wrote into this generation."""
        redirects, gone, revised = read_resolution(self.path)
        earlier: dict[str, list[str]] = {}
        for old, new in sorted(redirects.items()):
            earlier.setdefault(new, []).append(old)
        return Resolution(
            redirects, gone, revised, {k: tuple(v) for k, v in earlier.items()}
        )

    def derive(self, build: Callable[..., T], *args: Hashable) -> T:
        """Return ``build(self, *args)``, built once for this generation.

        For the structures other rooms work out from a generation (this room may
        not import them): kept as long as the generation, like a cached property,
        and built by one thread while the others asking for it wait. Callers must
        not change what they get.
        """
        key = (build, args)
        if key in self._derived:
            return self._derived[key]  # type: ignore[return-value]
        with self._lock:
            building = self._building.setdefault(key, threading.Lock())
        with building:
            if key not in self._derived:
                self._derived[key] = build(self, *args)
        return self._derived[key]  # type: ignore[return-value]

    def remember(self, key: Hashable, compute: Callable[[], T]) -> T:
        """Return ``compute()``, or a copy of the answer kept for ``key``.

        Answers are kept pickled, the least recently used dropped past
        ``MEMO_BYTES``, so every caller gets an answer of its own to change.
        With ``memo_on`` false, nothing is kept: every call computes.
        """
        if not self.memo_on:
            return compute()
        with self._lock:
            kept = self._memo.get(key)
        if kept is not None:
            return pickle.loads(kept)
        value = compute()
        kept = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
        if len(kept) <= self._memo.maxsize:
            with self._lock:
                self._memo[key] = kept
        return value
