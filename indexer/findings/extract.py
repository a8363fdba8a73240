"""Read a document's passages for the findings an inspection states.

Inspection reports put findings in a few recurring shapes, and this module reads
the shapes, not any one report:

* an assessment heading ("Areas for improvement", "Cause of concern",
  "Recommendations", "Promising practice", "Innovative practice", optionally
  numbered: "Recommendation 3") opens a box; the first heading or short paragraph
  under it states the finding, and further "should" statements in the same box
  are findings of the same kind. A heading that does not state one closes the box.
* an item or paragraph numbered "1. The MPS should ..." or labelled
  "Recommendation 7: ..." is a numbered finding wherever it stands;
* a graded judgement is one sentence naming who was graded, the grade on the
  inspectorate's scale and what was graded ("British Transport Police is adequate
  at tackling serious and organised crime"), or a line "Investigating crime: Good";
* a paragraph opening "Response:" or "MPS response:" under a finding answers it.

The paragraphs after a statement, up to the next finding or heading, support it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from indexer.document.gazetteer import find_forces
from indexer.document.segment import Passage
from indexer.findings.grades import SELF, graded_judgement
from indexer.findings.model import Finding, finding_id

_BOX = re.compile(
    r"^(?P<name>areas? for improvement|causes? of concern|recommendations?|"
    r"(?:(?:innovative|promising|good|notable)(?: and (?:innovative|promising))? "
    r"practices?))"
    r"(?:\s*(?:no\.?\s*)?(?P<number>\d{1,3}))?\s*[:.]?$",
    re.I,
)
# "Recommendation 7: By March 2024 ..." as a paragraph of its own.
_LABELLED = re.compile(
    r"^(?P<name>recommendation|area for improvement|cause of concern)\s+"
    r"(?P<number>\d{1,3})\s*[:.–—-]\s*(?P<rest>\S.*)$",
    re.I | re.S,
)
_NUMBERED = re.compile(r"^(?P<number>\d{1,3})[.)]\s+(?P<rest>\S.*)$", re.S)
_PRESCRIPTIVE = re.compile(
    r"\b(?:should|must|needs? to|ought to|is (?:to|required to)|recommend)\b", re.I
)
_RESPONSE = re.compile(
    r"^(?P<marker>(?:[A-Z][\w&'’ ]{0,40}\s)?(?:response|management response|"
    r"update|action taken|progress)\s*[:–—-])\s*",
    re.I,
)
_SHOULD = re.compile(r"^(?P<subject>[A-Z][^.;:]{1,90}?)\s+should\s+\w+", re.S)
_MAX_STATEMENT_WORDS = 70


def _kind_of_box(name: str) -> str:
    name = name.lower()
    if name.startswith("area"):
        return "area-for-improvement"
    if name.startswith("cause"):
        return "cause-of-concern"
    if name.startswith("recommendation"):
        return "recommendation"
    if "innovative" in name and "promising" not in name:
        return "innovative-practice"
    return "promising-practice"


def _prescriptive_kind(kind: str) -> bool:
    return kind in ("area-for-improvement", "cause-of-concern", "recommendation")


@dataclass
class _Box:
    kind: str
    level: int
    number: str | None
    found: list[Finding] = field(default_factory=list)


def _forces(statement: str, passage: Passage, context: list[str]) -> list[str]:
    # The forces a statement names; else those of the section it sits in; else
    # the one force the whole report is about ("The force should ...").
    return find_forces(statement) or list(passage.forces) or list(context)


def _is_item(line: str) -> bool:
    # A bulleted line, or a numbered item kept with its number ("2. The force ...").
    return line.startswith("•") or bool(_NUMBERED.match(line) or _LABELLED.match(line))


def _items(passage: Passage) -> list[str]:
    if passage.kind == "list":
        return [
            line.lstrip("• ").strip()
            for line in passage.text.split("\n")
            if _is_item(line)
        ]
    return [passage.text]


def _lead(passage: Passage) -> str:
    first = passage.text.split("\n", 1)[0]
    return "" if _is_item(first) else first


def _finding(
    ctx: list[str], kind: str, statement: str, passage: Passage, number: str | None
) -> Finding:
    return Finding(
        kind=kind,
        statement=statement,
        report_id=passage.doc_id,
        passage_id=passage.id,
        section=passage.section,
        number=number,
        forces=_forces(statement, passage, ctx),
        supporting=[passage.id],
    )


def _is_statement(passage: Passage) -> bool:
    words = len(passage.text.split())
    return passage.kind != "list" and 3 <= words <= _MAX_STATEMENT_WORDS


def _numbered(ctx: list[str], passage: Passage, box: _Box | None) -> list[Finding]:
    """Return a passage's numbered findings ("1. ..." or "Recommendation 2: ...")."""
    found = []
    lead = _lead(passage)
    for item in _items(passage):
        labelled = _LABELLED.match(item)
        if labelled:
            kind = _kind_of_box(labelled["name"])
            text = labelled["rest"].strip()
            found.append(_finding(ctx, kind, text, passage, labelled["number"]))
            continue
        numbered = _NUMBERED.match(item)
        if not numbered:
            continue
        text = numbered["rest"].strip()
        if lead and not _PRESCRIPTIVE.search(text) and _PRESCRIPTIVE.search(lead):
            # "By March 2024, the force should:" then "1. review its ..."
            text = f"{lead.rstrip(':')} {text}"
        if box is not None:
            found.append(_finding(ctx, box.kind, text, passage, numbered["number"]))
        elif _PRESCRIPTIVE.search(text):
            found.append(
                _finding(ctx, "recommendation", text, passage, numbered["number"])
            )
    return found


