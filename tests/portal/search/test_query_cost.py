"""Query cost is bounded: linear parse work, a nesting limit, a term budget, a deadline.

Bounds are asserted on work counted (calls that build a query node), never on the
wall clock; the deadline is tested by a limit that has always passed.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh.qparser import syntax

from indexer.analysis.schema import build_schema
from portal.search import cost
from portal.search.query import parse
from tests.conftest import make_app

SCHEMA = build_schema()
# The nested forms of the report: each level one more two-child group.
FORMS = [
    ("-(", ")"),
    ("a ANDNOT (", ")"),
    ("a ANDMAYBE (", ")"),
    ("(x NOT (", "))"),
    ("+a -(", ")"),
]
QUERY_ROUTES = [
    "/search",
    "/api/search",
    "/search.csv",
    "/compare",
    "/compare/trend",
    "/api/compare",
    "/api/trend",
]


@pytest.fixture
def node_builds(monkeypatch):
    """Count every query built from a word node during a parse."""
    calls = []
    original = syntax.WordNode.query

    def counted(self, parser):
        calls.append(self)
        return original(self, parser)

    monkeypatch.setattr(syntax.WordNode, "query", counted)
    return calls


@pytest.mark.parametrize(("opening", "closing"), FORMS)
def test_nested_groups_build_each_word_once(node_builds, opening, closing):
    levels = cost.MAX_DEPTH // opening.count("(")
    q = opening * levels + "police" + closing * levels
    result = parse(q, SCHEMA)
    words = [w for w in q.replace("(", " ").replace(")", " ").split()]
    words = [w for w in words if w not in {"ANDNOT", "ANDMAYBE", "NOT", "-", "+"}]
    assert not result.fallback
    # Each word becomes one node per searched field, built once (text and label);
    # before the fix the deepest word alone was built 2 ** 8 times.
    assert len(node_builds) <= 2 * len(words)


@pytest.mark.parametrize(("opening", "closing"), FORMS)
def test_nesting_deeper_than_the_limit_falls_back_to_plain_words(opening, closing):
    depth = cost.MAX_DEPTH + 1
    result = parse(opening * depth + "custody" + closing * depth, SCHEMA)
    assert result.fallback
    assert "nest" in result.notices[0] and "plain words" in result.notices[0]


def test_hundreds_of_brackets_fall_back_instead_of_recursing():
    result = parse("(" * 480 + "custody" + ")" * 480, SCHEMA)
    assert result.fallback
    assert result.understood == "custody"


def test_a_long_chain_of_operators_falls_back_with_a_notice():
    result = parse("a ANDNOT b " * 60 + "c", SCHEMA)
    assert result.fallback
    assert "60 of NOT, ANDNOT and ANDMAYBE" in result.notices[0]


def test_hundreds_of_nots_fall_back_instead_of_recursing():
    result = parse("NOT " * 240 + "custody", SCHEMA)
    assert result.fallback and result.understood == "custody"


def test_many_flat_operators_are_read_as_written():
    result = parse(" ".join(["fraud", "AND", "cyber", "OR", "-theft"] * 60), SCHEMA)
    assert not result.fallback


TOKENS = st.sampled_from(
    ["(", ")", "-(", "+(", "-", "+", "AND", "OR", "NOT", "ANDNOT", "ANDMAYBE",
     "police", "custody", "soc", '"', "year:2023", "author:", "po*", "x"]
)  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(TOKENS, max_size=120), st.sampled_from(["", " "]))
def test_any_operator_string_parses_with_work_bounded_by_its_length(tokens, glue):
    calls = []
    original = syntax.WordNode.query

    def counted(self, parser):
        calls.append(self)
        return original(self, parser)

    syntax.WordNode.query = counted
    try:
        result = parse(glue.join(tokens) if glue else " ".join(tokens), SCHEMA)
    finally:
        syntax.WordNode.query = original
    assert result.query is not None
    # Every word is built at most once per field it is searched in.
    assert len(calls) <= 2 * len(tokens) + 2


@pytest.mark.parametrize("route", QUERY_ROUTES)
@pytest.mark.parametrize("depth", [19, 480])
def test_deeply_nested_queries_are_answered_on_every_query_route(client, route, depth):
    response = client.get(route, query_string={"q": "-(" * depth + "x" + ")" * depth})
    assert response.status_code in (200, 400)


def test_a_nested_query_over_http_says_it_was_read_as_plain_words(client):
    q = "police -(" * 19 + "x" + ")" * 19
    data = client.get("/api/search", query_string={"q": q}).get_json()
    assert any("nest 19 deep" in n for n in data["notices"])


def test_a_wildcard_expanding_past_the_budget_is_refused_with_a_message(
    client, monkeypatch
):
    monkeypatch.setattr(cost, "MAX_TERMS", 3)
    response = client.get("/api/search", query_string={"q": "po*"})
    assert response.status_code == 400
    message = response.get_json()["error"]["message"]
    assert "more than 3 words" in message and "po*" in message
    page = client.get("/search", query_string={"q": "po*"})
    assert page.status_code == 400 and b"type more letters" in page.data


def test_a_wildcard_within_the_budget_is_searched(client):
    data = client.get("/api/search", query_string={"q": "po*"}).get_json()
    assert data["total"] > 0


def test_too_many_plain_words_are_refused_with_a_message(client, monkeypatch):
    monkeypatch.setattr(cost, "MAX_TERMS", 5)
    response = client.get("/api/search", query_string={"q": "a b c d e f g"})
    assert response.status_code == 400
    assert "use fewer words" in response.get_json()["error"]["message"]


def test_a_request_past_its_time_limit_answers_503_with_a_message(
    index_dir, corpus_dir
):
    # A limit of a nanosecond has passed by the time the search checks it.
    client = make_app(index_dir, corpus_dir, REQUEST_SECONDS=1e-9).test_client()
    response = client.get("/api/search", query_string={"q": "police"})
    assert response.status_code == 503
    assert (
        "took longer than the portal allows" in response.get_json()["error"]["message"]
    )
    page = client.get("/search", query_string={"q": "police"})
    assert page.status_code == 503 and b"simpler query" in page.data
    # The limit stops searches, not the portal: health still answers.
    assert client.get("/healthz").status_code == 200


def test_the_deadline_is_per_request_and_cleared_after_it(index_dir, corpus_dir):
    client = make_app(index_dir, corpus_dir, REQUEST_SECONDS=30).test_client()
    assert client.get("/api/search", query_string={"q": "police"}).status_code == 200
    cost.check_deadline()  # no request: no deadline left behind on this thread


def test_check_deadline_raises_once_the_deadline_has_passed():
    cost.start_deadline(-1)  # zero or less: no limit
    cost.check_deadline()
    cost.start_deadline(1e-9)
    with pytest.raises(cost.RequestTimeoutError):
        cost.check_deadline()
    cost.clear_deadline()
