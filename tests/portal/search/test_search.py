"""The search service through the JSON API: expansion, correction, filters, paging."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import REPORT_2023
from tests.portal.search.test_parsing import PIECES


def search(client, **params) -> dict:
    response = client.get("/api/search", query_string=params)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_the_json_has_the_documented_shape(client):
    body = search(client, q="SOC", per_page=2)
    for key in (
        "query",
        "total",
        "page",
        "per_page",
        "results",
        "facets",
        "suggestion",
    ):
        assert key in body
    for key in ("expansions", "corrected", "echo", "description", "understood"):
        assert key in body
    result = body["results"][0]
    for key in (
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
        "doc_url",
    ):
        assert key in result
    assert result["permalink"] == f"/p/{result['id']}"
    assert result["doc_url"] == f"/docs/{result['doc_id']}?hl=SOC#{result['id']}"


def test_an_acronym_finds_its_long_form_in_the_same_ranking(client):
    body = search(client, q="SOC", per_page=100)
    texts = [r["text"] for r in body["results"]]
    assert any("SOC" not in t and "serious and organised crime" in t for t in texts)
    assert any("SOC" in t for t in texts)
    assert body["expansions"] == [
        {
            "acronym": "SOC",
            "long": "serious and organised crime",
            "typed": "SOC",
            "direction": "acronym",
            "source": "corpus",
            "defined_in": body["expansions"][0]["defined_in"],
        }
    ]
    defined = body["expansions"][0]["defined_in"]
    assert defined["doc_id"] == REPORT_2023
    assert defined["permalink"] == f"/p/{defined['passage_id']}"
    assert "(SOC expanded)" in body["description"]


def test_a_long_form_finds_its_acronym(client):
    body = search(client, q='"National Crime Agency"', per_page=100)
    assert any(
        "NCA" in r["text"] and "National Crime Agency" not in r["text"]
        for r in body["results"]
    )


def test_searching_literally_does_not_expand(client):
    expanded = search(client, q="SOC")
    literal = search(client, q="SOC", expand="0")
    assert literal["expansions"] == []
    assert literal["total"] < expanded["total"]
    assert literal["echo"]["expand"] is False


def test_a_glossary_acronym_expands_to_its_long_form(client):
    body = search(client, q="CHIS")
    assert body["expansions"][0]["source"] == "glossary"
    assert body["expansions"][0]["defined_in"] is None
    assert body["total"] >= 1
    assert "covert human" in body["results"][0]["snippet"]


def test_a_typo_with_no_hits_shows_the_corrected_results(client):
    body = search(client, q="inteligence")
    assert body["corrected"] == "intelligence"
    assert body["suggestion"] is None
    assert body["total"] == search(client, q="intelligence")["total"] > 0
    assert body["query"] == "inteligence"


def test_correction_can_be_declined(client):
    body = search(client, q="inteligence", correct="0")
    assert body["total"] == 0
    assert body["corrected"] is None
    assert body["suggestion"] == "intelligence"


def test_a_typo_beside_a_known_word_is_a_did_you_mean(client):
    body = search(client, q="inteligence fraud")
    assert body["total"] > 0
    assert body["corrected"] is None
    assert body["suggestion"] == "intelligence fraud"


def test_suggestions_are_words_not_stems(client):
    assert search(client, q="polise")["corrected"] == "police"


def test_known_words_and_stemmed_variants_get_no_suggestion(client):
    assert search(client, q="investigating officers")["suggestion"] is None


@pytest.mark.parametrize(
    ("q", "notice"),
    [
        ("", None),
        ("AND", "an operator"),
        ('"', "a quotation mark"),
        ("(", "a bracket"),
        ("*", "the wildcard"),
        ("force:", "force: needs a value"),
        ("colour:blue", "there is no field colour:"),
        ("fraud " * 150, None),
        ("<script>alert(1)</script>", None),
        ("'; DROP TABLE passages; --", None),
    ],
)
def test_awkward_queries_never_fail(client, q, notice):
    body = search(client, q=q)
    if notice:
        assert notice in body["notices"][0]
    else:
        assert body["notices"] == []


def test_an_empty_query_lists_every_passage_in_document_order(client):
    body = search(client, per_page=5)
    assert body["description"].endswith("in document order")
    assert [r["date"] for r in body["results"]] == sorted(
        r["date"] for r in body["results"]
    )


def test_the_sentence_says_how_the_query_was_understood(client):
    body = search(client, q="serious AND organised crime", year="2023", force="BTP")
    assert body["description"] == (
        f"{body['total']} passages matching (serious AND organised) crime "
        "(SOC expanded), in 2023, force BTP"
    )


@pytest.mark.parametrize("sort", ["newest", "oldest"])
def test_sorting_by_date(client, sort):
    body = search(client, q="mayor", sort=sort, per_page=100)
    assert body["total"] <= 100
    dates = [r["date"] for r in body["results"]]
    assert dates == sorted(dates, reverse=sort == "newest")
    assert len(set(dates)) > 2


def test_the_date_range_keeps_documents_dated_inside_it(client):
    body = search(
        client, q="police", **{"from": "2017-01-01", "to": "2022-12-31"}, per_page=100
    )
    assert {r["year"] for r in body["results"]} == {2017, 2022}
    assert "dated 2017-01-01 to 2022-12-31" in body["description"]
    assert body["echo"]["from"] == "2017-01-01"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"from": "2023-13-01"}, "from must be a date written YYYY-MM-DD"),
        ({"to": "2023-02-30"}, "to must be a date written YYYY-MM-DD"),
        ({"from": "20230519"}, "from must be a date"),
        ({"from": "yesterday"}, "from must be a date"),
        ({"from": "2023-05-01", "to": "2022-01-01"}, "is after to"),
        ({"sort": "random"}, "sort must be one of relevance, newest, oldest"),
        ({"page": "0"}, "page must be between 1"),
        ({"page": "two"}, "page must be a whole number"),
        ({"per_page": "1000"}, "per_page must be between 1 and 100"),
        ({"expand": "maybe"}, "expand must be 1 or 0"),
        ({"q": "x" * 1001}, "the limit is 1,000"),
        ({"force": "x" * 201}, "longer than 200 characters"),
    ],
)
def test_bad_parameters_are_a_400_that_says_why(client, params, message):
    response = client.get("/api/search", query_string=params)
    assert response.status_code == 400
    assert message in response.get_json()["error"]["message"]


def test_numbered_pages_cover_every_result_once(client):
    first = search(client, q="police", per_page=10)
    assert first["pages"] == -(-first["total"] // 10) > 2
    seen = []
    for page in range(1, first["pages"] + 1):
        seen += [
            r["id"]
            for r in search(client, q="police", per_page=10, page=page)["results"]
        ]
    assert len(seen) == len(set(seen)) == first["total"]
    numbers = [
        p.get("number")
        for p in first["pager"]
        if not p.get("gap") and not p.get("step")
    ]
    assert numbers[:3] == [1, 2, 3] and numbers[-1] == first["pages"]
    assert first["pager"][-1]["step"] == "Next"


def test_a_page_past_the_end_shows_the_last_page(client):
    body = search(client, q="MoRiLE", per_page=2, page=99)
    assert body["page"] == body["pages"] == 2
    assert len(body["results"]) == 2


def test_echo_repeats_the_request_as_understood(client):
    body = search(client, q="fraud", force=["CoLP", "BTP"], sort="oldest", page=1)
    assert body["echo"] == {
        "q": "fraud",
        "filters": {"force": ["CoLP", "BTP"]},
        "from": None,
        "to": None,
        "sort": "oldest",
        "page": 1,
        "per_page": 20,
        "group": None,
        "expand": True,
        "correct": True,
    }


@pytest.mark.parametrize(
    ("q", "needle"),
    [
        ("co-ordination", "co-ordination"),
        ("coordination", "co-ordination"),
        ("cyber crime", "cybercrime"),
        ("cybercrime", "cyber crime"),
        ("2018/19", "2018/19"),
        ("4P", "4P"),
        ('"£5 million"', "£5 million"),
        ("€34m", "€34m"),
        ("34m", "€34m"),
        ("Victims'", "victims"),
        ("organized crime", "organised crime"),
        ("recruit*", "recruiting"),
    ],
)
def test_forms_of_words_find_each_other(client, q, needle):
    texts = [r["text"] for r in search(client, q=q, per_page=100)["results"]]
    assert any(needle in t for t in texts), q


@pytest.mark.parametrize(
    ("q", "form"), [("offic?r", "officer"), ("recruiti*", "recruiting")]
)
def test_a_wildcard_matches_words_as_written_not_only_their_stems(client, q, form):
    # The text field holds stems (officer -> offic): a pattern written against the
    # word must still find it, and only words of that shape.
    results = search(client, q=q, per_page=100)["results"]
    assert results
    pattern = re.compile(q.replace("?", r"\w").replace("*", r"\w*"), re.I)
    assert all(pattern.search(r["text"] + " " + r["label"]) for r in results)
    assert any(form in r["text"].lower() for r in results)


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.lists(st.sampled_from(PIECES), max_size=10), st.sampled_from(["", " "]))
def test_no_query_makes_the_search_fail(client, pieces, joiner):
    response = client.get("/api/search", query_string={"q": joiner.join(pieces)})
    assert response.status_code == 200


def test_newest_first_keeps_each_documents_passages_in_reading_order(client):
    results = search(client, q="police", sort="newest", per_page=100)["results"]
    by_doc: dict[str, list[int]] = {}
    for r in results:
        by_doc.setdefault(r["doc_id"], []).append(r["position"])
    assert all(p == sorted(p) for p in by_doc.values())
    assert [r["date"] for r in results] == sorted(
        (r["date"] for r in results), reverse=True
    )
