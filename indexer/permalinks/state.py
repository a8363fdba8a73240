"""The ledger's state without reading the ledger: a checkpoint kept beside the index.

At 100k passages ``permalinks.jsonl`` is tens of megabytes, and parsing all of it
took most of a one-document update. A build only needs to know which ids are live,
the full snapshots of the few ids it retires or brings back, and every id that is
not live (for the redirect and archive maps). The checkpoint holds exactly that:
the byte offset of each id's latest line, and the snapshots of the ids that are not
live. Any other snapshot is read from its line when asked for, with one ``pread``.

The checkpoint belongs to one ledger file as it was after this index's last build:
its device, inode, size and modification time. Any other state of the file (another
index folder's build appended to it, a hand edit, a restored copy) sends the build
back to reading the whole ledger once (:func:`parse_lines`), which also writes a
fresh checkpoint.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from indexer.files import read_pickle, write_pickle
from indexer.permalinks.schema import LEGACY_STATUSES, line_problem

CHECKPOINT = "ledger-checkpoint.pickle"
_UNREADABLE = object()
# Bump when the checkpoint changes shape, so an old one is ignored.
_VERSION = 1
_LIVE = "live"


@dataclass
class LedgerState(Mapping):
    """Every id's latest snapshot, read lazily from the ledger file by offset."""

    fd: int = -1
    # Byte offset of the latest applied line of every id, while still on disk.
    offsets: dict[str, int] = field(default_factory=dict)
    # Full snapshots: every id not live, plus those read or written this build.
    loaded: dict[str, dict] = field(default_factory=dict)
    live: set[str] = field(default_factory=set)
    last: str = ""
    # Lines that did not fit the schema, read this build ("line N: why; skipped").
    skipped: list[str] = field(default_factory=list)
    # The good length of the ledger when it was read whole (see applied_lines).
    good: int = 0

    def __getitem__(self, pid: str) -> dict:
        if pid not in self.loaded:
            self.loaded[pid] = _read_line(self.fd, self.offsets[pid])
        return self.loaded[pid]

    def __contains__(self, pid: object) -> bool:
        return pid in self.loaded or pid in self.offsets

    def __iter__(self) -> Iterator[str]:
        return iter(self.offsets.keys() | self.loaded.keys())

    def __len__(self) -> int:
        return len(self.offsets.keys() | self.loaded.keys())

    def set(self, record: dict, offset: int | None = None) -> None:
        """Apply one snapshot; ``offset`` is where its line starts, once written."""
        pid = record["id"]
        self.loaded[pid] = record
        if offset is not None:
            self.offsets[pid] = offset
        if record["status"] == _LIVE:
            self.live.add(pid)
        else:
            self.live.discard(pid)

    def unload(self, pid: str) -> None:
        """Drop a live id's snapshot whose line is on disk (read again if asked)."""
        if pid in self.offsets and pid in self.live:
            self.loaded.pop(pid, None)

    def retired(self) -> list[str]:
        """Return the ids that are not live."""
        # Every id not live has its snapshot loaded, so only those are looked at.
        return [pid for pid in self.loaded if pid not in self.live]


def _read_line(fd: int, offset: int) -> dict:
    chunks = []
    while True:
        chunk = os.pread(fd, 65536, offset)
        end = chunk.find(b"\n")
        if end >= 0 or not chunk:
            chunks.append(chunk[: end if end >= 0 else len(chunk)])
            break
        chunks.append(chunk)
        offset += len(chunk)
    return json.loads(b"".join(chunks).decode(errors="replace"))


def _identity(fd: int) -> tuple[int, int, int, int]:
    st = os.fstat(fd)
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def load_checkpoint(path: Path | None, fd: int) -> LedgerState | None:
    """Return the state ``path`` holds if it belongs to the ledger open as ``fd``."""
    if path is None:
        return None
    found = read_pickle(path)
    if not (isinstance(found, tuple) and len(found) == 5):
        return None
    version, identity, offsets, retired, last = found
    if version != _VERSION or tuple(identity) != _identity(fd):
        return None
    live = offsets.keys() - retired.keys()
    return LedgerState(fd, offsets, dict(retired), live, last)


def save_checkpoint(path: Path | None, state: LedgerState) -> None:
    """Write ``state`` as the checkpoint of the ledger open as ``state.fd``."""
    if path is None:
        return
    retired = {pid: state[pid] for pid in state.retired()}
    data = (_VERSION, _identity(state.fd), state.offsets, retired, state.last)
    # The checkpoint only saves time: without it the next build reads the
    # whole ledger, so a folder that cannot hold it is no reason to fail.
    with contextlib.suppress(OSError):
        write_pickle(path, data)


# Bytes of the ledger read and parsed at a time when it is read whole: at a
# million passages the file is most of a gigabyte, and its parsed lines several.
# Reading the 100k ledger (63 MB) peaked at 79 MB with 1 MB pieces, 84 MB with
# 2 MB and 152 MB with 8 MB (all of it at once: 441 MB).
_CHUNK = 1 << 21


