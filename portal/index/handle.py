"""Open the served index generation, one reader per thread, reopened on swap.

A Whoosh searcher is not thread-safe, so each thread keeps its own handle. Every
request reads the tiny ``CURRENT`` file; when it names a new generation the handle
is reopened, so a rebuilt index is served without a restart.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from flask import current_app
from whoosh import index as whoosh_index
from whoosh.matching.wrappers import MultiMatcher
from whoosh.searching import Searcher

from indexer.analysis.schema import FACET_FIELDS
from indexer.store.build import current_generation, read_documents, read_manifest
from indexer.store.columns import read_columns
from portal.index.verify import IndexNotBuiltError, choose_generation
from portal.search.scoring import Scorer

__all__ = ["IndexHandle", "IndexNotBuiltError", "get_index"]

_local = threading.local()


def _active_children(self) -> list:
    """Return the sub-matcher being read, or none once every segment is done."""
    return [self.matchers[self.current]] if self.is_active() else []


# whoosh3 3.54.0: MultiMatcher.children() indexes past its last segment when an
# exhausted matcher over several segments is asked for its terms, so some queries
# (an expanded acronym with filters) raised IndexError on any index of more than
# one segment, which parallel and incremental builds produce. Whoosh's other
# wrappers return no children when inactive; this makes MultiMatcher do the same.
MultiMatcher.children = _active_children
# Answers kept per worker thread. Few: at 100k passages one answer with its facet
# links (a link per matching document) can take most of a megabyte.
MEMO_SIZE = 32
T = TypeVar("T")


@dataclass
class IndexHandle:
    """One generation of the index, opened for reading by one thread."""

    path: Path
    searcher: Searcher
    manifest: dict
    documents: dict[str, dict]
    # Per facet, the values of every document number, filled once per generation.
    values: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)
    ids: dict[str, int] = field(default_factory=dict)
    # Recent answers of this generation, most recent last (see ``remember``).
    memo: OrderedDict = field(default_factory=OrderedDict)
    # Why this generation is served instead of the one CURRENT names ("" if it is).
    notice: str = ""
    _scorer: Scorer | None = None
    _closer: weakref.finalize | None = None

    @property
    def scorer(self) -> Scorer:
        """Return the scorer of this generation's searcher, made on first use."""
        if self._scorer is None:
            self._scorer = Scorer(self.searcher)
        return self._scorer

    def remember(self, key: Hashable, compute: Callable[[], T]) -> T:
        """Return ``compute()``, reusing the answer for a key asked recently.

        The memo lives on the handle, so it holds one generation's answers only and
        is dropped with the handle when a new generation is swapped in.
        """
        if key in self.memo:
            self.memo.move_to_end(key)
            return self.memo[key]
        value = compute()
        self.memo[key] = value
        if len(self.memo) > MEMO_SIZE:
            self.memo.popitem(last=False)
        return value

    @classmethod
    def open(cls, path: Path) -> IndexHandle:
        """Open the generation at ``path`` and load its facet value arrays."""
        ix = whoosh_index.open_dir(str(path))
        searcher = ix.searcher()
        documents = {d["id"]: d for d in read_documents(path)}
        handle = cls(path, searcher, read_manifest(path), documents)
        # A thread's handle is dropped with the thread: close its files then too
        # (segments are plain files, one per column and posting list, not one
        # compound file copied into memory).
        handle._closer = weakref.finalize(handle, searcher.close)
        size = searcher.doc_count_all()
        columns = read_columns(path)
        if (
            columns is not None
            and columns["size"] == size
            and set(FACET_FIELDS) <= set(columns["facets"])
        ):
            handle._load_columns(columns)
            return handle
        # A generation built before columns.json existed: read every stored passage.
        handle.values = {name: [()] * size for name in FACET_FIELDS}
        for docnum, stored in searcher.reader().iter_docs():
            handle.ids[stored["id"]] = docnum
            for name, stored_field in FACET_FIELDS.items():
                handle.values[name][docnum] = _facet_values(stored.get(stored_field))
        return handle

    def _load_columns(self, columns: dict) -> None:
        """Fill the facet value arrays from the columns the build wrote."""
        # Reading them beats reading every stored passage back by orders of
        # magnitude at 100k passages, which is what made a worker's first request slow.
        self.ids = {pid: n for n, pid in enumerate(columns["ids"]) if pid}
        for name in FACET_FIELDS:
            facet = columns["facets"][name]
            names, offsets, codes = facet["values"], facet["offsets"], facet["codes"]
            interned = [(v,) for v in names]
            column: list[tuple[str, ...]] = []
            for n in range(columns["size"]):
                start, end = offsets[n], offsets[n + 1]
                if end - start == 1:
                    column.append(interned[codes[start]])
                else:
                    column.append(tuple(names[c] for c in codes[start:end]))
            self.values[name] = column

    def close(self) -> None:
        """Release the searcher's files (once: the finalizer runs at most once)."""
        if self._closer is not None:
            self._closer()
        else:
            self.searcher.close()


def _facet_values(raw: object) -> tuple[str, ...]:
    # Forces are stored comma-separated; every other facet has one value or none.
    return tuple(v for v in str(raw or "").split(",") if v)


def get_index() -> IndexHandle:
    """Return this thread's handle on the served generation, reopening it on a swap.

    A damaged generation is never opened: the newest intact one is served
    instead (see :mod:`portal.index.verify`).

    :raise IndexNotBuiltError: when the index directory holds no built index, or
        only damaged ones (:class:`~portal.index.verify.GenerationDamagedError`).
    """
    index_dir = Path(current_app.config["INDEX_DIR"])
    handle: IndexHandle | None = getattr(_local, "handle", None)
    # Two tries: a build may swap in a new generation and prune the one CURRENT
    # named between reading CURRENT and opening it; the second read names the new.
    for attempt in (1, 2):
        choice = choose_generation(index_dir)
        generation = choice.path
        if handle is not None and handle.path == generation:
            handle.notice = choice.notice
            return handle
        try:
            opened = IndexHandle.open(generation)
        except (whoosh_index.EmptyIndexError, OSError, ValueError) as exc:
            if attempt == 1 and current_generation(index_dir) != generation:
                continue
            raise IndexNotBuiltError(
                f"the index at {generation} cannot be read ({exc}); rebuild it with "
                "`make index`"
            ) from exc
        if handle is not None:
            handle.close()
        opened.notice = choice.notice
        _local.handle = opened
        return opened
    raise AssertionError("unreachable")  # pragma: no cover
