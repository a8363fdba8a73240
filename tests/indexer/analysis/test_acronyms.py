"""Acronyms learned from the seed corpus, the curated glossary, and the build output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from indexer.analysis.acronyms import (
    GlossaryError,
    find_definitions,
    learn_acronyms,
    match_long_form,
    read_acronyms,
    read_glossary,
)
from indexer.store.build import current_generation, load_corpus
from tests.conftest import LETTER_2017, LETTER_2022, REPORT_2023, SEED_CORPUS


@pytest.fixture(scope="module")
def learned(corpus_dir):
    documents, _ = load_corpus(corpus_dir, 10**8)
    documents.sort(key=lambda d: (d.date or "", d.id))
    passages = [
        (d.id, p.id, f"{p.label}. {p.text}" if p.label else p.text)
        for d in documents
        for p in d.passages
    ]
    return {a.acronym: a for a in learn_acronyms(passages)}


@pytest.mark.parametrize(
    ("acronym", "long", "doc_id"),
    [
        ("SOC", "serious and organised crime", REPORT_2023),
        ("BTP", "British Transport Police", REPORT_2023),
        ("CoLP", "City of London Police", REPORT_2023),
        ("ROCU", "regional organised crime units", REPORT_2023),
        ("ROCTA", "regional organised crime threat assessment", REPORT_2023),
        ("NCA", "National Crime Agency", REPORT_2023),
        ("PEEL", "police effectiveness, efficiency and legitimacy", REPORT_2023),
        ("SIU", "sensitive intelligence unit", REPORT_2023),
        ("APMIS", "Agency and Partners Management Information System", REPORT_2023),
        ("MPS", "Metropolitan Police Service", LETTER_2022),
        ("VAWG", "Violence against women and girls", LETTER_2017),
    ],
)
def test_definitions_are_learned_from_the_seed_corpus(learned, acronym, long, doc_id):
    entry = learned[acronym]
    assert entry.long == long
    assert entry.source == "corpus"
    assert entry.defined_in[0]["doc_id"] == doc_id


def test_the_first_definition_is_in_the_oldest_document(learned):
    # The 2022 letter defines HMICFRS before the 2023 report does.
    places = [p["doc_id"] for p in learned["HMICFRS"].defined_in]
    assert places[0] == LETTER_2022
    assert REPORT_2023 in places


def test_parenthesised_asides_that_do_not_spell_an_acronym_are_ignored(learned):
    assert "see" not in {a.lower() for a in learned}
    assert not list(find_definitions("forces (see map in Appendix 1) and units"))
    assert not list(find_definitions("the Police Act 1996 (PA) applies"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "the NCA (National Crime Agency) and policing",
            [("NCA", "National Crime Agency")],
        ),
        (
            "police and crime commissioners (PCCs)",
            [("PCC", "police and crime commissioners")],
        ),
        (
            "Management of Risk in Law Enforcement (MoRiLE)",
            [("MoRiLE", "Management of Risk in Law Enforcement")],
        ),
        (
            "HM Inspectorate of Constabulary, Fire and Rescue Services (HMICFRS)",
            [("HMICFRS", "HM Inspectorate of Constabulary, Fire and Rescue Services")],
        ),
    ],
)
def test_both_orders_of_definition_are_found(text, expected):
    assert list(find_definitions(text)) == expected


def test_the_long_form_is_the_shortest_ending_that_spells_the_acronym():
    before = "Up-to-date serious and organised crime "
    assert match_long_form(before, "SOC") == "serious and organised crime"


def test_the_glossary_covers_acronyms_the_documents_do_not_define(learned):
    glossary = {a.acronym: a.long for a in read_glossary(SEED_CORPUS)}
    for acronym in ("MOPAC", "NPCC", "CHIS", "HMIC", "FGM", "ISVA", "IDVA", "MoRiLE"):
        assert acronym in glossary, acronym
        assert acronym not in learned
    assert glossary["CHIS"] == "covert human intelligence source"


def test_a_broken_glossary_is_reported_and_the_build_goes_on(tmp_path, corpus_dir):
    from indexer.store.build import build

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    source = corpus_dir / f"{LETTER_2017}.txt"
    (corpus / source.name).write_bytes(source.read_bytes())
    (corpus / "glossary.toml").write_text("[acronyms]\nCHIS = \n")
    report = build(corpus, tmp_path / "index")
    problems = [p for p in report.problems if p.source == "glossary.toml"]
    assert len(problems) == 1 and "cannot be read" in problems[0].message
    acronyms = {
        a.acronym for a in read_acronyms(current_generation(tmp_path / "index"))
    }
    assert "VAWG" in acronyms and "CHIS" not in acronyms


def test_an_entry_without_a_long_form_is_a_glossary_error(tmp_path):
    (tmp_path / "glossary.toml").write_text('[acronyms]\nCHIS = ""\n')
    with pytest.raises(GlossaryError, match="CHIS needs a long form"):
        read_glossary(tmp_path)


def test_the_build_writes_acronyms_with_where_they_are_defined(index_dir):
    generation = current_generation(index_dir)
    data = json.loads(Path(generation, "acronyms.json").read_text())
    by_acronym = {entry["acronym"]: entry for entry in data}
    assert by_acronym["SOC"]["defined_in"][0]["doc_id"] == REPORT_2023
    assert by_acronym["CHIS"]["source"] == "glossary"
    # GAIN is also an ordinary word of the corpus, so only "GAIN" expands.
    assert by_acronym["GAIN"]["common_word"] is True
    assert by_acronym["SOC"]["common_word"] is False
