"""The index folder: ``CURRENT``, the build lock, and what builds leave behind.

``CURRENT`` names the served generation; only a ``gen-...`` folder inside the
index folder counts (:func:`current_generation`). The lock keeps two builds apart;
the helpers below swap ``CURRENT``, remove what a killed build left and prune old
generations, all under that lock.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from indexer.store.errors import BuildLockedError
from indexer.store.manifest import MANIFEST, is_generation_name

CURRENT = "CURRENT"
DOCUMENTS = "documents.json"
# The portal keeps what it derives from a generation in DERIVED/<generation>/.
DERIVED = "derived"
LOCK = "build.lock"


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
    """Hold the index folder's build lock, or raise :class:`BuildLockedError`."""
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


def swap_current(index_dir: Path, generation: str) -> None:
    """Make ``CURRENT`` name ``generation``, in one ``os.replace``."""
    current = index_dir / CURRENT
    if current.is_dir() and not current.is_symlink():
        shutil.rmtree(current)  # not ours to keep: a folder cannot name a generation
    tmp = index_dir / f".{CURRENT}.tmp"
    tmp.write_text(generation + "\n")
    with tmp.open() as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, index_dir / CURRENT)


def remove_partial_builds(index_dir: Path) -> list[str]:
    """Remove what a killed build left; safe because this build holds the lock."""
    removed = []
    for path in sorted(index_dir.glob(".tmp-*")):
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path.name)
    (index_dir / f".{CURRENT}.tmp").unlink(missing_ok=True)
    return removed


def prune(index_dir: Path, keep: set[str]) -> None:
    """Remove every generation, and what derives from it, not in ``keep``."""
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
