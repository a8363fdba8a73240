"""Word-level diff of two passages with rapidfuzz edit operations."""

from __future__ import annotations

import pytest

from portal.reader.diff import word_diff


@pytest.mark.parametrize(
    ("a", "b", "ops"),
    [
        ("the cat sat", "the cat sat", [("equal", "the cat sat", "the cat sat")]),
        (
            "the cat sat",
            "the cat",
            [("equal", "the cat", "the cat"), ("delete", "sat", "")],
        ),
        (
            "the cat",
            "the black cat",
            [("equal", "the", "the"), ("insert", "", "black"), ("equal", "cat", "cat")],
        ),
        (
            "the cat sat",
            "the dog sat",
            [
                ("equal", "the", "the"),
                ("replace", "cat", "dog"),
                ("equal", "sat", "sat"),
            ],
        ),
        ("", "new words", [("insert", "", "new words")]),
    ],
)
def test_word_operations_on_known_strings(a, b, ops):
    result = word_diff(a, b)
    assert [(o["op"], o["a"], o["b"]) for o in result["ops"]] == ops


def test_case_and_punctuation_do_not_count_as_changes_but_are_shown():
    result = word_diff("The report, published.", "the Report published")
    assert [o["op"] for o in result["ops"]] == ["equal"]
    assert result["ops"][0]["a"] == "The report, published."
    assert result["similarity"] == 100


@pytest.mark.parametrize(
    ("a", "b", "similarity"),
    [
        ("a b c d", "a b c d", 100),
        ("a b c d", "w x y z", 0),
        ("a b c d", "a b x y", 50),
        ("", "", 100),
    ],
)
def test_similarity_runs_from_0_to_100(a, b, similarity):
    assert word_diff(a, b)["similarity"] == similarity


def test_the_diff_page_shows_two_letter_openings_with_marked_changes(client):
    echo = client.get('/api/compare?q="write with regard"').get_json()["echoes"][0]
    body = client.get(f"/api/diff?a={echo['a']}&b={echo['b']}").get_json()
    assert body["a"]["id"] == echo["a"] and body["b"]["id"] == echo["b"]
    assert 0 < body["similarity"] < 100
    assert body["ops"][0] == {
        "op": "equal",
        "a": "I write with regard to the",
        "b": "I write with regard to the",
    }
    page = client.get(echo["diff_url"]).get_data(as_text=True)
    assert "<ins>" in page or "<del>" in page or "diff-replace" in page


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("", 400, "give two passage ids"),
        ("a=rmsdnhc4rc", 400, "give two passage ids"),
        ("a=nope&b=rmsdnhc4rc", 404, "no passage has the id 'nope'"),
    ],
)
def test_bad_diff_requests_get_a_clear_error(client, query, status, message):
    response = client.get(f"/api/diff?{query}")
    assert response.status_code == status
    assert message in response.get_json()["error"]["message"]
    assert client.get(f"/diff?{query}").status_code == status
