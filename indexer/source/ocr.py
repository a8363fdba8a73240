"""Read the scanned pages of a PDF with Tesseract.

pypdfium2 renders each page to an image and pytesseract runs the ``tesseract``
program (Debian's ``tesseract-ocr``) on it. Tesseract reports every word with
its block, paragraph and line, and their boxes; its lines become
:class:`~indexer.source.layout.Line` records, which the layout groups into
paragraphs by the gaps between them (Tesseract's own paragraphs split a
paragraph at every line of even spacing).
"""

from __future__ import annotations

from pathlib import Path

from indexer.source.layout import Line

# 300 dots per inch: Tesseract reads body text best at about this resolution.
DPI = 300
# A build trusts what it read from an unchanged file, hence --force.
INSTALL = (
    "Tesseract is not installed; install it (apt-get install tesseract-ocr, "
    "or make ocr as root), then rebuild with --force"
)
# Words Tesseract is less sure of than this (0-100) are noise from stamps,
# signatures and specks.
MIN_CONFIDENCE = 30
PAGE_TIMEOUT_S = 120


class OcrUnavailableError(Exception):
    """Tesseract cannot be run here; the message says what to install."""


def tesseract_version() -> str | None:
    """Return the version of the ``tesseract`` program, or None when missing."""
    import pytesseract

    try:
        return str(pytesseract.get_tesseract_version())
    except (pytesseract.TesseractNotFoundError, OSError):
        return None


def ocr_pages(path: Path, numbers: list[int]) -> dict[int, list[Line]]:
    """Return the lines Tesseract reads on each of the 1-based pages ``numbers``.

    :raise OcrUnavailableError: when the ``tesseract`` program is missing or fails.
    """
    import pypdfium2
    import pytesseract

    if tesseract_version() is None:
        raise OcrUnavailableError(INSTALL)
    out = {}
    try:
        pdf = pypdfium2.PdfDocument(path)
    except pypdfium2.PdfiumError as exc:
        message = f"its pages cannot be rendered for OCR ({exc})"
        raise OcrUnavailableError(message) from exc
    try:
        for number in numbers:
            page = pdf[number - 1]
            image = page.render(scale=DPI / 72).to_pil()
            page.close()
            try:
                data = pytesseract.image_to_data(
                    image,
                    lang="eng",
                    output_type=pytesseract.Output.DICT,
                    timeout=PAGE_TIMEOUT_S,
                )
            except (pytesseract.TesseractError, RuntimeError) as exc:
                raise OcrUnavailableError(f"Tesseract failed: {exc}") from exc
            out[number] = _lines(data)
    finally:
        pdf.close()
    return out


def _lines(data: dict[str, list]) -> list[Line]:
    """Group Tesseract's words into lines."""
    lines: dict[tuple[int, int, int], Line] = {}
    for i, word in enumerate(data["text"]):
        word = word.strip()
        if not word or float(data["conf"][i]) < MIN_CONFIDENCE:
            continue
        # A lone bar is how Tesseract reads a capital I in many sans-serif faces.
        word = "I" if word == "|" else word
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        top, height = data["top"][i], data["height"][i]
        line = lines.get(key)
        if line is None:
            lines[key] = Line(
                text=word,
                top=top,
                bottom=top + height,
                x0=data["left"][i],
            )
        else:
            line.text += " " + word
            line.bottom = max(line.bottom, top + height)
    return list(lines.values())  # Tesseract's reading order
