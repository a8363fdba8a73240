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
from itertools import groupby
from operator import itemgetter
from pathlib import Path

from indexer.analysis.schema import FACET_FIELDS

COLUMNS = "columns.json"
# Position of each facet's field in a row from :func:`indexer.store.writer.rows_of`.
_ROW_FIELD = {"id": 0, "doc_id": 1, "year": 2, "author": 3, "type": 4, "forces": 5}
_BLANK = ("",) * 6


def write_columns(generation: Path, rows: list) -> None:
    """Write the facet columns of ``rows`` (one per document number, or None)."""
    rows = [row or _BLANK for row in rows]
    facets = {}
    for name, stored_field in FACET_FIELDS.items():
        if stored_field not in _ROW_FIELD:
            continue  # the portal reads this facet from the stored fields instead
        column = map(itemgetter(_ROW_FIELD[stored_field]), rows)
        vocabulary: dict[str, int] = {}
        offsets, codes, total = [0], [], 0
        # Run by run of equal values (a document's passages share most of theirs),
        # so that an update does not loop in Python over every passage.
        for value, run in groupby(column):
            count = len(list(run))
            # Forces are stored comma-separated; the others have one value or none.
            parts = value.split(",") if stored_field == "forces" else [value]
            found = [vocabulary.setdefault(v, len(vocabulary)) for v in parts if v]
            width = len(found)
            codes.extend(found * count)
            if width:
                offsets.extend(range(total + width, total + width * count + 1, width))
            else:
                offsets.extend([total] * count)
            total += width * count
        facets[name] = {"values": list(vocabulary), "offsets": offsets, "codes": codes}
    ids = [row[0] for row in rows]
    data = {"size": len(rows), "ids": ids, "facets": facets}
    (generation / COLUMNS).write_text(json.dumps(data, separators=(",", ":")))


def read_columns(generation: Path) -> dict | None:
    """Return the columns a build wrote, or None for a generation without them."""
    try:
        return json.loads((generation / COLUMNS).read_text())
    except FileNotFoundError:
        return None
