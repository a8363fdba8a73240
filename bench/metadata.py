"""Measure metadata extraction on the fixture set: ``python -m bench.metadata``.

Each document under ``tests/corpus/documents/`` has the metadata a reader would write
down for it in ``tests/corpus/expected.toml``. This module parses every fixture the
way a build does and counts, per field, how many documents came out right, for the
development part and for the held-back third apart (the honest figure: its failures
were never looked at while the rules were tuned).
"""

from __future__ import annotations

import argparse
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from indexer.document.record import Document, load_document
from indexer.source.corpus import read_document

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "corpus"
FIELDS = (
    "title",
    "date",
    "author",
    "author_role",
    "organisation",
    "recipients",
    "type",
    "forces",
)
# Checked only on the documents whose entry gives them.
OPTIONAL_FIELDS = ("published", "updated", "cc")


@dataclass
class Tally:
    """Right and total counts of one field on one part of the set."""

    right: int = 0
    total: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def share(self) -> float:
        """The fraction right, 1.0 when nothing was checked."""
        return self.right / self.total if self.total else 1.0


def _norm(value: object) -> object:
    if isinstance(value, list):
        return sorted(" ".join(str(v).split()).casefold() for v in value)
    return " ".join(str(value or "").split()).casefold()


def actual_value(doc: Document, name: str) -> object:
    """Return the value of field ``name`` of ``doc`` in the shape the table uses."""
    if name == "recipients":
        return doc.recipients
    return getattr(doc, name)


def load_expected(path: Path = FIXTURES / "expected.toml") -> list[dict]:
    """Return the ``[[document]]`` entries of the expected-metadata table."""
    return tomllib.loads(path.read_text(encoding="utf-8"))["document"]


def parse_fixture(name: str, folder: Path = FIXTURES / "documents") -> Document:
    """Parse one fixture file as a build would."""
    return load_document(read_document(folder / name, folder, 20_000_000))


def measure(entries: list[dict] | None = None) -> dict[str, dict[str, Tally]]:
    """Return ``{part: {field: Tally}}`` for parts ``development`` and ``held_back``."""
    entries = load_expected() if entries is None else entries
    parts: dict[str, dict[str, Tally]] = {"development": {}, "held_back": {}}
    for entry in entries:
        doc = parse_fixture(entry["file"])
        part = parts["held_back" if entry.get("held_back") else "development"]
        for name in FIELDS + OPTIONAL_FIELDS:
            if name not in entry:
                continue
            tally = part.setdefault(name, Tally())
            got = actual_value(doc, name)
            tally.total += 1
            if _norm(got) == _norm(entry[name]):
                tally.right += 1
            else:
                tally.misses.append(f"{entry['file']}: {name} {got!r}")
    return parts


def overall(tallies: dict[str, Tally]) -> float:
    """Return the share of all checked fields that are right."""
    right = sum(t.right for t in tallies.values())
    total = sum(t.total for t in tallies.values())
    return right / total if total else 1.0


def table(parts: dict[str, dict[str, Tally]]) -> str:
    """Return a Markdown table of per-field accuracy, development and held back."""
    dev, held = parts["development"], parts["held_back"]
    lines = [
        "| field | development | held back |",
        "|---|---|---|",
    ]

    def cell(t: Tally | None) -> str:
        return f"{t.right}/{t.total} ({t.share:.0%})" if t and t.total else "–"

    for name in FIELDS + OPTIONAL_FIELDS:
        lines.append(f"| {name} | {cell(dev.get(name))} | {cell(held.get(name))} |")
    lines.append(f"| **all fields** | {overall(dev):.0%} | {overall(held):.0%} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """Print the accuracy table; ``--misses`` lists the development part's misses."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.metadata", description=__doc__
    )
    parser.add_argument(
        "--misses",
        action="store_true",
        help="list the development part's wrong fields (never the held-back part's)",
    )
    args = parser.parse_args(argv)
    parts = measure()
    print(table(parts))
    if args.misses:
        for tally in parts["development"].values():
            for miss in tally.misses:
                print(miss)


if __name__ == "__main__":
    main()
