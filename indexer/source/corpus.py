"""Find the documents in a corpus folder and read each one into text.

Readers exist for plain text, Markdown, HTML, PDF and Word (``.docx``). A file that
cannot be read is reported as a :class:`Problem` and skipped; nothing here ever
writes to the corpus.
"""

from __future__ import annotations

import hashlib
import os
import re
import tomllib
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from indexer.source.binary import BINARY_FORMATS, read_binary
from indexer.source.errors import UnreadableDocumentError
from indexer.source.html import html_to_text
from indexer.source.layout import Layout
from indexer.source.text import decode, looks_binary

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | set(BINARY_FORMATS)
# Files the corpus folder holds that are not documents: sidecars, curated data and
# the permalink ledger.
DATA_FILES = {"glossary.toml", "themes.toml", "permalinks.jsonl", "README.md"}
META_SUFFIX = ".meta.toml"

# Raised by every reader; callers import it and decode from here.
__all__ = ["UnreadableDocumentError", "decode"]


@dataclass(frozen=True)
class Problem:
    """A file that was skipped or read with a caveat, and why."""

    source: str
    message: str
    skipped: bool = True

    def __str__(self) -> str:
        verb = "skipped" if self.skipped else "warning"
        return f"{self.source}: {verb}: {self.message}"


@dataclass
class RawDocument:
    """The text of one corpus file, before any parsing."""

    slug: str
    source: str
    format: str
    text: str
    overrides: dict = field(default_factory=dict)
    checksum: str = ""
    warnings: list[str] = field(default_factory=list)
    # Set when the text is left out until needed (see :mod:`indexer.source.scan`).
    path: Path | None = None
    size: int = 0
    # Pages, OCR, furniture and file properties of a PDF or Word file.
    layout: Layout | None = None


def slugify(name: str) -> str:
    """Return a URL-safe slug for a file name without its extension."""
    name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug or "document"


def display_name(rel: Path) -> str:
    """Return a file's corpus-relative name printable as UTF-8, whatever its bytes."""
    return os.fsencode(rel).decode("utf-8", "backslashreplace")


def walk(corpus_dir: Path) -> Iterator[tuple[Path, Problem | None]]:
    """Yield every non-hidden file under ``corpus_dir``, sorted, never following links.

    A symbolic link could point outside the corpus (and publish any file on the
    server) or loop forever, so links are reported and skipped, never read. A name
    that is not valid UTF-8 cannot be stored in the index or shown, so it is
    reported too.
    """
    # os.scandir's entries know from the directory listing whether they are links,
    # files or folders: a Path per file asking the file system cost a third of an
    # incremental update's scan at 2,000 files. The order is os.walk's, top-down:
    # a folder's files (sorted), then its sub-folders (sorted); a link to a folder,
    # like os.walk's, is neither followed nor listed.
    folders = [Path(corpus_dir)]
    while folders:
        folder = folders.pop()
        with os.scandir(folder) as listing:
            entries = sorted(
                (e for e in listing if not e.name.startswith(".")),
                key=lambda e: e.name,
            )
        below = []
        for entry in entries:
            if entry.is_dir():
                if not entry.is_symlink():
                    below.append(Path(entry.path))
                continue
            path = Path(entry.path)
            rel = path.relative_to(corpus_dir)
            if entry.is_symlink():
                yield (
                    path,
                    Problem(
                        display_name(rel),
                        "is a symbolic link, which is never followed; copy the file "
                        "into the corpus folder instead",
                    ),
                )
            elif display_name(rel) != str(rel):
                yield (
                    path,
                    Problem(
                        display_name(rel), "file name is not valid UTF-8; rename it"
                    ),
                )
            elif entry.is_file(follow_symlinks=False):
                yield path, None
        folders.extend(reversed(below))


def discover(corpus_dir: Path) -> tuple[list[Path], list[Problem]]:
    """List the document files under ``corpus_dir`` in a stable order.

    :return: the readable candidates and a problem for each file that is not one.
    """
    files, problems = [], []
    for path, problem in walk(corpus_dir):
        found = classify(corpus_dir, path, problem)
        if isinstance(found, Problem):
            problems.append(found)
        elif found:
            files.append(path)
    return files, problems


def classify(corpus_dir: Path, path: Path, problem: Problem | None) -> Problem | bool:
    """Return whether a walked file is a document, or the problem it is."""
    rel = path.relative_to(corpus_dir)
    if problem is not None:
        return problem
    if path.name in DATA_FILES or path.name.endswith(META_SUFFIX):
        return False
    if path.suffix.lower() in SUPPORTED_SUFFIXES:
        return True
    return Problem(
        str(rel),
        f"unsupported file type {path.suffix or '(none)'!r}; "
        "save it as .txt, .md, .html, .pdf or .docx",
    )


