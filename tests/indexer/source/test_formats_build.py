"""PDF and Word files through the whole pipeline: build, search, JSON, reader."""

from __future__ import annotations

import hashlib
import re
import shutil

import pytest
from click.testing import CliRunner

from indexer.cli import cli
from indexer.source.layout import MARKING, PAGE_NUMBER
from indexer.store.build import current_generation
from tests.conftest import make_app
from tests.corpus import make_fixtures as fx

BAD = {
    "encrypted.pdf": (fx.encrypted_pdf, "encrypted with a password; save an"),
    "damaged.pdf": (fx.damaged_pdf, "PDF is damaged and cannot be read"),
    "no-pages.pdf": (fx.zero_page_pdf, "PDF has no pages"),
    "locked.docx": (fx.encrypted_docx, "encrypted (password-protected)"),
    "damaged.docx": (fx.damaged_docx, "Word file is damaged"),
    "blank.docx": (fx.empty_docx, "Word file contains no text"),
}


def _digests(folder):
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() + str(p.stat().st_mtime_ns)
        for p in sorted(folder.iterdir())
        if p.name != "permalinks.jsonl"  # written by builds, by design
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("formats")
    corpus = folder / "corpus"
    corpus.mkdir()
    fx.home_office_letter_pdf(corpus / "home-office-letter.pdf")
    fx.inspection_report_pdf(corpus / "peel-report.pdf")
    fx.mopac_response_docx(corpus / "mopac-response.docx")
    (corpus / "note.txt").write_text("Custody in Lambeth was reviewed by the panel.\n")
    for name, (make, _) in BAD.items():
        make(corpus / name)
    fx.oversized_pdf(corpus / "huge.pdf", 1.2)
    fx.oversized_docx(corpus / "huge.docx", 1.2)
    before = _digests(corpus)
    index = folder / "index"
    result = CliRunner().invoke(
        cli,
        ["build", "--corpus", str(corpus), "--index", str(index)],
        env={"OVERSIGHT_MAX_FILE_MB": "1"},
    )
    assert result.exit_code == 0, result.output
    app = make_app(index, corpus)
    return {
        "output": result.output,
        "client": app.test_client(),
        "before": before,
        "corpus": corpus,
        "index": index,
    }


@pytest.mark.parametrize(("name", "message"), [(n, m) for n, (_, m) in BAD.items()])
def test_each_bad_file_is_named_in_the_build_summary_with_what_to_do(
    built, name, message
):
    assert f"  {name}: skipped: " in built["output"]
    line = next(li for li in built["output"].splitlines() if f"  {name}:" in li)
    assert message in line


@pytest.mark.parametrize("name", ["huge.pdf", "huge.docx"])
def test_an_oversized_file_is_named_with_the_setting_to_raise(built, name):
    line = next(li for li in built["output"].splitlines() if f"  {name}:" in li)
    assert "over the 1 MB limit (raise OVERSIGHT_MAX_FILE_MB" in line


def test_the_other_documents_are_indexed_and_the_corpus_is_untouched(built):
    assert "4 documents" in built["output"]
    assert _digests(built["corpus"]) == built["before"]
    assert current_generation(built["index"]) is not None


def test_a_phrase_across_a_page_break_is_found_with_its_page(built):
    response = built["client"].get(
        "/api/search", query_string={"q": f'"{fx.LETTER_BREAK_PHRASE}"'}
    )
    results = response.get_json()["results"]
    assert len(results) == 1
    assert results[0]["doc_id"] == "home-office-letter"
    assert (results[0]["page"], results[0]["ocr"]) == (1, False)


def test_the_passage_json_gives_its_page_and_null_without_pages(built):
    client = built["client"]
    for query, doc_id, page in [
        ('"By September 2018"', "peel-report", 4),
        ('"Custody in Lambeth"', "note", None),
        ('"appropriate adults for vulnerable detainees"', "mopac-response", None),
    ]:
        hit = client.get("/api/search", query_string={"q": query}).get_json()
        hit = hit["results"][0]
        assert hit["doc_id"] == doc_id
        passage = client.get(f"/api/passages/{hit['id']}").get_json()
        assert passage["page"] == page
        assert passage["ocr"] is False


def test_no_page_furniture_is_a_passage(built):
    client = built["client"]
    for doc in client.get("/api/documents").get_json()["documents"]:
        page = client.get(f"/docs/{doc['id']}").get_data(as_text=True)
        texts = re.findall(r'<p class="passage-text">(.*?)</p>', page, re.S)
        texts += re.findall(r'class="passage heading">(.*?) <a', page, re.S)
        assert texts, doc["id"]
        for text in texts:
            text = " ".join(text.split())
            assert not MARKING.match(text), text
            assert not PAGE_NUMBER.match(text), text
            assert "....." not in text and "Page 1 of" not in text


def test_the_reader_marks_page_boundaries_and_the_citation_gives_the_page(built):
    client = built["client"]
    page = client.get("/docs/home-office-letter").get_data(as_text=True)
    assert 'id="page-1"' in page and 'id="page-2"' in page
    assert page.index('id="page-2"') > page.index(fx.LETTER_BREAK_PHRASE)
    hit = client.get(
        "/api/search", query_string={"q": '"My officials will continue"'}
    ).get_json()["results"][0]
    passage = client.get(f"/p/{hit['id']}").get_data(as_text=True)
    assert re.search(r"p\. 2, para \d+, http", passage)
    assert "Page 2 · Paragraph" in passage
    assert 'href="/docs/home-office-letter/source#page=2"' in passage
    assert 'href="/docs/home-office-letter/source#page=2"' in page


@pytest.mark.skipif(
    shutil.which("tesseract") is None,
    reason="Tesseract is not installed (make ocr installs it as root)",
)
def test_a_scanned_letter_is_searchable_and_marked_as_ocr(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    fx.scanned_letter_pdf(corpus / "pcc-letter.pdf")
    result = CliRunner().invoke(
        cli, ["build", "--corpus", str(corpus), "--index", str(tmp_path / "ix")]
    )
    assert "1 documents" in result.output, result.output
    client = make_app(tmp_path / "ix", corpus).test_client()
    found = client.get("/api/search", query_string={"q": f'"{fx.SCAN_PHRASE}"'})
    hit = found.get_json()["results"][0]
    assert (hit["page"], hit["ocr"]) == (1, True)
    page = client.get("/docs/pcc-letter").get_data(as_text=True)
    assert "Read from a scanned page by OCR" in page


def test_a_search_result_on_the_page_shows_the_page_it_starts_on(built):
    page = built["client"].get(
        "/search", query_string={"q": '"My officials will continue"'}
    )
    html = " ".join(page.get_data(as_text=True).split())
    assert "· p. 2" in html
    assert page.status_code == 200
