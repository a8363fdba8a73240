"""Paragraph breaks and headings judged against the body's own size and pitch."""

from __future__ import annotations

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from indexer.source.layout import compose
from indexer.source.pdf import read_pdf
from indexer.source.typography import Line, body_pitch

LONG = "The panel reviewed every custody record held for the quarter and"


def _set(rows, size=11.0, pitch=14.3, x0=72.0, x1=520.0):
    """Lines from (text, space before, indent, bold size or 0, right edge)."""
    lines, top = [], 100.0
    for text, before, indent, heading, right in rows:
        top += before
        height = heading or size
        lines.append(
            Line(
                text=text,
                top=top,
                bottom=top + height,
                x0=x0 + indent,
                x1=right or x1,
                size=height,
                bold=bool(heading),
            )
        )
        top += pitch if not heading else heading * 1.3
    return lines


def _blocks(text):
    return [b.strip() for b in text.split("\n\n") if b.strip()]


def test_one_line_paragraphs_a_little_apart_stay_apart():
    # Mostly one-line paragraphs 8 points apart: the pitch of the one
    # three-line paragraph tells them from a paragraph's lines.
    page = _set(
        [
            ("Recommendation 1: By March the force should act on calls.", 0, 0, 0, 0),
            (LONG, 8, 0, 0, 0),
            ("found that the force had acted promptly and recorded", 0, 0, 0, 0),
            ("why.", 0, 0, 0, 100),
            ("Recommendation 2: By June the force should publish data.", 8, 0, 0, 0),
            ("Recommendation 3: By July the force should train staff.", 8, 0, 0, 0),
        ]
    )
    text, _ = compose([page])
    assert _blocks(text) == [
        "Recommendation 1: By March the force should act on calls.",
        f"{LONG}\nfound that the force had acted promptly and recorded\nwhy.",
        "Recommendation 2: By June the force should publish data.",
        "Recommendation 3: By July the force should train staff.",
    ]


def test_an_indented_first_line_starts_a_paragraph_without_extra_space():
    page = _set(
        [
            (LONG, 0, 0, 0, 0),
            ("found that the force had acted promptly.", 0, 0, 0, 0),
            ("Officers were seen within the hour in most of the cases we", 0, 18, 0, 0),
            ("reviewed, and supervisors checked the records.", 0, 0, 0, 0),
        ]
    )
    assert len(_blocks(compose([page])[0])) == 2


def test_a_short_line_ending_a_sentence_ends_its_paragraph():
    page = _set(
        [
            (LONG, 0, 0, 0, 0),
            ("found the records complete. Officers signed each one and", 0, 0, 0, 0),
            ("dated it.", 0, 0, 0, 140),
            ("Supervisors reviewed the records every week and noted what", 0, 0, 0, 0),
            ("they found.", 0, 0, 0, 150),
        ]
    )
    blocks = _blocks(compose([page])[0])
    assert [b.split("\n")[-1] for b in blocks] == ["dated it.", "they found."]


def test_a_full_line_ending_a_sentence_goes_on_with_its_paragraph():
    page = _set(
        [
            ("The panel reviewed every custody record held in the year.", 0, 0, 0, 0),
            ("It found them complete and signed, and it said so.", 0, 0, 0, 0),
            ("A second paragraph follows here.", 10, 0, 0, 200),
        ]
    )
    assert len(_blocks(compose([page])[0])) == 2


def test_a_wrapped_heading_is_one_but_two_headings_in_one_style_are_two():
    page = _set(
        [
            ("An inspection of custody", 0, 0, 20, 0),
            ("Promising practice", 6, 0, 13, 0),
            ("Kent Police has a victim care unit that calls victims", 12, 0, 13, 0),
            ("within 48 hours", 0, 0, 13, 0),
            ("The unit gives victims advice on protecting themselves.", 6, 0, 0, 0),
            ("It refers vulnerable victims to support services too.", 0, 0, 0, 0),
        ]
    )
    text, _ = compose([page])
    assert _blocks(text) == [
        "# An inspection of custody",
        "Promising practice",
        "Kent Police has a victim care unit that calls victims within 48 hours",
        "The unit gives victims advice on protecting themselves.\n"
        "It refers vulnerable victims to support services too.",
    ]


