"""Curated themes' data, precomputed once per index generation as a build stage.

Running a theme's query (big ORs of phrases) over 100k passages takes seconds,
and so do the word counts and echoes of its pools; yet they depend only on the
generation and the theme's query. So ``flask warm`` (run by ``make run`` and
``make index`` right after the build) writes each theme's :class:`ThemeData` to
``<generation>/derived/theme-<id>-<key>.json``, inside the generation, so it is
pruned with it. ``flask warm`` is the only writer: requests only read. When a
file is missing, stale or corrupt, a request computes the data in memory and
keeps it for the served generation only (at most one entry per curated theme),
never writing. The key hashes the query and the source of the code the data
comes from, so an edited theme or a changed parser never meets stale data.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import logging
import time
from functools import lru_cache
from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext

from indexer.files import write_atomic
from indexer.store.layout import DERIVED
from portal.compare.theme_data import (
    FORMAT,
    ThemeData,
    build_theme_data,
    from_json,
    to_json,
)
from portal.compare.themes import Theme, get_themes
from portal.index.generation import Generation
from portal.index.handle import IndexNotBuiltError, get_index

# Modules whose code decides what the data holds: a change to any of them (a new
# query parser, another stemmer) gives new keys, so older files are not reused.
_SOURCES = (
    "portal.search.query",
    "portal.search.expand",
    "portal.search.service",
    "portal.search.highlight",
    "portal.compare.distinctive",
    "portal.compare.echoes",
    "portal.compare.pools",
    "portal.compare.theme_data",
    "indexer.analysis.analyzer",
    "indexer.analysis.schema",
)
log = logging.getLogger(__name__)


def derived_dir(generation: Path) -> Path:
    """Return where data derived from ``generation`` is kept: inside it."""
    return generation / DERIVED


@lru_cache(maxsize=1)
def code_version() -> str:
    """Return a hash of the source of the code theme data is computed by."""
    digest = hashlib.sha256()
    for name in _SOURCES:
        digest.update(Path(importlib.import_module(name).__file__).read_bytes())
    return digest.hexdigest()


def theme_key(theme: Theme) -> str:
    """Return the hash naming a theme's data: its query, the code and the format."""
    text = f"{FORMAT}\n{code_version()}\n{theme.query}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def theme_file(generation: Path, theme: Theme) -> Path:
    """Return the file holding ``theme``'s data for ``generation``."""
    return derived_dir(generation) / f"theme-{theme.id}-{theme_key(theme)}.json"


def theme_data(handle: Generation, theme: Theme) -> ThemeData:
    """Return a theme's data for the handle's generation: kept, read or computed."""
    return handle.derive(_load_theme_data, theme)


def _load_theme_data(handle: Generation, theme: Theme) -> ThemeData:
    """Read a theme's data from its file, or compute it and save it there."""
    path = theme_file(handle.path, theme)
    data = read_theme_data(path, theme, handle)
    if data is None:
        log.info("theme %s not precomputed; computing it (run `flask warm`)", theme.id)
        data = build_theme_data(handle, theme)
    return data


def read_theme_data(path: Path, theme: Theme, handle: Generation) -> ThemeData | None:
    """Return the theme data in ``path``, or None if missing, stale or unreadable."""
    try:
        raw = json.loads(path.read_bytes())
        data = from_json(raw, handle.searcher.doc_count_all())
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:  # ThemeDataError and JSON errors included
        log.warning("theme data %s cannot be used (%s); recomputing it", path, exc)
        return None
    if (data.theme, data.query) != (theme.id, theme.query):
        log.warning("theme data %s is for another query; recomputing it", path)
        return None
    return data


def write_theme_data(path: Path, data: ThemeData) -> None:
    """Write theme data atomically into its generation's derived folder.

    :raise OSError: when the folder cannot be written, or the generation is gone
        (it is never created again here).
    """
    path.parent.mkdir(exist_ok=True)  # not parents: a pruned generation stays gone
    write_atomic(path, json.dumps(to_json(data), separators=(",", ":")))


def warm(handle: Generation, themes: tuple[Theme, ...]) -> list[tuple[str, float]]:
    """Compute and save the data of every theme that lacks it; remove stale files.

    :return: ``(theme id, seconds)`` for each theme computed.
    :raise OSError: when the generation's derived folder cannot be written.
    """
    computed = []
    for theme in themes:
        path = theme_file(handle.path, theme)
        if read_theme_data(path, theme, handle) is not None:
            continue
        started = time.perf_counter()
        write_theme_data(path, build_theme_data(handle, theme))
        computed.append((theme.id, time.perf_counter() - started))
    current = {theme_file(handle.path, t).name for t in themes}
    for path in derived_dir(handle.path).glob("theme-*.json"):
        if path.name not in current:
            path.unlink(missing_ok=True)
    return computed


@click.command("warm")
@with_appcontext
def warm_command() -> None:
    """Precompute every curated theme's matches for the served index generation."""
    started = time.perf_counter()
    try:
        handle = get_index()
    except IndexNotBuiltError as exc:
        raise click.ClickException(str(exc)) from exc
    themes = get_themes()
    for problem in themes.problems:
        click.echo(f"skipped {problem}")
    try:
        computed = warm(handle, themes.themes)
    except OSError as exc:
        raise click.ClickException(
            f"cannot write theme data into {derived_dir(handle.path)}: {exc}"
        ) from exc
    for theme_id, seconds in computed:
        click.echo(f"{theme_id}: computed in {seconds:.1f} s")
    click.echo(
        f"{len(themes.themes)} themes ready for {handle.path.name} "
        f"in {time.perf_counter() - started:.1f} s"
    )


def init_app(app: Flask) -> None:
    """Register ``flask warm``."""
    app.cli.add_command(warm_command)
