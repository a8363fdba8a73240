"""Scanned PDFs: read by Tesseract where it is installed, named where it is not."""

from __future__ import annotations

import pytest

from indexer.document.record import load_document
from indexer.source.corpus import UnreadableDocumentError, read_document
from indexer.source.ocr import tesseract_version
from tests.corpus import make_fixtures as fx

needs_tesseract = pytest.mark.skipif(
    tesseract_version() is None,
    reason="Tesseract is not installed (make ocr installs it as root)",
)


@pytest.fixture
def no_tesseract(monkeypatch, tmp_path):
    """A PATH on which no ``tesseract`` program can be found."""
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))


@needs_tesseract
def test_a_scanned_letter_becomes_searchable_passages_marked_as_ocr(tmp_path):
    fx.scanned_letter_pdf(tmp_path / "scan.pdf")
    raw = read_document(tmp_path / "scan.pdf", tmp_path, 20_000_000)
    doc = load_document(raw)
    assert raw.layout.ocr_pages == [1]
    passage = next(p for p in doc.passages if fx.SCAN_PHRASE in p.text)
    assert passage.ocr and passage.page == 1
    assert "are now reviewed every month" in passage.text  # one paragraph
    assert doc.type == "letter" and doc.date == "2020-06-12"


@needs_tesseract
def test_only_the_scanned_page_of_a_mixed_pdf_is_read_by_ocr(tmp_path):
    fx.letter_with_scanned_annex_pdf(tmp_path / "mixed.pdf")
    doc = load_document(read_document(tmp_path / "mixed.pdf", tmp_path, 20_000_000))
    typed = next(p for p in doc.passages if "I enclose the signed annex" in p.text)
    scanned = next(p for p in doc.passages if "liaison officers" in p.text)
    assert (typed.page, typed.ocr) == (1, False)
    assert (scanned.page, scanned.ocr) == (2, True)


def test_a_scan_only_pdf_without_tesseract_says_what_to_install(tmp_path, no_tesseract):
    fx.scanned_letter_pdf(tmp_path / "scan.pdf")
    with pytest.raises(UnreadableDocumentError) as caught:
        read_document(tmp_path / "scan.pdf", tmp_path, 20_000_000)
    message = str(caught.value)
    assert "scanned PDF with no text layer" in message
    assert "apt-get install tesseract-ocr" in message


def test_a_mixed_pdf_without_tesseract_keeps_its_text_with_a_warning(
    tmp_path, no_tesseract
):
    fx.letter_with_scanned_annex_pdf(tmp_path / "mixed.pdf")
    raw = read_document(tmp_path / "mixed.pdf", tmp_path, 20_000_000)
    assert raw.warnings == [
        "page 2 scanned, not read: Tesseract is not installed; install it "
        "(apt-get install tesseract-ocr, or make ocr as root), then rebuild with "
        "--force"
    ]
    doc = load_document(raw)
    assert any("I enclose the signed annex" in p.text for p in doc.passages)
    assert not any(p.ocr for p in doc.passages)


def test_the_build_summary_names_a_scan_it_cannot_read_and_indexes_the_rest(
    tmp_path, no_tesseract
):
    from click.testing import CliRunner

    from indexer.cli import cli

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    fx.scanned_letter_pdf(corpus / "pcc-letter.pdf")
    (corpus / "note.txt").write_text("Custody in Lambeth was reviewed by the panel.\n")
    before = (corpus / "pcc-letter.pdf").read_bytes()
    result = CliRunner().invoke(
        cli, ["build", "--corpus", str(corpus), "--index", str(tmp_path / "ix")]
    )
    assert result.exit_code == 0, result.output
    assert "1 documents" in result.output
    assert (
        "  pcc-letter.pdf: skipped: is a scanned PDF with no text layer and "
        "Tesseract is not installed; install it (apt-get install tesseract-ocr"
    ) in result.output
    assert (corpus / "pcc-letter.pdf").read_bytes() == before
