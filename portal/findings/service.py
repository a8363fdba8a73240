"""Findings of the served generation: filters, facets, lookups, CSV rows."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from werkzeug.datastructures import MultiDict

from indexer.document.gazetteer import FORCE_BY_CODE
from indexer.findings.model import FINDING_ID, GRADES, KIND_NAMES, KINDS
from indexer.findings.stage import read_findings
from portal.index.handle import get_index
from portal.search.export import safe_cell
from portal.search.service import BadRequestError

PER_PAGE = 50
MAX_PER_PAGE = 500
FACETS = ("kind", "force", "report", "year", "grade", "answered")
FACET_TITLES = {
    "kind": "Kind",
    "force": "Force",
    "report": "Report",
    "year": "Year",
    "grade": "Grade",
    "answered": "Answered",
}
CSV_COLUMNS = (
    "id",
    "url",
    "kind",
    "number",
    "statement",
    "forces",
    "grade",
    "graded",
    "report_id",
    "report_title",
    "date",
    "section",
    "answered",
    "responses",
    "best_score",
    "recurrences",
    "recurrence_reports",
    "recurs_since",
)


@dataclass
class FindingSet:
    """One generation's findings, with the indexes the pages need."""

    findings: list[dict]
    aliases: dict[str, str]
    by_id: dict[str, dict] = field(default_factory=dict)
    by_statement: dict[str, list[dict]] = field(default_factory=dict)
    by_response: dict[str, list[tuple[dict, dict]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for finding in self.findings:
            self.by_id[finding["id"]] = finding
            self.by_statement.setdefault(finding["passage_id"], []).append(finding)
            for response in finding["responses"]:
                pid = response["passage_id"]
                self.by_response.setdefault(pid, []).append((finding, response))


@lru_cache(maxsize=4)
def _load(path: str) -> FindingSet:
    data = read_findings(Path(path))
    return FindingSet(data.get("findings", []), data.get("aliases", {}))


def get_findings() -> FindingSet:
    """Return the served generation's findings (read once per generation)."""
    return _load(str(get_index().path))


def _values(args: MultiDict, name: str) -> list[str]:
    return [v.strip() for v in args.getlist(name) if v.strip()]


def parse_filters(args: MultiDict) -> dict[str, list[str]]:
    """Return the filters of a request, checked.

    :raise BadRequestError: for an unknown kind or grade, a year that is no
        four-digit number, or ``answered`` other than yes or no.
    """
    filters = {name: _values(args, name) for name in FACETS}
    for kind in filters["kind"]:
        if kind not in KINDS:
            raise BadRequestError(
                f"kind {kind[:40]!r} is not known; use one of {', '.join(KINDS)}"
            )
    for grade in filters["grade"]:
        if grade not in GRADES:
            raise BadRequestError(
                f"grade {grade[:40]!r} is not known; use one of {', '.join(GRADES)}"
            )
    for year in filters["year"]:
        if not (year.isascii() and year.isdigit() and len(year) == 4):
            raise BadRequestError(f"year {year[:40]!r} is not a four-digit year")
    for answered in filters["answered"]:
        if answered not in ("yes", "no"):
            raise BadRequestError(f"answered must be yes or no, not {answered[:40]!r}")
    return filters


def _facet_values(finding: dict, name: str) -> list[str]:
    if name == "kind":
        return [finding["kind"]]
    if name == "force":
        return list(finding["forces"])
    if name == "report":
        return [finding["report"]["id"]]
    if name == "year":
        return [str(finding["year"])] if finding.get("year") else []
    if name == "grade":
        return [finding["grade"]] if finding.get("grade") else []
    return ["yes" if finding["answered"] else "no"]


def _matches(finding: dict, filters: dict[str, list[str]], skip: str = "") -> bool:
    # Values of one facet are alternatives; different facets must all hold.
    for name, wanted in filters.items():
        if name == skip or not wanted:
            continue
        if not set(wanted) & set(_facet_values(finding, name)):
            return False
    return True


def _label(name: str, value: str, reports: dict[str, str]) -> str:
    if name == "kind":
        return KIND_NAMES.get(value, value)
    if name == "force":
        force = FORCE_BY_CODE.get(value)
        return force.name if force else value
    if name == "report":
        return reports.get(value, value)
    if name == "grade":
        return value.capitalize()
    return value


def _facets(found: FindingSet, filters: dict, link) -> dict[str, list[dict]]:
    reports = {f["report"]["id"]: f["report"]["title"] for f in found.findings}
    facets = {}
    for name in FACETS:
        counts: Counter[str] = Counter()
        for finding in found.findings:
            if _matches(finding, filters, skip=name):
                counts.update(set(_facet_values(finding, name)))
        values = []
        for value in sorted(counts, key=lambda v: (-counts[v], v)):
            selected = value in filters[name]
            chosen = [v for v in filters[name] if v != value] + (
                [] if selected else [value]
            )
            toggled = {**filters, name: chosen}
            values.append(
                {
                    "value": value,
                    "label": _label(name, value, reports),
                    "count": counts[value],
                    "selected": selected,
                    "toggle_url": link(toggled),
                    "id": f"f-{name}-{len(values)}",
                }
            )
        facets[name] = values
    return facets


def describe(filters: dict[str, list[str]], count: int) -> str:
    """Return a sentence saying which findings are listed."""
    parts = []
    for name in FACETS:
        if filters[name]:
            parts.append(f"{FACET_TITLES[name].lower()} {' or '.join(filters[name])}")
    what = f"{count:,} finding{'' if count == 1 else 's'}"
    return what + (" with " + "; ".join(parts) if parts else "") + "."


def _paging(args: MultiDict, paged: bool) -> tuple[int, int]:
    if not paged:
        return 1, 0
    page = _whole(args, "page", 1)
    per_page = _whole(args, "per_page", PER_PAGE)
    if not 1 <= page <= 100_000:
        raise BadRequestError("page must be between 1 and 100000")
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise BadRequestError(f"per_page must be between 1 and {MAX_PER_PAGE}")
    return page, per_page


def _whole(args: MultiDict, name: str, default: int) -> int:
    raw = args.get(name, "").strip()
    if not raw:
        return default
    if not (raw.isascii() and raw.isdigit()):
        raise BadRequestError(f"{name} must be a whole number, not {raw[:20]!r}")
    return int(raw)


def list_findings(args: MultiDict, link, paged: bool = True) -> dict:
    """Return the findings matching ``args``, their facet counts and a description.

    ``link(filters, page=1)`` returns the URL of a filter state and page, for the
    facet toggles and the pager. ``paged=False`` returns every match (the CSV).
    :return: ``{"count", "total", "unanswered", "filters", "description",
        "facets", "page", "pages", "per_page", "next_url", "prev_url",
        "findings"}``; ``findings`` holds one page.
    :raise BadRequestError: for a malformed filter (see :func:`parse_filters`),
        a page or per_page that is not a whole number in range.
    """
    filters = parse_filters(args)
    page, per_page = _paging(args, paged)
    found = get_findings()
    matching = [f for f in found.findings if _matches(f, filters)]
    pages = max(1, -(-len(matching) // per_page)) if per_page else 1
    shown = matching[(page - 1) * per_page : page * per_page] if per_page else matching
    return {
        "count": len(matching),
        "total": len(found.findings),
        "unanswered": sum(1 for f in matching if not f["answered"]),
        "filters": filters,
        "description": describe(filters, len(matching)),
        "facets": _facets(found, filters, link),
        "page": page,
        "pages": pages,
        "per_page": per_page or len(matching),
        "next_url": link(filters, page=page + 1) if page < pages else None,
        "prev_url": link(filters, page=min(page, pages) - 1) if page > 1 else None,
        "findings": shown,
    }


def resolve(finding_id: str) -> tuple[str, dict | None]:
    """Return a finding by id: ``("live", finding)``, ``("moved", {"to": id})``.

    An unknown or malformed id gives ``("missing", None)``.
    """
    if not FINDING_ID.match(finding_id):
        return "missing", None
    found = get_findings()
    if finding_id in found.by_id:
        return "live", found.by_id[finding_id]
    if finding_id in found.aliases:
        return "moved", {"to": found.aliases[finding_id]}
    return "missing", None


def findings_stated_in(passage_ids: list[str]) -> dict[str, list[dict]]:
    """Return, by passage id, the findings each passage states."""
    found = get_findings()
    return {p: found.by_statement[p] for p in passage_ids if p in found.by_statement}


def findings_answered_by(passage_ids: list[str]) -> dict[str, list[tuple[dict, dict]]]:
    """Return, by passage id, the (finding, response) pairs each passage answers."""
    found = get_findings()
    return {p: found.by_response[p] for p in passage_ids if p in found.by_response}


def csv_rows(findings: list[dict], root: str) -> list[list[str]]:
    """Return the header and one row per finding, links absolute from ``root``."""
    base = root.rstrip("/")
    rows = [list(CSV_COLUMNS)]
    for f in findings:
        record = {
            "id": f["id"],
            "url": f"{base}/findings/{f['id']}",
            "kind": f["kind"],
            "number": f.get("number") or "",
            "statement": f["statement"],
            "forces": ";".join(f["forces"]),
            "grade": f.get("grade") or "",
            "graded": f.get("graded") or "",
            "report_id": f["report"]["id"],
            "report_title": f["report"]["title"],
            "date": f["report"]["date"] or "",
            "section": f["section"],
            "answered": "yes" if f["answered"] else "no",
            "responses": ";".join(r["passage_id"] for r in f["responses"]),
            "best_score": max((r["score"] for r in f["responses"]), default=""),
            "recurrences": ";".join(r["id"] for r in f["recurrences"]),
            "recurrence_reports": f.get("recurrence_reports", 0),
            "recurs_since": f.get("recurs_since") or "",
        }
        rows.append([safe_cell(record[c]) for c in CSV_COLUMNS])
    return rows
