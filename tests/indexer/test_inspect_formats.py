"""python -m indexer inspect on every format: pages and dropped furniture shown."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from indexer.cli import cli
from tests.corpus import make_fixtures as fx


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("inspect")
    fx.home_office_letter_pdf(folder / "letter.pdf")
    fx.mopac_response_docx(folder / "response.docx")
    fx.encrypted_pdf(folder / "locked.pdf")
    (folder / "note.txt").write_text("Custody in Lambeth was reviewed.\n")
    (folder / "page.html").write_text("<main><p>Custody was reviewed.</p></main>")
    return folder


def _inspect(*args):
    return CliRunner().invoke(cli, ["inspect", *map(str, args)])


def test_inspect_shows_a_pdfs_pages_furniture_and_passage_pages(folder):
    result = _inspect(folder / "letter.pdf")
    assert result.exit_code == 0, result.output
    assert "          pages: 2\n" in result.output
    assert "      [dropped] OFFICIAL (x4)\n" in result.output
    assert "      [dropped] Page 1 of 2\n" in result.output
    assert " body p. 2 " in result.output
    assert " file author: Home Office\n" in result.output


def test_inspect_json_gives_pages_dropped_lines_and_each_passages_page(folder):
    result = _inspect(folder / "letter.pdf", "--json")
    data = json.loads(result.output)
    assert data["pages"] == 2 and data["ocr_pages"] == []
    assert data["dropped"].count("OFFICIAL") == 4
    assert {p["page"] for p in data["passages_list"]} == {1, 2}


def test_inspect_shows_a_word_files_dropped_headers_and_footers(folder):
    result = _inspect(folder / "response.docx")
    assert result.exit_code == 0, result.output
    assert "      [dropped] OFFICIAL\n" in result.output
    assert "pages:" not in result.output  # Word has no fixed pages


@pytest.mark.parametrize("name", ["note.txt", "page.html"])
def test_inspect_still_reads_text_and_html(folder, name):
    result = _inspect(folder / name, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["pages"] is None and data["dropped"] == []
    assert [p["page"] for p in data["passages_list"]] == [None]


def test_inspect_names_an_unreadable_pdf_without_a_traceback(folder):
    result = _inspect(folder / "locked.pdf")
    assert result.exit_code == 1
    assert "Error: " in result.output and "encrypted with a password" in result.output
    assert "Traceback" not in result.output
