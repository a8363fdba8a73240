"""The findings fixture corpus (tests/corpus/findings): names and helpers."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from indexer.store.build import current_generation

FINDINGS_CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "findings"
PEEL_2024 = "2024-03-12-hmicfrs-report-peel-thames-valley"
PEEL_2022 = "2022-04-20-hmicfrs-report-peel-thames-valley"
PCC_LETTER = "2024-06-05-pcc-letter-thames-valley-peel-response"
ACTION_PLAN = "2024-09-30-mps-report-vetting-action-plan"
THEMATIC = "2023-11-02-hmicfrs-report-thematic-fraud"


def copy_corpus(target: Path) -> Path:
    """Copy the fixture documents (not the calibration file) to ``target``."""
    target.mkdir(parents=True)
    for path in FINDINGS_CORPUS.glob("*.txt"):
        shutil.copy(path, target / path.name)
    return target


def read_findings(index_dir: Path) -> dict:
    """Return the findings.json of the generation ``index_dir`` serves."""
    generation = current_generation(index_dir)
    assert generation is not None
    return json.loads((generation / "findings.json").read_text())


def of(findings: list[dict], report: str, kind: str | None = None) -> list[dict]:
    """Return the findings of one report (and kind), in reading order."""
    return [
        f
        for f in findings
        if f["report"]["id"] == report and (kind is None or f["kind"] == kind)
    ]
