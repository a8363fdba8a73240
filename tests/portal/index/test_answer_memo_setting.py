"""The ANSWER_MEMO setting: on by default; off, every answer is computed."""

from __future__ import annotations

from indexer.config import load_settings
from portal.index.handle import get_index
from tests.conftest import make_app


def _computed_twice(app) -> int:
    """Ask the served generation the same key twice; return how often it computed."""
    calls = []
    with app.app_context():
        handle = get_index()
        for _ in range(2):
            handle.remember(("q", "police"), lambda: calls.append(1) or "answer")
    return len(calls)


def test_the_memo_is_on_unless_the_environment_turns_it_off():
    assert load_settings({})["ANSWER_MEMO"] is True
    assert load_settings({"OVERSIGHT_ANSWER_MEMO": "0"})["ANSWER_MEMO"] is False
    assert load_settings({"OVERSIGHT_ANSWER_MEMO": "on"})["ANSWER_MEMO"] is True


def test_a_repeated_request_is_computed_again_with_the_memo_off(index_dir, corpus_dir):
    assert _computed_twice(make_app(index_dir, corpus_dir)) == 1
    off = make_app(index_dir, corpus_dir, ANSWER_MEMO=False)
    assert _computed_twice(off) == 2


def test_search_answers_are_the_same_with_the_memo_off(index_dir, corpus_dir):
    params = {"q": "organised crime", "per_page": 5}
    on = make_app(index_dir, corpus_dir).test_client()
    off = make_app(index_dir, corpus_dir, ANSWER_MEMO=False).test_client()
    first = on.get("/api/search", query_string=params).get_json()
    assert first["total"] > 0
    for _ in range(2):
        assert off.get("/api/search", query_string=params).get_json() == first
