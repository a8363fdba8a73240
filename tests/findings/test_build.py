"""Findings at build time: responses, unanswered findings, recurrences, stable ids."""

from __future__ import annotations

import json
from pathlib import Path

from indexer.analysis.similarity import term_weights
from indexer.document.record import load_document
from indexer.findings.respond import THRESHOLD, score
from indexer.source.corpus import Problem, read_corpus
from indexer.store.build import build
from tests.conftest import LETTER_2023, REPORT_2023
from tests.findings.helpers import (
    FINDINGS_CORPUS,
    PCC_LETTER,
    PEEL_2022,
    PEEL_2024,
    copy_corpus,
    of,
    read_findings,
)


def _one(findings: list[dict], report: str, words: str) -> dict:
    (found,) = [f for f in of(findings, report) if words in f["statement"]]
    return found


def test_a_letter_paragraph_restating_a_finding_answers_it(fixture_findings):
    area = _one(fixture_findings, PEEL_2024, "vulnerability of callers")
    assert area["answered"] is True
    (response,) = area["responses"]
    assert response["doc_id"] == PCC_LETTER
    assert response["text"].startswith("The force is also changing how call handlers")
    assert response["score"] >= THRESHOLD
    assert response["evidence"].startswith("restates it")
    assert set(response) == {"passage_id", "doc_id", "score", "text", "evidence"}


def test_a_paragraph_citing_a_recommendation_number_answers_it(fixture_findings):
    rec = _one(fixture_findings, PEEL_2024, "abandoned non-emergency calls")
    (response,) = rec["responses"]
    assert response["evidence"] == "cites recommendation 2"
    assert response["text"].startswith("In response to recommendation 2")
    # Recommendation 1 is not cited and not restated: no answer is claimed.
    first = _one(fixture_findings, PEEL_2024, "answer emergency calls within")
    assert first["responses"] == [] and first["answered"] is False


def test_findings_no_document_answers_are_listed_as_unanswered(fixture_findings):
    unanswered = {f["statement"][:45] for f in fixture_findings if not f["answered"]}
    assert "The force should make sure its officers recor" in unanswered
    assert all(f["responses"] == [] for f in fixture_findings if not f["answered"])


def test_a_grade_is_answered_only_by_a_paragraph_naming_the_grade(fixture_findings):
    good, needs, _ = of(fixture_findings, PEEL_2024, "graded-judgement")
    assert [r["doc_id"] for r in good["responses"]] == [PCC_LETTER]
    assert needs["responses"] == []


def test_a_finding_cited_as_made_before_is_linked_to_the_earlier_one(
    fixture_findings,
):
    concern = _one(fixture_findings, PEEL_2024, "isn't answering emergency")
    (mention,) = concern["earlier"]
    assert mention["year"] == "2021/22"
    earlier = _one(fixture_findings, PEEL_2022, "answers calls from the public")
    assert mention["finding_id"] == earlier["id"]
    assert [r["id"] for r in concern["recurrences"]] == [earlier["id"]]
    assert [r["id"] for r in earlier["recurrences"]] == [concern["id"]]


def test_the_same_wording_about_the_same_force_recurs(fixture_findings):
    later = _one(fixture_findings, PEEL_2024, "victim personal statements are")
    earlier = _one(fixture_findings, PEEL_2022, "victim personal statements")
    assert earlier["id"] in [r["id"] for r in later["recurrences"]]


