"""The served generation: the one ``CURRENT`` names, opened once per app.

Every request reads the tiny ``CURRENT`` file. When it names another generation
than the one the app serves, a :class:`Generation` is opened on it and replaces
the old one, so a rebuilt index is served without a restart; the old object is
dropped whole, with everything derived from it, once the last request reading it
is done.
"""

from __future__ import annotations

import threading
from pathlib import Path

from flask import Flask, current_app, g, has_request_context
from whoosh import index as whoosh_index

from indexer.store.build import current_generation
from portal.index.generation import Generation
from portal.index.verify import IndexNotBuiltError, choose_generation

__all__ = ["IndexNotBuiltError", "get_index"]

# One thread opens a generation while the others wait for it, rather than each
# reading its columns again.
_opening = threading.Lock()
_SERVED = "oversight.generation"  # the app.extensions key of the served generation


def get_index() -> Generation:
    """Return the app's served generation, opening it when ``CURRENT`` names a new one.

    A damaged generation is never opened: the newest intact one is served
    instead (see :mod:`portal.index.verify`).

    :raise IndexNotBuiltError: when the index directory holds no built index, or
        only damaged ones (:class:`~portal.index.verify.GenerationDamagedError`).
    """
    if has_request_context() and _SERVED in g:
        # Checked once per request: every part of one answer reads one generation.
        return g.get(_SERVED)
    app = current_app._get_current_object()
    index_dir = Path(app.config["INDEX_DIR"])
    # Every request checks the generation's cheap signature (verify.problems),
    # so a file damaged while served is noticed on the next request.
    choice = choose_generation(index_dir)
    served = app.extensions.get(_SERVED)
    if served is not None and served.path == choice.path:
        served.notice = choice.notice
    else:
        with _opening:
            served = _open_served(app, index_dir)
    if has_request_context():
        setattr(g, _SERVED, served)
    return served


def _open_served(app: Flask, index_dir: Path) -> Generation:
    """Open the generation ``CURRENT`` names now, unless the app already serves it."""
    # Two tries: a build may swap in a new generation and prune the one CURRENT
    # named between reading CURRENT and opening it; the second read names the new.
    for attempt in (1, 2):
        choice = choose_generation(index_dir)
        path = choice.path
        served = app.extensions.get(_SERVED)
        if served is not None and served.path == path:
            served.notice = choice.notice
            return served
        try:
            opened = Generation.open(path)
        except (whoosh_index.EmptyIndexError, OSError, ValueError) as exc:
            if attempt == 1 and current_generation(index_dir) != path:
                continue
            raise IndexNotBuiltError(
                f"the index at {path} cannot be read ({exc}); rebuild it with "
                "`make index`"
            ) from exc
        opened.notice = choice.notice
        opened.memo_on = bool(app.config.get("ANSWER_MEMO", True))
        app.extensions[_SERVED] = opened
        return opened
    raise AssertionError("unreachable")  # pragma: no cover
