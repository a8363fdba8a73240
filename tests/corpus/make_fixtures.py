"""Build PDF and Word documents shaped like the ones researchers add.

Each function writes one document to the path it is given and returns the path.
The layouts follow real public documents of the kind (a Home Office letter to a
police commissioner, an HMICFRS inspection report, a MOPAC response to
recommendations, a scanned letter from a Police and Crime Commissioner), in our
own wording: letterheads, protective markings, "Page N of M" footers, a
paragraph that runs over a page break, numbered recommendations and a contents
page with dot leaders. PDFs are written with reportlab, Word files with
python-docx and scans with Pillow, so the fixtures need nothing outside the test
extra.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen import canvas

WIDTH, HEIGHT = A4
MARGIN = 72
BODY = ("Helvetica", 11)

# Phrases the tests search for. The first runs over the letter's page break.
LETTER_BREAK_PHRASE = "neighbourhood officers abstracted to cover response shifts"
REPORT_BREAK_PHRASE = "missing from home within the first hour"
SCAN_PHRASE = "stop and search encounters recorded on body worn video"
RECOMMENDATION_7 = (
    "7. By September 2018, the force should ensure that every supervisor "
    "reviews the use of force forms submitted by their team each month."
)


@dataclass
class _Page:
    ops: list[tuple] = field(default_factory=list)


class _PdfBuilder:
    """Lay text out on A4 pages line by line, so page breaks fall where we say."""

    def __init__(self) -> None:
        self.pages = [_Page()]
        self.y = HEIGHT - MARGIN - 24

    def _line(self, text: str, font: tuple[str, int], x: float = MARGIN) -> None:
        if self.y < MARGIN + 36:
            self.new_page()
        self.pages[-1].ops.append(("text", x, self.y, text, font))
        self.y -= font[1] * 1.3

    def new_page(self) -> None:
        self.pages.append(_Page())
        self.y = HEIGHT - MARGIN - 24

    def space(self, points: float = 8) -> None:
        self.y -= points

    def heading(self, text: str, size: int = 14) -> None:
        self.space(6)
        self._line(text, ("Helvetica-Bold", size))
        self.space(6)

    def lines(self, lines: list[str], font: tuple[str, int] = BODY) -> None:
        """Lines kept as they are, such as an address block."""
        for line in lines:
            self._line(line, font)
        self.space()

    def para(
        self, text: str, break_after: int | None = None, indent: float = 0
    ) -> None:
        """A paragraph wrapped to the page; ``break_after`` lines, then a new page."""
        wrapped = simpleSplit(text, BODY[0], BODY[1], WIDTH - 2 * MARGIN - indent)
        for n, line in enumerate(wrapped, start=1):
            self._line(line, BODY, MARGIN + indent)
            if n == break_after:
                self.new_page()
        self.space()

    def item(self, number: str, text: str) -> None:
        """A numbered item with a hanging indent."""
        width = WIDTH - 2 * MARGIN - 24
        wrapped = simpleSplit(text, BODY[0], BODY[1], width)
        self.pages[-1].ops.append(("text", MARGIN, self.y, number, BODY))
        for line in wrapped:
            self._line(line, BODY, MARGIN + 24)
        self.space()

    def contents(self, entries: list[tuple[str, int]]) -> None:
        for title, page in entries:
            dots = "." * max(4, 90 - len(title) * 2)
            self._line(f"{title} {dots} {page}", BODY)

    def save(
        self,
        path: Path,
        header: str = "",
        running_title: str = "",
        footer: str = "Page {n} of {m}",
        title: str = "",
        author: str = "",
        encrypt: str | None = None,
        invariant: bool = False,
    ) -> Path:
        # invariant: reportlab dates the file 1 January 2000, so tests can expect it.
        pdf = canvas.Canvas(
            str(path), pagesize=A4, encrypt=encrypt, invariant=int(invariant)
        )
        pdf.setTitle(title)
        pdf.setAuthor(author)
        total = len(self.pages)
        for n, page in enumerate(self.pages, start=1):
            if header:
                pdf.setFont("Helvetica-Bold", 10)
                pdf.drawCentredString(WIDTH / 2, HEIGHT - 36, header)
            if running_title and n > 1:
                pdf.setFont("Helvetica", 9)
                pdf.drawString(MARGIN, HEIGHT - 54, running_title)
            for op in page.ops:
                if op[0] == "image":
                    pdf.drawInlineImage(op[1], 0, 0, WIDTH, HEIGHT)
                    continue
                _, x, y, text, font = op
                pdf.setFont(*font)
                pdf.drawString(x, y, text)
            if footer:
                pdf.setFont("Helvetica", 9)
                pdf.drawCentredString(WIDTH / 2, 40, footer.format(n=n, m=total))
            if header:
                pdf.setFont("Helvetica-Bold", 10)
                pdf.drawCentredString(WIDTH / 2, 24, header)
            pdf.showPage()
        pdf.save()
        return path


def home_office_letter_pdf(path: Path) -> Path:
    """A two-page letter from the Home Secretary to the Met Commissioner."""
    doc = _PdfBuilder()
    doc.lines(["Home Office"], ("Helvetica-Bold", 18))
    doc.lines(
        [
            "Rt Hon Alex Morgan MP",
            "Home Secretary",
            "2 Marsham Street",
            "London SW1P 4DF",
        ]
    )
    doc.lines(
        [
            "Sir Mark Rowe QPM",
            "Commissioner of Police of the Metropolis",
            "New Scotland Yard",
            "Victoria Embankment",
            "London SW1A 2JL",
        ]
    )
    doc.lines(["14 March 2019"])
    doc.lines(["Dear Commissioner,"])
    doc.heading("Neighbourhood policing in London", 11)
    doc.para(
        "Thank you for your letter of 20 February setting out the steps the "
        "Metropolitan Police Service has taken since the inspectorate published "
        "its report on neighbourhood policing last autumn. I am grateful for the "
        "candour with which you described the pressures on your frontline teams."
    )
    doc.para(
        "I remain concerned that too many ward officers are still drawn away from "
        "their neighbourhoods. The inspectorate found that in some boroughs more "
        "than half of the shifts planned for dedicated ward officers were lost to "
        "other duties, and that victims noticed the difference in how quickly "
        "local problems were resolved."
    )
    doc.para(
        "I would therefore like you to set out, by the end of April, how many "
        "dedicated ward officers each borough now has in post, how often "
        f"{LETTER_BREAK_PHRASE} were returned to their wards within the same "
        "week, and what the service will do to protect the time those officers "
        "spend in the communities they serve. I would also welcome your "
        "assessment of whether the current model of basic command units helps "
        "or hinders that work.",
        break_after=3,
    )
    doc.para(
        "My officials will continue to work closely with the Mayor's Office for "
        "Policing and Crime on the funding settlement, and I have copied this "
        "letter to the Deputy Mayor for Policing and Crime."
    )
    doc.lines(["Yours sincerely,"])
    doc.lines(["Alex Morgan", "Home Secretary"])
    return doc.save(
        path,
        header="OFFICIAL",
        title="Letter to the Commissioner on neighbourhood policing",
        author="Home Office",
    )


def inspection_report_pdf(path: Path) -> Path:
    """An inspection report: cover, contents, findings and recommendations."""
    doc = _PdfBuilder()
    doc.lines(["PEEL: Police effectiveness 2018"], ("Helvetica-Bold", 22))
    doc.lines(["An inspection of the Metropolitan Police Service"], ("Helvetica", 16))
    doc.lines(["March 2019"], ("Helvetica", 12))
    doc.new_page()
    doc.heading("Contents", 16)
    doc.contents(
        [
            ("Introduction", 3),
            ("Protecting vulnerable people", 3),
            ("Recommendations", 4),
            ("Annex A: About the data", 4),
        ]
    )
    doc.new_page()
    doc.heading("Introduction", 16)
    doc.para(
        "As part of our annual inspections of police effectiveness, efficiency "
        "and legitimacy, we assess how well each force keeps people safe and "
        "reduces crime. This report sets out our findings for the Metropolitan "
        "Police Service, which polices a population of almost nine million people."
    )
    doc.heading("Protecting vulnerable people", 16)
    doc.para(
        "The force has improved the way it responds to people who are at risk. "
        "Call handlers now use a structured assessment of threat, harm and "
        "risk, and supervisors check the assessment before a response is "
        "allocated. However, we found that a well-established practice of "
        "dealing with children reported "
        f"{REPORT_BREAK_PHRASE} is not applied consistently across the force, "
        "and that some reports were graded as absent rather than missing "
        "without a clear rationale being recorded.",
        break_after=4,
    )
    doc.lines(
        [
            "Officers we spoke to understood the signs of exploitation and knew how",
            "to refer concerns to partner agencies. Safeguarding hubs were well organ-",
            "ised, although the volume of referrals meant that lower-risk cases",
            "could wait several days for review.",
        ]
    )
    doc.heading("Recommendations", 16)
    doc.para("We recommend the following:")
    doc.item(
        "6.",
        "By June 2018, the force should ensure that every report of a missing "
        "child is risk assessed by a trained officer before it is graded.",
    )
    doc.item("7.", RECOMMENDATION_7[3:])
    doc.heading("Annex A: About the data", 16)
    doc.para(
        "The figures in this report come from the force's own records and from "
        "the Home Office data hub. Where the force could not provide data we say "
        "so in the text."
    )
    return doc.save(
        path,
        header="OFFICIAL",
        running_title="PEEL: Police effectiveness 2018 - Metropolitan Police Service",
        footer="{n}",
        title="PEEL: Police effectiveness 2018 (Metropolitan Police Service)",
        author="HMICFRS",
    )


def untitled_note_pdf(path: Path) -> Path:
    """A one-page note whose text gives no title, date or author; its file does."""
    doc = _PdfBuilder()
    doc.para(
        "The custody suite at Brixton was visited twice during the quarter. "
        "Independent custody visitors found the cells clean and detainees aware "
        "of their rights."
    )
    return doc.save(
        path,
        footer="",
        title="Custody visiting: quarterly note",
        author="Independent Custody Visiting Panel",
        invariant=True,
    )


def letter_with_scanned_annex_pdf(path: Path) -> Path:
    """A typed letter whose second page is a scanned annex (an image only)."""
    doc = _PdfBuilder()
    doc.lines(["15 January 2021"])
    doc.lines(["Dear Chair,"])
    doc.para(
        "I enclose the signed annex setting out the force's responses to the "
        "committee's recommendations on the policing of protests."
    )
    doc.lines(["Yours sincerely,", "Sam Patel", "Assistant Commissioner"])
    doc.new_page()
    doc.pages[-1].ops.append(("image", _scan_image()))
    return doc.save(path)


def _scan_image():
    """A page image of typed lines, as a scanner at 200 dpi would give it."""
    from PIL import Image, ImageDraw, ImageFont

    dpi = 200
    image = Image.new("L", (int(8.27 * dpi), int(11.69 * dpi)), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=34)
    y = 200
    for line in [
        "Annex: responses to the committee's recommendations",
        "",
        "Protest liaison officers will be deployed at every large event.",
    ]:
        if line:
            draw.text((160, y), line, font=font, fill=0)
        y += 58
    return image


def scanned_letter_pdf(path: Path) -> Path:
    """A signed letter that exists only as a scan: one page image, no text layer."""
    from PIL import Image, ImageDraw, ImageFont

    dpi = 200
    image = Image.new("L", (int(8.27 * dpi), int(11.69 * dpi)), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=34)
    bold = ImageFont.load_default(size=46)
    y = 180
    draw.text((160, y), "Office of the Police and Crime Commissioner", font=bold)
    y += 140
    lines = [
        "12 June 2020",
        "",
        "Dear Chief Constable,",
        "",
        "I write about the recent inspection of legitimacy in your force.",
        f"I was pleased to read that {SCAN_PHRASE}",
        "are now reviewed every month by a panel of local residents.",
        "",
        "I would like the panel's findings to be published each quarter",
        "so that the public can see how the powers are being used.",
        "",
        "Yours sincerely,",
        "",
        "Jordan Ellis",
        "Police and Crime Commissioner",
    ]
    for line in lines:
        if line:
            draw.text((160, y), line, font=font, fill=0)
        y += 58
    buffer = io.BytesIO()
    image.save(buffer, format="PDF", resolution=dpi)
    path.write_bytes(buffer.getvalue())
    return path


def mopac_response_docx(path: Path) -> Path:
    """A Word response to an inspection's recommendations, with a table."""
    import docx
    from docx.shared import Pt

    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "OFFICIAL"
    section.footer.paragraphs[0].text = "MOPAC response to HMICFRS recommendations"
    document.core_properties.title = "Response to the inspection of custody"
    document.core_properties.author = "MOPAC"
    document.add_paragraph("Mayor's Office for Policing and Crime", style="Title")
    document.add_heading("Response to the inspection of police custody", level=1)
    document.add_paragraph(
        "This document sets out how the Mayor's Office for Policing and Crime "
        "will oversee the Metropolitan Police Service's work on the "
        "recommendations of the custody inspection published in May 2021."
    )
    document.add_heading("Recommendations and responses", level=2)
    for text in (
        "The force should make sure that detainees are told how to complain "
        "about their treatment.",
        "The force should improve the recording of the use of force in custody suites.",
        "The force should review the provision of appropriate adults for "
        "vulnerable detainees at night.",
    ):
        document.add_paragraph(text, style="List Number")
    document.add_heading("What we will monitor", level=2)
    for text in ("Complaints from detainees", "Use of force records"):
        document.add_paragraph(text, style="List Bullet")
    table = document.add_table(rows=3, cols=3)
    for row, cells in zip(
        table.rows,
        [
            ("Recommendation", "Owner", "Status"),
            ("Complaints information for detainees", "Custody command", "Complete"),
            ("Appropriate adults at night", "MOPAC commissioning", "In progress"),
        ],
        strict=True,
    ):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    closing = document.add_paragraph(
        "We will report progress to the Police and Crime Committee in six months."
    )
    closing.runs[0].font.size = Pt(11)
    document.save(path)
    return path


