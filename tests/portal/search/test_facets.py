"""Facet counts against values counted by hand in the seed corpus.

"cybercrime" (or "cyber crime") is in 12 paragraphs: one of the 2016 letter, which
names the MPS and the CoLP, and eleven of the 2023 report: seven under the City of
London Police's sections, one under the BTP's that also names the CoLP, two under
the MPS's, and one in the introduction that names no force. So the forces count
CoLP 9, MPS 3, BTP 1: thirteen force values over twelve passages.
"""

from __future__ import annotations

from unittest.mock import patch

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.index.handle import get_index
from portal.index.values import encode_values
from portal.search import facets
from portal.search.facets import allowed_mask, count_facets
from portal.search.links import facet_url_maker, search_url
from portal.search.service import SearchRequest
from tests.conftest import LETTER_2016, REPORT_2023


def counts(client, **params) -> tuple[int, dict[str, dict[str, int]]]:
    """Return the total and the facet counts of an API search."""
    body = client.get("/api/search", query_string={"per_page": 1, **params}).get_json()
    facets = {
        name: {item["value"]: item["count"] for item in values}
        for name, values in body["facets"].items()
    }
    return body["total"], facets


def test_counts_for_a_query_match_the_hand_count(client):
    total, facets = counts(client, q="cybercrime")
    assert total == 12
    assert facets["year"] == {"2023": 11, "2016": 1}
    assert facets["force"] == {"CoLP": 9, "MPS": 3, "BTP": 1}
    assert facets["type"] == {"report": 11, "letter": 1}
    assert facets["author"] == {"HMICFRS": 11, "Stephen Greenhalgh": 1}
    assert facets["doc"] == {REPORT_2023: 11, LETTER_2016: 1}


def test_a_facet_ignores_its_own_choice_but_not_the_others(client):
    total, facets = counts(client, q="cybercrime", force="CoLP")
    assert total == 9
    # The force counts are those of the query alone, so siblings stay visible.
    assert facets["force"] == {"CoLP": 9, "MPS": 3, "BTP": 1}
    assert facets["year"] == {"2023": 8, "2016": 1}
    assert facets["type"] == {"report": 8, "letter": 1}


def test_values_of_one_facet_combine_with_or(client):
    # CoLP's 9 plus the MPS's two report paragraphs; the 2016 letter counts once.
    total, _ = counts(client, q="cybercrime", force=["CoLP", "MPS"])
    assert total == 11


def test_different_facets_combine_with_and(client):
    total, facets = counts(client, q="cybercrime", force=["CoLP", "MPS"], year="2023")
    assert total == 10
    assert facets["force"] == {"CoLP": 8, "MPS": 2, "BTP": 1}
    assert facets["year"] == {"2023": 10, "2016": 1}


def test_a_chosen_value_without_matches_is_listed_with_zero(client):
    total, facets = counts(client, q="cybercrime", force="Kent")
    assert total == 0
    assert facets["force"]["Kent"] == 0


def test_the_date_range_restricts_every_facet(client):
    total, facets = counts(
        client, q="cybercrime", **{"from": "2016-01-01", "to": "2016-12-31"}
    )
    assert total == 1
    assert facets["year"] == {"2016": 1}
    assert facets["force"] == {"MPS": 1, "CoLP": 1}


def test_with_no_query_the_counts_are_the_passages_of_each_document(client):
    documents = client.get("/api/documents").get_json()["documents"]
    total, facets = counts(client)
    assert total == sum(d["passages"] for d in documents)
    assert facets["doc"] == {d["id"]: d["passages"] for d in documents}


def test_toggle_urls_add_and_remove_a_value(client):
    body = client.get("/api/search?q=cybercrime&force=CoLP").get_json()
    force = {item["value"]: item for item in body["facets"]["force"]}
    assert force["CoLP"]["selected"] is True
    assert force["CoLP"]["toggle_url"] == "/search?q=cybercrime"
    assert force["MPS"]["toggle_url"] == "/search?q=cybercrime&force=CoLP&force=MPS"
    assert body["chips"] == [
        {
            "facet": "force",
            "value": "CoLP",
            "label": "Force: CoLP",
            "remove_url": "/search?q=cybercrime",
        }
    ]


def test_counting_directly_over_document_numbers(app):
    with app.test_request_context():
        handle = get_index()
        req = SearchRequest(filters={"force": ["BTP"]})
        btp = np.flatnonzero(allowed_mask(handle, req.filters))
        every = set(range(handle.searcher.doc_count_all()))
        facets = count_facets(handle, every, req)
    by_force = {item["value"]: item["count"] for item in facets["force"]}
    # Multi-valued forces: each passage counts once for each force it names.
    assert by_force["BTP"] == len(btp)
    with_a_force = sum(1 for n in every if handle.values["force"][n])
    assert sum(by_force.values()) > with_a_force


@pytest.mark.parametrize("facet", ["year", "author", "force", "doc", "type"])
def test_every_facet_is_reported_even_when_nothing_matches(client, facet):
    _, facets = counts(client, q="zzzzqqq", correct="0")
    assert facets[facet] == {}


@pytest.mark.parametrize(
    "state",
    [
        {},
        {"q": "organised crime"},
        {"q": '"A & B" = 100%', "filters": {"force": ["BTP", "CoLP"]}},
        {"q": "fraud", "filters": {"year": ["2016"], "type": ["letter"]}},
        {"filters": {"doc": ["x y"]}, "sort": "newest", "per_page": 50},
        {"q": "é/ü?#", "date_from": "2016-01-01", "expand": False, "correct": False},
    ],
)
@pytest.mark.parametrize("name", ["year", "author", "force", "doc", "type"])
@pytest.mark.parametrize("values", [[], ["2016"], ["MPS", "City of London & Co"]])
def test_facet_toggle_links_are_the_same_as_a_full_search_url(state, name, values):
    req = SearchRequest(**state)
    assert facet_url_maker(req, name)(values) == search_url(req, **{name: values})


@settings(max_examples=80, deadline=None)
@given(
    column=st.lists(
        st.sampled_from(["b", "B", "a", "c", "Zed", "zed", "d", "e"]).map(
            lambda v: (v,)
        ),
        min_size=1,
        max_size=40,
    ),
    chosen=st.lists(
        st.sampled_from(["a", "B", "zed", "gone", "Gone", "e"]), max_size=4
    ),
    data=st.data(),
)
def test_values_are_ordered_and_capped_as_sorting_every_count_would(
    column, chosen, data
):
    # The reference: every value's count in a dict, sorted by count then name
    # (case ignored, ties in first-seen order), the first few kept, chosen ones
    # always, chosen values no passage has at 0.
    codes = encode_values(column)
    marks = data.draw(
        st.lists(st.booleans(), min_size=len(column), max_size=len(column))
    )
    mask = np.array(marks, bool)
    counts = codes.count(mask)
    for value in chosen:
        counts.setdefault(value, 0)
    order = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].lower()))
    expected = order[:3] + [kv for kv in order[3:] if kv[0] in chosen]
    with patch.object(facets, "MAX_FACET_VALUES", 3):
        assert facets._by_count(codes, codes.counts(mask), chosen) == expected
