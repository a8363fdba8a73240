"""Layout: the index directory's generations, ``CURRENT``, lock and pruning.

The index directory holds one generation directory per build and a ``CURRENT``
file naming the one being served. A build writes a new generation under a
``.tmp-`` name, renames it when complete and then replaces ``CURRENT`` in one
``os.replace``: a reader sees either the old index or the new one, never a partial
one. A build killed at any moment leaves only a ``.tmp-`` directory, which the next
build removes. An exclusive lock keeps two builds apart; the kernel releases it
when its holder dies, so a lock left by a killed build is never stale.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from indexer.files import LockedError, exclusive_lock, write_atomic
from indexer.store.errors import BuildError, BuildLockedError
from indexer.store.manifest import MANIFEST, is_generation_name

CURRENT = "CURRENT"
DOCUMENTS = "documents.json"
# `flask warm` writes what the portal derives from a generation (the curated
# themes' matches) into <generation>/DERIVED/, so it goes with the generation.
DERIVED = "derived"
LOCK = "build.lock"


__all__ = [
    "BuildError",
    "BuildLockedError",
    "CURRENT",
    "DERIVED",
    "DOCUMENTS",
    "LOCK",
    "MANIFEST",
    "build_lock",
    "current_generation",
    "prune",
    "read_documents",
    "read_manifest",
    "remove_partial_builds",
    "swap_current",
]


def current_generation(index_dir: Path) -> Path | None:
    """Return the generation directory ``CURRENT`` names, or None when there is none.

    Only a ``gen-...`` folder inside ``index_dir`` counts: anything else in
    ``CURRENT`` (bytes that are not ASCII, a path, ``.``, a folder named CURRENT,
    a symbolic link) is treated as no ``CURRENT`` at all.
    """
    try:
        name = (index_dir / CURRENT).read_bytes().decode("ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    path = index_dir / name
    # A link named gen-... could lead anywhere: only a real folder counts.
    inside = is_generation_name(name) and not path.is_symlink()
    return path if inside and path.is_dir() else None


def read_manifest(generation: Path) -> dict:
    """Return the manifest a build wrote into a generation directory."""
    return json.loads((generation / MANIFEST).read_text())


def read_documents(generation: Path) -> list[dict]:
    """Return the document summaries a build wrote into a generation directory."""
    return json.loads((generation / DOCUMENTS).read_text())


@contextmanager
def build_lock(index_dir: Path) -> Iterator[None]:
    """Hold the index's build lock for the block.

    :raise BuildLockedError: at once, when another build holds it.
    """
    try:
        with exclusive_lock(index_dir / LOCK):
            yield
    except LockedError as exc:
        raise BuildLockedError(
            f"another build (pid {exc.holder or 'unknown'}) is writing {index_dir}; "
            "wait for it to finish and run the build again"
        ) from None


def swap_current(index_dir: Path, generation: str) -> None:
    """Point ``CURRENT`` at ``generation`` in one atomic, durable replace."""
    current = index_dir / CURRENT
    if current.is_dir() and not current.is_symlink():
        shutil.rmtree(current)  # not ours to keep: a folder cannot name a generation
    write_atomic(current, generation + "\n")


def remove_partial_builds(index_dir: Path) -> list[str]:
    """Remove what a killed build left; safe because this build holds the lock."""
    removed = []
    for path in sorted(index_dir.glob(".tmp-*")):
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path.name)
    for path in index_dir.glob(f".{CURRENT}.*tmp"):
        path.unlink(missing_ok=True)
    return removed


def prune(index_dir: Path, keep: set[str]) -> None:
    """Remove every generation but those in ``keep``, derived data with them."""
    # The previous generation stays, so a portal worker still reading it finishes
    # its request before the next build removes it.
    for path in index_dir.glob("gen-*"):
        if path.name not in keep:
            shutil.rmtree(path, ignore_errors=True)
    # Format 5 kept derived data beside the generations; it now lives inside.
    shutil.rmtree(index_dir / DERIVED, ignore_errors=True)
