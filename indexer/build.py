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

from whoosh import index as whoosh_index

from indexer import FORMAT_VERSION
from indexer.acronyms import GLOSSARY, write_lexicon
from indexer.corpus import Problem, fingerprint, read_corpus
from indexer.document import Document, load_document
from indexer.ledger import update_ledger, write_resolution
from indexer.relations import annotate
from indexer.schema import build_schema

CURRENT = "CURRENT"
MANIFEST = "manifest.json"
DOCUMENTS = "documents.json"
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
        try:
            doc = load_document(item)
        except Exception as exc:  # one broken document never stops the build
            problems.append(Problem(item.source, f"could not be parsed: {exc!r}"))
            continue
        problems.extend(Problem(doc.source, w, skipped=False) for w in doc.warnings)
        if not doc.passages:
            problems.append(Problem(doc.source, "has no body text to index"))
            continue
        documents.append(doc)
        if progress:
            progress(doc.source)
    return documents, problems


def passage_fields(doc: Document) -> Iterator[dict]:
    """Yield the index fields of each passage of ``doc``."""
    for p in doc.passages:
        yield {
            "id": p.id,
            "doc_id": doc.id,
            "position": p.position,
            "kind": p.kind,
            "label": p.label,
            "section": p.section,
            "text": p.text,
            "title": doc.title,
            "date": doc.date or "",
            "year": str(doc.year or ""),
            "author": doc.author,
            "type": doc.type,
            "forces": ",".join(p.forces),
        }


def build(
    corpus_dir: Path,
    index_dir: Path,
    *,
    force: bool = False,
    max_file_mb: int = 20,
    progress: Callable[[str], None] | None = None,
) -> BuildReport:
    """Index ``corpus_dir`` into a new generation of ``index_dir`` unless it is current.

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
        documents, problems = load_corpus(corpus_dir, max_file_mb * 1_000_000, progress)
        if not documents:
            raise BuildError(
                f"nothing could be indexed from {corpus_dir}: "
                + ("; ".join(str(p) for p in problems) or "it holds no documents")
            )
        generation = f"gen-{started:%Y%m%dT%H%M%S%f}-{digest[:8]}"
        report = BuildReport(
            generation=generation,
            documents=len(documents),
            passages=sum(len(d.passages) for d in documents),
            problems=problems,
        )
        _write_generation(index_dir, generation, documents, report, digest, corpus_dir)
        _record_permalinks(corpus_dir, documents, index_dir / generation)
        _swap_current(index_dir, generation)
        _prune(index_dir, keep={generation, served.name if served else ""})
    report.seconds = (dt.datetime.now(dt.UTC) - started).total_seconds()
    report.recovered = recovered
    return report


def _write_generation(
    index_dir: Path,
    generation: str,
    documents: list[Document],
    report: BuildReport,
    digest: str,
    corpus_dir: Path,
) -> None:
    tmp = index_dir / f".tmp-{generation}"
    tmp.mkdir()
    ix = whoosh_index.create_in(str(tmp), build_schema())
    writer = ix.writer(limitmb=256)
    for doc in sorted(documents, key=lambda d: (d.date or "", d.id)):
        for fields in passage_fields(doc):
            writer.add_document(**fields)
    writer.commit()
    ix.close()
    (tmp / DOCUMENTS).write_text(
        json.dumps(annotate(documents), ensure_ascii=False, indent=1)
    )
    # Acronyms and the surface vocabulary feed query expansion and spelling.
    for warning in write_lexicon(tmp, documents, corpus_dir):
        report.problems.append(Problem(GLOSSARY, warning, skipped=False))
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
