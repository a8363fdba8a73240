"""What a new generation holds, assembled from a full write or from an update.

A full build parses (or takes from the cache) every document and writes them all.
An update starts from the catalog of the served generation (see
:mod:`indexer.store.cache`): it parses only the changed files, re-indexes only their
passages, and brings the lexicon totals and the letter-report matches up to date
by taking the old documents' parts off and adding the new ones. Either way the
result is a :class:`Contents`, from which the build writes the generation's
files and the permalink ledger; an update must produce the same files a full
build would (the incremental tests compare them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path

from indexer.analysis.lexicon import CorpusLexicon, DocumentLexicon, document_lexicon
from indexer.document.record import Document
from indexer.document.relations import Links, Side
from indexer.permalinks.ledger import PassageSet
from indexer.source.corpus import Problem, RawDocument
from indexer.source.scan import load_text
from indexer.store.cache import Entry, ParseCache, cache_key, write_part
from indexer.store.fields import parse_one
from indexer.store.writer import (
    MAX_SEGMENTS,
    link_generation,
    segment_count,
    write_full,
    write_update,
)

# How many parsed documents a build keeps in memory while it reads them back
# (the ledger and the findings read document by document, a report with the
# letters answering it): a bound, so that memory does not grow with the corpus.
LOADED_DOCUMENTS = 256


@dataclass
class Contents:
    """Every document of a generation, and what this build parsed anew."""

    entries: dict[str, Entry] = field(default_factory=dict)  # by source
    rows: list = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    lexicon: CorpusLexicon = field(default_factory=CorpusLexicon)
    links: Links = field(default_factory=Links)
    # Parses to add to the cache, by key (an update's few changed documents).
    parts: dict[str, tuple[Document, DocumentLexicon]] = field(default_factory=dict)

    def ordered(self) -> list[Entry]:
        """Return the entries oldest first, as the generation lists documents."""
        return sorted(self.entries.values(), key=lambda e: (e.date or "", e.id))

    def passages(self, cache: ParseCache) -> PassageSet:
        """Return the passage ids of every document, each document read on demand.

        A document is read from :attr:`parts` or the cache folder, and at most
        :data:`LOADED_DOCUMENTS` stay in memory (the least recently used go).
        """
        by_id = {e.id: e for e in self.entries.values()}
        ids = {
            pid: (e.id, i)
            for e in by_id.values()
            for i, pid in enumerate(e.passage_ids)
        }

        @lru_cache(maxsize=LOADED_DOCUMENTS)
        def load(doc_id: str) -> Document:
            key = by_id[doc_id].key
            part = self.parts.get(key) or cache.part(key)
            if part is None:
                raise FileNotFoundError(f"the parse of {doc_id} is not cached")
            return part[0]

        return PassageSet(ids, load, len(ids))


def _add(contents: Contents, key: str, doc: Document, part: DocumentLexicon) -> None:
    contents.entries[doc.source] = Entry.of(key, doc)
    contents.lexicon.add(doc.source, key, part)


def full_contents(
    tmp: Path,
    raws: list[RawDocument],
    cache: ParseCache,
    procs: int | None,
    parts: Path,
) -> Contents:
    """Write every document of ``raws`` into a fresh index at ``tmp``.

    The workers that parse a document also count its words and store its parse
    in the cache folder ``parts``, so that work is shared between them too; what
    comes back is each document's catalog entry and the share's lexicon totals.
    """
    jobs = []
    for raw in raws:
        entry = cache.entry(raw)
        jobs.append((raw, partial(cache.part, entry.key) if entry else None))
    parts.mkdir(exist_ok=True)
    gathered, rows, found = write_full(tmp, jobs, procs, partial(ShareCollector, parts))
    contents = Contents(rows=rows, problems=sorted(found, key=lambda p: p.source))
    sides = []
    for share in gathered:
        contents.entries.update(share.entries)
        contents.lexicon.merge(share.lexicon)
        sides.extend(share.sides)
    contents.links.update(set(), sides)
    return contents


class ShareCollector:
    """What a build worker keeps of each document of its share (a ``Collector``).

    A document parsed anew has its words counted and its parse stored in the
    cache folder; a cached one brings the lexicon part stored with it. Only the
    catalog entry, the lexicon totals and the matching's side go back.
    """

    def __init__(self, parts: Path) -> None:
        self.parts = parts
        self.entries: dict[str, Entry] = {}
        self.lexicon = CorpusLexicon()
        self.sides: list[tuple[str, Side]] = []

    def add(self, raw: RawDocument, doc: Document, cached: object) -> None:
        """Take one document; ``cached`` is its cached lexicon part, or None."""
        key = cache_key(raw)
        part = cached if isinstance(cached, DocumentLexicon) else None
        if part is None:
            part = document_lexicon(doc)
            write_part(self.parts, key, (doc, part))
        self.entries[doc.source] = Entry.of(key, doc)
        self.lexicon.add(doc.source, key, part)
        self.sides.append((doc.type, Side.of(doc)))

    def result(self) -> ShareCollector:
        """Return this collector: it holds no parsed document."""
        return self


@dataclass
class Update:
    """The plan of an update: what to delete, what to parse, what to take off."""

    removed: list[str]  # document ids whose passages are deleted
    changed: list[RawDocument]
    # The cached parts of the documents removed or replaced, by source.
    old: dict[str, tuple[Document, DocumentLexicon]]


def plan_update(
    served: Path | None, cache: ParseCache, raws: list[RawDocument]
) -> Update | None:
    """Return the plan of an update, or None for a full build.

    None when there is no served generation the cache belongs to, too much
    changed, the served index has too many segments already, or a cached part
    the update would need cannot be read.
    """
    if served is None or cache.generation != served.name or not cache.rows:
        return None
    changed = [raw for raw in raws if cache.entry(raw) is None]
    present = {raw.source for raw in raws}
    stale = {raw.source for raw in changed} | (set(cache.entries) - present)
    if len(stale) > max(1, len(raws) // 10):
        return None
    if segment_count(served) >= MAX_SEGMENTS:
        return None
    old = {}
    for source in sorted(stale & set(cache.entries)):
        part = cache.part(cache.entries[source].key)
        if part is None:
            return None
        old[source] = part
    removed = sorted(cache.entries[source].id for source in old)
    return Update(removed, changed, old)


def apply_update(
    served: Path, tmp: Path, cache: ParseCache, raws: list[RawDocument], plan: Update
) -> Contents:
    """Build the new generation from the served one, re-indexing the changed only."""
    contents = Contents(lexicon=cache.lexicon, links=cache.links)
    changed = {raw.source for raw in plan.changed}
    added = []
    for source, (_, part) in plan.old.items():
        contents.lexicon.remove(source, part)
    for raw in raws:
        if raw.source in changed:
            load_text(raw)
            doc, found = parse_one(raw)
            if doc is not None:
                added.append(doc)
                part = document_lexicon(doc)
                _add(contents, cache_key(raw), doc, part)
                contents.parts[cache_key(raw)] = (doc, part)
        else:
            entry = cache.entries[raw.source]
            contents.entries[raw.source] = entry
            found = [Problem(raw.source, w, skipped=False) for w in entry.warnings]
        contents.problems.extend(found)
    link_generation(served, tmp)
    contents.rows = write_update(tmp, plan.removed, added, cache.rows)
    contents.links.update(set(plan.removed), [(d.type, Side.of(d)) for d in added])
    return contents
