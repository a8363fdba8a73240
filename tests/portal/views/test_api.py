"""The JSON API over the seed index, through Flask's test client."""

from __future__ import annotations

import pytest

from tests.conftest import LETTER_2016, LETTER_2023, REPORT_2023


def test_healthz_reports_counts_and_version(client, seed_counts):
    data = client.get("/healthz").json
    assert data["status"] == "ok"
    assert (data["documents"], data["passages"]) == seed_counts
    assert data["index_version"].startswith("gen-")


def test_documents_lists_all_five_with_metadata(client):
    docs = client.get("/api/documents").json["documents"]
    assert [d["id"] for d in docs][0] == LETTER_2016
    assert len(docs) == 5
    letter = next(d for d in docs if d["id"] == LETTER_2023)
    for key in (
        "title",
        "date",
        "year",
        "author",
        "author_role",
        "recipient",
        "organisation",
        "type",
        "reference",
        "forces",
        "passages",
        "source",
    ):
        assert key in letter
    assert letter["year"] == 2023 and letter["passages"] == 4


def test_search_returns_the_documented_shape(client):
    data = client.get("/api/search?q=financial+investigators&per_page=5").json
    assert set(data) >= {
        "query",
        "total",
        "page",
        "per_page",
        "results",
        "facets",
        "suggestion",
    }
    assert data["per_page"] == 5 and len(data["results"]) == 5
    hit = data["results"][0]
    assert set(hit) >= {
        "id",
        "permalink",
        "doc_id",
        "doc_title",
        "date",
        "year",
        "author",
        "type",
        "forces",
        "section",
        "kind",
        "text",
        "snippet",
    }
    assert "<mark" in hit["snippet"]
    assert set(data["facets"]) == {"year", "author", "force", "doc", "type", "kind"}


def test_an_empty_query_lists_every_passage_in_document_order(client, seed_counts):
    data = client.get("/api/search?per_page=100").json
    assert data["total"] == seed_counts[1]
    first = data["results"][0]
    assert first["doc_id"] == LETTER_2016 and first["position"] == 0
    dates = [r["date"] for r in data["results"]]
    assert dates == sorted(dates)


def test_filters_restrict_results_and_combine_facets(client):
    data = client.get("/api/search?force=BTP&type=report&per_page=100").json
    assert data["total"] > 0
    assert all("BTP" in r["forces"] and r["type"] == "report" for r in data["results"])
    years = {f["value"]: f["count"] for f in data["facets"]["year"]}
    assert years == {"2023": data["total"]}


def test_force_facet_counts_every_value_of_a_multi_valued_field(client):
    data = client.get("/api/search?q=BTP&per_page=1").json
    forces = {f["value"]: f["count"] for f in data["facets"]["force"]}
    hits = client.get("/api/search?q=BTP&per_page=100").json["results"]
    assert forces["BTP"] == sum("BTP" in h["forces"] for h in hits)
    assert forces["MPS"] == sum("MPS" in h["forces"] for h in hits)


def test_passage_comes_with_two_neighbours_each_side(client):
    hits = client.get(f"/api/search?doc={REPORT_2023}&per_page=10").json["results"]
    passage = client.get(f"/api/passages/{hits[5]['id']}").json
    assert [p["id"] for p in passage["before"]] == [hits[3]["id"], hits[4]["id"]]
    assert [p["id"] for p in passage["after"]] == [hits[6]["id"], hits[7]["id"]]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("page=0", "page must be"),
        ("page=abc", "page must be a whole number"),
        ("per_page=101", "per_page must be between 1 and 100"),
        ("sort=sideways", "sort must be one of"),
        ("q=" + "x" * 1001, "the limit is 1,000"),
    ],
)
def test_bad_parameters_answer_400_with_a_json_error(client, query, message):
    response = client.get(f"/api/search?{query}")
    assert response.status_code == 400
    assert response.content_type == "application/json"
    assert message in response.json["error"]["message"]


def test_unknown_passage_answers_404_json(client):
    response = client.get("/api/passages/aaaaaaaaaa")
    assert response.status_code == 404
    assert response.json["error"]["status"] == 404


def test_a_page_past_the_end_is_clamped_to_the_last(client):
    data = client.get("/api/search?q=ROCTA&page=999").json
    assert data["page"] == data["pages"] >= 1
    assert data["results"]
