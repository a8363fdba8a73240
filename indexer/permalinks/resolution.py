"""What the ledger resolves to: old ids mapped to live ids, and removed passages.

:func:`resolve` follows every moved id to the id it lives on as now; the build
writes the result into each generation (:func:`write_resolution`) as
``redirects.json``, ``gone.json`` and ``revised.json``, which the portal reads
(:func:`read_resolution`) without reading the ledger.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

LIVE, MOVED, GONE = "live", "moved", "gone"


@dataclass
class Resolution:
    """What the portal needs: old ids mapped to live ids, and removed passages."""

    redirects: dict[str, str] = field(default_factory=dict)
    gone: dict[str, dict] = field(default_factory=dict)
    revised: dict[str, dict] = field(default_factory=dict)
    added: int = 0
    moved: int = 0
    removed: int = 0
    repaired: bool = False
    # Ledger lines that did not fit the schema, each "line N: why; skipped".
    skipped: list[str] = field(default_factory=list)


def resolve(
    entries: Mapping[str, dict], retired: Iterable[str] | None = None
) -> Resolution:
    """Follow every moved id to a live id; ids whose chain ends gone are gone.

    ``retired`` lists the ids that are not live, when the caller knows them.
    """
    result = Resolution()
    if retired is None:
        retired = [i for i, e in entries.items() if e["status"] != LIVE]
    for old in sorted(retired):
        entry = entries[old]
        seen, current = {old}, entry
        while current["status"] == MOVED and current.get("to") in entries:
            nxt = current["to"]
            if nxt in seen:
                break
            seen.add(nxt)
            current = entries[nxt]
        archived = {
            "doc": entry["doc"],
            "text": entry["text"],
            "section": entry.get("section", ""),
            "first": entry["first"],
            "last": entry["last"],
            "retired": entry.get("retired", ""),
        }
        if current["status"] == LIVE:
            result.redirects[old] = current["id"]
            result.revised[old] = archived | {"to": current["id"]}
        else:
            result.gone[old] = archived
    return result


REDIRECTS = "redirects.json"
# Not GONE: that name is the status, which ledgers written before this module
# existed recorded as "gone.json" (the reader maps it back; see schema.py).
GONE_MAP = "gone.json"
REVISED = "revised.json"


def write_resolution(generation: Path, resolution: Resolution) -> None:
    """Write the redirect and archive maps the portal reads into ``generation``.

    ``redirects.json`` maps old ids to live ids, ``gone.json`` removed ids to their
    archived text, and ``revised.json`` old ids to the text they had when cited.
    """
    maps = {
        REDIRECTS: resolution.redirects,
        GONE_MAP: resolution.gone,
        REVISED: resolution.revised,
    }
    for name, data in maps.items():
        (generation / name).write_text(
            json.dumps(data, ensure_ascii=False, sort_keys=True)
        )


def read_resolution(generation: Path) -> tuple[dict, dict, dict]:
    """Return the redirects, gone and revised maps of ``generation``.

    A generation built before the ledger existed has none; it gets empty maps.
    """
    maps = []
    for name in (REDIRECTS, GONE_MAP, REVISED):
        try:
            maps.append(json.loads((generation / name).read_text()))
        except FileNotFoundError:
            maps.append({})
    return maps[0], maps[1], maps[2]
