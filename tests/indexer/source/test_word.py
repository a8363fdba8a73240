"""Word .docx files: heading styles, list numbers, tables, headers and footers."""

from __future__ import annotations

import pytest

from indexer.document.record import load_document
from indexer.source.corpus import read_document
from tests.corpus import make_fixtures as fx


@pytest.fixture(scope="module")
def response(tmp_path_factory):
    folder = tmp_path_factory.mktemp("word")
    fx.mopac_response_docx(folder / "response.docx")
    raw = read_document(folder / "response.docx", folder, 20_000_000)
    return raw, load_document(raw)


def _texts(doc):
    return [p.text for p in doc.passages]


def test_headings_come_from_the_heading_styles(response):
    _, doc = response
    headings = [p.text for p in doc.passages if p.kind == "heading"]
    assert headings == [
        "Response to the inspection of police custody",
        "Recommendations and responses",
        "What we will monitor",
    ]
    assert doc.title == "Mayor's Office for Policing and Crime"  # the Title style


def test_numbered_list_items_keep_the_numbers_word_shows(response):
    _, doc = response
    listed = next(p for p in doc.passages if "detainees are told" in p.text)
    lines = listed.text.split("\n")
    assert [line[:4] for line in lines] == ["• 1.", "• 2.", "• 3."]
    assert "3. The force should review the provision" in lines[2]
    assert listed.section.endswith("Recommendations and responses")


def test_bulleted_items_have_no_number(response):
    _, doc = response
    assert "• Complaints from detainees\n• Use of force records" in _texts(doc)


def test_each_table_row_is_a_passage_labelled_by_the_header_row(response):
    _, doc = response
    rows = [p for p in doc.passages if p.text.startswith("Recommendation: ")]
    assert [(p.kind, p.text) for p in rows] == [
        (
            "body",
            "Recommendation: Complaints information for detainees; "
            "Owner: Custody command; Status: Complete.",
        ),
        (
            "body",
            "Recommendation: Appropriate adults at night; "
            "Owner: MOPAC commissioning; Status: In progress.",
        ),
    ]


def test_headers_and_footers_are_dropped_and_reported(response):
    raw, doc = response
    assert raw.layout.furniture == [
        "OFFICIAL",
        "MOPAC response to HMICFRS recommendations",
    ]
    for text in _texts(doc):
        assert "OFFICIAL" not in text and "HMICFRS recommendations" not in text


def test_core_properties_fill_what_the_text_lacks(response):
    raw, doc = response
    assert raw.layout.properties["title"] == "Response to the inspection of custody"
    assert doc.author == "MOPAC"  # no signature in the text: the file's author
    assert all(p.page is None for p in doc.passages)


def test_a_typed_number_in_a_plain_paragraph_is_kept(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("We make two recommendations.")
    document.add_paragraph(
        "7. The force should publish its stop and search data every month, with "
        "the outcome of each search and the ethnicity of the person searched, "
        "so that the community scrutiny panel can review it."
    )
    document.save(tmp_path / "typed.docx")
    doc = load_document(read_document(tmp_path / "typed.docx", tmp_path, 10**7))
    assert any(p.text.startswith("7. The force should publish") for p in doc.passages)
