"""Choose the generation to serve: the one ``CURRENT`` names if intact, else a fallback.

Every request asks :func:`choose_generation`. It compares the cheap signature of the
named generation's files (names, sizes, modification times) with the one last
checked, and reads the files again (checksums, see :mod:`indexer.store.manifest`)
only when that changed, so a generation is hashed once per process, and again only
after something touched it. A damaged or missing named generation gives way to the
newest intact ``gen-...`` folder on disk, with a notice that ``/healthz`` shows;
with none intact, :class:`GenerationDamagedError` says what is wrong.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from indexer.store.build import current_generation
from indexer.store.manifest import Signature, damage, is_generation_name, signature


class IndexNotBuiltError(Exception):
    """There is no index to search; the indexer has to be run first."""


class GenerationDamagedError(IndexNotBuiltError):
    """Every generation on disk is damaged; the message says what is wrong."""


@dataclass(frozen=True)
class Choice:
    """The generation to serve, and why it is not the one ``CURRENT`` names."""

    path: Path
    notice: str = ""


_checked: dict[Path, tuple[Signature, list[str]]] = {}
_lock = threading.Lock()


def problems(generation: Path) -> list[str]:
    """Return what is wrong with ``generation``, rechecked when its files change."""
    try:
        now = signature(generation)
    except OSError as exc:
        return [f"{generation.name} cannot be listed ({exc.strerror or exc})"]
    with _lock:
        seen = _checked.get(generation)
        if seen is not None and seen[0] == now:
            return seen[1]
        found = damage(generation)
        if len(_checked) > 8:  # generations pruned long ago
            _checked.clear()
        _checked[generation] = (now, found)
        return found


def _candidates(index_dir: Path, named: Path | None) -> list[Path]:
    """Return the other generation folders, newest first (names start with a time)."""
    try:
        found = [
            p
            for p in index_dir.iterdir()
            if is_generation_name(p.name)
            and p.is_dir()
            and not p.is_symlink()
            and p != named
        ]
    except OSError:
        return []
    return sorted(found, key=lambda p: p.name, reverse=True)


def choose_generation(index_dir: Path) -> Choice:
    """Return the generation to serve from ``index_dir``.

    :raise GenerationDamagedError: when the named generation is damaged and no
        other generation on disk is intact (the message lists what is wrong).
    :raise IndexNotBuiltError: when there is no generation at all.
    """
    named = current_generation(index_dir)
    wrong = problems(named) if named is not None else []
    if named is not None and not wrong:
        return Choice(named)
    why = (
        f"{named.name} is damaged ({'; '.join(wrong)})"
        if named is not None
        else "CURRENT does not name a generation in the index folder"
    )
    for candidate in _candidates(index_dir, named):
        if not problems(candidate):
            return Choice(
                candidate,
                f"serving {candidate.name}, the newest intact generation, because "
                f"{why}; rebuild with `make index`",
            )
    if named is None:
        raise IndexNotBuiltError(
            f"the index at {index_dir} has not been built; run `make index` "
            "(or `python -m indexer build`) and reload"
        )
    raise GenerationDamagedError(
        f"the index at {index_dir} is damaged: {why}, and no earlier generation "
        "is intact; rebuild it with `make index`"
    )
