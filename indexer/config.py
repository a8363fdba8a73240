"""Every setting of the indexer and the portal, defined once.

Each setting has a name, a default and a one-line meaning. The environment is read
here and nowhere else: ``OVERSIGHT_<NAME>`` overrides the default.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str

    @property
    def env(self) -> str:
        return "OVERSIGHT_" + self.name


SETTINGS: tuple[Setting, ...] = (
    Setting("INDEX_DIR", "var/index", "Directory holding the built index."),
    Setting("CORPUS_DIR", "corpus", "Directory holding the source documents."),
    Setting("MAX_FILE_MB", 20, "Files larger than this many megabytes are skipped."),
    Setting("PER_PAGE", 20, "Search results per page unless per_page is given."),
    Setting("MAX_PER_PAGE", 100, "Largest per_page a search may ask for."),
    Setting("MAX_QUERY_LENGTH", 1000, "Longest query string accepted, in characters."),
    Setting("CSV_LIMIT", 10000, "Most passages one CSV export returns."),
    Setting(
        "BASE_URL",
        "http://localhost",
        "Public address of the portal: canonical links, citations and CSV links "
        "start with it (never with the request's Host header).",
    ),
    Setting(
        "REQUEST_SECONDS",
        10.0,
        "A search stops and answers 503 after this many seconds (0: no limit).",
    ),
    Setting(
        "ANSWER_MEMO",
        True,
        "Each worker keeps recent search and compare answers to answer a repeated "
        "identical request (off: every request is computed; the benchmark's cold "
        "figures).",
    ),
)


def _coerce(raw: str, default: Any) -> Any:
    if isinstance(default, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, float):
        return float(raw)
    return raw


def load_settings(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Return every setting, with ``OVERSIGHT_*`` environment overrides applied."""
    environ = os.environ if environ is None else environ
    values = {}
    for setting in SETTINGS:
        raw = environ.get(setting.env)
        values[setting.name] = (
            setting.default if raw in (None, "") else _coerce(raw, setting.default)
        )
    return values


def describe_settings() -> str:
    """Return the settings as lines of ``NAME (ENV, default X): meaning``."""
    return "\n".join(
        f"{s.name} ({s.env}, default {s.default!r}): {s.help}" for s in SETTINGS
    )