def test_a_document_of_one_heading_style_keeps_its_headings_marked():
    page = _set(
        [
            ("Introduction", 0, 0, 13, 0),
            (LONG, 6, 0, 0, 0),
            ("found the records complete.", 0, 0, 0, 0),
            ("Findings", 6, 0, 13, 0),
            ("The records were complete and signed by the officers.", 6, 0, 0, 0),
        ]
    )
    assert _blocks(compose([page])[0])[::2] == ["# Introduction", "# Findings"]


def test_the_body_pitch_is_its_paragraphs_line_pitch_not_the_commonest_gap():
    rows = [(f"Paragraph {n}.", 9, 0, 0, 0) for n in range(8)]
    rows += [(LONG, 9, 0, 0, 0), (LONG, 0, 0, 0, 0), ("and more.", 0, 0, 0, 0)]
    page = _set(rows, pitch=15.0)
    assert body_pitch([page], 11.0) == 15.0
    assert body_pitch([[Line("Scanned text", 10, 30)]], 0.0) is None


def test_a_pdf_in_times_at_one_and_a_half_spacing_with_indents(tmp_path):
    # Another typesetter's habits: 12-point Times, 18-point pitch, no space
    # between paragraphs, each one's first line indented; a 12-point bold heading.
    path = tmp_path / "times.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4)
    rows = [
        ("Times-Bold", 72, "Use of force"),
        ("Times-Roman", 90, "Officers recorded most uses of force on the day, and"),
        ("Times-Roman", 72, "supervisors reviewed the records within the week."),
        ("Times-Roman", 90, "Body worn video was switched on in nine of ten of the"),
        ("Times-Roman", 72, "encounters we reviewed."),
    ]
    y = 760.0
    for font, x, text in rows:
        pdf.setFont(font, 12)
        pdf.drawString(x, y, text)
        y -= 18
    pdf.showPage()
    pdf.save()
    text, _, _ = read_pdf(path)
    assert _blocks(text) == [
        "# Use of force",
        "Officers recorded most uses of force on the day, and\n"
        "supervisors reviewed the records within the week.",
        "Body worn video was switched on in nine of ten of the\n"
        "encounters we reviewed.",
    ]


def test_a_scanned_page_among_typeset_ones_keeps_to_its_gaps():
    typeset = _set([(LONG, 0, 0, 0, 0), ("found the records complete.", 0, 0, 0, 0)])
    rows = [
        ("Annex: responses to the committee", 0),
        ("The force accepts the committee's first", 50),
        ("recommendation and will report on it", 10),
        ("by the end of May.", 10),
        ("It accepts the second in part and", 50),
        ("rejects the third.", 10),
    ]
    scanned, top = [], 100
    for text, gap in rows:  # Tesseract's lines: pixels, no font size
        top += gap
        scanned.append(Line(text, top=top, bottom=top + 30))
        top += 30
    text, _ = compose([typeset, scanned])
    assert _blocks(text)[1:] == [
        "Annex: responses to the committee",
        "The force accepts the committee's first\n"
        "recommendation and will report on it\nby the end of May.",
        "It accepts the second in part and\nrejects the third.",
    ]


def test_a_heading_that_numbers_its_section_keeps_its_mark_in_the_smaller_style():
    page = _set(
        [
            ("2 Structure handling", 0, 0, 16, 0),
            ("2.1 Naming", 6, 0, 13, 0),
            ("Names are case sensitive.", 6, 0, 0, 0),
            ("Consider this definition", 6, 0, 13, 0),
            ("Each name is written once.", 6, 0, 0, 0),
        ]
    )
    assert _blocks(compose([page])[0])[:4] == [
        "# 2 Structure handling",
        "## 2.1 Naming",
        "Names are case sensitive.",
        "Consider this definition",
    ]
