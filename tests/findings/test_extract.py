"""Finding extraction: the shapes inspection reports use, on fixtures not seeds."""

from __future__ import annotations

import pytest

from indexer.document.parse import parse_blocks
from indexer.document.segment import segment
from indexer.findings.extract import extract_findings
from indexer.findings.grades import graded_judgement
from tests.findings.helpers import (
    ACTION_PLAN,
    PEEL_2024,
    THEMATIC,
    of,
)


def _passages(text: str):
    return segment("doc", parse_blocks(text))


def test_peel_report_yields_its_cause_of_concern_and_numbered_recommendations(
    fixture_findings,
):
    concern = of(fixture_findings, PEEL_2024, "cause-of-concern")
    assert [f["statement"][:40] for f in concern] == [
        "The force isn't answering emergency and "
    ]
    recs = of(fixture_findings, PEEL_2024, "recommendation")
    assert [f["number"] for f in recs] == ["1", "2"]
    assert all(f["forces"] == ["TVP"] for f in recs)
    assert recs[1]["statement"].startswith("By 30 September 2024, Thames Valley")


def test_peel_report_yields_areas_for_improvement_with_the_reports_force(
    fixture_findings,
):
    areas = of(fixture_findings, PEEL_2024, "area-for-improvement")
    words = ["vulnerability of callers", "wishes and feelings", "victim personal"]
    assert len(areas) == len(words)
    assert all(w in f["statement"] for w, f in zip(words, areas, strict=True))
    assert all(f["forces"] == ["TVP"] for f in areas)
    assert areas[0]["section"].endswith(
        "Responding to the public > Areas for improvement"
    )
    # The statement's own passage comes first, then the paragraph under it.
    assert len(areas[0]["supporting"]) == 2


def test_graded_judgements_in_sentence_and_line_form(fixture_findings):
    graded = of(fixture_findings, PEEL_2024, "graded-judgement")
    assert [(f["grade"], f["graded"], f["forces"]) for f in graded] == [
        ("good", "preventing crime", ["TVP"]),
        ("requires improvement", "responding to the public", ["TVP"]),
        ("adequate", "Investigating crime", ["TVP"]),
    ]


def test_a_box_holds_only_its_first_practice(fixture_findings):
    practice = of(fixture_findings, PEEL_2024, "innovative-practice")
    assert [f["statement"][:30] for f in practice] == ["The force uses a youth diversi"]
    # "The force works well with its partners" is a finding heading, not practice.
    assert not any("partners" in f["statement"] for f in fixture_findings)


def test_thematic_report_labelled_recommendations_and_promising_practice(
    fixture_findings,
):
    recs = of(fixture_findings, THEMATIC, "recommendation")
    assert [(f["number"], f["forces"]) for f in recs] == [("1", []), ("2", ["CoLP"])]
    practice = of(fixture_findings, THEMATIC, "promising-practice")
    assert [f["forces"] for f in practice] == [["Kent"]]
    # A finding heading under "Findings" is no assessment: not extracted.
    assert not any("trained" in f["statement"] for f in fixture_findings)


def test_action_plan_pairs_numbered_recommendations_with_responses(fixture_findings):
    recs = of(fixture_findings, ACTION_PLAN, "recommendation")
    assert [f["number"] for f in recs] == ["1", "2", "3"]
    assert [f["answered"] for f in recs] == [True, True, False]
    assert recs[0]["responses"][0]["evidence"] == (
        "written beneath it as its 'MPS response'"
    )
    assert recs[0]["responses"][0]["text"].startswith("MPS response: A dedicated team")
    # The response is not counted as a paragraph supporting the finding.
    assert recs[0]["supporting"] == [recs[0]["passage_id"]]


def test_a_box_closes_at_a_heading_that_states_no_finding_of_its_kind():
    text = (
        "Report\n\nPolicing\n\n### Areas for improvement\n\n"
        "#### The force should improve its training records\n\nDetail.\n\n"
        "#### The force has strong leadership\n\nLeaders are visible.\n"
    )
    found = extract_findings(_passages(text))
    assert [f.statement for f in found] == [
        "The force should improve its training records"
    ]


def test_bulleted_recommendations_take_their_lead_in():
    text = (
        "Report\n\n## Cause of concern\n\n"
        "The force does not protect vulnerable people well enough.\n\n"
        "## Recommendations\n\nBy 1 May 2025, the force should:\n\n"
        "- review its safeguarding referrals;\n- train its call handlers.\n"
    )
    found = extract_findings(_passages(text))
    assert [f.kind for f in found] == [
        "cause-of-concern",
        "recommendation",
        "recommendation",
    ]
    assert found[1].statement == (
        "By 1 May 2025, the force should review its safeguarding referrals;"
    )


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Kent Police is outstanding at investigating crime.", ("outstanding", "Kent")),
        (
            "The force is inadequate at protecting vulnerable people.",
            ("inadequate", ""),
        ),
        ("Most staff are good at listening to victims.", None),
        ("Kent Police is effective at investigating crime.", None),
    ],
)
def test_graded_judgement_needs_a_force_and_a_grade(sentence, expected):
    passage = _passages(f"Report\n\n{sentence}")[-1]
    found = graded_judgement(passage)
    if expected is None:
        assert found is None
    else:
        assert (found.grade, ",".join(found.forces)) == expected


def test_numbered_items_keep_their_numbers_in_the_passage_text():
    (heading, item) = _passages("Report\n\n## Steps\n\n1. The force should act now.")[
        -2:
    ]
    assert item.text.endswith("1. The force should act now.")


def test_a_statement_made_twice_in_one_report_gets_two_ids():
    box = (
        "## Areas for improvement\n\n#### The force should train its staff\n\nWhy.\n\n"
    )
    found = extract_findings(_passages("Report\n\n" + box + "## Other\n\n" + box))
    assert len(found) == 2 and found[0].id != found[1].id
    again = extract_findings(_passages("Report\n\n" + box + "## Other\n\n" + box))
    assert [f.id for f in again] == [f.id for f in found]
