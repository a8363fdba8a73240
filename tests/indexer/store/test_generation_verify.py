"""Generations verify themselves: checksums, rebuild when damaged, fallback, CURRENT.

Built from the small corpus in ``tests/corpus/reliability`` (two letters and a
report written for these tests), so each test owns its index folder.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.cli import cli
from indexer.store.build import build, current_generation, read_manifest
from indexer.store.manifest import FILES, damage, is_generation_name
from tests.conftest import make_app

SMALL = Path(__file__).resolve().parents[2] / "corpus" / "reliability"


@pytest.fixture
def small(tmp_path):
    """A copy of the small corpus and an index folder holding one generation."""
    corpus = tmp_path / "corpus"
    shutil.copytree(SMALL, corpus)
    index = tmp_path / "index"
    build(corpus, index)
    return corpus, index


def _second_generation(corpus: Path, index: Path) -> tuple[Path, Path]:
    """Build again after adding a note; return (previous, current) generations."""
    previous = current_generation(index)
    (corpus / "2021-03-01-note-stop-and-search.md").write_text(
        "# Stop and search\n\nA note on stop and search in Lambeth.\n"
    )
    build(corpus, index)
    return previous, current_generation(index)


def _first(generation: Path, suffix: str) -> Path:
    return next(p for p in sorted(generation.iterdir()) if p.name.endswith(suffix))


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: max(0, path.stat().st_size // 2)])


def _reshape(path: Path) -> None:
    data = json.loads(path.read_text())
    path.write_text(json.dumps([] if isinstance(data, dict) else {}))


DAMAGE = [
    ("acronyms.json", _truncate),
    ("vocabulary.json", _truncate),
    (".pst", _truncate),
    (".toc", _truncate),
    ("columns.json", _reshape),
    ("documents.json", _reshape),
    ("redirects.json", _reshape),
]


def test_the_manifest_records_a_checksum_of_every_file(small):
    _, index = small
    generation = current_generation(index)
    files = read_manifest(generation)[FILES]
    on_disk = {
        p.name for p in generation.iterdir() if p.name not in {"manifest.json"}
    } - {"MAIN_WRITELOCK"}
    assert set(files) == on_disk
    assert all(len(entry["sha256"]) == 64 for entry in files.values())
    assert damage(generation) == []


@pytest.mark.parametrize(("suffix", "spoil"), DAMAGE)
def test_each_damaged_file_is_found_and_the_build_rebuilds(small, suffix, spoil):
    corpus, index = small
    served = current_generation(index)
    spoil(_first(served, suffix))
    wrong = damage(served)
    assert wrong and suffix in wrong[0]
    report = build(corpus, index)
    assert not report.up_to_date
    assert report.damaged == wrong
    assert report.generation != served.name
    assert damage(current_generation(index)) == []


@pytest.mark.parametrize(("suffix", "spoil"), DAMAGE)
def test_the_cli_reports_the_damage_and_rebuilds_instead_of_up_to_date(
    small, suffix, spoil
):
    corpus, index = small
    spoil(_first(current_generation(index), suffix))
    result = CliRunner().invoke(
        cli, ["build", "--corpus", str(corpus), "--index", str(index), "--quiet"]
    )
    assert result.exit_code == 0, result.output
    assert "up to date" not in result.output
    assert "the served generation was damaged" in result.output and suffix in (
        result.output
    )


@pytest.mark.parametrize(("suffix", "spoil"), DAMAGE)
def test_the_portal_falls_back_to_the_newest_intact_generation(small, suffix, spoil):
    corpus, index = small
    previous, served = _second_generation(corpus, index)
    spoil(_first(served, suffix))
    client = make_app(index, corpus).test_client()
    health = client.get("/healthz")
    assert health.status_code == 200
    data = health.get_json()
    assert data["status"] == "degraded" and data["index_version"] == previous.name
    assert served.name in data["notice"] and suffix in data["notice"]
    assert client.get("/api/search?q=custody").get_json()["total"] > 0
    docs = client.get("/api/documents").get_json()["documents"]
    assert client.get(f"/docs/{docs[0]['id']}").status_code == 200
    assert client.get("/compare?q=custody").status_code == 200


@pytest.mark.parametrize(("suffix", "spoil"), DAMAGE)
def test_a_damaged_generation_with_no_fallback_answers_503_saying_what(
    small, suffix, spoil
):
    corpus, index = small
    spoil(_first(current_generation(index), suffix))
    client = make_app(index, corpus).test_client()
    health = client.get("/healthz")
    assert health.status_code == 503
    message = health.get_json()["error"]["message"]
    assert "damaged" in message and suffix in message and "make index" in message
    for path in ("/api/search?q=custody", "/search?q=custody", "/compare?q=fraud"):
        assert client.get(path).status_code == 503


def test_a_file_damaged_while_served_is_noticed_on_the_next_request(small):
    corpus, index = small
    previous, served = _second_generation(corpus, index)
    client = make_app(index, corpus).test_client()
    assert client.get("/healthz").get_json()["status"] == "ok"
    _truncate(_first(served, ".pst"))
    data = client.get("/healthz").get_json()
    assert data["status"] == "degraded" and data["index_version"] == previous.name


CURRENT_CONTENTS = [
    b"\xff\xfe\x00garbage",
    b"/",
    b".",
    b"..",
    b"../",
    b"../outside",
    b"gen-1/../../outside",
    b"",
    b"gen-20000101T000000000000-deadbeef",
    b"manifest.json",
]


@pytest.mark.parametrize("content", CURRENT_CONTENTS)
def test_current_names_only_a_generation_inside_the_index_folder(small, content):
    corpus, index = small
    (index.parent / "outside").mkdir()
    (index / "CURRENT").write_bytes(content)
    assert current_generation(index) is None
    assert build(corpus, index).generation  # a plain build: no crash
    assert is_generation_name(current_generation(index).name)
    (index / "CURRENT").write_bytes(content)
    result = CliRunner().invoke(
        cli, ["build", "--corpus", str(corpus), "--index", str(index), "--force"]
    )
    assert result.exit_code == 0, result.output
    assert current_generation(index).parent == index


@pytest.mark.parametrize("content", CURRENT_CONTENTS)
def test_the_portal_treats_a_bad_current_as_missing_and_says_so(small, content):
    corpus, index = small
    generation = current_generation(index)
    (index / "CURRENT").write_bytes(content)
    client = make_app(index, corpus).test_client()
    data = client.get("/healthz").get_json()
    assert data["status"] == "degraded" and data["index_version"] == generation.name
    assert "CURRENT does not name a generation" in data["notice"]
    assert client.get("/api/search?q=fraud").status_code == 200


def test_a_generation_name_that_is_a_link_out_of_the_folder_is_not_served(
    small, tmp_path
):
    corpus, index = small
    outside = tmp_path / "elsewhere"
    shutil.copytree(current_generation(index), outside)
    (index / "gen-20991231T000000000000-linked").symlink_to(outside)
    (index / "CURRENT").write_text("gen-20991231T000000000000-linked\n")
    assert current_generation(index) is None
    data = make_app(index, corpus).test_client().get("/healthz").get_json()
    assert data["status"] == "degraded" and "linked" not in data["index_version"]


def test_a_folder_named_current_is_replaced_by_the_next_build(small):
    corpus, index = small
    (index / "CURRENT").unlink()
    (index / "CURRENT").mkdir()
    client = make_app(index, corpus).test_client()
    assert client.get("/healthz").get_json()["status"] == "degraded"
    result = CliRunner().invoke(
        cli, ["build", "--corpus", str(corpus), "--index", str(index), "--force"]
    )
    assert result.exit_code == 0, result.output
    assert (index / "CURRENT").is_file()
    assert client.get("/healthz").get_json()["status"] == "ok"


def test_an_empty_index_folder_still_says_not_built(tmp_path, corpus_dir):
    (tmp_path / "index").mkdir()
    (tmp_path / "index" / "CURRENT").write_bytes(b"../")
    client = make_app(tmp_path / "index", corpus_dir).test_client()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert "has not been built" in response.get_json()["error"]["message"]
