"""The shape of a ledger line: what a snapshot or a build record must hold.

The ledger is a file people may edit by hand and tools may append to, so no line
is trusted: :func:`line_problem` says why a decoded line does not fit, and the
reader skips that line with a warning naming its number (see
:func:`indexer.permalinks.state.parse_lines`). A snapshot with a status other
than ``live``, ``moved`` or ``gone`` is skipped too, so an unknown status can
never make an id that was not issued answer 410.
"""

from __future__ import annotations

STATUSES = frozenset({"live", "moved", "gone"})
# Builds before the ledger's schema wrote a removed id's status as "gone.json"
# (a constant of that name shadowed the status); it means gone.
LEGACY_STATUSES = {"gone.json": "gone"}
# A snapshot's required text fields, and the optional ones with their types.
_REQUIRED = ("id", "doc", "text", "first", "last")
_OPTIONAL: dict[str, tuple[type, ...]] = {
    "section": (str,),
    "before": (str, type(None)),
    "after": (str, type(None)),
    "by": (str,),
    "retired": (str,),
    "to": (str,),
}
_COUNTS = ("passages", "added", "moved", "removed")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _snapshot_problem(record: dict) -> str | None:
    for key in _REQUIRED:
        if not isinstance(record.get(key), str) or (key == "id" and not record[key]):
            return f"a snapshot needs {key!r} as text"
    status = record.get("status")
    if isinstance(status, str):
        status = LEGACY_STATUSES.get(status, status)
    if not isinstance(status, str) or status not in STATUSES:
        return f"unknown status {status!r} (known: {', '.join(sorted(STATUSES))})"
    for key, types in _OPTIONAL.items():
        if key in record and not isinstance(record[key], types):
            return f"{key!r} has the wrong type"
    if "position" in record and not _is_int(record["position"]):
        return "'position' is not a whole number"
    if status == "moved" and not record.get("to"):
        return "a moved snapshot needs 'to'"
    score = record.get("score", 0)
    if isinstance(score, bool) or not isinstance(score, int | float):
        return "'score' is not a number"
    return None


def line_problem(record: object) -> str | None:
    """Return why a decoded ledger line is neither a snapshot nor a build record.

    None when it is one of them, with every field a reader uses of the right type.
    """
    if not isinstance(record, dict):
        return "not a JSON object"
    if "build" in record:
        if "id" in record:
            return "holds both 'build' and 'id'"
        if not isinstance(record["build"], str) or not record["build"]:
            return "a build record needs 'build' as text"
        if any(k in record and not _is_int(record[k]) for k in _COUNTS):
            return "a build record's counts are not whole numbers"
        if "at" in record and not isinstance(record["at"], str):
            return "'at' is not text"
        return None
    if "id" in record:
        return _snapshot_problem(record)
    return "neither a snapshot ('id') nor a build record ('build')"
