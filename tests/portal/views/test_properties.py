"""Property-based tests: arbitrary strings and parameters never produce a 5xx.

The routes visited are listed here, and a test checks the list against the app's
URL map both ways: a listed route that is gone fails (it would only answer 404,
which would pass), and a route added to the app without being listed fails too.
"""

from __future__ import annotations

import re
from urllib.parse import quote, quote_from_bytes, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import make_app

# Routes that take only query parameters.
SEARCH_ROUTES = [
    "/", "/search", "/search.csv", "/help", "/healthz", "/api/search",
    "/api/documents", "/compare", "/compare/trend", "/diff", "/align",
    "/api/themes", "/api/compare", "/api/trend", "/api/diff", "/api/align",
    "/search.atom", "/opensearch.xml", "/robots.txt", "/sitemap.xml",
    "/sitemap-documents.xml", "/data", "/findings", "/findings.csv", "/api/findings",
]  # fmt: skip
# Routes with one path argument, written where "{}" stands.
ID_ROUTES = [
    "/p/{}", "/api/passages/{}", "/docs/{}", "/docs/{}/source",
    # Reference files, bibliographies, passage sitemaps and bulk files: every
    # placeholder gets the same arbitrary text (an unknown format answers 404).
    "/p/{}.{}", "/docs/{}.{}", "/search.{}", "/sitemap-passages-{}.xml", "/data/{}",
    "/findings/{}", "/api/findings/{}",
]  # fmt: skip
# /static/<path:filename> is visited by the traversal tests in test_security.py.
NOT_VISITED = {"/static/<path:filename>"}
KNOWN_NAMES = [
    "q", "page", "per_page", "sort", "year", "author", "force", "doc", "type",
    "from", "to", "theme", "years", "hl", "a", "b", "letter", "literal",
]  # fmt: skip
PROPERTIES = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# Any text a URL can carry: lone surrogates cannot be encoded, so they are left out.
text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)
numberish = st.one_of(
    st.integers(-(10**30), 10**30).map(str),
    st.sampled_from(["0", "-1", "1e9", "NaN", "inf", " 3 ", "0x10", "٣", "1_000"]),
)
queries = st.one_of(
    text,
    st.sampled_from(['"', "(", ")", "AND", "OR NOT", "*", "?", "field:", "year:[",
                     "a" * 1001, "title:*", "\\", "~", "^2", "{}", "[a TO]"]),
)  # fmt: skip
values = st.one_of(text, numberish, queries)
params = st.lists(
    st.tuples(st.one_of(st.sampled_from(KNOWN_NAMES), text), values), max_size=6
)


@pytest.fixture(scope="module")
def app(index_dir, corpus_dir):
    return make_app(index_dir, corpus_dir)


@pytest.fixture(scope="module")
def client(app):
    """One client for every example: the app has no per-request state to reset."""
    return app.test_client()


def test_the_routes_visited_are_exactly_the_apps_get_routes(app):
    routes = {
        re.sub(r"<[^>]+>", "{}", rule.rule)
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and rule.rule not in NOT_VISITED
    }
    assert routes == set(SEARCH_ROUTES) | set(ID_ROUTES)


def _check(client, url: str) -> None:
    with client.get(url) as response:
        assert response.status_code < 500, (url, response.status_code)
        # A redirect (an old permalink, a doubled slash) has no body to check.
        if url.startswith("/api/") and not 300 <= response.status_code < 400:
            assert response.is_json, url
            body = response.get_json()
            if response.status_code >= 400:
                assert body["error"]["status"] == response.status_code
                assert body["error"]["message"]


@PROPERTIES
@given(route=st.sampled_from(SEARCH_ROUTES), pairs=params)
def test_arbitrary_parameters_never_cause_a_server_error(client, route, pairs):
    _check(client, f"{route}?{urlencode(pairs)}")


@PROPERTIES
@given(route=st.sampled_from(SEARCH_ROUTES), raw=st.binary(max_size=80))
def test_arbitrary_bytes_in_the_query_string_never_cause_a_server_error(
    client, route, raw
):
    _check(client, f"{route}?q={quote_from_bytes(raw)}&{quote_from_bytes(raw)}=1")


@PROPERTIES
@given(q=queries, page=numberish, per_page=numberish, sort=text)
def test_any_query_with_any_paging_answers_200_or_400(client, q, page, per_page, sort):
    args = {"q": q, "page": page, "per_page": per_page, "sort": sort}
    for route in ("/api/search", "/search"):
        with client.get(route, query_string=args) as response:
            status, location = response.status_code, response.headers.get("Location")
        if status == 303 and route == "/search":
            # A form's empty fields are dropped by one redirect to the clean URL.
            assert "" in args.values(), (route, args)
            assert not re.search(r"=(&|$)", location), location
            with client.get(location) as response:
                status = response.status_code
        assert status in (200, 400), (route, args)


@PROPERTIES
@given(route=st.sampled_from(ID_ROUTES), ident=st.one_of(text, st.binary(max_size=40)))
def test_arbitrary_ids_never_cause_a_server_error(client, route, ident):
    if isinstance(ident, bytes):
        path = quote_from_bytes(ident, safe="")
    else:
        path = quote(ident, safe="")
    _check(client, route.format(*[path] * route.count("{}")))
