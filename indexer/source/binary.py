"""Read the binary document formats, PDF and Word, remembering what each gave.

A build reads each file twice: once while scanning (to find duplicates and the
files that cannot be read) and again when it parses the document, perhaps in a
forked worker. Reading a PDF costs far more than reading text, and reading a
scan (OCR) seconds a page, so the reading is kept, keyed by the file's path,
size and modification time, for the second time; an error is kept too.
:func:`prefetch` reads many files at once in forked workers.
"""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

from indexer.source.errors import UnreadableDocumentError
from indexer.source.layout import Layout
from indexer.source.pdf import read_pdf
from indexer.source.word import read_docx

BINARY_FORMATS = {".pdf": "pdf", ".docx": "docx"}
_CACHE_CHARS = 50_000_000
Reading = tuple[str, Layout, list[str]]
_cache: dict[tuple[str, int, int], Reading | UnreadableDocumentError] = {}


def _key(path: Path) -> tuple[str, int, int]:
    st = path.stat()
    return (str(path), st.st_size, st.st_mtime_ns)


def _read(path: Path, max_bytes: int) -> Reading | UnreadableDocumentError:
    """Read one file, returning (not raising) the error that it cannot be read."""
    try:
        if BINARY_FORMATS[path.suffix.lower()] == "pdf":
            return read_pdf(path)
        return read_docx(path, max_bytes)
    except UnreadableDocumentError as exc:
        return exc
    except Exception as exc:  # a strange file must never stop a build
        return UnreadableDocumentError(
            f"could not be read ({type(exc).__name__}: {exc}); open and save it "
            "again, or convert it to .txt"
        )


def _remember(key: tuple[str, int, int], reading) -> None:
    if sum(len(r[0]) for r in _cache.values() if isinstance(r, tuple)) > _CACHE_CHARS:
        _cache.clear()
    _cache[key] = reading


def read_binary(path: Path, max_bytes: int) -> tuple[str, str, Layout, list[str]]:
    """Return the format, block text, layout and reading warnings of a PDF or .docx.

    :raise UnreadableDocumentError: when the file cannot be read; the message
        says what to do.
    """
    key = _key(path)
    if key not in _cache:
        _remember(key, _read(path, max_bytes))
    reading = _cache[key]
    if isinstance(reading, UnreadableDocumentError):
        raise reading
    text, layout, warnings = reading
    return BINARY_FORMATS[path.suffix.lower()], text, layout, list(warnings)


def _read_keyed(job: tuple[Path, int]):
    path, max_bytes = job
    try:
        key = _key(path)
    except OSError:
        return None, None  # gone since the scan listed it: read_body will say so
    return key, _read(path, max_bytes)


def prefetch(paths: list[Path], max_bytes: int, procs: int | None = None) -> None:
    """Read PDF and Word files in parallel, one forked worker per core, so that
    the scan's reading of each (serial) finds it done.

    A scanned page takes Tesseract seconds and a text page pdfplumber a tenth of
    one, so a corpus of PDFs is read many times faster on several cores.
    """
    todo = [p for p in paths if p.exists() and _key(p) not in _cache]
    procs = min(procs or os.cpu_count() or 1, len(todo))
    if procs < 2:
        return
    context = multiprocessing.get_context("fork")
    with context.Pool(procs) as pool:
        jobs = [(path, max_bytes) for path in todo]
        for key, reading in pool.imap_unordered(_read_keyed, jobs):
            if key is not None:
                _remember(key, reading)
