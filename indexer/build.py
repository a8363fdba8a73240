"""Write the passages of a corpus into a fresh index and swap it in atomically.

The index directory holds one generation directory per build and a ``CURRENT``
file naming the one being served. A build writes a new generation under a
``.tmp-`` name, renames it when complete and then replaces ``CURRENT`` in one
``os.replace``: a reader sees either the old index or the new one, never a partial
one. A build killed at any moment leaves only a ``.tmp-`` directory, which the next
build removes. An exclusive ``fcntl`` lock keeps two builds apart; the kernel releases
it when its holder dies, so a lock left by a killed build is never stale.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from indexer import FORMAT_VERSION
from indexer.acronyms import GLOSSARY
from indexer.cache import ParseCache, cache_key, load_cache, save_cache
from indexer.columns import write_columns
from indexer.corpus import Problem, RawDocument, fingerprint, read_corpus
from indexer.document import Document
from indexer.ledger import update_ledger, write_resolution
from indexer.lexicon import CorpusLexicon, write_lexicon
from indexer.relations import annotate
from indexer.writer import (
    MAX_SEGMENTS,
    link_generation,
    parse_one,
    passage_fields,
    segment_count,
    write_full,
    write_update,
)

__all__ = ["build", "load_corpus", "passage_fields"]

CURRENT = "CURRENT"
MANIFEST = "manifest.json"
DOCUMENTS = "documents.json"
# The portal keeps what it derives from a generation in DERIVED/<generation>/.
DERIVED = "derived"
LOCK = "build.lock"


class BuildError(Exception):
    """A build that could not produce an index; the message says what to do."""


class BuildLockedError(BuildError):
    """Another build holds the index lock."""


@dataclass
class BuildReport:
    """What a build did: counts, the generation served, and every problem file."""

    generation: str
    documents: int
    passages: int
    problems: list[Problem] = field(default_factory=list)
    # Partial generations left by an interrupted build, removed by this one.
    recovered: list[str] = field(default_factory=list)
    up_to_date: bool = False
    seconds: float = 0.0
    incremental: bool = False


def current_generation(index_dir: Path) -> Path | None:
    """Return the generation directory ``CURRENT`` names, or None when there is none."""
    try:
        name = (index_dir / CURRENT).read_text().strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    path = index_dir / name
    return path if name and path.is_dir() else None


def read_manifest(generation: Path) -> dict:
    """Return the manifest a build wrote into a generation directory."""
    return json.loads((generation / MANIFEST).read_text())


def read_documents(generation: Path) -> list[dict]:
    """Return the document summaries a build wrote into a generation directory."""
    return json.loads((generation / DOCUMENTS).read_text())


@contextmanager
def _build_lock(index_dir: Path) -> Iterator[None]:
    path = index_dir / LOCK
    with path.open("a+") as handle:
        # A POSIX record lock (lockf), not flock: a flock is shared with forked
        # children, so writer processes orphaned by a killed build would keep it.
        try:
            fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except (BlockingIOError, PermissionError):
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            raise BuildLockedError(
                f"another build (pid {holder}) is writing {index_dir}; wait for it to "
                "finish and run the build again"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            fcntl.lockf(handle, fcntl.LOCK_UN)


def load_corpus(
    corpus_dir: Path, max_bytes: int, progress: Callable[[str], None] | None = None
) -> tuple[list[Document], list[Problem]]:
    """Read and parse every document; a file that fails is a problem, not a stop."""
    documents, problems = [], []
    for item in read_corpus(corpus_dir, max_bytes):
        if isinstance(item, Problem):
            problems.append(item)
            continue
        doc, found = parse_one(item)
        problems.extend(found)
        if doc is not None:
            documents.append(doc)
            if progress:
                progress(doc.source)
    return documents, problems


def build(
    corpus_dir: Path,
    index_dir: Path,
    *,
    force: bool = False,
    max_file_mb: int = 20,
    progress: Callable[[str], None] | None = None,
    procs: int | None = None,
) -> BuildReport:
    """Index ``corpus_dir`` into a new generation of ``index_dir`` unless it is current.

    Unchanged files are not parsed again (see :mod:`indexer.cache`); when only a
    few documents changed, the new generation reuses the served one's segments
    and re-indexes just those documents. ``force`` rebuilds everything from the
    files, ignoring the cache.

    :raise BuildError: when the corpus is missing, nothing could be indexed, or
        another build holds the lock.
    """
    started = dt.datetime.now(dt.UTC)
    if not corpus_dir.is_dir():
        raise BuildError(
            f"corpus folder {corpus_dir} does not exist; pass --corpus DIR"
        )
    index_dir.mkdir(parents=True, exist_ok=True)
    with _build_lock(index_dir):
        recovered = _remove_partial_builds(index_dir)
        digest = fingerprint(corpus_dir, extra=f"format={FORMAT_VERSION}")
        served = current_generation(index_dir)
        if served is not None and not force:
            manifest = read_manifest(served)
            if manifest.get("fingerprint") == digest:
                return BuildReport(
                    generation=served.name,
                    documents=manifest["documents"],
                    passages=manifest["passages"],
                    problems=[Problem(**p) for p in manifest.get("problems", [])],
                    up_to_date=True,
                    recovered=recovered,
                )
        raws, problems = [], []
        for item in read_corpus(corpus_dir, max_file_mb * 1_000_000):
            (problems if isinstance(item, Problem) else raws).append(item)
        cache = ParseCache() if force else load_cache(index_dir)
        generation = f"gen-{started:%Y%m%dT%H%M%S%f}-{digest[:8]}"
        tmp = index_dir / f".tmp-{generation}"
        update = None if force else _plan_update(served, cache, raws)
        if update is not None:
            documents, rows, found = _update(served, tmp, cache, raws, *update)
        else:
            tmp.mkdir()
            jobs = [(raw, cache.get(raw)) for raw in raws]
            documents, rows, found = write_full(tmp, jobs, procs)
        problems.extend(sorted(found, key=lambda p: p.source))
        if progress:
            for doc in documents:
                progress(doc.source)
        if not documents:
            shutil.rmtree(tmp, ignore_errors=True)
            raise BuildError(
                f"nothing could be indexed from {corpus_dir}: "
                + ("; ".join(str(p) for p in problems) or "it holds no documents")
            )
        by_source = {raw.source: raw for raw in raws}
        # Only documents new to the cache are read for words and acronyms.
        lexicon = cache.lexicon
        lexicon.sync({d.source: (cache_key(by_source[d.source]), d) for d in documents})
        report = BuildReport(
            generation=generation,
            documents=len(documents),
            passages=sum(len(d.passages) for d in documents),
            problems=problems,
            incremental=update is not None,
        )
        _finish_generation(
            index_dir,
            tmp,
            generation,
            documents,
            rows,
            report,
            digest,
            corpus_dir,
            lexicon,
        )
        _record_permalinks(corpus_dir, documents, index_dir / generation)
        _swap_current(index_dir, generation)
        _prune(index_dir, keep={generation, served.name if served else ""})
        save_cache(
            index_dir,
            generation,
            [(by_source[d.source], d) for d in documents],
            rows,
            lexicon,
        )
    report.seconds = (dt.datetime.now(dt.UTC) - started).total_seconds()
    report.recovered = recovered
    return report


def _plan_update(
    served: Path | None, cache: ParseCache, raws: list[RawDocument]
) -> tuple[list[str], list[RawDocument]] | None:
    """Return the document ids to delete and the files to re-index, or None.

    None means a full build: there is no served generation the cache belongs to,
    too much changed, or the served index has too many segments already.
    """
    if served is None or cache.generation != served.name or not cache.rows:
        return None
    changed = [raw for raw in raws if cache.get(raw) is None]
    present = {raw.source for raw in raws}
    stale = {raw.source for raw in changed} | (set(cache.entries) - present)
    removed = sorted(
        cache.entries[source][1].id for source in stale if source in cache.entries
    )
    if len(stale) > max(1, len(raws) // 10):
        return None
    if segment_count(served) >= MAX_SEGMENTS:
        return None
    return removed, changed


def _update(
    served: Path,
    tmp: Path,
    cache: ParseCache,
    raws: list[RawDocument],
    removed: list[str],
    changed: list[RawDocument],
) -> tuple[list[Document], list, list[Problem]]:
    """Build the new generation from the served one, re-indexing ``changed`` only."""
    documents, added, problems = [], [], []
    changed_sources = {raw.source for raw in changed}
    for raw in raws:
        if raw.source in changed_sources:
            doc, found = parse_one(raw)
            if doc is not None:
                added.append(doc)
        else:
            doc = cache.get(raw)
            found = [Problem(doc.source, w, skipped=False) for w in doc.warnings]
        problems.extend(found)
        if doc is not None:
            documents.append(doc)
    link_generation(served, tmp)
    rows = write_update(tmp, removed, added, cache.rows)
    return documents, rows, problems


def _finish_generation(
    index_dir: Path,
    tmp: Path,
    generation: str,
    documents: list[Document],
    rows: list,
    report: BuildReport,
    digest: str,
    corpus_dir: Path,
    lexicon: CorpusLexicon,
) -> None:
    documents = sorted(documents, key=lambda d: (d.date or "", d.id))
    (tmp / DOCUMENTS).write_text(
        json.dumps(annotate(documents), ensure_ascii=False, indent=1)
    )
    # Acronyms and the surface vocabulary feed query expansion and spelling.
    for warning in write_lexicon(tmp, documents, corpus_dir, lexicon):
        report.problems.append(Problem(GLOSSARY, warning, skipped=False))
    write_columns(tmp, rows)
    manifest = {
        "format_version": FORMAT_VERSION,
        "fingerprint": digest,
        "generation": generation,
        "built_at": dt.datetime.now(dt.UTC).isoformat(),
        "documents": report.documents,
        "passages": report.passages,
        "problems": [vars(p) for p in report.problems],
    }
    (tmp / MANIFEST).write_text(json.dumps(manifest, indent=1))
    tmp.rename(index_dir / generation)


def _swap_current(index_dir: Path, generation: str) -> None:
    tmp = index_dir / f".{CURRENT}.tmp"
    tmp.write_text(generation + "\n")
    with tmp.open() as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, index_dir / CURRENT)


def _record_permalinks(
    corpus_dir: Path, documents: list[Document], generation: Path
) -> None:
    """Append this build to the permalink ledger; write its maps into ``generation``."""
    # Called before the swap, so every id the portal serves is in the ledger.
    try:
        resolution = update_ledger(corpus_dir, documents, generation.name)
    except OSError as exc:
        raise BuildError(
            f"the permalink ledger in {corpus_dir} cannot be written ({exc}); "
            "make the corpus folder writable and build again"
        ) from exc
    write_resolution(generation, resolution)


def _remove_partial_builds(index_dir: Path) -> list[str]:
    """Remove what a killed build left; safe because this build holds the lock."""
    removed = []
    for path in sorted(index_dir.glob(".tmp-*")):
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path.name)
    (index_dir / f".{CURRENT}.tmp").unlink(missing_ok=True)
    return removed


def _prune(index_dir: Path, keep: set[str]) -> None:
    # The previous generation stays, so a portal worker still reading it finishes
    # its request before the next build removes it.
    for path in index_dir.glob("gen-*"):
        if path.name not in keep:
            shutil.rmtree(path, ignore_errors=True)
    # What the portal derives from a generation (precomputed theme matches) sits
    # beside it in derived/<generation>/ and goes with it.
    for path in (index_dir / DERIVED).glob("*"):
        if path.name not in keep:
            shutil.rmtree(path, ignore_errors=True)
