"""CSV export: every passage a search matches, up to ``CSV_LIMIT``, in page order."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from portal.search.service import (
    SearchRequest,
    doc_url,
    passage_record,
    run_query,
)

COLUMNS = (
    "id",
    "permalink",
    "document_url",
    "doc_id",
    "doc_title",
    "date",
    "year",
    "author",
    "type",
    "forces",
    "section",
    "kind",
    "label",
    "text",
)
# A cell starting with one of these is read as a formula by spreadsheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """Return ``value`` as text a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_rows(req: SearchRequest, root: str, limit: int) -> Iterator[list[str]]:
    """Yield the header and one row per matching passage, at most ``limit`` rows.

    ``root`` (the site's URL, ending in ``/``) makes the links absolute so they
    still work when the file is opened elsewhere.
    """
    found = run_query(req)
    yield list(COLUMNS)
    if not found.hits:
        return
    base = root.rstrip("/")
    handle, q_run = found.handle, found.q_run
    for docnum in found.ordered(limit=limit):
        record = passage_record(handle, handle.searcher.stored_fields(docnum))
        record["permalink"] = base + record["permalink"]
        record["document_url"] = base + doc_url(record["doc_id"], record["id"], q_run)
        record["forces"] = ";".join(record["forces"])
        yield [safe_cell(record.get(column)) for column in COLUMNS]


def to_csv(rows: Iterator[list[str]]) -> Iterator[str]:
    """Yield the rows as CSV text, one line at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow(row)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
