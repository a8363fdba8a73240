"""Scan the corpus folder, reading only the files that changed since the last build.

Hashing every file to see whether the corpus changed, and reading every document
to list it, took seconds at 100k passages for an update that touches one file.
So each build records, per file, its stat signature (device, inode, size,
modification and change times, in nanoseconds) and what reading the file gave:
its SHA-256, and for a document its format, checksum, duplicate key and reading
warnings (never its text). The next build trusts a record only while the
file's signature is the same, and re-reads the file otherwise.

A signature alone can miss a change: a file rewritten with the same size within
the file system's timestamp granularity keeps its modification time. So a record
is trusted only when the file's modification time is at least
:data:`RACY_NS` older than the moment its content was read (the rule git applies
to "racily clean" files); a file modified later than that is read again at every
build until it has been quiet that long. The change time is part of the signature
because no tool can set it back, unlike the modification time (``touch -d``,
``cp -p``, ``rsync -t``). ``--force`` reads every file whatever the records say.
A document's text is read again only when the document must be parsed.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path

from indexer.files import read_pickle, write_pickle
from indexer.source.binary import BINARY_FORMATS, prefetch
from indexer.source.corpus import (
    DATA_FILES,
    META_SUFFIX,
    SUPPORTED_SUFFIXES,
    Problem,
    RawDocument,
    UnreadableDocumentError,
    classify,
    dedupe,
    read_body,
    read_overrides,
    slugify,
    text_key,
    walk,
)

STATE = "corpus-state.pickle"
# Two seconds covers the coarsest timestamps in use (FAT); finer ones are safe.
RACY_NS = 2_000_000_000
_VERSION = 3
_LEDGER = "permalinks.jsonl"

Signature = tuple[int, int, int, int, int]


@dataclass
class Record:
    """What one file gave when read, valid while its signature holds."""

    signature: Signature
    read_at: int  # time.time_ns() just before the file was read
    digest: str  # SHA-256 of the bytes
    # A document: (format, checksum, reading warnings, duplicate key), or the
    # message of the problem it was. A sidecar: its overrides or its problem.
    reading: tuple[str, str, list[str], str] | dict | str | None = None


@dataclass
class CorpusState:
    """The records of the last scan, by path relative to the corpus."""

    max_bytes: int = 0
    records: dict[str, Record] = field(default_factory=dict)


@dataclass
class Scan:
    """The corpus as found: its documents (text not read yet), problems, digest."""

    raws: list[RawDocument]
    problems: list[Problem]
    fingerprint: str


def _signature(st: os.stat_result) -> Signature:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


class _Reader:
    """Look up or make each file's record."""

    def __init__(self, old: CorpusState, max_bytes: int, trust: bool) -> None:
        self.old = old.records if trust and old.max_bytes == max_bytes else {}
        self.new = CorpusState(max_bytes)
        self.max_bytes = max_bytes

    def record(self, path: Path, rel: str, st: os.stat_result | None = None) -> Record:
        """Return the record of ``path``, reading the file if it is not trusted."""
        if rel in self.new.records:  # a sidecar, met again through its document
            return self.new.records[rel]
        st = st or path.lstat()
        signature = _signature(st)
        old = self.old.get(rel)
        if (
            old is not None
            and old.signature == signature
            and st.st_mtime_ns + RACY_NS <= old.read_at
        ):
            self.new.records[rel] = old
            return old
        read_at = time.time_ns()
        # The signature is taken before reading: a change made during the read
        # gives the file a new signature, so it is read again next time.
        with path.open("rb") as handle:
            digest = hashlib.file_digest(handle, "sha256").hexdigest()
        record = Record(signature, read_at, digest)
        self.new.records[rel] = record
        return record

    def document(self, path: Path, record: Record) -> tuple | str:
        """Return (format, checksum, warnings, duplicate key) of a document, or a
        problem's message."""
        if record.reading is None:
            try:
                fmt, text, checksum, warnings, _ = read_body(path, self.max_bytes)
            except (UnreadableDocumentError, OSError) as exc:
                record.reading = str(exc)
            else:
                record.reading = (fmt, checksum, warnings, text_key(text))
        return record.reading

    def overrides(self, path: Path, rel: str, names: set[str]) -> dict | str:
        """Return the sidecar of ``path`` as overrides, or the problem it is."""
        sidecar_rel = rel[: len(rel) - len(path.suffix)] + META_SUFFIX
        if sidecar_rel not in names:
            return {}
        sidecar = path.with_name(path.stem + META_SUFFIX)
        record = self.record(sidecar, sidecar_rel)
        if record.reading is None:
            try:
                record.reading = read_overrides(path)
            except UnreadableDocumentError as exc:
                record.reading = str(exc)
        return record.reading


