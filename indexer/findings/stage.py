"""The build stage: every finding of a generation, written as ``findings.json``.

Runs after the documents are written and linked (it needs each letter's
``answers``). Ids come from the report, kind and statement
(:func:`indexer.findings.model.finding_id`), so an unchanged report keeps them;
when a finding's wording is corrected, its old id is re-anchored to the most
similar new finding of the same report and kind (rapidfuzz, at least
:data:`REANCHOR_THRESHOLD`), the way :mod:`indexer.permalinks.reanchor` treats
passages, and is kept as an alias the portal redirects to the new id.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

from rapidfuzz import fuzz, process, utils

from indexer.analysis.similarity import term_weights
from indexer.document.gazetteer import find_forces
from indexer.document.record import Document
from indexer.findings.extract import extract_findings
from indexer.findings.model import Finding
from indexer.findings.recur import link_recurrences
from indexer.findings.respond import RESPONDING_TYPES, link_responses

FINDINGS = "findings.json"
FINDING_KINDS = "finding-kinds.json"  # passage id -> kinds, for the kind facet
# Part of every report's key: bump it when extraction or scoring changes, so no
# build reuses findings the previous code made.
FINDINGS_VERSION = 1
REANCHOR_THRESHOLD = 80.0
# Document types that state findings; letters answer them.
STATING_TYPES = frozenset({"report", "annex", "action-plan", "inspection"})


def read_findings(generation: Path) -> dict:
    """Return the findings file of a generation, or an empty one when it has none.

    :return: ``{"findings": [...], "aliases": {old id: id}, "reports": {id: key}}``.
    """
    try:
        return json.loads((generation / FINDINGS).read_text())
    except (FileNotFoundError, NotADirectoryError, ValueError):
        return {"findings": [], "aliases": {}, "reports": {}}


def finding_kinds(generation: Path) -> dict[str, tuple[str, ...]]:
    """Return, by passage id, the kinds of the findings each passage states.

    Read from the small ``finding-kinds.json`` the build writes beside the
    findings, which every worker reads when it opens a generation (the findings
    file itself is tens of megabytes at a few hundred thousand passages); from
    ``findings.json`` for a generation built before it existed.
    """
    try:
        data = json.loads((generation / FINDING_KINDS).read_text())
        return {pid: tuple(kinds) for pid, kinds in data.items()}
    except (FileNotFoundError, NotADirectoryError, ValueError, AttributeError):
        return _kinds_of(read_findings(generation)["findings"])


def _kinds_of(findings: list[dict]) -> dict[str, tuple[str, ...]]:
    kinds: dict[str, set[str]] = {}
    for finding in findings:
        kinds.setdefault(finding["passage_id"], set()).add(finding["kind"])
    return {pid: tuple(sorted(k)) for pid, k in kinds.items()}


def _report_key(
    summary: dict, responders: list[str], passage_ids: dict[str, list[str]]
) -> str:
    """Return a digest of everything a report's findings and responses depend on.

    Passage ids are digests of the passages' texts, so equal keys mean the report
    and the documents answering it read the same as when the key was made.
    """
    parts = [
        FINDINGS_VERSION,
        summary["id"],
        summary.get("title"),
        summary.get("date"),
        summary.get("forces"),
        passage_ids.get(summary["id"], []),
        [(r, passage_ids.get(r, [])) for r in responders],
    ]
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()[:24]


def _reused(by_report: dict[str, list[dict]], report_id: str) -> list[dict]:
    """Return a report's findings as a previous generation wrote them, made fresh.

    ``by_report`` is the previous generation's findings by report id.
    """
    kept = []
    for finding in by_report.get(report_id, []):
        earlier = [
            {k: v for k, v in m.items() if k != "finding_id"}
            for m in finding["earlier"]
        ]
        kept.append(finding | {"aliases": [], "earlier": earlier})
    return kept


def collect_findings(
    summaries: list[dict],
    load: Callable[[str], Document],
    passage_ids: dict[str, list[str]] | None = None,
    previous: dict | None = None,
    reuse: bool = True,
) -> tuple[list[dict], dict[str, str]]:
    """Return every finding of the documents ``summaries`` describe, as plain data.

    ``summaries`` are the annotated document summaries (with ``answers``), in
    corpus order; ``load`` returns a document by id. With ``passage_ids`` (each
    document's passage ids, in order) and the ``previous`` generation's findings,
    a report whose text and answering documents are unchanged is not read again.
    :return: the findings and each report's key (see :func:`_report_key`).
    """
    passage_ids = passage_ids or {}
    previous = previous or {}
    old_keys = previous.get("reports", {}) if passage_ids and reuse else {}
    responders: dict[str, list[str]] = {}
    for summary in summaries:
        if summary.get("type") in RESPONDING_TYPES and summary.get("answers"):
            responders.setdefault(summary["answers"], []).append(summary["id"])
    found: list[dict] = []
    keys: dict[str, str] = {}
    previous_by_report: dict[str, list[dict]] = {}
    for finding in previous.get("findings", []) if old_keys else ():
        previous_by_report.setdefault(finding["report"]["id"], []).append(finding)
    for summary in summaries:
        if summary.get("type") not in STATING_TYPES:
            continue
        answering_ids = responders.get(summary["id"], [])
        key = _report_key(summary, answering_ids, passage_ids)
        keys[summary["id"]] = key
        if old_keys.get(summary["id"]) == key:
            found.extend(_reused(previous_by_report, summary["id"]))
            continue
        doc = load(summary["id"])
        findings = extract_findings(doc.passages, _context_forces(summary))
        if not findings:
            continue
        answering = [(d, load(d).passages) for d in answering_ids]
        weights = term_weights(p.text for p in doc.passages)
        own = {p.id: p for p in doc.passages}
        answers = link_responses(findings, answering, own, weights)
        for finding in findings:
            found.append(_plain(finding, summary, answers[finding.id], own))
    link_recurrences(found)
    return found, keys


def _context_forces(summary: dict) -> list[str]:
    """Return the one force a report is about, when it is about only one."""
    if len(summary.get("forces") or []) == 1:
        return list(summary["forces"])
    named = find_forces(summary.get("title") or "")
    return named if len(named) == 1 else []


def _plain(finding: Finding, summary: dict, answers: list[dict], own: dict) -> dict:
    data = finding.as_dict()
    report = {"id": summary["id"], "title": summary["title"], "date": summary["date"]}
    data["report"] = report
    data["year"] = summary.get("year")
    data["answered"] = bool(answers)
    data["responses"] = answers
    data["aliases"] = []
    data["supporting_text"] = [own[p].text for p in finding.supporting if p in own]
    del data["report_id"]
    return data


def reanchor(found: list[dict], previous: dict) -> dict[str, str]:
    """Give each vanished finding id of ``previous`` to its corrected finding.

    Fills ``aliases`` of the findings in ``found`` in place.
    :return: every alias, old id -> current id (chains resolved).
    """
    by_id = {f["id"]: f for f in found}
    old = {f["id"]: f for f in previous.get("findings", [])}
    aliases: dict[str, str] = {}
    for alias, target in previous.get("aliases", {}).items():
        aliases[alias] = target
    added = [f for f in found if f["id"] not in old]
    for old_id, was in old.items():
        if old_id in by_id:
            continue
        choices = [
            f
            for f in added
            if f["report"]["id"] == was["report"]["id"] and f["kind"] == was["kind"]
        ]
        best = process.extractOne(
            was["statement"],
            [c["statement"] for c in choices],
            scorer=fuzz.ratio,
            processor=utils.default_process,
            score_cutoff=REANCHOR_THRESHOLD,
        )
        if best is not None:
            aliases[old_id] = choices[best[2]]["id"]
    # An alias of an alias points at the newest id; one whose finding is gone goes.
    resolved = {}
    for alias, target in aliases.items():
        seen = {alias}
        while target in aliases and target not in by_id and target not in seen:
            seen.add(target)
            target = aliases[target]
        if target in by_id and alias not in by_id:
            resolved[alias] = target
            by_id[target]["aliases"].append(alias)
    for finding in found:
        finding["aliases"].sort()
    return resolved


def write_findings(
    tmp: Path,
    summaries: list[dict],
    load: Callable[[str], Document],
    previous: Path | None,
    passage_ids: dict[str, list[str]] | None = None,
    reuse: bool = True,
) -> int:
    """Write ``findings.json`` into the generation ``tmp``; return how many findings.

    ``previous`` is the served generation, whose findings lend their ids to
    re-worded ones and are reused for unchanged reports; None for a first build.
    ``passage_ids`` are each document's passage ids in order (see
    :func:`collect_findings`); ``reuse=False`` reads every report again.
    """
    before = read_findings(previous) if previous else {}
    found, keys = collect_findings(summaries, load, passage_ids, before, reuse)
    aliases = reanchor(found, before)
    data = {"findings": found, "aliases": aliases, "reports": keys}
    (tmp / FINDINGS).write_text(
        json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    )
    (tmp / FINDING_KINDS).write_text(
        json.dumps(_kinds_of(found), ensure_ascii=False, separators=(",", ":"))
    )
    return len(found)
