"""Shipping a generation to replicas with rsync (:mod:`tools.ship`), on local folders.

A remote replica (``host:path``) is reached through rsync's remote shell; here a
shell that runs the command on this machine stands in for ssh, so the same rsync
commands a real ``host:path`` gets are run.
"""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest

from indexer.store.layout import CURRENT, current_generation
from indexer.store.manifest import damage
from tools import ship as ship_tool
from tools.ship import ShipError, ship, source_generation

needs_rsync = pytest.mark.skipif(
    shutil.which("rsync") is None,
    reason="rsync is not installed: apt-get install rsync (make deploy-tools as root)",
)


def _gens(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("gen-*"))


@needs_rsync
def test_two_new_replicas_receive_the_generation_whole_and_serve_it(
    tmp_path, index_dir
):
    generation = source_generation(index_dir)
    replicas = [tmp_path / "a" / "index", tmp_path / "b" / "index"]
    shipped = ship(generation, [str(r) for r in replicas], grace=0)
    assert [(s.before, s.now) for s in shipped] == [(None, generation.name)] * 2
    for replica in replicas:
        assert current_generation(replica) == replica / generation.name
        assert damage(replica / generation.name) == []
        assert (replica / CURRENT).read_text() == generation.name + "\n"
        # Only the generation and CURRENT travel: no lock, no parse cache.
        assert sorted(p.name for p in replica.iterdir()) == [
            CURRENT,
            generation.name,
        ]


@needs_rsync
def test_files_the_replica_already_holds_are_hard_linked_not_sent_again(
    tmp_path, index_dir
):
    index = tmp_path / "index"
    shutil.copytree(index_dir, index)
    old = current_generation(index)
    # A later generation whose files equal the served one's, as the segments an
    # incremental build links from the previous generation do (copy2 keeps times).
    new = index / (old.name.replace("gen-", "gen-9", 1))
    shutil.copytree(old, new)
    replica = tmp_path / "replica"
    ship(old, [str(replica)], grace=0)
    shipped = ship(new, [str(replica)], grace=0)
    assert (shipped[0].before, shipped[0].now) == (old.name, new.name)
    files = [p.name for p in new.iterdir() if p.is_file()]
    assert files
    for name in files:
        linked = replica / new.name / name
        assert linked.stat().st_ino == (replica / old.name / name).stat().st_ino
    assert damage(replica / new.name) == []
    assert current_generation(replica) == replica / new.name


@needs_rsync
def test_pruning_keeps_the_new_and_the_previous_generation_and_nothing_else_goes(
    tmp_path, index_dir
):
    generation = source_generation(index_dir)
    replica = tmp_path / "replica"
    for name in ("gen-1-old", "gen-2-older", "gen-3-previous"):
        (replica / name / "sub").mkdir(parents=True)
        (replica / name / "sub" / "file").write_text("x")
    (replica / CURRENT).write_text("gen-3-previous\n")
    (replica / "notes.txt").write_text("an operator's file")
    (replica / "generations-list").mkdir()
    ship(generation, [str(replica)], grace=0)
    assert _gens(replica) == sorted(["gen-3-previous", generation.name])
    assert (replica / "gen-3-previous" / "sub" / "file").read_text() == "x"
    assert (replica / "notes.txt").exists()
    assert (replica / "generations-list").is_dir()