def encrypted_pdf(path: Path) -> Path:
    """A PDF that opens only with a password."""
    doc = _PdfBuilder()
    doc.para("This letter is protected by a password and cannot be read without it.")
    return doc.save(path, encrypt="secret-password")


def damaged_pdf(path: Path) -> Path:
    """A PDF cut short in a download: its header is right, the rest is missing."""
    whole = home_office_letter_pdf(path).read_bytes()
    path.write_bytes(whole[:400])
    return path


def zero_page_pdf(path: Path) -> Path:
    """A well-formed PDF whose page tree holds no pages."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [] /Count 0 >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, xref)
    )
    path.write_bytes(out.getvalue())
    return path


def encrypted_docx(path: Path) -> Path:
    """What Word saves for a password-protected .docx: an OLE compound file."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16
    path.write_bytes(header + b"EncryptedPackage" + bytes(range(256)) * 8)
    return path


def damaged_docx(path: Path) -> Path:
    """A .docx cut short: a zip archive missing its end."""
    whole = io.BytesIO()
    with zipfile.ZipFile(whole, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>" * 200)
    path.write_bytes(whole.getvalue()[:150])
    return path


def empty_docx(path: Path) -> Path:
    """A Word file with no text in it."""
    import docx

    docx.Document().save(path)
    return path


def oversized_pdf(path: Path, megabytes: float) -> Path:
    """A real PDF padded past ``megabytes`` (bytes after %%EOF are ignored)."""
    home_office_letter_pdf(path)
    with path.open("ab") as handle:
        handle.write(b"%" + b"x" * int(megabytes * 1_000_000) + b"\n")
    return path


def oversized_docx(path: Path, megabytes: float) -> Path:
    """A real .docx carrying an embedded file of ``megabytes``."""
    import random

    mopac_response_docx(path)
    noise = random.Random(0).randbytes(int(megabytes * 1_000_000))
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("word/embeddings/attachment.bin", noise)
    return path
