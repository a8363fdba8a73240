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
import json
import os
import shutil
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from indexer import FORMAT_VERSION
from indexer.analysis.acronyms import GLOSSARY
from indexer.analysis.lexicon import write_lexicon
from indexer.document.record import Document
from indexer.document.relations import annotate
from indexer.permalinks.ledger import LEDGER, PassageSet, update_ledger
from indexer.permalinks.resolution import write_resolution
from indexer.permalinks.state import CHECKPOINT
from indexer.source.corpus import Problem, read_corpus
from indexer.source.scan import STATE, scan_corpus
from indexer.store.cache import PARTS, ParseCache, load_cache, save_cache
from indexer.store.columns import write_columns
from indexer.store.errors import BuildError, BuildLockedError, disk_error
from indexer.store.folder import (
    CURRENT,
    DERIVED,
    DOCUMENTS,
    LOCK,
    build_lock,
    current_generation,
    prune,
    read_documents,
    read_manifest,
    remove_partial_builds,
    swap_current,
)
from indexer.store.generation import Contents, apply_update, full_contents, plan_update
from indexer.store.manifest import (
    MANIFEST,
    damage,
    record_checksums,
)
from indexer.store.writer import parse_one, passage_fields

__all__ = [
    "CURRENT",
    "DERIVED",
    "DOCUMENTS",
    "LOCK",
    "BuildError",
    "BuildLockedError",
    "build",
    "current_generation",
    "load_corpus",
    "passage_fields",
    "read_documents",
    "read_manifest",
]
# How to fix an index folder that cannot be written, for disk_error.
_INDEX_FIX = "make the index folder writable, or pass --index DIR on a writable disk"


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
    # What was wrong with the served generation, which made this build rebuild it.
    damaged: list[str] = field(default_factory=list)
    seconds: float = 0.0
    incremental: bool = False


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

    Unchanged files are not read or parsed again (see :mod:`indexer.source.scan` and
    :mod:`indexer.store.cache`); when only a few documents changed, the new generation
    reuses the served one's segments and re-indexes just those documents.
    ``force`` rebuilds everything from the files, ignoring the cache.

    :raise BuildError: when the corpus is missing, nothing could be indexed,
        another build holds the lock, or the index folder cannot be written (a
        read-only folder, a full disk: the partial generation is removed).
    """
    try:
        return _build(corpus_dir, index_dir, force, max_file_mb, progress, procs)
    except OSError as exc:
        raise disk_error(
            exc, index_dir, f"the index in {index_dir}", _INDEX_FIX
        ) from None


def _build(
    corpus_dir: Path,
    index_dir: Path,
    force: bool,
    max_file_mb: int,
    progress: Callable[[str], None] | None,
    procs: int | None,
) -> BuildReport:
    """Do what :func:`build` says; disk errors are left to it."""
    started = dt.datetime.now(dt.UTC)
    if not corpus_dir.is_dir():
        raise BuildError(
            f"corpus folder {corpus_dir} does not exist; pass --corpus DIR"
        )
    index_dir.mkdir(parents=True, exist_ok=True)
    with build_lock(index_dir):
        recovered = remove_partial_builds(index_dir)
        scan = scan_corpus(
            corpus_dir,
            max_file_mb * 1_000_000,
            index_dir / STATE,
            extra=f"format={FORMAT_VERSION}",
            trust=not force,
        )
        digest = scan.fingerprint
        served = current_generation(index_dir)
        damaged = damage(served) if served is not None and not force else []
        if damaged:  # rebuilt from the files, never updated from damaged segments
            served = None
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
        raws, problems = scan.raws, scan.problems
        cache = ParseCache() if force else load_cache(index_dir)
        generation = f"gen-{started:%Y%m%dT%H%M%S%f}-{digest[:8]}"
        tmp = index_dir / f".tmp-{generation}"
        # Whatever stops the writing (a full disk, an error), the partial
        # generation goes at once instead of filling the disk until the next build.
        try:
            update = None if force else plan_update(served, cache, raws)
            if update is not None:
                contents = apply_update(served, tmp, cache, raws, update)
            else:
                tmp.mkdir()
                contents = full_contents(tmp, raws, cache, procs, index_dir / PARTS)
            problems.extend(contents.problems)
            if progress:
                for source in contents.entries:
                    progress(source)
            if not contents.entries:
                shutil.rmtree(tmp, ignore_errors=True)
                raise BuildError(
                    f"nothing could be indexed from {corpus_dir}: "
                    + ("; ".join(str(p) for p in problems) or "it holds no documents")
                )
            report = BuildReport(
                generation=generation,
                documents=len(contents.entries),
                passages=sum(len(e.passage_ids) for e in contents.entries.values()),
                problems=problems,
                incremental=update is not None,
                damaged=damaged,
            )
            # The facet columns are written by a child process meanwhile: on two
            # cores that takes the largest file off an update's critical path.
            child = _fork(write_columns, tmp, contents.rows)
            try:
                # The ledger first: the lines it skips are problems the manifest lists.
                for warning in _record_permalinks(
                    corpus_dir, contents.passages(cache), tmp, generation, index_dir
                ):
                    report.problems.append(Problem(LEDGER, warning, skipped=False))
                _finish_generation(tmp, contents, report, digest, corpus_dir)
            finally:
                _join(child, "the facet columns")
            record_checksums(tmp)
            tmp.rename(index_dir / generation)
            swap_current(index_dir, generation)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        prune(index_dir, keep={generation, served.name if served else ""})
        catalog = ParseCache(generation, contents.entries, contents.rows)
        catalog.lexicon, catalog.links = contents.lexicon, contents.links
        save_cache(index_dir, catalog, contents.parts)
    report.seconds = (dt.datetime.now(dt.UTC) - started).total_seconds()
    report.recovered = recovered
    return report


def _finish_generation(
    tmp: Path,
    contents: Contents,
    report: BuildReport,
    digest: str,
    corpus_dir: Path,
) -> None:
    ordered = contents.ordered()
    # Copies: annotating adds keys, and the cached summaries stay as parsed.
    summaries = annotate([dict(e.summary) for e in ordered], contents.links)
    # Compact JSON: indenting sends json.dumps to its slow pure-Python encoder.
    (tmp / DOCUMENTS).write_text(
        json.dumps(summaries, ensure_ascii=False, separators=(",", ":"))
    )
    # Acronyms and the surface vocabulary feed query expansion and spelling.
    for warning in write_lexicon(tmp, ordered, corpus_dir, contents.lexicon):
        report.problems.append(Problem(GLOSSARY, warning, skipped=False))
    manifest = {
        "format_version": FORMAT_VERSION,
        "fingerprint": digest,
        "generation": report.generation,
        "built_at": dt.datetime.now(dt.UTC).isoformat(),
        "documents": report.documents,
        "passages": report.passages,
        "problems": [vars(p) for p in report.problems],
    }
    (tmp / MANIFEST).write_text(json.dumps(manifest, indent=1))


def _fork(write: Callable, *args) -> int:
    """Run ``write(*args)`` in a forked child; return its process id."""
    pid = os.fork()
    if pid == 0:  # the child: write, then leave without running any exit handler
        code = 1
        try:
            write(*args)
            code = 0
        except BaseException:
            traceback.print_exc()
        finally:
            os._exit(code)
    return pid


def _join(pid: int, what: str) -> None:
    """Wait for a child from :func:`_fork`; a failed one fails the build."""
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise BuildError(f"writing {what} failed (see the error above); build again")


def _record_permalinks(
    corpus_dir: Path, passages: PassageSet, tmp: Path, generation: str, index_dir: Path
) -> list[str]:
    """Append this build to the permalink ledger; write its maps into ``tmp``.

    Return a warning for each ledger line skipped because it did not fit.
    """
    # Called before the swap, so every id the portal serves is in the ledger.
    try:
        resolution = update_ledger(
            corpus_dir, passages, generation, index_dir / CHECKPOINT
        )
    except OSError as exc:
        raise disk_error(
            exc,
            corpus_dir,
            f"the permalink ledger in {corpus_dir}",
            "make the corpus folder writable and build again",
        ) from exc
    write_resolution(tmp, resolution)
    return resolution.skipped
