"""What a document's or a passage's page shows to cite it: tags, styles, files."""

from __future__ import annotations

from portal.cite.formats import FORMATS, all_styles
from portal.cite.items import document_item, locator, passage_item
from portal.cite.tags import meta_tags


def citation(
    doc: dict,
    url: str,
    export_url,
    passage: dict | None = None,
    pdf_url: str = "",
) -> dict:
    """Return ``{"item", "tags", "styles", "exports"}`` for one page.

    ``url`` is the page's permanent address; ``export_url(fmt)`` the address of
    its reference file in ``fmt``; ``pdf_url`` the original file when a PDF.
    """
    if passage is None:
        item, where = document_item(doc, url), None
    else:
        item, where = passage_item(doc, passage, url), locator(passage)
    return {
        "item": item,
        "tags": meta_tags(doc, url, passage, pdf_url),
        "styles": all_styles(item, where),
        "exports": [
            {"format": fmt, "name": name, "url": export_url(fmt)}
            for fmt, (_, name) in FORMATS.items()
        ],
    }
