"""The one atomic write, pickle cache and lock (``indexer.files``)."""

from __future__ import annotations

import os
import pickle

import pytest

from indexer.files import (
    LockedError,
    exclusive_lock,
    read_pickle,
    write_atomic,
    write_pickle,
)


def test_an_atomic_write_replaces_the_file_whole_and_leaves_nothing_else(tmp_path):
    target = tmp_path / "CURRENT"
    write_atomic(target, "gen-1\n")
    write_atomic(target, b"gen-2\n")
    assert target.read_text() == "gen-2\n"
    assert [p.name for p in tmp_path.iterdir()] == ["CURRENT"]


def test_a_failed_atomic_write_keeps_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "data.pickle"
    write_pickle(target, {"kept": True})
    with pytest.raises((pickle.PicklingError, AttributeError)):
        write_pickle(target, lambda: None)  # a lambda cannot be pickled
    assert read_pickle(target) == {"kept": True}
    assert [p.name for p in tmp_path.iterdir()] == ["data.pickle"]


def test_an_atomic_write_into_a_missing_folder_raises_os_error(tmp_path):
    with pytest.raises(OSError):
        write_atomic(tmp_path / "gone" / "file", "x")


@pytest.mark.parametrize("content", [b"", b"not a pickle", pickle.dumps(1)[:-1]])
def test_an_unreadable_pickle_reads_as_none(tmp_path, content):
    path = tmp_path / "cache.pickle"
    path.write_bytes(content)
    assert read_pickle(path) is None
    assert read_pickle(tmp_path / "missing.pickle") is None


def test_a_lock_held_by_another_process_is_refused_naming_the_holder(tmp_path):
    path = tmp_path / "build.lock"
    ready_r, ready_w = os.pipe()
    done_r, done_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child holds the lock until the parent has tried it
        try:
            with exclusive_lock(path):
                os.write(ready_w, b"1")
                os.read(done_r, 1)
        finally:
            os._exit(0)
    try:
        os.read(ready_r, 1)
        with pytest.raises(LockedError) as raised, exclusive_lock(path):
            pass
        assert raised.value.holder == str(pid)
    finally:
        os.write(done_w, b"1")
        os.waitpid(pid, 0)
    with exclusive_lock(path):  # released when its holder let go
        assert path.read_text() == str(os.getpid())
