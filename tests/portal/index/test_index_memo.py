"""The served generation: what it derives, its answer memo, and its swap."""

from __future__ import annotations

import copy
import gc
import threading
import weakref

from indexer.store.build import build, current_generation
from portal.compare.service import CompareRequest, compare
from portal.index import generation as generation_module
from portal.index.generation import Generation
from portal.index.handle import get_index
from portal.search.service import SearchRequest, lexicon, search
from tests.conftest import make_app


def test_a_remembered_answer_is_computed_once(index_dir):
    handle = Generation.open(current_generation(index_dir))
    calls = []
    try:
        for _ in range(3):
            value = handle.remember(("q", "crime"), lambda: calls.append(1) or "done")
        assert (value, len(calls)) == ("done", 1)
    finally:
        handle.close()


def test_the_memo_forgets_the_least_recently_used_answer_past_its_bytes(
    index_dir, monkeypatch
):
    # Each answer pickles to a little over 400 bytes: two fit in 1,000, not three.
    monkeypatch.setattr(generation_module, "MEMO_BYTES", 1000)
    handle = Generation.open(current_generation(index_dir))
    computed = []

    def answer(key):
        return handle.remember(key, lambda: computed.append(key) or key * 400)

    try:
        answer("a"), answer("b"), answer("a")  # "a" is now the most recent
        answer("c")  # so "b" goes
        answer("a"), answer("c"), answer("b")
        assert computed == ["a", "b", "c", "b"]
    finally:
        handle.close()


def test_an_answer_larger_than_the_memo_is_answered_but_not_kept(
    index_dir, monkeypatch
):
    monkeypatch.setattr(generation_module, "MEMO_BYTES", 100)
    handle = Generation.open(current_generation(index_dir))
    computed = []
    try:
        for _ in range(2):
            value = handle.remember("big", lambda: computed.append(1) or "x" * 500)
        assert value == "x" * 500 and len(computed) == 2
    finally:
        handle.close()


def test_changing_a_remembered_answer_does_not_change_the_next(index_dir):
    handle = Generation.open(current_generation(index_dir))
    try:
        first = handle.remember("k", lambda: {"hits": [1, 2], "facets": {"y": [3]}})
        first["hits"].append(99)
        first["facets"]["y"].clear()
        again = handle.remember("k", lambda: {"hits": ["recomputed"]})
        again["hits"].clear()
        assert handle.remember("k", list) == {"hits": [1, 2], "facets": {"y": [3]}}
    finally:
        handle.close()


def test_changing_a_search_result_does_not_change_the_next_answer(app):
    with app.test_request_context():
        asked = SearchRequest(q="organised crime", filters={"type": ["letter"]})
        first = search(asked)
        expected = copy.deepcopy(first)
        assert first.results and first.facets["year"] and first.links
        first.results[0]["text"] = "changed"
        first.results.clear()
        first.facets["year"].clear()
        first.links.clear()
        again = search(asked)
    assert again == expected


def test_changing_a_comparison_does_not_change_the_next_answer(app):
    with app.test_request_context():
        asked = CompareRequest(q="victims", years=["2023", "2016"])
        first = compare(asked)
        expected = copy.deepcopy(first)
        assert any(c["passages"] for c in first["columns"])
        first["columns"][0]["passages"].clear()
        first["columns"].append({"year": 1999})
        again = compare(asked)
    assert again == expected


def test_a_generation_derives_each_structure_once(app):
    built = []

    def count_passages(handle):
        built.append(handle.path)
        return len(handle.ids)

    with app.test_request_context():
        handle = get_index()
        counts = {handle.derive(count_passages) for _ in range(3)}
        assert lexicon(get_index()) is lexicon(handle)
    assert counts == {len(handle.ids)} and built == [handle.path]


def test_the_threads_of_a_worker_share_the_generation_with_a_searcher_each(app):
    seen = []

    def read():
        with app.app_context():
            handle = get_index()
            seen.append((handle, handle.searcher, handle.scorer.searcher))

    threads = [threading.Thread(target=read) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(handle) for handle, _, _ in seen}) == 1
    assert len({id(searcher) for _, searcher, _ in seen}) == 3
    assert all(scorer is searcher for _, searcher, scorer in seen)


def test_a_thread_that_ends_closes_its_searcher(app):
    searchers = []

    def read():
        with app.app_context():
            searchers.append(get_index().searcher)

    thread = threading.Thread(target=read)
    thread.start()
    thread.join()
    gc.collect()
    (searcher,) = searchers
    assert searcher.is_closed
    with app.app_context():
        assert not get_index().searcher.is_closed  # this thread's is its own


def test_a_new_generation_replaces_the_old_one_whole(seed_copy):
    corpus, index = seed_copy  # the seed corpus as built, where a build takes seconds
    app = make_app(index, corpus)
    with app.test_request_context():
        old = get_index()
        searcher = old.searcher
        old_lexicon = lexicon(old)
        assert get_index() is old
    gone = weakref.ref(old)
    del old
    build(corpus, index, force=True)
    with app.test_request_context():
        new = get_index()
        assert new.path == current_generation(index) and lexicon(new) is not old_lexicon
    gc.collect()
    assert gone() is None  # nothing kept the old generation alive
    assert searcher.is_closed  # and its searcher closed with it


def test_a_generation_opens_from_its_columns_with_every_passage_id(index_dir, client):
    handle = Generation.open(current_generation(index_dir))
    try:
        assert len(handle.ids) == client.get("/healthz").get_json()["passages"]
        assert all(len(column) == len(handle.ids) for column in handle.values.values())
        assert ("2023",) in handle.values["year"]
    finally:
        handle.close()
