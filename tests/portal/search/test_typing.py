"""What researchers type: punctuation, questions, colons, hyphens, slashes, accents
and curly quotes are read as they are meant."""

from __future__ import annotations

import pytest

from indexer.analysis.analyzer import analyze
from portal.search.query import parse
from portal.search.tidy import tidy
from tests.portal.search.test_parsing import LEXICON, SCHEMA
from tests.portal.search.test_ranking import make_fixture_app, ranked
from tests.portal.search.test_search import search


@pytest.fixture(scope="module")
def fixture_app(tmp_path_factory):
    return make_fixture_app(tmp_path_factory)


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("ROCU.", "ROCU"),
        ("ROCU?", "ROCU"),
        ("(SOC)", "(SOC)"),
        ("what is a ROCU?", "what is a ROCU"),
        ("fraud, theft; robbery!", "fraud theft robbery"),
        ("Areas for improvement: SIU", "Areas for improvement SIU"),
        ("author: Linden", "author: Linden"),
        ("vict?m", "vict?m"),
        ("“county lines”", '"county lines"'),
        ("doesn’t", "doesn't"),
        ('"what? no."', '"what? no."'),
    ],
)
def test_tidy_reads_punctuation_as_punctuation(typed, read):
    assert tidy(typed) == read


@pytest.mark.parametrize("typed", ["SOC.", "(SOC)", "SOC?", "SOC,", "what is SOC?"])
def test_an_acronym_with_punctuation_still_expands(typed):
    parsed = parse(typed, SCHEMA, LEXICON)
    assert [e["acronym"] for e in parsed.expansions] == ["SOC"]
    assert not parsed.fallback and parsed.notices == []


def test_a_colon_after_a_word_that_is_not_a_field_keeps_the_word():
    parsed = parse("Areas for improvement: SOC", SCHEMA, LEXICON)
    assert parsed.notices == []
    assert parsed.understood == "Areas for improvement SOC"


def test_a_field_without_a_value_is_still_reported():
    assert "force: needs a value" in parse("fraud force:", SCHEMA, LEXICON).notices[0]


def test_accents_fold_both_ways_and_apostrophes_are_one():
    assert analyze("Siân") == analyze("Sian") == ["sian"]
    assert analyze("doesn’t") == analyze("doesn't")


def test_a_slashed_pair_is_indexed_whole_and_split_but_figures_stay_whole():
    assert analyze("MPS/BTP", mode="index") == ["mps/btp", "mps", "btp"]
    assert analyze("2021/22", mode="index") == ["2021/22"]


def ids(app, q: str) -> list[str]:
    return [p["id"] for p in ranked(app, q, 50)]


def test_a_hyphenated_query_finds_spaced_hyphenated_and_joined_forms(fixture_app):
    assert ids(fixture_app, "county-lines")[0] == "tfqipxfe34"
    assert "tfqipxfe34" in ids(fixture_app, "countylines county-lines")


def test_a_slashed_query_finds_either_part(fixture_app):
    assert "kosxhhr22x" in ids(fixture_app, "BTP")
    assert "kosxhhr22x" in ids(fixture_app, "MPS/BTP")


def test_sian_finds_sian_with_its_accent_marked_as_written(fixture_app):
    assert ids(fixture_app, "Sian") == ["ptcqebfi6t"]
    assert ids(fixture_app, "Siân") == ["ptcqebfi6t"]
    with fixture_app.test_client() as client:
        snippet = search(client, q="Sian")["results"][0]["snippet"]
    assert "<mark>Siân's</mark>" in snippet


def test_curly_and_straight_quotes_and_apostrophes_are_the_same(fixture_app):
    assert ids(fixture_app, "“cargo watch”") == ids(fixture_app, '"cargo watch"')
    assert ids(fixture_app, '"cargo watch"') == ["kosxhhr22x"]
    assert "ptcqebfi6t" in ids(fixture_app, '"port\'s own figures"')


def test_seed_county_lines_hyphenated_finds_what_spaced_finds(client):
    spaced = search(client, q='"county lines"')["total"]
    assert spaced >= 17
    assert search(client, q="county-lines")["total"] >= spaced


def test_seed_mps_btp_finds_either(client):
    body = search(client, q="MPS/BTP")
    assert body["total"] >= search(client, q="BTP")["total"] > 0


@pytest.mark.parametrize("typed", ["ROCU.", "ROCU?", "ROCU,"])
def test_seed_rocu_with_punctuation_finds_what_rocu_finds(client, typed):
    plain = search(client, q="ROCU")
    body = search(client, q=typed)
    assert body["total"] == plain["total"]
    assert [e["acronym"] for e in body["expansions"]] == ["ROCU"]


def test_seed_a_question_is_searched_as_its_words(client):
    body = search(client, q="what is a ROCU?")
    assert body["notices"] == [] and body["total"] > 0
    assert any("ROCU" in r["text"] for r in body["results"][:3])


def test_seed_areas_for_improvement_colon_keeps_improvement(client):
    body = search(client, q="Areas for improvement: SIU")
    assert body["notices"] == []
    assert "improvement" in body["understood"]


def test_an_equals_sign_asks_for_one_word_form():
    assert tidy("=policing fraud") == "exact:policing fraud"
    assert tidy("a = b") == "a = b"
    parsed = parse("=Policing", SCHEMA, LEXICON)
    assert [(t.fieldname, t.text) for t in parsed.query.leaves()] == [
        ("exact", "policing")
    ]


def test_fixture_exact_form_finds_that_form_only_and_marks_it(fixture_app):
    with fixture_app.test_client() as client:
        stemmed = search(client, q="policing")["results"]
        exact = search(client, q="=policing")["results"]
    assert {r["id"] for r in exact} == {"ptcqebfi6t"}  # "policing the docks"
    assert {r["id"] for r in stemmed} == {"ptcqebfi6t", "bqois5y6ol"}  # police
    assert "<mark>policing</mark>" in exact[0]["snippet"]
