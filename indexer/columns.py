"""Facet columns: every document number's facet values, written at build time.

The portal counts facets itself over the matching document numbers (Whoosh's
``groupedby`` is slow and miscounts the multi-valued force field). Reading every
stored passage back to learn those values took seconds per worker at 100k
passages, so the build writes them once per generation, in document-number order:
per facet a vocabulary and, for each document, the codes of its values
(``offsets``/``codes`` in compressed-row form, since a passage names several
forces). A deleted document number has no values and an empty passage id.
"""

from __future__ import annotations

import json
from pathlib import Path

from indexer.schema import FACET_FIELDS

COLUMNS = "columns.json"
# Position of each facet's field in a row from :func:`indexer.writer.rows_of`.
_ROW_FIELD = {"id": 0, "doc_id": 1, "year": 2, "author": 3, "type": 4, "forces": 5}


def _values(row: tuple | None, stored_field: str) -> list[str]:
    if row is None:
        return []
    raw = row[_ROW_FIELD[stored_field]]
    # Forces are stored comma-separated; every other facet has one value or none.
    return (
        [v for v in raw.split(",") if v]
        if stored_field == "forces"
        else ([raw] if raw else [])
    )


def write_columns(generation: Path, rows: list) -> None:
    """Write the facet columns of ``rows`` (one per document number, or None)."""
    facets = {}
    for name, stored_field in FACET_FIELDS.items():
        if stored_field not in _ROW_FIELD:
            continue  # the portal reads this facet from the stored fields instead
        vocabulary: dict[str, int] = {}
        offsets, codes = [0], []
        for row in rows:
            for value in _values(row, stored_field):
                codes.append(vocabulary.setdefault(value, len(vocabulary)))
            offsets.append(len(codes))
        facets[name] = {"values": list(vocabulary), "offsets": offsets, "codes": codes}
    data = {
        "size": len(rows),
        "ids": [r[0] if r else "" for r in rows],
        "facets": facets,
    }
    (generation / COLUMNS).write_text(json.dumps(data, separators=(",", ":")))


def read_columns(generation: Path) -> dict | None:
    """Return the columns a build wrote, or None for a generation without them."""
    try:
        return json.loads((generation / COLUMNS).read_text())
    except FileNotFoundError:
        return None
