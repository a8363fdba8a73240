"""Write passages into Whoosh segments: in parallel for a full build, and in place
for the few documents that changed.

A full build splits the documents into one share per core; each worker process
parses its share and writes it as a segment of its own, and the parent commits
the segments side by side without merging them (merging at commit time is what
makes Whoosh's own multiprocess writer slow). An update hard-links the served
generation's immutable segment files into a new directory, deletes the changed
documents' passages and adds their new ones in one small extra segment.

Both ways return the passage rows in document-number order, so the facet columns
(:mod:`indexer.store.columns`) can be written without reading the index back.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import shutil
import tempfile
from collections.abc import Callable
from operator import itemgetter
from pathlib import Path
from typing import Protocol

from whoosh import index as whoosh_index
from whoosh.reading import SegmentReader
from whoosh.writing import SegmentWriter

from indexer.analysis.schema import build_schema
from indexer.document.record import Document
from indexer.source.corpus import Problem, RawDocument
from indexer.source.scan import load_text
from indexer.store.fields import Row, parse_one, passage_fields, rows_of

# Writer memory per process; two workers stay well inside a small machine.
LIMIT_MB = 256
# Past this many segments an update falls back to a full build, so that many small
# updates never leave a searcher walking dozens of segments.
MAX_SEGMENTS = 8
# Segments with fewer passages are folded into the next update's new segment.
SMALL_SEGMENT = 2000

# Fields whose values repeat from passage to passage (see _remember_repeated_values).
REPEATED_FIELDS = ("title", "author", "section", "label", "label_pairs")

# A cached parse: None, or a loader that returns (document, cached extra) or None.
Cached = Callable[[], tuple[Document, object] | None] | None


class Collector(Protocol):
    """Gathers, in a worker, what the parent needs of each document of one share."""

    def add(self, raw: RawDocument, doc: Document, cached: object) -> None:
        """Take one document (``cached`` is the extra stored with a cached parse)."""

    def result(self) -> object:
        """Return what goes back to the parent (pickled: keep it compact)."""


_jobs: list[list[tuple[RawDocument, Cached]]] = []
# Makes the collector of each share; None collects nothing.
_collect: Callable[[], Collector] | None = None


def _order_key(doc: Document) -> tuple[str, str]:
    # Oldest first, so document numbers follow the corpus chronologically.
    return (doc.date or "", doc.id)


def _order(documents: list[Document]) -> list[Document]:
    return sorted(documents, key=_order_key)


def _parse(raw: RawDocument, cached: Cached) -> tuple[Document | None, object, list]:
    """Return the document of ``raw`` (cached or parsed), its cached extra, problems."""
    found = cached() if cached is not None else None
    if found is not None:
        return found[0], found[1], []
    doc, problems = parse_one(load_text(raw))
    return doc, None, problems


def _write_share(args: tuple[str, int]) -> tuple[object, object, list[Row], list]:
    """Parse and write one share of the corpus as a segment (in a worker).

    Documents are parsed in share order but indexed oldest first, so each parse
    is spooled to a temporary file and read back in that order: the worker holds
    one document at a time, not its whole share.

    :return: the segment (or None), what the collector gathered, the facet rows
        in document-number order, and the problems met.
    """
    path, number = args
    ix = whoosh_index.open_dir(path)
    writer = SegmentWriter(ix, _lk=False, limitmb=LIMIT_MB, compound=False)
    _remember_repeated_values(writer.schema)
    collector = _collect() if _collect is not None else None
    problems, spooled, rows = [], [], []
    with tempfile.TemporaryFile(dir=path, prefix=".spool-") as spool:
        for raw, cached in _jobs[number]:
            doc, extra, found = _parse(raw, cached)
            problems.extend(found)
            if doc is None:
                continue
            if collector is not None:
                collector.add(raw, doc, extra)
            spooled.append((_order_key(doc), spool.tell()))
            pickle.dump(doc, spool, protocol=pickle.HIGHEST_PROTOCOL)
        for _, offset in sorted(spooled, key=itemgetter(0)):
            spool.seek(offset)
            doc = pickle.load(spool)
            for fields in passage_fields(doc):
                writer.add_document(**fields)
            rows.extend(rows_of(doc))
    segment = writer._finalize_segment() if writer._added else None
    if segment is None:
        writer._close_segment()
    gathered = collector.result() if collector is not None else None
    # The workers share one temporary folder; the parent's commit removes it.
    return segment, gathered, rows, problems


def _remember_repeated_values(schema) -> None:
    """Analyse each value of the fields that repeat from passage to passage once.

    Every passage carries its document's title and author and its section path,
    and Whoosh analyses every value it is given. The postings of a value are a
    function of the value alone, so a worker's writer keeps them (the index
    written is the same). Only the worker's own copy of the schema is changed;
    the schema saved with the index is the parent's.
    """
    for name in REPEATED_FIELDS:
        field = schema[name]
        analyse, memo = field.index, {}

        def index(value, _analyse=analyse, _memo=memo, **kwargs):
            if kwargs or not isinstance(value, str):
                return _analyse(value, **kwargs)
            if value not in _memo:
                if len(_memo) > 20_000:
                    _memo.clear()
                _memo[value] = tuple(_analyse(value))
            return _memo[value]

        field.index = index


def _shares(
    jobs: list[tuple[RawDocument, Document | None]], count: int
) -> list[list[tuple[RawDocument, Document | None]]]:
    # Greedy by text length, largest first, so every worker gets as much to do.
    shares: list[list] = [[] for _ in range(count)]
    loads = [0] * count

    def size(job) -> int:
        return len(job[0].text) or job[0].size

    for job in sorted(jobs, key=lambda j: (-size(j), j[0].source)):
        at = loads.index(min(loads))
        shares[at].append(job)
        loads[at] += size(job)
    return [s for s in shares if s]


def write_full(
    path: Path,
    jobs: list[tuple[RawDocument, Cached]],
    procs: int | None = None,
    collect: Callable[[], Collector] | None = None,
) -> tuple[list[object], list[Row], list[Problem]]:
    """Create an index at ``path`` from ``jobs`` (raw documents, each maybe cached).

    ``collect`` makes one :class:`Collector` per worker, which sees every document
    of its share there, so that per-document work runs in parallel too and only
    its compact result comes back (never the parsed documents).

    :return: what each share's collector gathered (share by share), the facet row
        of every document number, and the problems met.
    """
    global _jobs, _collect
    ix = whoosh_index.create_in(str(path), build_schema())
    procs = procs or os.cpu_count() or 1
    shares = _shares(jobs, max(1, min(procs, len(jobs))))
    _jobs, _collect = shares, collect
    try:
        if len(shares) <= 1:
            results = [_write_share((str(path), i)) for i in range(len(shares))]
        else:
            # Fork: the workers inherit the jobs instead of unpickling them.
            context = multiprocessing.get_context("fork")
            with context.Pool(len(shares)) as pool:
                results = pool.map(
                    _write_share, [(str(path), i) for i in range(len(shares))]
                )
    finally:
        _jobs, _collect = [], None
    writer = SegmentWriter(ix, limitmb=LIMIT_MB, compound=False)
    segments, gathered, rows, problems = [], [], [], []
    for segment, collected, share_rows, found in results:
        gathered.append(collected)
        problems.extend(found)
        if segment is not None:
            segments.append(segment)
            rows.extend(share_rows)
    writer._close_segment()
    writer._commit_toc(segments)
    writer._finish()
    ix.close()
    return gathered, rows, problems


def link_generation(source: Path, target: Path) -> None:
    """Fill ``target`` with hard links to the Whoosh files of ``source``.

    Whoosh never rewrites a segment file (deletions live in the table of
    contents), so the old generation can keep serving from the same inodes. Only
    Whoosh's own files are linked: a build file written in place through a shared
    inode would change the generation being served.
    """
    target.mkdir()
    for item in source.iterdir():
        whoosh_file = item.name.startswith(("MAIN_", "_MAIN_"))
        if not item.is_file() or not whoosh_file or "LOCK" in item.name:
            continue
        try:
            os.link(item, target / item.name)
        except OSError:  # another file system: copying is slower but correct
            shutil.copy2(item, target / item.name)


def segment_count(path: Path) -> int:
    """Return how many segments the index at ``path`` has."""
    ix = whoosh_index.open_dir(str(path))
    try:
        return len(ix._segments())
    finally:
        ix.close()


def write_update(
    path: Path,
    removed: list[str],
    added: list[Document],
    rows: list[Row],
    progress: Callable[[str], None] | None = None,
) -> list[Row]:
    """Delete ``removed`` documents and add ``added`` ones to the index at ``path``.

    :return: ``rows`` with the deleted passages blanked and the new ones appended.
    """
    ix = whoosh_index.open_dir(str(path))
    writer = ix.writer(limitmb=LIMIT_MB, compound=False)
    gone = set(removed)
    for doc_id in removed:
        writer.delete_by_term("doc_id", doc_id)
    for doc in _order(added):
        for fields in passage_fields(doc):
            writer.add_document(**fields)
        if progress:
            progress(doc.source)
    rows = [None if r is None or r[1] in gone else r for r in rows]
    slices, at = [], 0
    for segment in writer.segments:
        slices.append(rows[at : at + segment.doc_count_all()])
        at += segment.doc_count_all()
    fates: list[str] = []
    writer.commit(mergetype=lambda w, segments: _fold_small(w, segments, fates))
    ix.close()
    kept = [
        r
        for rows_of_segment, fate in zip(slices, fates, strict=True)
        if fate == "kept"
        for r in rows_of_segment
    ]
    folded = [
        r
        for rows_of_segment, fate in zip(slices, fates, strict=True)
        if fate == "folded"
        for r in rows_of_segment
        if r is not None
    ]
    return kept + [r for d in _order(added) for r in rows_of(d)] + folded


def _fold_small(writer, segments: list, fates: list[str]) -> list:
    """Keep large segments as they are; fold small ones into the update's segment.

    Large segments keep their document numbers, so the facet rows of unchanged
    passages stay where they are. Each update would otherwise leave one more
    small segment (and a segment emptied by deletions would stay), and past
    :data:`MAX_SEGMENTS` every update would be a full build. Folding copies the
    small segments' postings (no analysis) after the added documents.
    """
    kept = []
    for segment in segments:
        if segment.doc_count() == 0:
            fates.append("dropped")
        elif segment.doc_count_all() < SMALL_SEGMENT:
            reader = SegmentReader(writer.storage, writer.schema, segment)
            writer.add_reader(reader)
            reader.close()
            fates.append("folded")
        else:
            kept.append(segment)
            fates.append("kept")
    return kept
