"""The permalink ledger: every passage id ever issued, kept beside the corpus.

``corpus/permalinks.jsonl`` is append-only. Each line is either a build record
(``{"build": ...}``) or a snapshot of one id (``{"id": ...}``); the last snapshot
of an id is its current state, so nothing is ever rewritten or deleted. An id is
``live`` while its passage exists, ``moved`` once its text changed and the old id
was re-anchored to the best match in the same document, and ``gone`` once its
passage was removed (the snapshot keeps the archived text).

Only changes are written: a new id, a retired id, an id that came back, and one
build record per build. An id's ``last`` build is therefore the latest build
record while it is live. Lines are appended in batches (``write`` and fsync on
an ``O_APPEND`` descriptor) ending with the build record, and a line counts only
once its build's record is in the file: a build killed mid-way leaves lines that
are never applied and at most one torn last line, which the next build cuts off
before appending. A build reads the ledger through a checkpoint kept in
its index folder (:mod:`indexer.permalinks.state`), not line by line.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
from collections.abc import Callable, Container
from dataclasses import dataclass
from pathlib import Path

from indexer.document.record import Document
from indexer.permalinks.reanchor import reanchor_document
from indexer.permalinks.resolution import GONE, LIVE, MOVED, Resolution, resolve
from indexer.permalinks.state import (
    LedgerState,
    applied_lines,
    load_state,
    parse_lines,
    save_checkpoint,
)

LEDGER = "permalinks.jsonl"


def ledger_path(corpus_dir: Path) -> Path:
    """Return where the ledger of ``corpus_dir`` lives."""
    return corpus_dir / LEDGER


def read_ledger(path: Path) -> tuple[dict[str, dict], list[dict], int]:
    """Return each id's latest snapshot, the build records and the good length.

    A build's lines end with its build record and go out in one write, so lines
    whose build (``by``) has no record belong to a build killed mid-write: they
    stay in the file but are not applied. The good length is the byte offset just
    after the last complete line; a torn line after it is cut off by the writer.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return {}, [], 0
    lines, builds, good, _skipped = parse_lines(data)
    done = {r["build"] for r in builds} | {""}
    entries = {
        r["id"]: r
        for _, r in lines
        if "id" in r and "build" not in r and r.get("by", "") in done
    }
    return entries, builds, good


def _snapshot(doc: Document, index: int, build_id: str) -> dict:
    passages = doc.passages
    p = passages[index]
    return {
        "id": p.id,
        "doc": doc.id,
        "text": p.text,
        "section": p.section,
        "position": p.position,
        "before": passages[index - 1].id if index > 0 else None,
        "after": passages[index + 1].id if index + 1 < len(passages) else None,
        "first": build_id,
        "last": build_id,
        "status": LIVE,
        "by": build_id,
    }


@dataclass
class PassageSet:
    """A build's passage ids with their document, and each document on demand."""

    ids: dict[str, tuple[str, int]]  # passage id -> (document id, index)
    load: Callable[[str], Document]
    total: int

    @classmethod
    def of(cls, documents: list[Document]) -> PassageSet:
        """Return the passage set of documents already in memory."""
        by_id = {d.id: d for d in documents}
        ids = {p.id: (d.id, i) for d in documents for i, p in enumerate(d.passages)}
        return cls(ids, by_id.__getitem__, sum(len(d.passages) for d in documents))


# Snapshots appended per write. A first build writes one per passage, text and
# all: held until one write, a million passages' snapshots took gigabytes.
BATCH = 5000


def _append_new(
    entries: LedgerState,
    passages: PassageSet,
    build_id: str,
    write: Callable[[list[dict]], None],
    added: set[str] | None,
) -> int:
    """Append a snapshot of each id not live before, document by document, in
    batches; return how many. ``added`` collects those ids when it is given.

    Each batch is written (``write``) before the next is made; a live snapshot is
    then read back from its line when needed, not kept (see :class:`LedgerState`).
    """
    batch: list[dict] = []
    count = 0
    for pid, (doc_id, index) in passages.ids.items():
        if pid in entries.live:  # each id comes once: only earlier builds' are here
            continue
        snap = _snapshot(passages.load(doc_id), index, build_id)
        if pid in entries:  # an id that came back (a correction undone)
            snap["first"] = entries[pid]["first"]
        batch.append(snap)
        count += 1
        if added is not None:
            added.add(pid)
        if len(batch) >= BATCH:
            write(batch)
            batch = []
    if batch:
        write(batch)
    return count


