"""The data tables of the document rules, read once from ``rules.toml``.

The words that headings, finding labels, force names and author roles are
recognised by live in ``rules.toml`` beside this module, each with a comment on
where it comes from, so that the code holds only the general rule.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

RULES_FILE = Path(__file__).with_name("rules.toml")


@cache
def rules() -> dict:
    """Return the parsed rules table (a dict of its TOML sections)."""
    return tomllib.loads(RULES_FILE.read_text(encoding="utf-8"))


def any_of(patterns: list[str]) -> str:
    """Return one alternation of ``patterns``, each in a non-capturing group."""
    return "|".join(f"(?:{p})" for p in patterns)


@dataclass(frozen=True)
class RoleRule:
    """An author role and the organisation the author speaks for."""

    pattern: re.Pattern[str]
    organisation: str
    before: str = ""
    earlier: str = ""


@cache
def role_rules() -> tuple[RoleRule, ...]:
    """Return the role-to-organisation rules in the order they are tried."""
    return tuple(
        RoleRule(
            re.compile(rf"\b(?:{r['pattern']})", re.I),
            r["organisation"],
            r.get("before", ""),
            r.get("earlier", ""),
        )
        for r in rules()["role"]
    )
