"""Files: the one atomic write, pickle cache and lock, used by every room that writes.

:func:`atomic_file` writes beside the target under a temporary name, fsyncs it,
renames it over the target in one ``os.replace`` and fsyncs the folder, so a
reader sees the old file or the whole new one and a crash leaves one of the two.
:func:`exclusive_lock` is a POSIX record lock (``lockf``), not ``flock``: a flock
is shared with forked children, so writer processes orphaned by a killed build
would keep it; the kernel drops a record lock when its holder dies.
:func:`read_pickle` and :func:`write_pickle` keep the caches beside the index,
whose loss costs only time: an unreadable one reads as None.

It imports only the standard library, so every room of ``indexer`` and the
portal may use it.
"""

from __future__ import annotations

import fcntl
import os
import pickle
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

# What unpickling a file written by another version of the code can raise.
_UNREADABLE = (
    OSError,
    EOFError,
    pickle.UnpicklingError,
    ValueError,
    TypeError,
    AttributeError,
    ImportError,
    IndexError,
)


class LockedError(RuntimeError):
    """Another process holds the lock; ``holder`` is the pid it wrote, or ``""``."""

    def __init__(self, path: Path, holder: str) -> None:
        super().__init__(f"{path} is locked by pid {holder or 'unknown'}")
        self.path, self.holder = path, holder


def _fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (some file systems cannot; that is fine)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextmanager
def atomic_file(path: Path, durable: bool = True) -> Iterator[BinaryIO]:
    """Yield a binary file that replaces ``path`` whole when the block ends.

    :param durable: fsync the file and its folder; pass False only for caches,
        whose loss costs time and nothing else (thousands of fsyncs cost more).
    :raise OSError: when the folder cannot be written; nothing is left behind.
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        with tmp.open("wb") as handle:
            yield handle
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if durable:
        _fsync_folder(path.parent)


def write_atomic(path: Path, data: bytes | str, durable: bool = True) -> None:
    """Replace ``path`` with ``data`` (text is written as UTF-8) atomically.

    :raise OSError: when the folder cannot be written; nothing is left behind.
    """
    with atomic_file(path, durable) as handle:
        handle.write(data.encode("utf-8") if isinstance(data, str) else data)


def read_pickle(path: Path) -> Any | None:
    """Return the object pickled in ``path``, or None if missing or unreadable."""
    try:
        with path.open("rb") as handle:
            return pickle.load(handle)
    except _UNREADABLE:
        return None


def write_pickle(path: Path, value: object) -> None:
    """Pickle ``value`` into ``path`` atomically, without fsync (caches only).

    :raise OSError: when the folder cannot be written; nothing is left behind.
    """
    with atomic_file(path, durable=False) as handle:
        pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)


@contextmanager
def exclusive_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (created if missing) for the block.

    The holder's pid is written into the file, for the message another process
    gets.

    :raise LockedError: at once, when another process holds the lock.
    """
    with path.open("a+") as handle:
        try:
            fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except (BlockingIOError, PermissionError):
            handle.seek(0)
            raise LockedError(path, handle.read().strip()) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            fcntl.lockf(handle, fcntl.LOCK_UN)
