"""The finding record, its kinds and its stable id."""

from __future__ import annotations

import base64
import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass, field

# The kinds as the JSON spells them, in the order the pages list them.
KINDS = (
    "area-for-improvement",
    "cause-of-concern",
    "recommendation",
    "promising-practice",
    "innovative-practice",
    "graded-judgement",
)
KIND_NAMES = {
    "area-for-improvement": "Area for improvement",
    "cause-of-concern": "Cause of concern",
    "recommendation": "Recommendation",
    "promising-practice": "Promising practice",
    "innovative-practice": "Innovative practice",
    "graded-judgement": "Graded judgement",
}
# The inspectorate's scale, best first.
GRADES = ("outstanding", "good", "adequate", "requires improvement", "inadequate")
FINDING_ID = re.compile(r"^[a-z2-7]{12}$")
_WORDS = re.compile(r"[^a-z0-9]+")


@dataclass
class Finding:
    """One finding of one report, with where it stands in the text."""

    kind: str
    statement: str
    report_id: str
    passage_id: str  # the passage that states it
    section: str = ""
    number: str | None = None
    forces: list[str] = field(default_factory=list)
    supporting: list[str] = field(default_factory=list)  # passage ids, statement first
    grade: str | None = None
    graded: str | None = (
        None  # what was graded ("tackling serious and organised crime")
    )
    # Paragraphs written as answers beside it ("Response: ..."): (passage id, marker).
    inline_responses: list[tuple[str, str]] = field(default_factory=list)
    id: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            self.id = finding_id(self.report_id, self.kind, self.statement)

    def as_dict(self) -> dict:
        """Return the finding as plain data (``inline_responses`` left out)."""
        data = asdict(self)
        del data["inline_responses"]
        return data


def normalise_statement(text: str) -> str:
    """Return ``text`` case-folded with punctuation and spacing collapsed."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_WORDS.sub(" ", folded).split())


def finding_id(report_id: str, kind: str, statement: str, occurrence: int = 0) -> str:
    """Return a finding's id: twelve base32 characters of its report, kind and words.

    Re-indexing an unchanged report gives the same ids; a change of case, spacing
    or punctuation in the statement does not change its id. ``occurrence`` tells
    apart the same statement made twice in one report (the second is 1).
    """
    text = normalise_statement(statement)
    key = f"{report_id}\n{kind}\n{text}" + (f"\n{occurrence}" if occurrence else "")
    key = key.encode()
    return base64.b32encode(hashlib.sha256(key).digest()).decode().lower()[:12]
