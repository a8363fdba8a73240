"""The compare view and its JSON twin: columns, shares, terms, echoes, trend."""

from __future__ import annotations

from collections import Counter

import pytest
from markupsafe import escape

from portal.compare.distinctive import log_odds, prior_from_frequencies

OPENINGS = '"write with regard"'


def test_columns_follow_the_years_asked_for_in_that_order(client):
    body = client.get("/api/compare?theme=workforce&years=2023&years=2016").get_json()
    assert [c["year"] for c in body["columns"]] == [2023, 2016]
    assert body["years"] == [2023, 2016]


def test_without_years_every_indexed_year_gets_a_column_oldest_first(client):
    body = client.get("/api/compare?theme=workforce").get_json()
    assert [c["year"] for c in body["columns"]] == [2016, 2017, 2022, 2023]


def test_share_is_matches_divided_by_the_years_passages(client):
    health = client.get("/healthz").get_json()
    body = client.get("/api/compare?q=fraud").get_json()
    assert sum(c["year_total"] for c in body["columns"]) == health["passages"]
    for column in body["columns"]:
        assert column["share"] == pytest.approx(
            column["total"] / column["year_total"], abs=1e-6
        )
    by_year = {c["year"]: c for c in body["columns"]}
    # The 2016 letter has 7 passages; one names fraud.
    assert (by_year[2016]["total"], by_year[2016]["year_total"]) == (1, 7)
    assert by_year[2016]["percent"] == "14.3%"
    assert by_year[2022]["total"] == 0 and by_year[2022]["passages"] == []


def test_a_column_holds_only_its_years_passages_ranked_and_highlighted(client):
    body = client.get("/api/compare?q=specialist+staff&per_column=3").get_json()
    for column in body["columns"]:
        assert len(column["passages"]) <= 3
        assert all(p["year"] == column["year"] for p in column["passages"])
    top = {c["year"]: c for c in body["columns"]}[2023]["passages"][0]
    assert "<mark" in top["snippet"] and "specialist" in top["text"].lower()
    assert top["permalink"] == f"/p/{top['id']}"
    assert (
        top["doc_url"].endswith(f"#{top['id']}") and "hl=specialist" in top["doc_url"]
    )


def test_highlighting_escapes_the_passage_text(client):
    body = client.get("/api/compare?q=rescue&years=2023").get_json()
    snippets = [p["snippet"] for p in body["columns"][0]["passages"]]
    amp = [s for s in snippets if "Fire &amp; Rescue" in s or "&amp;" in s]
    assert amp, snippets
    assert all("& " not in s for s in snippets)


def test_a_document_title_alone_does_not_make_a_passage_match(client):
    # Every passage of the 2023 report has "serious and organised crime" in its
    # title; only the passages saying it should count.
    body = client.get('/api/compare?q="organised crime"&years=2023').get_json()
    column = body["columns"][0]
    assert 0 < column["total"] < column["year_total"]


def test_facet_filters_apply_to_every_column_and_its_total(client):
    body = client.get("/api/compare?q=report&type=letter").get_json()
    by_year = {c["year"]: c for c in body["columns"]}
    assert by_year[2023]["year_total"] == 4  # the 2023 letter, not the report
    assert all(p["type"] == "letter" for c in body["columns"] for p in c["passages"])
    assert body["filters"] == {"type": ["letter"]}


def test_echoes_link_the_letters_i_write_with_regard_to_openings(client):
    body = client.get(f"/api/compare?q={OPENINGS}").get_json()
    openings = {
        c["year"]: c["passages"][0]["id"] for c in body["columns"] if c["passages"]
    }
    assert set(openings) == {2016, 2022, 2023}
    pairs = {frozenset((e["a"], e["b"])) for e in body["echoes"]}
    assert frozenset((openings[2016], openings[2023])) in pairs
    assert frozenset((openings[2022], openings[2023])) in pairs
    for echo in body["echoes"]:
        assert echo["score"] >= 60 and echo["a_year"] < echo["b_year"]
        assert echo["a_sentence"].startswith("I write with regard to")


def test_echo_badges_link_to_the_diff_of_the_two_passages(client):
    page = client.get(f"/compare?q={OPENINGS}").get_data(as_text=True)
    assert 'class="echo-badge" href="/diff?a=' in page
    body = client.get(f"/api/compare?q={OPENINGS}").get_json()
    echo = body["echoes"][0]
    assert client.get(echo["diff_url"]).status_code == 200


