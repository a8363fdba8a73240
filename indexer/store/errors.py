"""Why a build stopped, in one line that says what to do.

Every failure a build can meet on disk (a read-only or foreign folder, a full
disk, a file that is in the way) ends in a :class:`BuildError`, which the command
line prints as ``Error: ...`` without a traceback.
"""

from __future__ import annotations

import errno
from pathlib import Path


class BuildError(Exception):
    """A build that could not produce an index; the message says what to do."""


class BuildLockedError(BuildError):
    """Another build holds the index lock."""


_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
_DENIED = {errno.EROFS, errno.EACCES, errno.EPERM}


def disk_error(exc: OSError, folder: Path, what: str, fix: str) -> BuildError:
    """Return the one-line error for ``exc``, met writing ``what`` in ``folder``.

    ``fix`` says how to make ``folder`` writable (an option, a permission).
    """
    where = exc.filename or folder
    reason = exc.strerror or str(exc)
    if exc.errno in _FULL:
        return BuildError(
            f"the disk holding {folder} is full ({reason} writing {what}); the "
            "partial generation was removed and the index served before is "
            "unchanged; free some space and build again"
        )
    if exc.errno in _DENIED:
        return BuildError(f"{what} cannot be written: {reason} ({where}); {fix}")
    return BuildError(f"{what} cannot be written: {reason} ({where}); {fix}")