def _should_heading(ctx: list[str], passage: Passage) -> list[Finding]:
    """Return a heading "The force should ..." outside a box as an area for improvement.

    Reports whose box labels were lost (a pasted or converted text) keep the
    sentence; its subject must be a force or stand for one.
    """
    match = _SHOULD.match(passage.text.strip())
    if not match or passage.level < 3:
        return []
    subject = match["subject"]
    if not find_forces(subject) and not SELF.search(subject):
        return []
    return [_finding(ctx, "area-for-improvement", passage.text, passage, None)]


def _unnumbered_items(ctx: list[str], passage: Passage, box: _Box) -> list[Finding]:
    """Return a bulleted list's items as findings of the box it opens."""
    lead = _lead(passage)
    found = []
    for item in _items(passage):
        text = item
        if lead and _PRESCRIPTIVE.search(lead) and not _PRESCRIPTIVE.search(item):
            text = f"{lead.rstrip(':')} {item}"
        if not _prescriptive_kind(box.kind) or _PRESCRIPTIVE.search(text):
            found.append(_finding(ctx, box.kind, text, passage, None))
    return found


def extract_findings(
    passages: list[Passage], context_forces: list[str] | None = None
) -> list[Finding]:
    """Return the findings stated in a document's ``passages``, in reading order.

    ``passages`` are one document's, as :func:`indexer.document.segment.segment`
    makes them; ``context_forces`` the force(s) a finding naming none concerns
    (the one force a single-force report is about). Every finding's
    ``supporting`` starts with the passage stating it;
    ``inline_responses`` holds the "Response:" paragraphs written beneath it.
    """
    ctx = list(context_forces or [])
    findings: list[Finding] = []
    box: _Box | None = None
    current: list[Finding] = []  # the findings the next paragraphs support
    for passage in passages:
        if passage.kind == "heading":
            opened = _BOX.match(passage.text.strip())
            if opened:
                box = _Box(
                    _kind_of_box(opened["name"]), passage.level, opened["number"]
                )
                current = []
                continue
            if box is not None and passage.level > box.level:
                fits = not box.found or (
                    _prescriptive_kind(box.kind) and _PRESCRIPTIVE.search(passage.text)
                )
                if fits:
                    found = _finding(ctx, box.kind, passage.text, passage, box.number)
                    box.found.append(found)
                    findings.append(found)
                    current = [found]
                    continue
            box, current = None, []
            judged = graded_judgement(passage)
            if judged is not None:
                judged.forces = judged.forces or list(ctx)
                findings.append(judged)
                continue
            loose = _numbered(ctx, passage, None) or _should_heading(ctx, passage)
            findings.extend(loose)
            current = loose
            continue
        response = _RESPONSE.match(passage.text)
        if response and current:
            for found in current:
                marker = response["marker"].rstrip(" :–—-")
                found.inline_responses.append((passage.id, marker))
            continue
        judged = graded_judgement(passage)
        if judged is not None:
            judged.forces = judged.forces or list(ctx)
            findings.append(judged)
            continue
        numbered = _numbered(ctx, passage, box)
        if numbered:
            if box is not None:
                box.found.extend(numbered)
            findings.extend(numbered)
            current = numbered
            continue
        if box is not None and not box.found:
            if passage.kind == "list":
                items = _unnumbered_items(ctx, passage, box)
            elif _is_statement(passage):
                items = [_finding(ctx, box.kind, passage.text, passage, box.number)]
            else:
                items = []
            if items:
                box.found.extend(items)
                findings.extend(items)
                current = items
                continue
        for found in current:
            found.supporting.append(passage.id)
    return _distinct(findings)


def _distinct(findings: list[Finding]) -> list[Finding]:
    """Give a statement made twice in one document (same kind) a second id."""
    seen: dict[str, int] = {}
    for found in findings:
        n = seen.get(found.id, 0)
        seen[found.id] = n + 1
        if n:
            found.id = finding_id(found.report_id, found.kind, found.statement, n)
    return findings