def _pieces(fd: int, size: int, ends: list[int]) -> Iterator[tuple[int, bytes]]:
    """Yield (offset, bytes) pieces of the ledger, each ending with a newline.

    The torn tail after the last newline is left out; ``ends[0]`` becomes the
    good length (the offset just after the last newline).
    """
    at, start, rest = 0, 0, b""
    while at < size:
        data = os.pread(fd, min(_CHUNK, size - at), at)
        if not data:
            break
        at += len(data)
        data = rest + data
        cut = data.rfind(b"\n") + 1
        if cut:
            yield start, data[:cut]
            start += cut
        rest = data[cut:]
    ends[:] = [start]


def _decode(raw: list[bytes]) -> list:
    try:
        # One parse of many lines as an array is several times faster than a
        # parse per line; a damaged line sends us to the careful path below.
        records = json.loads(b"[" + b",".join(raw) + b"]") if raw else []
        if len(records) != len(raw):
            raise ValueError("a line held more than one value")
        return records
    except ValueError:
        records = []
        for line in raw:
            try:
                records.append(json.loads(line.decode(errors="replace")))
            except ValueError:
                # A complete but unreadable line is a hand edit gone wrong; skipping
                # it loses one snapshot, never the lines around it.
                records.append(_UNREADABLE)
        return records


def _records(
    pieces: Iterable[tuple[int, bytes]],
) -> Iterator[tuple[int, int, dict | None, str]]:
    """Yield (line number, offset, record, why) for each non-blank line of
    ``pieces``; ``why`` says why a line does not fit the schema (record None)."""
    number = 0
    for start, data in pieces:
        offsets, raw, numbers, at = [], [], [], start
        # Split on "\n" only: passage text may hold U+2028, which splitlines() splits.
        for line in data[:-1].split(b"\n"):
            number += 1
            if line.strip():
                offsets.append(at)
                raw.append(line)
                numbers.append(number)
            at += len(line) + 1
        records = _decode(raw)
        for found in zip(numbers, offsets, records, strict=True):
            record = found[2]
            why = "not JSON" if record is _UNREADABLE else line_problem(record)
            if why:
                yield found[0], found[1], None, why
                continue
            if str(record.get("status")) in LEGACY_STATUSES:
                record["status"] = LEGACY_STATUSES[record["status"]]
            yield found[0], found[1], record, ""


def parse_lines(
    data: bytes,
) -> tuple[list[tuple[int, dict]], list[dict], int, list[str]]:
    """Return every good line's (offset, record), the builds, the good length, and
    a warning ("line N: why; skipped") for each complete line that does not fit the
    schema (:mod:`indexer.permalinks.schema`)."""
    good = data.rfind(b"\n") + 1  # everything after the last newline is torn
    lines, skipped = [], []
    for number, offset, record, why in _records([(0, data[:good])] if good else []):
        if why:
            skipped.append(f"line {number}: {why}; skipped")
        else:
            lines.append((offset, record))
    builds = [r for _, r in lines if "build" in r]
    return lines, builds, good, skipped


def applied_lines(fd: int, state: LedgerState) -> Iterator[tuple[int, dict]]:
    """Yield the (offset, snapshot) of every applied line, in the order applied.

    The ledger is read a piece at a time, never whole. A snapshot applies once
    its build's record (``by``) has been read: builds write their lines and then
    their record, so a killed build's lines never apply. ``state`` gets the last
    build, the skipped-line warnings and the good length (``state.good``); a live
    snapshot comes with its ``id``, ``status`` and ``first`` only.
    """
    done: set[str] = {""}
    waiting: dict[str, list[tuple[int, dict]]] = {}
    ends = [0]
    for number, offset, record, why in _records(
        _pieces(fd, os.fstat(fd).st_size, ends)
    ):
        if record is None:
            state.skipped.append(f"line {number}: {why}; skipped")
        elif "build" in record:
            state.last = record["build"]
            done.add(record["build"])
            yield from waiting.pop(record["build"], [])
        elif "id" in record:
            by = record.get("by", "")
            if record.get("status") == _LIVE:  # a live one is read again by offset
                record = {"id": record["id"], "status": _LIVE, "first": record["first"]}
            if by in done:
                yield offset, record
            else:
                waiting.setdefault(by, []).append((offset, record))
    state.good = ends[0]


def load_state(fd: int, checkpoint: Path | None) -> tuple[LedgerState, int]:
    """Return the ledger's state and good length: from the checkpoint, or by reading."""
    state = load_checkpoint(checkpoint, fd)
    if state is not None:
        return state, os.fstat(fd).st_size
    state = LedgerState(fd)
    for offset, record in applied_lines(fd, state):
        state.offsets[record["id"]] = offset
        if record["status"] == _LIVE:
            state.live.add(record["id"])
            state.loaded.pop(record["id"], None)
        else:
            state.live.discard(record["id"])
            state.loaded[record["id"]] = record
    return state, state.good
