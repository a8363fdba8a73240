"""Disk conditions end a build in one line saying what to do, never a traceback.

A read-only index folder, a full disk (the partial generation removed), a full
corpus disk for the ledger, and a corpus file emptied or removed while a build
reads it. Each is simulated by making the write fail with the errno the kernel
gives; where this machine lets the test mount a tmpfs (as root), the read-only
folder and the full disk are also tested for real.
"""

from __future__ import annotations

import builtins
import errno
import gc
import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.cli import cli
from indexer.store import build as build_module
from indexer.store import generation, writer
from indexer.store.build import BuildError, build, current_generation
from indexer.store.manifest import damage

SMALL = Path(__file__).resolve().parents[2] / "corpus" / "reliability"
NOTE = "2021-07-07-note-stop-and-search.md"


@pytest.fixture
def corpus(tmp_path):
    target = tmp_path / "corpus"
    shutil.copytree(SMALL, target)
    return target


def _cli(corpus: Path, index: Path, *extra: str):
    return CliRunner().invoke(
        cli,
        ["build", "--quiet", "--corpus", str(corpus), "--index", str(index), *extra],
    )


def _one_line_error(result) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ")
    return lines[0]


def _fail_writes_under(monkeypatch, folder: Path, code: int) -> None:
    """Make each write (open for writing, mkdir) under ``folder`` fail with ``code``."""
    inside = str(folder)

    def refuse(path) -> None:
        if str(path).startswith(inside):
            raise OSError(code, os.strerror(code), str(path))

    real_open, real_os_open, real_mkdir = io.open, os.open, os.mkdir

    def opening(file, mode="r", *args, **kwargs):
        if any(c in mode for c in "wax+"):
            refuse(file)
        return real_open(file, mode, *args, **kwargs)

    def os_opening(path, flags, *args, **kwargs):
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            refuse(path)
        return real_os_open(path, flags, *args, **kwargs)

    def making(path, *args, **kwargs):
        refuse(path)
        return real_mkdir(path, *args, **kwargs)

    monkeypatch.setattr(io, "open", opening)
    monkeypatch.setattr(builtins, "open", opening)
    monkeypatch.setattr(os, "open", os_opening)
    monkeypatch.setattr(os, "mkdir", making)


def test_a_read_only_index_folder_is_one_line_saying_what_to_do(
    corpus, tmp_path, monkeypatch
):
    index = tmp_path / "index"
    index.mkdir()
    _fail_writes_under(monkeypatch, index, errno.EROFS)
    line = _one_line_error(_cli(corpus, index))
    assert "Read-only file system" in line and "--index DIR" in line


def test_a_full_disk_removes_the_partial_generation_and_keeps_the_served_one(
    corpus, tmp_path, monkeypatch
):
    index = tmp_path / "index"
    served = build(corpus, index).generation
    (corpus / NOTE).write_text("# Stop and search\n\nA note on stop and search.\n")

    def full(_generation):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(_generation))

    monkeypatch.setattr(build_module, "record_checksums", full)
    line = _one_line_error(_cli(corpus, index))
    assert "is full" in line and "partial generation was removed" in line
    assert not list(index.glob(".tmp-*"))
    assert current_generation(index).name == served
    assert damage(current_generation(index)) == []


def test_a_full_corpus_disk_is_not_reported_as_a_permission_problem(
    corpus, tmp_path, monkeypatch
):
    from indexer.permalinks import ledger

    def full(_handle, _lines):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(ledger, "_append", full)
    line = _one_line_error(_cli(corpus, tmp_path / "index"))
    assert "is full" in line and "writable" not in line
    assert not list((tmp_path / "index").glob(".tmp-*"))


def _emptied_on_load(monkeypatch, module, victim: str, remove: bool) -> None:
    real = module.load_text

    def load(raw):
        if raw.source == victim and raw.path is not None:
            raw.path.unlink() if remove else raw.path.write_bytes(b"")
        return real(raw)

    monkeypatch.setattr(module, "load_text", load)


@pytest.mark.parametrize("remove", [False, True])
@pytest.mark.parametrize("forced", [False, True])
def test_a_corpus_file_changed_during_a_build_is_a_problem_not_a_stop(
    corpus, tmp_path, monkeypatch, remove, forced
):
    index = tmp_path / "index"
    build(corpus, index)
    victim = "2020-06-30-mopac-letter-fraud-victims.txt"
    with (corpus / victim).open("a") as handle:
        handle.write("\nA postscript on romance fraud.\n")
    # An update reads changed files itself; a forced build reads them in writers.
    _emptied_on_load(monkeypatch, writer if forced else generation, victim, remove)
    result = _cli(corpus, index, "--force") if forced else _cli(corpus, index)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert f"{victim}: skipped: changed while the build was reading" in result.output
    assert "2 documents" in result.output
    assert damage(current_generation(index)) == []


def _can_mount(tmp_path: Path) -> bool:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    probe = tmp_path / "probe"
    probe.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(probe)],
        capture_output=True,
    )
    if done.returncode == 0:
        subprocess.run(["umount", str(probe)], check=True)
    return done.returncode == 0


@pytest.fixture
def tmpfs(tmp_path):
    """Mount a small tmpfs of the given size in KiB; unmount it afterwards."""
    if not _can_mount(tmp_path):
        pytest.skip("mounting a tmpfs needs root; the simulated tests above cover it")
    mounts = []

    def mount(kib: int, options: str = "") -> Path:
        point = tmp_path / f"tmpfs{len(mounts)}"
        point.mkdir()
        opts = f"size={kib}k" + (f",{options}" if options else "")
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", opts, "tmpfs", str(point)], check=True
        )
        mounts.append(point)
        return point

    yield mount
    for point in reversed(mounts):
        # A file a failed build left open keeps the mount busy: detach it lazily
        # then, or pytest's clean-up of old temporary folders trips on it later.
        if subprocess.run(["umount", str(point)], check=False).returncode:
            subprocess.run(["umount", "-l", str(point)], check=True)


def _size_kib(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) // 1024


# whoosh3 leaves the file it was writing open when the disk fills (its segment
# table of contents, in this build): collected here, in this test, not whenever a
# later test happens to collect it. A command-line build exits and closes it.
@pytest.mark.filterwarnings("ignore::ResourceWarning")
def test_a_real_full_tmpfs_ends_in_one_line_and_frees_the_partial_build(
    corpus, tmp_path, tmpfs
):
    probe = tmp_path / "probe-index"
    build(corpus, probe)
    disk = tmpfs(_size_kib(probe) * 3 // 2 + 64)  # one build fits, two do not
    index = disk / "index"
    served = build(corpus, index).generation
    before = shutil.disk_usage(disk).used
    line = _one_line_error(_cli(corpus, index, "--force"))
    assert "is full" in line
    gc.collect()
    assert not list(index.glob(".tmp-*"))
    assert shutil.disk_usage(disk).used <= before
    assert current_generation(index).name == served


def test_a_real_read_only_mount_ends_in_one_line(corpus, tmpfs):
    disk = tmpfs(1024)
    build(corpus, disk / "index")
    subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
    line = _one_line_error(_cli(corpus, disk / "index", "--force"))
    assert "Read-only file system" in line


def test_build_error_is_what_the_library_raises(corpus, tmp_path, monkeypatch):
    index = tmp_path / "index"
    index.mkdir()
    _fail_writes_under(monkeypatch, index, errno.EACCES)
    with pytest.raises(BuildError, match="Permission denied"):
        build(corpus, index)
