"""The findings fixtures laid out as PDFs give the same findings as their text.

Each report and action plan of tests/corpus/findings is typeset with reportlab the
way inspection reports are (a large title, bold headings wrapped to the page,
short paragraphs 8 points apart, numbered items with a hanging indent, page
footers), read back through the PDF reader, and must yield the same findings
(kind, number, statement, forces, grade) and the same responses as the text it
was made from.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from reportlab.lib.utils import simpleSplit

from indexer.store.build import build
from tests.corpus.make_fixtures import MARGIN, WIDTH, _PdfBuilder
from tests.findings.helpers import (
    ACTION_PLAN,
    FINDINGS_CORPUS,
    PEEL_2022,
    PEEL_2024,
    THEMATIC,
    copy_corpus,
    of,
    read_findings,
)

AS_PDF = (PEEL_2024, PEEL_2022, THEMATIC, ACTION_PLAN)
_NUMBERED = re.compile(r"^(\d{1,3}\.)\s+(.*)$")


def _typeset(text: str, path: Path) -> None:
    """Lay a text fixture out as a PDF: title, headings, paragraphs, numbered items."""
    doc = _PdfBuilder()
    blocks = [b.strip() for b in text.split("\n\n") if b.strip()]
    _heading(doc, blocks[0], 20)
    for block in blocks[1:]:
        numbered = _NUMBERED.match(block)
        if numbered:
            doc.item(numbered[1], numbered[2])
        elif block.startswith("Published on:"):
            doc.lines([block])
        elif not block.endswith((".", ":", "?")) and len(block.split()) <= 25:
            _heading(doc, block, 13)  # a heading, or a finding stated as one
        else:
            doc.para(block)
    doc.save(path, footer="Page {n} of {m}", title=blocks[0])


def _heading(doc: _PdfBuilder, text: str, size: int) -> None:
    """A bold heading wrapped to the page at its own line pitch, spaced off."""
    font = ("Helvetica-Bold", size)
    doc.space(6)
    for line in simpleSplit(text, font[0], size, WIDTH - 2 * MARGIN):
        doc._line(line, font)
    doc.space(6)


def _summary(findings: list[dict], report: str) -> list[tuple]:
    return [
        (f["kind"], f["number"], f["statement"], tuple(f["forces"]), f["grade"])
        + (f.get("graded"), f["answered"], _responses(f))
        for f in of(findings, report)
    ]


def _responses(finding: dict) -> list[tuple]:
    return [
        (r["doc_id"], r["passage_id"], r["text"], r["score"], r["evidence"])
        for r in finding["responses"]
    ]


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    root = tmp_path_factory.mktemp("findings-pdf")
    text_corpus = copy_corpus(root / "text")
    build(text_corpus, root / "text-index")
    pdf_corpus = copy_corpus(root / "pdf")
    for name in AS_PDF:
        source = pdf_corpus / f"{name}.txt"
        _typeset(source.read_text(encoding="utf-8"), pdf_corpus / f"{name}.pdf")
        source.unlink()
    build(pdf_corpus, root / "pdf-index")
    return (
        read_findings(root / "text-index")["findings"],
        read_findings(root / "pdf-index")["findings"],
    )


@pytest.mark.slow  # two builds with PDF reading
@pytest.mark.parametrize("report", AS_PDF)
def test_a_report_as_pdf_yields_the_findings_of_its_text(both, report):
    from_text, from_pdf = both
    assert _summary(from_text, report)  # the text version has findings to compare
    assert _summary(from_pdf, report) == _summary(from_text, report)


def test_the_fixtures_typeset_are_the_text_ones():
    for name in AS_PDF:
        assert (FINDINGS_CORPUS / f"{name}.txt").is_file()
