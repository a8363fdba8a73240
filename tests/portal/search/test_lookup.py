"""References, recipient: and reference:, names that offer their filter, honest
suggestions, and what a page says when nothing matches."""

from __future__ import annotations

import pytest

from portal.search.lookup import lookup, reference_keys
from portal.search.spelling import plausible
from tests.conftest import LETTER_2016, LETTER_2023
from tests.portal.search.test_ranking import make_fixture_app
from tests.portal.search.test_search import search

LETTER = "2024-04-12-pcc-letter-harbour-policing"
DOCS = {
    "a": {"reference": "HPC/2024/54(2B)", "recipient": "Owen Pryce", "author": "X"},
    "b": {"reference": "MOPAC081215-22378", "recipient": "Siân Jones", "author": "Y"},
}


@pytest.fixture(scope="module")
def fixture_client(tmp_path_factory):
    return make_fixture_app(tmp_path_factory).test_client()


def test_a_reference_is_found_whole_or_by_its_distinctive_part():
    assert reference_keys("HPC/2024/54(2B)") == {"hpc2024542b", "542b"}
    assert "2024" not in reference_keys("HPC/2024/54(2B)")
    assert lookup("54(2B)", DOCS).docs == {"a"}
    assert lookup("MOPAC081215-22378 funding", DOCS).docs == {"b"}
    assert lookup("MOPAC081215-22378 funding", DOCS).q == "funding"


def test_a_figure_or_year_is_never_taken_for_a_reference():
    found = lookup("2024 54 £5m", DOCS)
    assert found.docs is None and found.q == "2024 54 £5m"


def test_recipient_and_reference_fields_restrict_to_their_documents():
    assert lookup("recipient:Pryce fraud", DOCS).docs == {"a"}
    assert lookup("recipient:Sian", DOCS).docs == {"b"}
    assert lookup('recipient:"Owen Pryce"', DOCS).docs == {"a"}
    assert lookup("reference:MOPAC081215-22378", DOCS).docs == {"b"}
    assert lookup("recipient:Nobody", DOCS).docs == set()


def test_fixture_a_reference_number_finds_its_letter(fixture_client):
    body = search(fixture_client, q="54(2B)")
    assert body["total"] == 3
    assert {r["doc_id"] for r in body["results"]} == {LETTER}
    assert "reference:54(2B)" in body["understood"]


def test_fixture_recipient_field_and_a_name_that_offers_its_filter(fixture_client):
    assert search(fixture_client, q="recipient:Pryce")["total"] == 3
    body = search(fixture_client, q="Ellery")
    assert body["total"] == 3  # no passage says it: the author's letter instead
    assert [o["q"] for o in body["offers"]] == ["author:Ellery"]
    assert "Gwen Ellery is named by no passage" in body["notices"][0]
    mixed = search(fixture_client, q="Ellery harbour")["results"]  # words found
    assert len({r["doc_id"] for r in mixed}) == 2  # so the name is only offered


def test_seed_the_2016_letters_reference_finds_it(client):
    body = search(client, q="MOPAC081215-22378")
    assert body["total"] == 7
    assert {r["doc_id"] for r in body["results"]} == {LETTER_2016}


def test_seed_an_author_and_a_recipient_are_found_by_name(client):
    body = search(client, q="Greenhalgh")
    assert {r["doc_id"] for r in body["results"]} == {LETTER_2016}
    assert [o["q"] for o in body["offers"]] == ["author:Greenhalgh"]
    docs = {r["doc_id"] for r in search(client, q="Braverman")["results"]}
    assert LETTER_2023 in docs
    assert search(client, q="recipient:Braverman")["total"] == 12


def test_seed_a_whole_name_finds_that_persons_letters_though_may_is_a_word(client):
    body = search(client, q="Theresa May")
    assert [o["q"] for o in body["offers"]] == ["recipient:Theresa"]
    assert body["suggestion"] is None  # no "There May"
    assert {r["doc_id"] for r in body["results"]} == {LETTER_2016}
    assert body["total"] == 7


def test_seed_a_name_beside_words_passages_hold_is_offered_not_imposed(client):
    body = search(client, q="Greenhalgh funding")
    assert [o["q"] for o in body["offers"]] == ["author:Greenhalgh"]
    assert len({r["doc_id"] for r in body["results"]}) > 1


@pytest.mark.parametrize(
    ("word", "candidate", "ok"),
    [
        ("haringey", "sharing", False),
        ("dunmore", "more", False),
        ("survelliance", "surveillance", True),
        ("traficking", "trafficking", True),
        ("forse", "force", True),
        ("polise", "police", True),
    ],
)
def test_a_suggestion_must_be_close_for_the_words_length(word, candidate, ok):
    assert plausible(word, candidate) is ok


@pytest.mark.parametrize("q", ["Haringey", "Dunmore"])
def test_seed_places_not_in_the_corpus_get_no_did_you_mean(client, q):
    body = search(client, q=q)
    assert body["total"] == 0 and body["suggestion"] is None
    assert body["hints"] == [
        {"text": f"No passage or document mentions “{q}”.", "url": None}
    ]


def test_seed_nothing_found_offers_removing_filters_and_words(client):
    body = search(client, q="Orochi", year="2016")
    assert body["total"] == 0
    assert body["hints"][0] == {
        "text": "Search without the filters",
        "url": "/search?q=Orochi",
    }
    body = search(client, q='"knife crime" AND Haringey')
    assert body["hints"] == [
        {
            "text": "No passage holds “Haringey”: search without it",
            "url": "/search?q=%22knife+crime%22",
        }
    ]


def test_seed_the_page_shows_offers_and_hints(client):
    page = client.get("/search?q=Haringey").get_data(as_text=True)
    assert "No passage or document mentions “Haringey”." in page
    page = client.get("/search?q=Theresa+May").get_data(as_text=True)
    assert 'href="/search?q=recipient%3ATheresa"' in page


def test_a_metadata_field_without_a_value_says_so(client):
    assert "recipient: needs a value" in search(client, q="recipient:")["notices"][0]


def test_a_reference_leaves_no_operator_dangling():
    assert lookup("MOPAC081215-22378 OR fraud", DOCS).q == "fraud"
