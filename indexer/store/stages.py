"""Stages of a build: the permalink ledger, a forked writer, passages by document."""

from __future__ import annotations

import os
import traceback
from collections.abc import Callable
from pathlib import Path

from indexer.permalinks.first_seen import write_first_seen
from indexer.permalinks.ledger import PassageSet, update_ledger
from indexer.permalinks.resolution import write_resolution
from indexer.permalinks.state import CHECKPOINT
from indexer.store.errors import BuildError, disk_error


def by_document(passages: PassageSet) -> dict[str, list[str]]:
    """Return each document's passage ids in reading order."""
    found: dict[str, list[tuple[int, str]]] = {}
    for pid, (doc_id, at) in passages.ids.items():
        found.setdefault(doc_id, []).append((at, pid))
    return {doc: [pid for _, pid in sorted(ids)] for doc, ids in found.items()}


def fork(write: Callable, *args) -> int:
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


def join(pid: int, what: str) -> None:
    """Wait for a child from :func:`fork`; a failed one fails the build."""
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise BuildError(f"writing {what} failed (see the error above); build again")


def record_permalinks(
    corpus_dir: Path,
    index_dir: Path,
    generation: str,
    served: Path | None,
    passages: PassageSet,
) -> list[str]:
    """Append this build to the permalink ledger; write its maps into the new
    generation (``index_dir/.tmp-<generation>``), with each passage's first build.

    :return: a warning for each ledger line skipped because it did not fit.
    :raise BuildError: when the corpus folder (where the ledger lives) cannot be
        written.
    """
    tmp = index_dir / f".tmp-{generation}"
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
    write_first_seen(tmp, served, passages.ids, generation, corpus_dir)
    return resolution.skipped