def scan_corpus(
    corpus_dir: Path,
    max_bytes: int,
    state_file: Path,
    extra: str = "",
    trust: bool = True,
) -> Scan:
    """Scan ``corpus_dir`` as :func:`~indexer.source.corpus.read_corpus` reads it.

    The records are read from and written back to ``state_file``; with
    ``trust`` false every file is read again.
    """
    reader = _Reader(load_state(state_file), max_bytes, trust)
    digest = hashlib.sha256(extra.encode())
    problems: list[Problem] = []
    readings: list = []
    walked = [(p, _relative(p, corpus_dir), q) for p, q in walk(corpus_dir)]
    names = {rel for _, rel, _ in walked}
    prefetch(_binaries_to_read(reader, walked), max_bytes)
    for path, rel, problem in walked:
        # The ledger is written by builds, so it must not make the next one stale.
        if path.name == _LEDGER:
            continue
        digest.update(os.fsencode(rel) + b"\0")
        st = path.lstat()
        if stat.S_ISLNK(st.st_mode):
            problems.append(problem)
            continue
        record = reader.record(path, rel, st)
        digest.update(bytes.fromhex(record.digest))
        if problem is None and path.suffix.lower() in SUPPORTED_SUFFIXES:
            found = path.name not in DATA_FILES and not rel.endswith(META_SUFFIX)
        else:
            found = classify(corpus_dir, path, problem)
        if isinstance(found, Problem):
            problems.append(found)
        elif found:
            readings.append(_reading(reader, path, rel, record, names))
    save_state(state_file, reader.new)
    items = list(dedupe(readings))
    raws = [i for i in items if isinstance(i, RawDocument)]
    problems += [i for i in items if isinstance(i, Problem)]
    return Scan(raws, problems, digest.hexdigest())


def _binaries_to_read(reader: _Reader, walked: list) -> list[Path]:
    """Return the PDF and Word files whose reading the scan cannot trust."""
    out = []
    for path, rel, problem in walked:
        if problem is None and path.suffix.lower() in BINARY_FORMATS:
            st = path.lstat()
            if 0 < st.st_size <= reader.max_bytes and (
                reader.record(path, rel, st).reading is None
            ):
                out.append(path)
    return out


def _relative(path: Path, corpus_dir: Path) -> str:
    """Return ``path`` relative to the corpus; by slicing when it can, as
    ``Path.relative_to`` was most of a scan's time."""
    text, prefix = str(path), str(corpus_dir) + os.sep
    return (
        text[len(prefix) :]
        if text.startswith(prefix)
        else str(path.relative_to(corpus_dir))
    )


def _reading(reader: _Reader, path: Path, rel: str, record: Record, names: set):
    reading = reader.document(path, record)
    if isinstance(reading, str):
        return Problem(rel, reading)
    fmt, checksum, warnings, key = reading
    raw = RawDocument(slugify(path.stem), rel, fmt, "", {}, checksum, list(warnings))
    raw.path, raw.size = path, record.signature[2]
    overrides = reader.overrides(path, rel, names)
    if isinstance(overrides, str):
        raw.warnings.append(f"{overrides}; indexed without it")
    else:
        raw.overrides = overrides
    return raw, key


def load_text(raw: RawDocument) -> RawDocument:
    """Fill in the text of a document the scan listed without it; return it.

    A file emptied, removed or made unreadable since the scan is left with no
    text and a warning saying so (:func:`indexer.store.writer.parse_one` turns it
    into a problem), never an error that stops the build.
    """
    if raw.path is not None and not raw.text:
        try:
            fmt, text, checksum, _, layout = read_body(raw.path, 2**63)
        except (UnreadableDocumentError, OSError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else str(exc)
            raw.warnings.append(
                f"changed while the build was reading the corpus ({reason}); left "
                "out of this build, build again to index it"
            )
            return raw
        # Changed since the scan: parse what is there now; its new signature
        # makes the next build read it again.
        raw.format, raw.text, raw.checksum = fmt, text, checksum
        raw.layout = layout
    return raw


def load_state(path: Path) -> CorpusState:
    """Return the records in ``path``, or none when missing or unreadable."""
    found = read_pickle(path)
    if not (isinstance(found, tuple) and len(found) == 2 and found[0] == _VERSION):
        return CorpusState()
    return found[1] if isinstance(found[1], CorpusState) else CorpusState()


def save_state(path: Path, state: CorpusState) -> None:
    """Write the records atomically; a folder that cannot hold them costs only time."""
    with contextlib.suppress(OSError):
        write_pickle(path, (_VERSION, state))
