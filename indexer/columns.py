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


def write_columns(generation: Path, rows: list) -> None:
    """Write the facet columns of ``rows`` (one per document number, or None)."""
    facets = {}
    for name, stored_field in FACET_FIELDS.items():
        if stored_field not in _ROW_FIELD:
            continue  # the portal reads this facet from the stored fields instead
        at = _ROW_FIELD[stored_field]
        raw = [row[at] if row is not None else "" for row in rows]
        vocabulary: dict[str, int] = {}
        offsets, codes = [0], []
        if stored_field == "forces":
            # Forces are stored comma-separated; the others have one value or none.
            for value in raw:
                for force in value.split(",") if value else ():
                    codes.append(vocabulary.setdefault(force, len(vocabulary)))
                offsets.append(len(codes))
        else:
            for value in raw:
                if value:
                    codes.append(vocabulary.setdefault(value, len(vocabulary)))
                offsets.append(len(codes))
        facets[name] = {"values": list(vocabulary), "offsets": offsets, "codes": codes}
    ids = [row[0] if row is not None else "" for row in rows]
    data = {"size": len(rows), "ids": ids, "facets": facets}
    (generation / COLUMNS).write_text(json.dumps(data, separators=(",", ":")))


def read_columns(generation: Path) -> dict | None:
    """Return the columns a build wrote, or None for a generation without them."""
    try:
        return json.loads((generation / COLUMNS).read_text())
    except FileNotFoundError:
        return None
