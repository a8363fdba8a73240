"""Clear answers to bad input: broken themes files, huge selections, a forged Host.

Themes files here are written for the tests (two themes on custody and fraud),
and the portal serves the small corpus of ``tests/corpus/reliability``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from indexer.store.build import build
from portal.search.params import MAX_FILTER_VALUES
from tests.conftest import make_app

SMALL = Path(__file__).resolve().parents[2] / "corpus" / "reliability"
THEMES = """\
# Two themes for the tests.

[[theme]]
id = "custody"
label = "Custody"
description = "Detention in police custody suites."
query = "custody OR detainee"

[[theme]]
id = "fraud"
label = "Fraud"
description = "Fraud and its victims."
query = "fraud"
"""


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    root = tmp_path_factory.mktemp("clear")
    corpus = root / "corpus"
    shutil.copytree(SMALL, corpus)
    build(corpus, root / "index")
    return corpus, root / "index"


def _client(small, themes: bytes | None = None, **settings):
    corpus, index = small
    if themes is not None:
        (corpus / "themes.toml").write_bytes(themes)
    return make_app(index, corpus, **settings).test_client()


@pytest.mark.parametrize("depth", [50, 3000])
def test_deeply_nested_arrays_in_themes_toml_are_a_message_not_a_500(small, depth):
    text = f"extra = {'[' * depth}1{']' * depth}\n" + THEMES
    client = _client(small, text.encode())
    page = client.get("/compare")
    assert page.status_code == 200
    problems = client.get("/api/themes").get_json().get("problems", [])
    if depth > 1000:  # past Python's recursion limit: the file cannot be read
        assert any("nests arrays or tables too deeply" in p for p in problems)
    else:  # readable: both themes work, the stray top-level key is ignored
        assert [t["id"] for t in client.get("/api/themes").get_json()["themes"]] == [
            "custody",
            "fraud",
        ]


def test_a_deeply_nested_theme_value_is_that_themes_problem_only(small):
    text = THEMES.replace('query = "fraud"', f"query = {'[' * 40}1{']' * 40}")
    data = _client(small, text.encode()).get("/api/themes").get_json()
    assert [t["id"] for t in data["themes"]] == ["custody"]
    assert any("query must be quoted text" in p for p in data["problems"])


@pytest.mark.parametrize(
    ("old", "new", "line"),
    [
        (b'label = "Fraud"', b'label = "Fr\xe6ud"', 11),  # cp1252 in a value
        (b'label = "Fraud"', b'lab\xffel = "Fraud"', 11),  # in a key: not TOML
        (b'query = "fraud"', b'query = "fraud \xc3"', 13),  # a cut character
    ],
)
def test_invalid_utf8_drops_only_the_theme_that_holds_it(small, old, new, line):
    client = _client(small, THEMES.encode().replace(old, new))
    data = client.get("/api/themes").get_json()
    assert [t["id"] for t in data["themes"]] == ["custody"]
    assert data["problems"] == [
        f"theme 2: holds bytes that are not UTF-8 (line {line}); save the file as UTF-8"
    ]
    assert client.get("/compare?theme=custody").status_code == 200
    assert "holds bytes that are not UTF-8" in client.get("/compare").get_data(
        as_text=True
    )


def test_invalid_utf8_before_the_first_theme_keeps_every_theme(small):
    text = THEMES.encode().replace(b"# Two themes", b"# Tw\xf6 themes")
    data = _client(small, text).get("/api/themes").get_json()
    assert [t["id"] for t in data["themes"]] == ["custody", "fraud"]
    assert data["problems"] == [
        "themes.toml: line 1 is not UTF-8 and was left out; save the file as UTF-8"
    ]


def _facet_args(n: int) -> list[tuple[str, str]]:
    return [("force", f"Constabulary number {i}") for i in range(n)]


def test_a_huge_facet_selection_is_refused_with_a_message(small):
    client = _client(small, THEMES.encode())
    response = client.get("/api/search", query_string=_facet_args(400))
    assert response.status_code == 400
    assert "400 filter values are selected" in response.get_json()["error"]["message"]
    assert len(response.data) < 1000


def test_the_largest_selection_allowed_gives_a_bounded_answer(small):
    client = _client(small, THEMES.encode())
    response = client.get("/api/search", query_string=_facet_args(MAX_FILTER_VALUES))
    assert response.status_code == 200
    # Each facet link carries the selection: bounded by values x selection.
    assert len(response.data) < 2_000_000


def test_facets_list_at_most_the_cap_of_values_keeping_the_selected(small):
    from portal.search import facets

    client = _client(small, THEMES.encode())
    full = client.get("/api/search?q=custody").get_json()["facets"]
    biggest = max(full, key=lambda name: len(full[name]))
    values = [v["value"] for v in full[biggest]]
    assert len(values) >= 2
    original = facets.MAX_FACET_VALUES
    facets.MAX_FACET_VALUES = 1
    try:
        args = {"q": "custody", biggest: values[-1]}
        capped = client.get("/api/search", query_string=args).get_json()["facets"]
    finally:
        facets.MAX_FACET_VALUES = original
    shown = [v["value"] for v in capped[biggest]]
    assert len(shown) == 2 and values[-1] in shown


@pytest.mark.parametrize("host", ["evil.example", "evil.example:666", "127.0.0.1"])
def test_links_start_with_base_url_whatever_the_host_header(small, host):
    client = _client(small, THEMES.encode(), BASE_URL="https://oversight.example.org/")
    found = client.get("/api/search?q=custody").get_json()["results"][0]
    page = client.get(f"/p/{found['id']}", headers={"Host": host})
    text = page.get_data(as_text=True)
    canonical = (
        f'<link rel="canonical" href="https://oversight.example.org/p/{found["id"]}">'
    )
    assert canonical in text
    assert f'content="https://oversight.example.org/p/{found["id"]}"' in text
    assert host not in text
    csv = client.get("/search.csv?q=custody", headers={"Host": host}).get_data(
        as_text=True
    )
    assert "https://oversight.example.org/p/" in csv and host not in csv


@pytest.mark.parametrize(
    "value", ["oversight.example.org", "ftp://x", "https://", "/p"]
)
def test_a_base_url_that_is_not_an_address_stops_the_app_with_a_message(small, value):
    with pytest.raises(ValueError, match="is not the portal's public address"):
        _client(small, BASE_URL=value)
