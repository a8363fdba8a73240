"""The ``kind`` search facet: passages that state a finding, by the finding's kind."""

from __future__ import annotations

from tests.conftest import REPORT_2023


def test_search_counts_and_filters_passages_stating_a_finding(client):
    data = client.get("/api/search?q=analysts").get_json()
    kinds = {v["value"]: v for v in data["facets"]["kind"]}
    assert kinds["area-for-improvement"]["label"] == "Area for improvement"
    narrowed = client.get(
        kinds["area-for-improvement"]["toggle_url"].replace("/search", "/api/search")
    ).get_json()
    assert 0 < narrowed["total"] < data["total"]
    assert all(r["doc_id"] == REPORT_2023 for r in narrowed["results"])
    assert any("recruit more financial" in r["text"] for r in narrowed["results"])


def test_search_page_shows_the_finding_facet(client):
    html = client.get("/search?q=serious+crime+prevention+orders").get_data(
        as_text=True
    )
    assert 'id="facet-kind"' in html and "Promising practice" in html
