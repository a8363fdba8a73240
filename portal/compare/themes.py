"""Curated themes: load ``themes.toml`` from the corpus folder and check each entry.

Researchers edit the file by hand, so one broken entry must not take the others
down: every entry is checked on its own, a broken one becomes a
:class:`ThemeProblem` that is logged and shown on the compare page, and the rest
are served. The file is re-read when it changes, so an edit needs no restart.
"""

from __future__ import annotations

import logging
import re
import threading
import tomllib
from dataclasses import asdict, dataclass
from pathlib import Path

from flask import Flask, current_app

from portal.search.query import problems as query_problems

THEMES_FILE = "themes.toml"
FIELDS = ("id", "label", "description", "query")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")
# Stands in for an entry that is not UTF-8 (see decode_themes); not a valid key
# anyone would write.
_NOT_UTF8 = "__not_utf8_line__"
_lock = threading.Lock()
_cache: dict[Path, tuple[float, ThemeSet]] = {}
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Theme:
    """One curated theme: a stable id, a label, a description and a query."""

    id: str
    label: str
    description: str
    query: str

    def to_dict(self) -> dict:
        """Return the theme as plain data for JSON."""
        return asdict(self)


@dataclass(frozen=True)
class ThemeProblem:
    """An entry of the themes file that could not be used, and why."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass(frozen=True)
class ThemeSet:
    """The usable themes of a file, in file order, and the problems found in it."""

    path: Path
    themes: tuple[Theme, ...]
    problems: tuple[ThemeProblem, ...]

    def get(self, theme_id: str) -> Theme | None:
        """Return the theme with ``theme_id``, or None."""
        return next((t for t in self.themes if t.id == theme_id), None)


def _check_entry(entry: object, number: int, seen: set[str]) -> Theme | ThemeProblem:
    where = f"theme {number}"
    if not isinstance(entry, dict):
        return ThemeProblem(where, "is not a table; start it with [[theme]]")
    if _NOT_UTF8 in entry:
        return ThemeProblem(
            where,
            f"holds bytes that are not UTF-8 (line {entry[_NOT_UTF8]}); "
            "save the file as UTF-8",
        )
    if isinstance(entry.get("id"), str) and entry["id"]:
        where = f"theme {number} ({entry['id']!r})"
    missing = [f for f in FIELDS if not str(entry.get(f, "")).strip()]
    if missing:
        return ThemeProblem(where, f"is missing {', '.join(missing)}")
    wrong = [f for f in FIELDS if not isinstance(entry[f], str)]
    if wrong:
        return ThemeProblem(where, f"{', '.join(wrong)} must be quoted text")
    unknown = sorted(set(entry) - set(FIELDS))
    if unknown:
        return ThemeProblem(where, f"has unknown keys {', '.join(unknown)}")
    if not _ID.match(entry["id"]):
        return ThemeProblem(
            where, "id must be lower-case letters, digits and hyphens (at most 60)"
        )
    if entry["id"] in seen:
        return ThemeProblem(where, "repeats an id used by an earlier theme")
    # The portal would search a malformed query as plain words; a curated theme
    # should say what it means, so the file's author is told instead.
    found = query_problems(entry["query"])
    if found:
        return ThemeProblem(where, f"query cannot be read: {'; '.join(found)}")
    return Theme(*(entry[f].strip() for f in FIELDS))


def parse_themes(text: str, path: Path) -> ThemeSet:
    """Return the themes in TOML ``text``; bad entries become problems, not errors."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        problem = ThemeProblem(path.name, f"is not valid TOML: {exc}")
        return ThemeSet(path, (), (problem,))
    except RecursionError:
        problem = ThemeProblem(
            path.name, "nests arrays or tables too deeply to read; simplify it"
        )
        return ThemeSet(path, (), (problem,))
    entries = data.get("theme", [])
    if not isinstance(entries, list):
        entries = [entries]
    themes, problems, seen = [], [], set()
    for number, entry in enumerate(entries, start=1):
        checked = _check_entry(entry, number, seen)
        if isinstance(checked, Theme):
            seen.add(checked.id)
            themes.append(checked)
        else:
            problems.append(checked)
    if not entries:
        problems.append(ThemeProblem(path.name, "defines no [[theme]] entries"))
    return ThemeSet(path, tuple(themes), tuple(problems))


def decode_themes(data: bytes) -> tuple[str, list[ThemeProblem]]:
    """Return the themes file's text, and a problem for bytes before any theme that
    are not UTF-8 (those lines are left out).

    A ``[[theme]]`` entry that is not UTF-8 is replaced by a marker that
    :func:`parse_themes` reports, so the entries around it still load (a single
    bad byte used to drop every theme).
    """
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    problems = []
    blocks: list[tuple[int, list[bytes]]] = [(1, [])]
    for number, line in enumerate(data.split(b"\n"), 1):
        if line.strip().startswith(b"[[theme]]"):
            blocks.append((number, []))
        blocks[-1][1].append(line)
    parts = []
    for i, (first, lines) in enumerate(blocks):
        block = b"\n".join(lines)
        try:
            parts.append(block.decode("utf-8"))
        except UnicodeDecodeError as exc:
            bad = first + block[: exc.start].count(b"\n")
            if i:
                parts.append(f"[[theme]]\n{_NOT_UTF8} = {bad}")
            else:  # before the first theme: comments, left out
                problems.append(
                    ThemeProblem(
                        THEMES_FILE,
                        f"line {bad} is not UTF-8 and was left out; "
                        "save the file as UTF-8",
                    )
                )
    return "\n".join(parts) + "\n", problems


def load_themes(path: Path) -> ThemeSet:
    """Return the themes in ``path``, re-reading the file only when it changed."""
    try:
        mtime = path.stat().st_mtime
    except OSError:
        problem = ThemeProblem(path.name, f"was not found at {path}")
        return ThemeSet(path, (), (problem,))
    with _lock:
        cached = _cache.get(path)
        if cached and cached[0] == mtime:
            return cached[1]
    try:
        text, undecoded = decode_themes(path.read_bytes())
    except OSError as exc:
        problem = ThemeProblem(path.name, f"cannot be read ({exc.strerror or exc})")
        return ThemeSet(path, (), (problem,))
    themes = parse_themes(text, path)
    if undecoded:
        problems = (*undecoded, *themes.problems)
        themes = ThemeSet(path, themes.themes, problems)
    if themes.problems:
        log.warning(
            "%d problem(s) in %s; the other %d themes work: %s",
            len(themes.problems),
            path,
            len(themes.themes),
            "; ".join(str(p) for p in themes.problems),
        )
    with _lock:
        _cache[path] = (mtime, themes)
    return themes


def get_themes() -> ThemeSet:
    """Return the themes of the configured corpus folder."""
    return load_themes(Path(current_app.config["CORPUS_DIR"]) / THEMES_FILE)


def init_app(app: Flask) -> None:
    """Check the themes file at start-up, so a broken entry is logged at once."""
    load_themes(Path(app.config["CORPUS_DIR"]) / THEMES_FILE)
