"""Passages cut from the seed documents: rejoined, grouped, labelled, placed."""

from __future__ import annotations

import pytest

from indexer.document.parse import clean_inline, parse_blocks
from indexer.document.segment import PASSAGE_ID, passage_id, segment
from tests.conftest import LETTER_2017, LETTER_2023, REPORT_2023
from tests.indexer.document.test_metadata import load


def by_text(doc_id: str, start: str):
    return next(p for p in load(doc_id).passages if p.text.startswith(start))


def test_a_paragraph_broken_across_a_page_is_rejoined():
    passage = by_text(LETTER_2017, "The Plan describes how we will work to tackle drug")
    assert passage.label == "Tackling drug use"
    assert "people found to be using drugs can be directed to appropriate support" in (
        passage.text
    )
    assert not any(p.text.startswith("directed to") for p in load(LETTER_2017).passages)


@pytest.mark.parametrize(
    ("start", "label"),
    [
        ("Like you, we are clear", "Keeping children and young people safe"),
        (
            "The Mayor is determined to tackle",
            "Violence against women and girls (VAWG)",
        ),
        ("We are unequivocal", "Harmful practices: FGM"),
        ("MOPAC has created a comprehensive", "Holding the Met and MOPAC to account"),
        ("The final Plan contains detail", "Fraud and online crime"),
    ],
)
def test_long_themed_bullets_are_passages_with_their_label(start, label):
    passage = by_text(LETTER_2017, start)
    assert passage.label == label
    assert passage.kind == "body"


def test_a_short_item_list_stays_with_its_lead_in():
    passage = by_text(REPORT_2023, "The force has a strategic assessment")
    assert passage.kind == "list"
    assert passage.text.splitlines()[1:] == [
        "• terrorism;",
        "• modern slavery and human trafficking;",
        "• robbery;",
        "• sexual offences;",
        "• serious violence and weapons;",
        "• death and serious injury on the railway; and",
        "• football violence.",
    ]


def test_report_sections_form_the_path_of_the_passages_below_them():
    passage = by_text(REPORT_2023, "The force needs to be able to conduct surveillance")
    assert passage.section == (
        "British Transport Police > Resources and skills > Areas for improvement"
    )
    assert passage.label.startswith("British Transport Police should review its covert")
    assert passage.forces == ["BTP"]


def test_report_headings_are_heading_passages():
    doc = load(REPORT_2023)
    headings = [p.text for p in doc.passages if p.kind == "heading"]
    assert headings[:3] == ["Introduction", "About our inspection", "About us"]
    assert "Metropolitan Police Service" in headings
    assert "Back to publication" not in headings
    assert doc.passages[0].text == "Introduction"  # the title is metadata


def test_passages_under_a_force_section_carry_that_force():
    passage = by_text(REPORT_2023, "The CoLP is the national lead force for fraud")
    assert passage.section.startswith("The City of London Police > ")
    assert passage.forces == ["CoLP"]


def test_no_passage_carries_markup_residue():
    for doc_id in (LETTER_2017, LETTER_2023, REPORT_2023):
        for p in load(doc_id).passages:
            for residue in ("**", "<sup>", "</sup>", "## ", "\n- "):
                assert residue not in p.text, (doc_id, p.text[:60])
            assert not p.text.startswith(("- ", "• ", "* "))


def test_currency_and_punctuation_are_kept_exactly():
    texts = " ".join(p.text for p in load(REPORT_2023).passages)
    assert "£2.5m worth of property" in texts
    assert "account forfeiture order for €34m" in texts
    assert "His Majesty’s Inspectorate" in texts


def test_clean_inline_removes_markup_but_keeps_symbols():
    assert clean_inline("**Bold** 17<sup>th</sup> March &amp; £5 *em*") == (
        "Bold 17th March & £5 em"
    )


def test_passage_ids_depend_on_slug_and_normalised_text_only():
    a = passage_id("doc", "The  Mayor, and I.")
    assert a == passage_id("doc", "the mayor and i")
    assert a != passage_id("other", "The Mayor, and I.")
    assert PASSAGE_ID.match(a)


def test_repeated_text_gets_distinct_ids():
    ids = [p.id for p in load(REPORT_2023).passages]
    assert len(ids) == len(set(ids))
    blocks = parse_blocks(
        "Areas for improvement\n\nOne.\n\nAreas for improvement\n\nTwo."
    )
    passages = segment("d", blocks)
    assert len({p.id for p in passages}) == 4


def test_letter_opening_keeps_its_unpunctuated_ending():
    passage = by_text(LETTER_2023, "The Mayor and I are committed")
    assert passage.text.endswith("County Lines Rescue and Response programmes")
    assert passage.kind == "body"


def test_markdown_and_html_heading_levels_form_the_section_path():
    text = (
        "# Knife crime\n\nIntro text.\n\n## Funding\n\nIt costs £5 million.\n\n"
        "# Other\n\nEnd."
    )
    passages = segment("d", parse_blocks(text))
    assert [(p.kind, p.section) for p in passages] == [
        ("heading", ""),
        ("body", "Knife crime"),
        ("heading", "Knife crime"),
        ("body", "Knife crime > Funding"),
        ("heading", ""),
        ("body", "Other"),
    ]