@needs_rsync
def test_a_remote_replica_is_reached_through_rsyncs_remote_shell(
    tmp_path, index_dir, monkeypatch
):
    shell = tmp_path / "fake-ssh"
    # rsync runs `$RSYNC_RSH HOST rsync --server ...`: drop the host, run the rest here.
    shell.write_text('#!/bin/sh\nshift\nexec "$@"\n')
    shell.chmod(shell.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("RSYNC_RSH", str(shell))
    generation = source_generation(index_dir)
    replica = tmp_path / "remote" / "index"
    shipped = ship(generation, [f"replica-host:{replica}"], grace=0)
    assert shipped[0].now == generation.name
    assert current_generation(replica) == replica / generation.name
    assert damage(replica / generation.name) == []


@needs_rsync
def test_a_copy_that_fails_on_one_replica_swaps_none(tmp_path, index_dir, monkeypatch):
    shell = tmp_path / "flaky-ssh"
    # Two connections pass (reading the replica's CURRENT), the third is lost.
    shell.write_text(
        "#!/bin/sh\n"
        f"echo x >> {tmp_path}/calls\n"
        f'if [ "$(wc -l < {tmp_path}/calls)" -gt 2 ]; then\n'
        '  echo "connection lost" >&2; exit 255\nfi\n'
        'shift\nexec "$@"\n'
    )
    shell.chmod(shell.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("RSYNC_RSH", str(shell))
    generation = source_generation(index_dir)
    good = tmp_path / "good"
    with pytest.raises(ShipError, match="failed: .*connection lost"):
        ship(generation, [str(good), f"flaky-host:{tmp_path}/flaky"], grace=0)
    assert damage(good / generation.name) == []  # copied, but not served
    assert not (good / CURRENT).exists()


def test_a_damaged_generation_is_never_shipped(tmp_path, index_dir, capsys):
    index = tmp_path / "index"
    shutil.copytree(index_dir, index)
    generation = current_generation(index)
    documents = generation / "documents.json"
    documents.write_bytes(documents.read_bytes()[:-10])
    code = ship_tool.main(
        ["--index", str(index), "--to", str(tmp_path / "r"), "--grace", "0"]
    )
    assert code == 1
    assert "documents.json is" in capsys.readouterr().err
    assert not (tmp_path / "r").exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--generation", "gen-none"], "has no generation named 'gen-none'"),
        (["--generation", "../etc"], "has no generation named '../etc'"),
    ],
)
def test_a_generation_that_is_not_there_is_named_in_the_error(
    tmp_path, index_dir, capsys, argv, message
):
    code = ship_tool.main(["--index", str(index_dir), "--to", str(tmp_path), *argv])
    assert code == 1
    assert message in capsys.readouterr().err


def test_an_index_never_built_says_build_it_first(tmp_path, capsys):
    code = ship_tool.main(["--index", str(tmp_path), "--to", str(tmp_path / "r")])
    assert code == 1
    assert "has no generation to ship; build it first" in capsys.readouterr().err


def test_a_negative_grace_is_a_usage_error(tmp_path, index_dir, capsys):
    with pytest.raises(SystemExit) as exit_:
        ship_tool.main(["--index", str(index_dir), "--to", "x", "--grace", "-1"])
    assert exit_.value.code == 2
    assert "--grace and --stagger must be 0 or more" in capsys.readouterr().err


def test_without_rsync_the_error_says_how_to_install_it(
    tmp_path, index_dir, monkeypatch
):
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no rsync on it
    with pytest.raises(ShipError, match="rsync is not installed; install it with"):
        ship(source_generation(index_dir), [str(tmp_path / "r")], grace=0)


@needs_rsync
def test_the_command_ships_and_says_what_each_replica_served(
    tmp_path, index_dir, capsys
):
    name = source_generation(index_dir).name
    replica = tmp_path / "r"
    assert (
        ship_tool.main(
            ["--index", str(index_dir), "--to", str(replica), "--grace", "0"]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert f"{replica}: CURRENT (none) -> {name}" in out
    assert f"shipped {name} to 1 replica(s)" in out
    assert os.listdir(replica / name)


@needs_rsync
def test_a_stagger_pauses_between_swaps_while_only_the_first_replica_swapped(
    tmp_path, index_dir, monkeypatch
):
    old = source_generation(index_dir)
    index = tmp_path / "index"
    shutil.copytree(index_dir, index)
    new = index / old.name.replace("gen-", "gen-9", 1)
    shutil.copytree(old, new)
    replicas = [tmp_path / "a", tmp_path / "b"]
    ship(old, [str(r) for r in replicas], grace=0)
    pauses = []

    def sleep(seconds: float) -> None:
        pauses.append((seconds, [current_generation(r).name for r in replicas]))

    monkeypatch.setattr(ship_tool.time, "sleep", sleep)
    ship(new, [str(r) for r in replicas], grace=5, stagger=7)
    assert pauses == [(7, [new.name, old.name]), (5, [new.name, new.name])]
