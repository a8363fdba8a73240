"""The parse cache: parsed documents kept beside the index, keyed by content.

Parsing is most of a build's work, and a researcher adding or correcting one
document should not pay for re-parsing the other thousands. The cache maps each
corpus file to a key (its checksum, sidecar, slug and the index format) and what
the build derived from it.

It is two layers, so that an update reads and writes in proportion to what
changed. ``parse-cache.pickle`` is the catalog: per file, an :class:`Entry`
with the key, the document's summary, its passage ids and warnings; plus the
facet rows of the generation it was written with, the corpus lexicon's totals
and the letter-report matches. The parsed documents themselves (with their
lexicon part) are one file each under ``parse-cache/``, named by key, and are
read only when a build needs that document's passages.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from indexer import FORMAT_VERSION
from indexer.analysis.lexicon import CorpusLexicon, DocumentLexicon
from indexer.document.record import Document
from indexer.document.relations import Links
from indexer.files import read_pickle, write_pickle
from indexer.source.corpus import RawDocument

CACHE = "parse-cache.pickle"
PARTS = "parse-cache"
# Bump when Document, Entry or the row layout changes shape, so an old cache is
# ignored.
CACHE_VERSION = 3


@dataclass
class Entry:
    """What a build keeps of one parsed file without its passages' text."""

    key: str
    id: str
    date: str | None
    source: str
    summary: dict
    passage_ids: list[str]
    warnings: list[str]

    @classmethod
    def of(cls, key: str, doc: Document) -> Entry:
        """Return the entry of ``doc``, parsed from a file whose key is ``key``."""
        ids = [p.id for p in doc.passages]
        summary = doc.summary()
        return cls(key, doc.id, doc.date, doc.source, summary, ids, list(doc.warnings))


@dataclass
class ParseCache:
    """The catalog of a generation's documents, and their parses on demand."""

    generation: str = ""
    entries: dict[str, Entry] = field(default_factory=dict)
    rows: list = field(default_factory=list)
    # The corpus totals of words and acronym definitions.
    lexicon: CorpusLexicon = field(default_factory=CorpusLexicon)
    links: Links = field(default_factory=Links)
    # Where the parts live; not saved (set when loaded).
    folder: Path | None = None

    def entry(self, raw: RawDocument) -> Entry | None:
        """Return the entry of ``raw`` when the file has not changed."""
        entry = self.entries.get(raw.source)
        return entry if entry is not None and entry.key == cache_key(raw) else None

    def get(self, raw: RawDocument) -> Document | None:
        """Return the cached parse of ``raw`` when the file has not changed."""
        entry = self.entry(raw)
        part = self.part(entry.key) if entry is not None else None
        return part[0] if part is not None else None

    def part(self, key: str) -> tuple[Document, DocumentLexicon] | None:
        """Return the parse and lexicon part stored under ``key``, if readable."""
        if self.folder is None:
            return None
        found = read_pickle(self.folder / f"{key}.pickle")
        if not (isinstance(found, tuple) and len(found) == 2):
            return None
        doc, part = found
        if not isinstance(doc, Document) or not isinstance(part, DocumentLexicon):
            return None
        return doc, part


def cache_key(raw: RawDocument) -> str:
    """Return what a cached parse of ``raw`` depends on."""
    overrides = json.dumps(raw.overrides, sort_keys=True, default=str)
    parts = [raw.checksum, raw.slug, overrides, str(FORMAT_VERSION)]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def write_part(folder: Path, key: str, part: tuple[Document, DocumentLexicon]) -> None:
    """Store one document's parse and lexicon part under ``key``, atomically."""
    write_pickle(folder / f"{key}.pickle", part)


def load_cache(index_dir: Path) -> ParseCache:
    """Return the cache in ``index_dir``, or an empty one if missing or unreadable."""
    found = read_pickle(index_dir / CACHE)
    if not (isinstance(found, tuple) and len(found) == 2):
        return ParseCache()
    version, cache = found
    if version != CACHE_VERSION or not isinstance(cache, ParseCache):
        return ParseCache()
    cache.folder = index_dir / PARTS
    return cache


def save_cache(
    index_dir: Path,
    cache: ParseCache,
    parts: dict[str, tuple[Document, DocumentLexicon]],
) -> None:
    """Write the new ``parts`` (by key), then the catalog, then drop unused parts.

    Parts go first and the catalog replaces the old one atomically, so a build
    killed at any point leaves a catalog whose every part is on disk.
    """
    folder = index_dir / PARTS
    folder.mkdir(exist_ok=True)
    for key, part in parts.items():
        write_part(folder, key, part)
    folder_was, cache.folder = cache.folder, None
    try:
        write_pickle(index_dir / CACHE, (CACHE_VERSION, cache))
    finally:
        cache.folder = folder_was
    used = {f"{e.key}.pickle" for e in cache.entries.values()}
    for name in os.listdir(folder):
        if name not in used:
            (folder / name).unlink(missing_ok=True)
