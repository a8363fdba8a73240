"""The per-generation memo of a worker's index handle."""

from __future__ import annotations

from indexer.store.build import current_generation
from portal.index import handle as portal_index
from portal.index.handle import IndexHandle


def test_a_remembered_answer_is_computed_once(index_dir):
    handle = IndexHandle.open(current_generation(index_dir))
    calls = []
    try:
        for _ in range(3):
            value = handle.remember(("q", "crime"), lambda: calls.append(1) or "done")
        assert (value, len(calls)) == ("done", 1)
    finally:
        handle.close()


def test_the_memo_forgets_the_least_recently_used_answer(index_dir, monkeypatch):
    monkeypatch.setattr(portal_index, "MEMO_SIZE", 2)
    handle = IndexHandle.open(current_generation(index_dir))
    try:
        handle.remember("a", lambda: 1)
        handle.remember("b", lambda: 2)
        handle.remember("a", lambda: 1)  # "a" is now the most recent
        handle.remember("c", lambda: 3)
        assert list(handle.memo) == ["a", "c"]
    finally:
        handle.close()


def test_a_generation_opens_from_its_columns_with_every_passage_id(index_dir, client):
    handle = IndexHandle.open(current_generation(index_dir))
    try:
        assert len(handle.ids) == client.get("/healthz").get_json()["passages"]
        assert all(len(column) == len(handle.ids) for column in handle.values.values())
        assert ("2023",) in handle.values["year"]
    finally:
        handle.close()
