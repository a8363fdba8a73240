"""The parse cache: parsed documents kept beside the index, keyed by content.

Parsing is most of a build's work, and a researcher adding or correcting one
document should not pay for re-parsing the other thousands. The cache maps each
corpus file to a key (its checksum, sidecar, slug and the index format) and the
:class:`~indexer.document.Document` parsed from it, plus the facet rows of the
generation it was written with, which an incremental update extends.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path

from indexer import FORMAT_VERSION
from indexer.corpus import RawDocument
from indexer.document import Document
from indexer.lexicon import CorpusLexicon

CACHE = "parse-cache.pickle"
# Bump when Document or the row layout changes shape, so an old cache is ignored.
CACHE_VERSION = 1


@dataclass
class ParseCache:
    """Parsed documents by source file, and the rows of the generation they built."""

    generation: str = ""
    entries: dict[str, tuple[str, Document]] = field(default_factory=dict)
    rows: list = field(default_factory=list)
    # Each document's words and acronym definitions, by the same content key.
    lexicon: CorpusLexicon = field(default_factory=CorpusLexicon)

    def get(self, raw: RawDocument) -> Document | None:
        """Return the cached parse of ``raw`` when the file has not changed."""
        entry = self.entries.get(raw.source)
        return entry[1] if entry and entry[0] == cache_key(raw) else None


def cache_key(raw: RawDocument) -> str:
    """Return what a cached parse of ``raw`` depends on."""
    overrides = json.dumps(raw.overrides, sort_keys=True, default=str)
    parts = [raw.checksum, raw.slug, overrides, str(FORMAT_VERSION)]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def load_cache(index_dir: Path) -> ParseCache:
    """Return the cache in ``index_dir``, or an empty one if missing or unreadable."""
    try:
        with (index_dir / CACHE).open("rb") as handle:
            version, cache = pickle.load(handle)
    except (
        OSError,
        EOFError,
        pickle.UnpicklingError,
        ValueError,
        TypeError,
        AttributeError,
        ImportError,
    ):
        return ParseCache()
    if version != CACHE_VERSION:
        return ParseCache()
    if not isinstance(getattr(cache, "lexicon", None), CorpusLexicon):
        # A cache written before the lexicon was kept: its parses still count.
        cache.lexicon = CorpusLexicon()
    return cache


def save_cache(
    index_dir: Path,
    generation: str,
    pairs: list[tuple[RawDocument, Document]],
    rows: list,
    lexicon: CorpusLexicon,
) -> None:
    """Replace the cache with the documents and rows of ``generation``, atomically."""
    cache = ParseCache(
        generation=generation,
        entries={raw.source: (cache_key(raw), doc) for raw, doc in pairs},
        rows=rows,
        lexicon=lexicon,
    )
    tmp = index_dir / f".{CACHE}.tmp"
    with tmp.open("wb") as handle:
        pickle.dump((CACHE_VERSION, cache), handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, index_dir / CACHE)