def _changes(
    entries: LedgerState,
    passages: PassageSet,
    build_id: str,
    last: str,
    write: Callable[[list[dict]], None],
) -> tuple[list[dict], Resolution]:
    """Append the new ids' snapshots; return the retiring lines still to write."""
    counts = Resolution()
    current = passages.ids
    # Before appending: the ids live until now that this build no longer has.
    gone = sorted(pid for pid in entries.live if pid not in current)
    # The new ids are kept only to re-anchor vanished ones (a first build has a
    # million new ids and none vanished).
    added: set[str] | None = set() if gone else None
    # Written first, so the re-anchoring below sees this build's texts.
    counts.added = _append_new(entries, passages, build_id, write, added)
    lines: list[dict] = []
    vanished: dict[str, list[dict]] = {}
    for pid in gone:
        vanished.setdefault(entries[pid]["doc"], []).append(entries[pid])
    matches: dict[str, tuple[str, float]] = {}
    present = {doc_id for doc_id, _ in current.values()} if vanished else set()
    for doc_id in sorted(vanished.keys() & present):
        doc = passages.load(doc_id)
        matches |= reanchor_document(vanished[doc_id], entries, doc, added or set())
    for old in (entry for olds in vanished.values() for entry in olds):
        match = matches.get(old["id"])
        snap = old | {"last": old["last"] if last == "" else last}
        snap["retired"] = snap["by"] = build_id
        if match:
            snap |= {"status": MOVED, "to": match[0], "score": match[1]}
            counts.moved += 1
        else:
            snap |= {"status": GONE}
            counts.removed += 1
        lines.append(snap)
    for record in lines:
        entries.set(record)
    return lines, counts


def _writer(handle, entries: LedgerState):
    """Return a function that appends lines and records where each id's line is."""

    def write(lines: list[dict]) -> None:
        for record, offset in zip(lines, _append(handle, lines), strict=True):
            if "id" in record:
                entries.set(record, offset)
                if record["status"] == LIVE:
                    entries.unload(record["id"])

    return write


def _append(handle, lines: list[dict]) -> list[int]:
    """Append ``lines`` and return the byte offset each one starts at."""
    encoded = [(json.dumps(r, ensure_ascii=False) + "\n").encode() for r in lines]
    data = b"".join(encoded)
    start = os.lseek(handle.fileno(), 0, os.SEEK_END)
    # One write on an O_APPEND descriptor, then fsync: a kill leaves whole lines
    # and at most one torn tail, never interleaved fragments.
    written = os.write(handle.fileno(), data)
    while written < len(data):
        written += os.write(handle.fileno(), data[written:])
    os.fsync(handle.fileno())
    offsets = []
    for line in encoded:
        offsets.append(start)
        start += len(line)
    return offsets


def update_ledger(
    corpus_dir: Path,
    documents: list[Document] | PassageSet,
    build_id: str,
    checkpoint: Path | None = None,
) -> Resolution:
    """Record this build's passage ids in the ledger and return the resolved state.

    ``documents`` is every document of the build (or their :class:`PassageSet`).
    New ids are appended, ids no longer present are re-anchored or archived, and
    one build record is added. Call it under the build lock, before the new
    generation is served. ``checkpoint`` is where the ledger's state is kept
    between builds (see :mod:`indexer.permalinks.state`), so that the next build
    need not read the whole ledger.
    """
    if not isinstance(documents, PassageSet):
        documents = PassageSet.of(documents)
    path = ledger_path(corpus_dir)
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
    with os.fdopen(fd, "rb+", buffering=0) as handle:
        # Two builds into different index folders may share one corpus.
        fcntl.lockf(handle, fcntl.LOCK_EX)  # the one lock style: POSIX record locks
        try:
            entries, good = load_state(fd, checkpoint)
            repaired = good < os.fstat(fd).st_size
            if repaired:
                os.ftruncate(fd, good)
            last = entries.last
            write = _writer(handle, entries)
            lines, counts = _changes(entries, documents, build_id, last, write)
            lines.append(
                {
                    "build": build_id,
                    "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                    "passages": documents.total,
                    "added": counts.added,
                    "moved": counts.moved,
                    "removed": counts.removed,
                }
            )
            write(lines)  # the build record last: it makes the lines apply
            entries.last = build_id
            result = resolve(entries, entries.retired())
            save_checkpoint(checkpoint, entries)
        finally:
            fcntl.lockf(handle, fcntl.LOCK_UN)
    result.added, result.moved, result.removed = (
        counts.added,
        counts.moved,
        counts.removed,
    )
    result.repaired = repaired
    result.skipped = entries.skipped
    return result


def ledger_entries(corpus_dir: Path) -> dict[str, dict]:
    """Return every id ever issued with its latest state; ``last`` filled in."""
    entries, builds, _ = read_ledger(ledger_path(corpus_dir))
    latest = builds[-1]["build"] if builds else ""
    for entry in entries.values():
        if entry["status"] == LIVE and latest:
            entry["last"] = latest
    return entries


def first_builds(corpus_dir: Path, ids: Container[str]) -> dict[str, str]:
    """Return the ``first`` build of each id of ``ids`` that the ledger knows.

    The ledger is read a piece at a time and only these ids are kept, so a
    first build beside a long ledger does not hold its every snapshot.
    """
    try:
        fd = os.open(ledger_path(corpus_dir), os.O_RDONLY)
    except FileNotFoundError:
        return {}
    try:
        found: dict[str, str] = {}
        for _, record in applied_lines(fd, LedgerState(fd)):
            if record["id"] in ids:
                found[record["id"]] = record["first"]
        return found
    finally:
        os.close(fd)
