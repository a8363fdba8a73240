"""The indexer command line, through Click's test runner."""

from __future__ import annotations

import json
import shutil

from indexer.cli import cli
from tests.conftest import LETTER_2023, SEED_CORPUS


def test_build_prints_a_summary_and_is_idempotent(
    runner, corpus_dir, tmp_path, seed_counts
):
    args = ["build", "--corpus", str(corpus_dir), "--index", str(tmp_path / "ix")]
    first = runner.invoke(cli, args)
    assert first.exit_code == 0, first.output
    documents, passages = seed_counts
    assert f"{documents} documents, {passages} passages, 0 problems" in first.output
    second = runner.invoke(cli, args)
    assert second.exit_code == 0
    assert "up to date" in second.output


def test_build_names_each_problem_file(runner, corpus_dir, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(corpus_dir, corpus)
    (corpus / "notes.odt").write_bytes(b"PK")
    result = runner.invoke(
        cli, ["build", "--corpus", str(corpus), "--index", str(tmp_path / "ix")]
    )
    assert result.exit_code == 0
    assert "notes.odt: skipped: unsupported file type '.odt'" in result.output


def test_build_exits_non_zero_when_nothing_can_be_indexed(runner, tmp_path):
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "empty.txt").write_text("")
    result = runner.invoke(
        cli, ["build", "--corpus", str(tmp_path / "c"), "--index", str(tmp_path / "ix")]
    )
    assert result.exit_code == 1
    assert "Error: nothing could be indexed" in result.output
    assert "Traceback" not in result.output


def test_inspect_shows_metadata_furniture_and_passages(runner):
    result = runner.invoke(cli, ["inspect", str(SEED_CORPUS / f"{LETTER_2023}.txt")])
    assert result.exit_code == 0
    assert "author: Sophie Linden" in result.output
    assert "[signature-noise] Jane huden" in result.output
    assert "I write with regard to the inspection report" in result.output


def test_inspect_json_is_machine_readable(runner):
    result = runner.invoke(
        cli, ["inspect", "--json", str(SEED_CORPUS / f"{LETTER_2023}.txt")]
    )
    data = json.loads(result.output)
    assert data["date"] == "2023-07-18"
    assert len(data["passages_list"]) == data["passages"] == 4


def test_inspect_reports_an_unreadable_file_without_a_traceback(runner, tmp_path):
    (tmp_path / "empty.txt").write_text("")
    result = runner.invoke(cli, ["inspect", str(tmp_path / "empty.txt")])
    assert result.exit_code == 1
    assert "file is empty" in result.output


def test_help_settings_lists_every_setting(runner):
    result = runner.invoke(cli, ["--help-settings"])
    assert result.exit_code == 0
    assert "INDEX_DIR (OVERSIGHT_INDEX_DIR, default 'var/index')" in result.output
