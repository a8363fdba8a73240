"""When each passage first entered the index, written into every generation.

Feeds need it: a feed reader must see a new document's passages once, newest
first, and never again after a re-index. The permalink ledger knows each id's
``first`` build; a generation keeps the answer for its own passages in
``first-seen.json``, grouped by build (``{build id: [passage ids]}``), so the
portal reads it without reading the ledger. Each build carries the served
generation's answers forward and gives new ids its own build; only a build with
no earlier answers to carry (the first, or the first after an upgrade) reads the
ledger.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Collection
from pathlib import Path

from indexer.permalinks.ledger import first_builds

FIRST_SEEN = "first-seen.json"
_BUILD_TIME = re.compile(r"^gen-(\d{8}T\d{6})")


def build_time(build_id: str) -> dt.datetime | None:
    """Return when a build ran (UTC), read from its generation name, or None."""
    found = _BUILD_TIME.match(build_id or "")
    if not found:
        return None
    return dt.datetime.strptime(found.group(1), "%Y%m%dT%H%M%S").replace(tzinfo=dt.UTC)


def read_first_seen(generation: Path | None) -> dict[str, str] | None:
    """Return ``{passage id: build id}`` of ``generation``, or None if absent/bad."""
    if generation is None:
        return None
    try:
        grouped = json.loads((generation / FIRST_SEEN).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(grouped, dict):
        return None
    return {
        pid: build
        for build, ids in grouped.items()
        if isinstance(ids, list)
        for pid in ids
        if isinstance(pid, str)
    }


def write_first_seen(
    tmp: Path,
    served: Path | None,
    passage_ids: Collection[str],
    build_id: str,
    corpus_dir: Path,
) -> None:
    """Write ``first-seen.json`` for the passages of the generation being built.

    An id keeps the build the served generation gave it; an id it did not have
    is new in ``build_id``. With nothing served (or an unreadable file) the
    ledger's ``first`` build of each id is used.
    """
    known = read_first_seen(served)
    if known is None:
        known = first_builds(corpus_dir, passage_ids)
    grouped: dict[str, list[str]] = {}
    for pid in passage_ids:
        grouped.setdefault(known.get(pid) or build_id, []).append(pid)
    (tmp / FIRST_SEEN).write_text(
        json.dumps(grouped, separators=(",", ":")), encoding="utf-8"
    )
