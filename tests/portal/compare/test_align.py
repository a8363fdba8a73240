"""Which report a letter answers, and its paragraphs aligned with the report."""

from __future__ import annotations

import json

import pytest

from indexer.store.build import current_generation, read_documents
from tests.conftest import (
    LETTER_2016,
    LETTER_2017,
    LETTER_2022,
    LETTER_2023,
    REPORT_2023,
)

RETENTION = "Retaining specialist staff across the region is challenging"


@pytest.fixture(scope="module")
def documents(index_dir):
    return {d["id"]: d for d in read_documents(current_generation(index_dir))}


def test_the_2023_letter_answers_the_19_may_2023_report_in_the_corpus(documents):
    letter = documents[LETTER_2023]
    assert letter["answers"] == REPORT_2023
    assert letter["answers_date"] == "2023-05-19"
    assert letter["answers_reference"].startswith(
        "I write with regard to the inspection"
    )
    assert any("2023-05-19" in e for e in letter["answers_evidence"])
    assert documents[REPORT_2023]["answered_by"] == [LETTER_2023]


@pytest.mark.parametrize(
    ("letter", "date", "names"),
    [
        (LETTER_2016, "2015-12-01", "Regional Organised Crime Units"),
        (LETTER_2022, "2022-09-22", "PEEL 2021/22"),
    ],
)
def test_a_letter_whose_report_is_not_in_the_corpus_names_it(
    documents, letter, date, names
):
    doc = documents[letter]
    assert doc["answers"] is None
    assert doc["answers_date"] == date
    assert names in doc["answers_title"]
    assert "published" in doc["answers_reference"]


def test_a_letter_naming_no_report_answers_nothing(documents):
    doc = documents[LETTER_2017]
    assert doc["answers"] is None and doc["answers_reference"] is None
    assert all(d["answered_by"] == [] for i, d in documents.items() if i != REPORT_2023)


def test_the_relations_survive_in_documents_json_as_plain_data(index_dir):
    raw = json.loads((current_generation(index_dir) / "documents.json").read_text())
    assert {"answers", "answered_by", "answers_reference"} <= set(raw[0])


def test_the_staff_retention_paragraph_aligns_with_the_retention_finding(client):
    body = client.get(f"/api/align?letter={LETTER_2023}").get_json()
    assert body["letter"]["id"] == LETTER_2023 and body["report"]["id"] == REPORT_2023
    pair = next(
        p for p in body["pairs"] if "retaining specialist staff" in p["passage"]["text"]
    )
    labels = [m.get("label") or m["text"] for m in pair["matches"]]
    assert RETENTION in labels
    match = pair["matches"][labels.index(RETENTION)]
    assert "retain specialist staff such as financial investigators" in match["text"]
    assert "retaining specialist staff" in match["sentence"]
    assert all(0 <= m["score"] <= 100 for p in body["pairs"] for m in p["matches"])
    scores = [m["score"] for m in pair["matches"]]
    assert scores == sorted(scores, reverse=True)


def test_every_letter_paragraph_gets_matches_from_the_report_only(client):
    body = client.get(f"/api/align?letter={LETTER_2023}").get_json()
    assert len(body["pairs"]) == 4
    for pair in body["pairs"]:
        assert pair["matches"]
        assert {m["doc_id"] for m in pair["matches"]} == {REPORT_2023}


def test_the_align_page_says_when_the_report_is_not_in_the_corpus(client):
    page = client.get(f"/align?letter={LETTER_2016}").get_data(as_text=True)
    assert "is not in the corpus" in page
    assert "Regional Organised Crime Units, A review of capability" in page
    assert "2015-12-01" in page
    body = client.get(f"/api/align?letter={LETTER_2016}").get_json()
    assert body["report"] is None and body["pairs"] == []


def test_the_align_page_puts_paragraphs_beside_scored_report_passages(client):
    page = client.get(f"/align?letter={LETTER_2023}").get_data(as_text=True)
    assert page.count('class="align-pair"') == 4
    assert RETENTION in page and 'class="score strength-' in page


def test_the_align_index_lists_every_letter(client):
    page = client.get("/align").get_data(as_text=True)
    for letter in (LETTER_2016, LETTER_2017, LETTER_2022, LETTER_2023):
        assert f"letter={letter}" in page


@pytest.mark.parametrize(
    ("letter", "status", "message"),
    [
        ("", 400, "give a letter"),
        (REPORT_2023, 400, "not a letter"),
        ("no-such-doc", 404, "no document has the id"),
    ],
)
def test_bad_align_requests_get_a_clear_error(client, letter, status, message):
    response = client.get(f"/api/align?letter={letter}")
    assert response.status_code == status
    assert message in response.get_json()["error"]["message"]