def test_distinctive_terms_favour_what_a_column_says_more_often():
    counts = {
        "a": Counter({"fraud": 60, "police": 50, "cyber": 30}),
        "b": Counter({"knife": 45, "police": 30, "fraud": 5}),
    }
    frequencies = {"fraud": 13, "police": 16, "cyber": 6, "knife": 9}
    prior = prior_from_frequencies(frequencies, 44)
    terms = log_odds(counts, prior)
    assert [t["term"] for t in terms["a"]][:2] == ["fraud", "cyber"]
    assert [t["term"] for t in terms["b"]] == ["knife"]
    assert "police" not in {t["term"] for t in terms["a"] + terms["b"]}


def test_the_prior_keeps_a_rare_word_below_a_frequent_one():
    counts = {
        "a": Counter({"rare": 2, "common": 40, "filler": 58}),
        "b": Counter({"common": 10, "filler": 90}),
    }
    prior = prior_from_frequencies({"rare": 2, "common": 50, "filler": 148}, 200)
    ranked = [t["term"] for t in log_odds(counts, prior, min_z=0)["a"]]
    assert ranked.index("common") < ranked.index("rare")


def test_each_column_lists_distinctive_terms_with_links(client):
    body = client.get("/api/compare?theme=workforce").get_json()
    terms = {c["year"]: c["terms"] for c in body["columns"]}
    words = [t["word"] for t in terms[2023]]
    assert {"analysts", "investigators"} & set(words)
    assert all(t["z"] > 0 and t["url"].startswith("/search?") for t in terms[2023])


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("theme=nope", "there is no theme 'nope'"),
        ("theme=workforce&q=staff", "not both"),
        ("q=staff&years=2019", "'2019' has no documents"),
        ("q=staff&years=abc", "'abc' has no documents"),
        ("q=staff&per_column=0", "per_column"),
        ("q=staff&per_column=x", "per_column"),
        ("", "give theme=ID or q=QUERY"),
        ("q=" + "a" * 1001, "the limit is 1,000"),
    ],
)
def test_bad_parameters_get_a_clear_400(client, query, message):
    response = client.get(f"/api/compare?{query}")
    assert response.status_code == 400
    assert message in response.get_json()["error"]["message"]
    if query:
        page = client.get(f"/compare?{query}")
        assert page.status_code == 400
        assert str(escape(message)) in page.get_data(as_text=True)


@pytest.mark.parametrize("q", ["AND", '"unbalanced', "*", "title:nothing", "(("])
def test_awkward_queries_never_break_the_compare_page(client, q):
    assert client.get("/compare", query_string={"q": q}).status_code == 200
    assert client.get("/api/compare", query_string={"q": q}).status_code == 200


def test_the_compare_page_without_a_theme_lists_the_themes(client):
    page = client.get("/compare").get_data(as_text=True)
    assert "/compare?theme=workforce" in page and "Violence against women" in page


def test_trend_overlays_themes_with_an_svg_chart_and_a_table(client):
    page = client.get("/compare/trend?theme=workforce&theme=vawg")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert html.count("<polyline") == 2 and "<svg" in html
    assert '<table class="trend-table"' in html and "Workforce" in html
    assert "<script" not in html


def test_trend_json_gives_the_share_per_year_of_each_theme(client):
    body = client.get("/api/trend?theme=vawg&q=fraud").get_json()
    assert [s["label"] for s in body["series"]] == [
        "Violence against women and girls",
        "fraud",
    ]
    fraud = {p["year"]: p for p in body["series"][1]["points"]}
    compare = client.get("/api/compare?q=fraud").get_json()
    for column in compare["columns"]:
        assert fraud[column["year"]]["total"] == column["total"]


def test_a_remembered_comparison_is_not_changed_by_what_a_caller_does_with_it(app):
    from portal.compare.service import CompareRequest, compare

    with app.app_context():
        first = compare(CompareRequest(q="fraud"))
        first["columns"].clear()
        again = compare(CompareRequest(q="fraud"))
    assert [c["year"] for c in again["columns"]] == [2016, 2017, 2022, 2023]
