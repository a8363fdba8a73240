"""Write the passages of a corpus into a fresh index and swap it in atomically.

The steps: take the lock, scan the corpus, stop if the served generation is
current, plan a full or incremental write into a ``.tmp-`` generation, write the
documents list, lexicon, manifest, facet columns and permalink maps beside the
Whoosh segments, rename it, swap ``CURRENT`` and prune (see
:mod:`indexer.store.layout` for the directory's layout and its guarantees).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from indexer import FORMAT_VERSION
from indexer.analysis.acronyms import GLOSSARY
from indexer.analysis.lexicon import write_lexicon
from indexer.document.record import Document
from indexer.document.relations import annotate
from indexer.findings.stage import write_findings
from indexer.permalinks.ledger import LEDGER
from indexer.source.corpus import Problem, read_corpus
from indexer.source.scan import STATE, Scan, scan_corpus
from indexer.store.cache import PARTS, ParseCache, load_cache, save_cache
from indexer.store.columns import write_columns
from indexer.store.errors import BuildError, BuildLockedError, disk_error
from indexer.store.fields import parse_one, passage_fields
from indexer.store.generation import Contents, apply_update, full_contents, plan_update
from indexer.store.layout import (
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
from indexer.store.manifest import MANIFEST, damage, record_checksums
from indexer.store.stages import by_document, fork, join, record_permalinks

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
        served = current_generation(index_dir)
        damaged = damage(served) if served is not None and not force else []
        if damaged:  # rebuilt from the files, never updated from damaged segments
            served = None
        report = None if force else _up_to_date(served, scan.fingerprint)
        if report is None:
            generation = f"gen-{started:%Y%m%dT%H%M%S%f}-{scan.fingerprint[:8]}"
            job = _Job(corpus_dir, index_dir, served, scan, generation, force)
            report = _write_generation(job, procs, progress)
            report.damaged = damaged
    report.seconds = (dt.datetime.now(dt.UTC) - started).total_seconds()
    report.recovered = recovered
    return report


def _up_to_date(served: Path | None, digest: str) -> BuildReport | None:
    """Return the served generation's report if it was built from this corpus."""
    if served is None:
        return None
    manifest = read_manifest(served)
    if manifest.get("fingerprint") != digest:
        return None
    return BuildReport(
        generation=served.name,
        documents=manifest["documents"],
        passages=manifest["passages"],
        problems=[Problem(**p) for p in manifest.get("problems", [])],
        up_to_date=True,
    )


@dataclass
class _Job:
    """What one build writes: from which corpus, into which generation, over what."""

    corpus_dir: Path
    index_dir: Path
    served: Path | None
    scan: Scan
    generation: str
    force: bool

    @property
    def tmp(self) -> Path:
        """Return where the generation is written before it is renamed."""
        return self.index_dir / f".tmp-{self.generation}"


def _contents(job: _Job, cache: ParseCache, procs: int | None) -> tuple[Contents, bool]:
    """Write the Whoosh segments; return the contents and whether it was an update."""
    raws = job.scan.raws
    update = None if job.force else plan_update(job.served, cache, raws)
    if update is not None:
        return apply_update(job.served, job.tmp, cache, raws, update), True
    job.tmp.mkdir()
    parts = job.index_dir / PARTS
    return full_contents(job.tmp, raws, cache, procs, parts), False


def _write_generation(
    job: _Job, procs: int | None, progress: Callable[[str], None] | None
) -> BuildReport:
    """Write a new generation, swap it in and prune the old ones.

    Whatever stops the writing (a full disk, an error), the partial generation
    goes at once instead of filling the disk until the next build.
    """
    try:
        return _write(job, procs, progress)
    except BaseException:
        shutil.rmtree(job.tmp, ignore_errors=True)
        raise


def _write(
    job: _Job, procs: int | None, progress: Callable[[str], None] | None
) -> BuildReport:
    """Do what :func:`_write_generation` says, leaving failures to it."""
    cache = ParseCache() if job.force else load_cache(job.index_dir)
    # Documents are read back from the cache folder the workers store them in.
    cache.folder = job.index_dir / PARTS
    contents, incremental = _contents(job, cache, procs)
    problems = job.scan.problems + contents.problems
    if progress:
        for source in contents.entries:
            progress(source)
    if not contents.entries:
        shutil.rmtree(job.tmp, ignore_errors=True)
        raise BuildError(
            f"nothing could be indexed from {job.corpus_dir}: "
            + ("; ".join(str(p) for p in problems) or "it holds no documents")
        )
    report = BuildReport(
        generation=job.generation,
        documents=len(contents.entries),
        passages=sum(len(e.passage_ids) for e in contents.entries.values()),
        problems=problems,
        incremental=incremental,
    )
    # The facet columns are written by a child process meanwhile: on two
    # cores that takes the largest file off an update's critical path.
    child = fork(write_columns, job.tmp, contents.rows)
    try:
        passages = contents.passages(cache)
        # The ledger first: the lines it skips are problems the manifest lists.
        for warning in record_permalinks(
            job.corpus_dir, job.index_dir, job.generation, job.served, passages
        ):
            report.problems.append(Problem(LEDGER, warning, skipped=False))
        _finish_generation(job, contents, report)
        # Findings read the linked summaries and the documents' passages.
        # --force reads every report again; otherwise unchanged ones are reused.
        write_findings(
            job.tmp,
            read_documents(job.tmp),
            passages.load,
            job.served,
            by_document(passages),
            reuse=not job.force,
        )
    finally:
        join(child, "the facet columns")
    record_checksums(job.tmp)
    job.tmp.rename(job.index_dir / job.generation)
    swap_current(job.index_dir, job.generation)
    prune(job.index_dir, keep={job.generation, job.served.name if job.served else ""})
    catalog = ParseCache(job.generation, contents.entries, contents.rows)
    catalog.lexicon, catalog.links = contents.lexicon, contents.links
    save_cache(job.index_dir, catalog, contents.parts)
    return report


def _finish_generation(job: _Job, contents: Contents, report: BuildReport) -> None:
    """Write the documents list, the lexicon and the manifest into ``job.tmp``."""
    tmp, corpus_dir = job.tmp, job.corpus_dir
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
        "fingerprint": job.scan.fingerprint,
        "generation": report.generation,
        "built_at": dt.datetime.now(dt.UTC).isoformat(),
        "documents": report.documents,
        "passages": report.passages,
        "problems": [vars(p) for p in report.problems],
    }
    (tmp / MANIFEST).write_text(json.dumps(manifest, indent=1))
