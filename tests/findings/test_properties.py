"""Arbitrary filters and ids thrown at the findings routes never produce a 5xx."""

from __future__ import annotations

from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import make_app

ROUTES = ["/findings", "/api/findings", "/findings.csv"]
NAMES = ["kind", "force", "report", "year", "grade", "answered"]
PROPERTIES = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
values = st.one_of(
    text,
    st.sampled_from(["recommendation", "yes", "no", "2023", "good", "MPS", "0", ""]),
)
params = st.lists(
    st.tuples(st.one_of(st.sampled_from(NAMES), text), values), max_size=5
)


@pytest.fixture(scope="module")
def fclient(findings_index, findings_corpus):
    return make_app(findings_index, findings_corpus).test_client()


def _check(client, url: str) -> None:
    with client.get(url) as response:
        assert response.status_code < 500, (url, response.status_code)
        if url.startswith("/api/") and not 300 <= response.status_code < 400:
            body = response.get_json()
            assert body["ok"] is (response.status_code == 200)


@PROPERTIES
@given(route=st.sampled_from(ROUTES), pairs=params)
def test_any_filters_answer_without_a_server_error(fclient, route, pairs):
    _check(fclient, f"{route}?{urlencode(pairs)}")


@PROPERTIES
@given(route=st.sampled_from(["/findings/", "/api/findings/"]), ident=text)
def test_any_finding_id_answers_without_a_server_error(fclient, route, ident):
    _check(fclient, route + quote(ident, safe=""))
