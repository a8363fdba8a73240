"""PDFs with a text layer: pages, furniture, paragraphs over page breaks, headings."""

from __future__ import annotations

import pytest

from indexer.document.record import load_document
from indexer.source.corpus import UnreadableDocumentError, read_document
from indexer.source.layout import PAGE_NUMBER, Line, compose, drop_furniture
from tests.corpus import make_fixtures as fx


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pdfs")
    fx.home_office_letter_pdf(folder / "letter.pdf")
    fx.inspection_report_pdf(folder / "report.pdf")
    fx.untitled_note_pdf(folder / "note.pdf")
    return folder


def _load(folder, name):
    raw = read_document(folder / name, folder, 20_000_000)
    return raw, load_document(raw)


def _passage(doc, words):
    found = [p for p in doc.passages if words in p.text]
    assert len(found) == 1, f"{words!r} in {len(found)} passages"
    return found[0]


def test_a_paragraph_over_a_page_break_is_one_passage_on_the_page_it_starts(folder):
    _, doc = _load(folder, "letter.pdf")
    passage = _passage(doc, fx.LETTER_BREAK_PHRASE)
    assert passage.page == 1
    assert "within the same week" in passage.text  # the half on page 2
    assert _passage(doc, "My officials will continue").page == 2


def test_every_passage_of_a_pdf_records_its_page(folder):
    _, doc = _load(folder, "report.pdf")
    assert all(p.page in (1, 2, 3, 4) for p in doc.passages)
    assert _passage(doc, "As part of our annual inspections").page == 3
    assert _passage(doc, "By September 2018").page == 4


def test_running_headers_footers_and_markings_are_dropped_not_passages(folder):
    for name in ("letter.pdf", "report.pdf"):
        raw, doc = _load(folder, name)
        for passage in doc.passages:
            for line in passage.text.split("\n"):
                assert line.strip() not in {"OFFICIAL", "Page 1 of 2", "Page 2 of 2"}
                assert not PAGE_NUMBER.match(line.strip()), line
                assert "- Metropolitan Police Service" not in line
        assert "OFFICIAL" in raw.layout.furniture
    raw, _ = _load(folder, "letter.pdf")
    assert {"Page 1 of 2", "Page 2 of 2"} <= set(raw.layout.furniture)


def test_a_contents_page_with_dot_leaders_stays_out_of_the_passages(folder):
    raw, doc = _load(folder, "report.pdf")
    assert not any("....." in p.text for p in doc.passages)
    assert not any(p.text == "Contents" for p in doc.passages)
    assert any(line.startswith("Recommendations ....") for line in raw.layout.furniture)


def test_headings_come_from_font_size_and_numbered_items_keep_their_number(folder):
    _, doc = _load(folder, "report.pdf")
    heading = _passage(doc, "Protecting vulnerable people")
    assert heading.kind == "heading"
    assert _passage(doc, "By September 2018").text == fx.RECOMMENDATION_7
    assert _passage(doc, "By June 2018").text.startswith("6. By June 2018")
    assert _passage(doc, "By September 2018").section.endswith("Recommendations")


def test_a_word_hyphenated_at_a_line_end_is_joined(folder):
    _, doc = _load(folder, "report.pdf")
    assert "were well organised, although" in _passage(doc, "Safeguarding").text


def test_the_letters_own_text_wins_over_the_pdfs_properties(folder):
    raw, doc = _load(folder, "letter.pdf")
    assert raw.layout.properties["author"] == "Home Office"
    assert doc.date == "2019-03-14"
    assert doc.author == "Alex Morgan"
    assert doc.title == "Neighbourhood policing in London"


def test_the_pdfs_title_author_and_date_fill_what_the_text_lacks(folder):
    _, doc = _load(folder, "note.pdf")
    assert doc.title == "Custody visiting: quarterly note"
    assert doc.author == "Independent Custody Visiting Panel"
    assert doc.date == "2000-01-01"  # reportlab's invariant creation date


def test_formats_without_pages_give_passages_no_page(tmp_path):
    (tmp_path / "note.txt").write_text("Custody in Lambeth was reviewed.\n")
    doc = load_document(read_document(tmp_path / "note.txt", tmp_path, 10_000))
    assert [p.page for p in doc.passages] == [None]


def _page(*texts, top=100.0, step=14.0):
    return [
        Line(text=t, top=top + i * step, bottom=top + i * step + 11, size=11)
        for i, t in enumerate(texts)
    ]


def test_a_line_repeated_at_the_top_of_most_pages_is_a_running_title():
    words = ["Custody", "Stop and search", "Use of force", "Complaints"]
    pages = [
        _page("Annual review of custody", f"{word} was reviewed.", f"{word} improved.")
        for word in words
    ]
    pages[0] = _page("A cover page", "With its own text.", "And more.")
    kept, dropped = drop_furniture(pages)
    assert dropped == ["Annual review of custody"] * 3
    assert [len(page) for page in kept] == [3, 2, 2, 2]


def test_a_line_on_one_page_only_is_not_furniture():
    pages = [_page("Home Office", "Dear Commissioner,"), _page("Second page text.")]
    _, dropped = drop_furniture(pages)
    assert dropped == []


def test_a_sentence_split_at_a_page_end_joins_but_a_signature_does_not():
    text, starts = compose(
        [
            _page("The panel reviewed twelve cases and found that the"),
            _page("Metropolitan Police Service had acted promptly."),
            _page("Yours sincerely,", "Sam Patel", "Assistant Commissioner"),
            _page("Annex A"),
        ]
    )
    assert "found that the\nMetropolitan Police Service had acted" in text
    assert text.rstrip().endswith("Assistant Commissioner\n\nAnnex A")
    assert starts == [(1, 1), (4, 3), (8, 4)]


def test_a_pdf_over_the_page_limit_is_refused_with_what_to_do(folder, monkeypatch):
    import indexer.source.pdf

    monkeypatch.setattr(indexer.source.pdf, "MAX_PAGES", 1)
    with pytest.raises(UnreadableDocumentError, match="split it into parts"):
        indexer.source.pdf.read_pdf(folder / "letter.pdf")


def test_prefetch_reads_files_in_parallel_for_the_scan_to_find(tmp_path, monkeypatch):
    import indexer.source.binary as binary

    paths = [fx.home_office_letter_pdf(tmp_path / "a.pdf")]
    paths.append(fx.mopac_response_docx(tmp_path / "b.docx"))
    paths.append(fx.encrypted_pdf(tmp_path / "c.pdf"))
    binary.prefetch(paths, 10**7, procs=2)

    def unexpected(*_args):
        raise AssertionError("read again")

    monkeypatch.setattr(binary, "read_pdf", unexpected)
    monkeypatch.setattr(binary, "read_docx", unexpected)
    assert binary.read_binary(paths[0], 10**7)[0] == "pdf"
    assert binary.read_binary(paths[1], 10**7)[0] == "docx"
    with pytest.raises(UnreadableDocumentError, match="encrypted"):
        binary.read_binary(paths[2], 10**7)


def test_an_unexpected_failure_reading_a_pdf_is_a_problem_not_a_crash(
    tmp_path, monkeypatch
):
    import indexer.source.binary as binary

    def broken(_path):
        raise IndexError("list index out of range")

    monkeypatch.setattr(binary, "read_pdf", broken)
    path = fx.home_office_letter_pdf(tmp_path / "odd.pdf")
    with pytest.raises(UnreadableDocumentError, match="could not be read"):
        binary.read_binary(path, 10**7)
