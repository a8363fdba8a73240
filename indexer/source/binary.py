"""Read the binary document formats, PDF and Word, remembering what each gave.

A build reads each file twice: once while scanning (to find duplicates and the
files that cannot be read) and again when it parses the document, perhaps in a
forked worker. Reading a PDF costs far more than reading text, and reading a
scan (OCR) seconds a page, so the reading is kept, keyed by the file's path,
size and modification time, for the second time.
"""

from __future__ import annotations

from pathlib import Path

from indexer.source.layout import Layout
from indexer.source.pdf import read_pdf
from indexer.source.word import read_docx

BINARY_FORMATS = {".pdf": "pdf", ".docx": "docx"}
_CACHE_CHARS = 50_000_000
_cache: dict[tuple[str, int, int], tuple[str, Layout, list[str]]] = {}


def read_binary(path: Path, max_bytes: int) -> tuple[str, str, Layout, list[str]]:
    """Return the format, block text, layout and reading warnings of a PDF or .docx.

    :raise UnreadableDocumentError: when the file cannot be read; the message
        says what to do.
    """
    fmt = BINARY_FORMATS[path.suffix.lower()]
    st = path.stat()
    key = (str(path), st.st_size, st.st_mtime_ns)
    if key not in _cache:
        if sum(len(text) for text, _, _ in _cache.values()) > _CACHE_CHARS:
            _cache.clear()
        if fmt == "pdf":
            _cache[key] = read_pdf(path)
        else:
            _cache[key] = read_docx(path, max_bytes)
    text, layout, warnings = _cache[key]
    return fmt, text, layout, list(warnings)