def test_threshold_separates_the_calibration_pairs():
    data = json.loads((FINDINGS_CORPUS / "calibration.json").read_text())
    docs = {
        raw.source.rsplit("/", 1)[-1]: load_document(raw)
        for raw in read_corpus(FINDINGS_CORPUS, 10**7)
        if not isinstance(raw, Problem)
    }

    def scored(part: str) -> list[tuple[float, bool]]:
        out = []
        for pair in (p for p in data["pairs"] if p["part"] == part):
            weights = term_weights(p.text for p in docs[pair["report"]].passages)
            value = score(pair["statement"], pair["text"], weights)[0]
            out.append((value, pair["answers"]))
        return out

    tune = scored("tune")
    highest_no = max(v for v, yes in tune if not yes)
    lowest_yes = min(v for v, yes in tune if yes)
    # The threshold is the middle of the gap the tuning pairs leave.
    assert highest_no < THRESHOLD < lowest_yes
    assert abs(THRESHOLD - (highest_no + lowest_yes) / 2) <= 0.1
    held = scored("held")
    assert held and all((v >= THRESHOLD) == yes for v, yes in held)


def test_ids_survive_a_clean_rebuild(findings_corpus, findings_index, tmp_path):
    again = tmp_path / "index"
    build(findings_corpus, again)
    first = [f["id"] for f in read_findings(findings_index)["findings"]]
    assert [f["id"] for f in read_findings(again)["findings"]] == first


def test_an_edited_statement_keeps_its_old_id_as_an_alias(tmp_path):
    corpus = copy_corpus(tmp_path / "corpus")
    index = tmp_path / "index"
    build(corpus, index)
    before = read_findings(index)["findings"]
    old = _one(before, PEEL_2024, "wishes and feelings")
    path = corpus / f"{PEEL_2024}.txt"
    path.write_text(
        path.read_text().replace(
            "record the wishes and feelings of children",
            "record the wishes and the feelings of children",
        )
    )
    build(corpus, index)
    data = read_findings(index)
    new = _one(data["findings"], PEEL_2024, "wishes and the feelings")
    assert new["id"] != old["id"]
    assert new["aliases"] == [old["id"]]
    assert data["aliases"] == {old["id"]: new["id"]}
    unchanged = {f["id"] for f in before} - {old["id"]}
    assert unchanged <= {f["id"] for f in data["findings"]}


def test_seed_report_findings_and_the_2023_letter_answer(index_dir: Path):
    findings = read_findings(index_dir)["findings"]
    report = of(findings, REPORT_2023)
    graded = [(f["forces"], f["grade"]) for f in report if f["grade"]]
    assert graded == [
        (["BTP"], "adequate"),
        (["CoLP"], "requires improvement"),
        (["MPS"], "adequate"),
    ]
    (practice,) = of(findings, REPORT_2023, "promising-practice")
    assert practice["forces"] == ["MPS"]
    areas = of(findings, REPORT_2023, "area-for-improvement")
    assert {tuple(f["forces"]) for f in areas} == {
        ("MPS", "CoLP", "BTP"),
        ("BTP",),
        ("CoLP",),
        ("MPS",),
    }
    recruit = _one(findings, REPORT_2023, "recruit more financial investigators")
    assert recruit["forces"] == ["MPS"]
    assert [r["doc_id"] for r in recruit["responses"]] == [LETTER_2023]
    assert "retaining specialist staff" in recruit["responses"][0]["text"]
    assert any(not f["answered"] for f in report)


def test_an_update_reuses_unchanged_reports_and_redoes_answered_ones(tmp_path):
    corpus = copy_corpus(tmp_path / "corpus")
    build(corpus, tmp_path / "index")
    letter = corpus / f"{PCC_LETTER}.txt"
    letter.write_text(
        letter.read_text().replace(
            "I will continue to hold",
            "Regarding recommendation 1, the force now answers most emergency calls "
            "within ten seconds.\n\nI will continue to hold",
        )
    )
    report = build(corpus, tmp_path / "index")
    assert report.incremental
    updated = read_findings(tmp_path / "index")
    first = _one(updated["findings"], PEEL_2024, "answer emergency calls within")
    assert [r["evidence"] for r in first["responses"]] == ["cites recommendation 1"]
    build(corpus, tmp_path / "fresh", force=True)
    assert read_findings(tmp_path / "fresh") == updated