def read_document(path: Path, corpus_dir: Path, max_bytes: int) -> RawDocument:
    """Read one corpus file into a :class:`RawDocument`.

    :raise UnreadableDocumentError: for an empty, oversized, binary or undecodable
        file, with a message that says what is wrong.
    """
    fmt, text, checksum, warnings, layout = read_body(path, max_bytes)
    try:
        overrides = read_overrides(path)
    except UnreadableDocumentError as exc:
        overrides = {}
        warnings.append(f"{exc}; indexed without it")
    return RawDocument(
        slug=slugify(path.stem),
        source=str(path.relative_to(corpus_dir)),
        format=fmt,
        text=text,
        overrides=overrides,
        checksum=checksum,
        warnings=warnings,
        layout=layout,
    )


def read_body(
    path: Path, max_bytes: int
) -> tuple[str, str, str, list[str], Layout | None]:
    """Return a document file's format, text, checksum, reading warnings and layout
    (None for text, Markdown and HTML).

    :raise UnreadableDocumentError: as :func:`read_document` does.
    """
    size = path.stat().st_size
    if size == 0:
        raise UnreadableDocumentError("file is empty")
    if size > max_bytes:
        raise UnreadableDocumentError(
            f"file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit "
            "(raise OVERSIGHT_MAX_FILE_MB to index it)"
        )
    data = path.read_bytes()
    checksum = hashlib.sha256(data).hexdigest()
    if path.suffix.lower() in BINARY_FORMATS:
        fmt, text, layout, warnings = read_binary(path, max_bytes)
        return fmt, text, checksum, warnings, layout
    text, warning = decode(data)
    if looks_binary(text):
        raise UnreadableDocumentError("looks like a binary file, not text")
    fmt = (
        "html"
        if path.suffix.lower() in HTML_SUFFIXES
        else ("markdown" if path.suffix.lower() != ".txt" else "text")
    )
    if fmt == "html":
        text = html_to_text(text)
    if not text.strip():
        raise UnreadableDocumentError("contains no text")
    return fmt, text, checksum, [warning] if warning else [], None


def read_overrides(path: Path) -> dict:
    """Return the fields of the ``NAME.meta.toml`` sidecar beside ``path``, if any.

    :raise UnreadableDocumentError: when the sidecar is not valid TOML.
    """
    sidecar = path.with_name(path.stem + META_SUFFIX)
    if not sidecar.exists():
        return {}
    try:
        # utf-8-sig: a sidecar saved with a byte-order mark (Notepad) reads alike.
        return tomllib.loads(sidecar.read_text(encoding="utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UnreadableDocumentError(
            f"sidecar {sidecar.name} is invalid: {exc}"
        ) from exc


def read_corpus(corpus_dir: Path, max_bytes: int) -> Iterator[RawDocument | Problem]:
    """Yield each readable document, or a problem for each file that is not."""
    files, problems = discover(corpus_dir)
    yield from problems
    readings = []
    for path in files:
        try:
            doc = read_document(path, corpus_dir, max_bytes)
        except (UnreadableDocumentError, OSError) as exc:
            readings.append(Problem(str(path.relative_to(corpus_dir)), str(exc)))
            continue
        readings.append((doc, text_key(doc.text)))
    yield from dedupe(readings)


def text_key(text: str) -> str:
    """Return what makes two documents duplicates: their words, spacing aside."""
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()


def dedupe(
    readings: list[Problem | tuple[RawDocument, str]],
) -> Iterator[RawDocument | Problem]:
    """Yield each (document, text key) reading once, with a unique slug, in order."""
    seen: dict[str, str] = {}
    slugs: set[str] = set()
    for reading in readings:
        if isinstance(reading, Problem):
            yield reading
            continue
        doc, key = reading
        rel = doc.source
        if key in seen:
            yield Problem(rel, f"duplicate of {seen[key]}; indexed once")
            continue
        seen[key] = rel
        doc.slug = _unique_slug(doc.slug, rel, slugs)
        slugs.add(doc.slug)
        for warning in doc.warnings:
            yield Problem(rel, warning, skipped=False)
        yield doc


def _unique_slug(slug: str, rel: str, taken: set[str]) -> str:
    """Return ``slug``, or a variant not in ``taken``: ids must never collide."""
    if slug not in taken:
        return slug
    slug = slugify(rel.rsplit(".", 1)[0])
    candidate, n = slug, 2
    while candidate in taken:
        candidate, n = f"{slug}-{n}", n + 1
    return candidate
