"""What the reader shows of findings: which a passage states, which it answers."""

from __future__ import annotations

from flask import url_for

from indexer.findings.model import KIND_NAMES
from portal.findings.service import findings_answered_by, findings_stated_in


def mark_findings(passages: list[dict]) -> None:
    """Add ``states`` and ``answers`` to each reader passage, in place.

    ``states`` lists the findings a report passage states and ``answers`` those a
    letter's paragraph answers, each ``{"id", "kind", "statement", "url"}``
    (answers also carry ``score``).
    """
    ids = [p["id"] for p in passages]
    stated = findings_stated_in(ids)
    answered = findings_answered_by(ids)
    for passage in passages:
        passage["states"] = [_mark(f) for f in stated.get(passage["id"], [])]
        passage["answers"] = [
            _mark(f) | {"score": r["score"]} for f, r in answered.get(passage["id"], [])
        ]


def _mark(finding: dict) -> dict:
    return {
        "id": finding["id"],
        "kind": KIND_NAMES[finding["kind"]],
        "statement": finding["statement"],
        "url": url_for("findings.finding", finding_id=finding["id"]),
    }
