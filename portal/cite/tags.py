"""Meta tags that reference managers read from a page.

Highwire Press ``citation_*`` tags are what Google Scholar's inclusion guidelines
ask for and what Zotero's "Embedded Metadata" translator reads first;
Dublin Core ``DC.*`` tags are its fallback. Zotero takes the item type from
``citation_technical_report_institution`` (a report) and otherwise from
``DC.type`` when that names a Zotero type ("letter", "report").
"""

from __future__ import annotations

from portal.cite.items import issuer, names

_ZOTERO_TYPES = {"letter": "letter", "report": "report"}


def meta_tags(
    doc: dict, public_url: str, passage: dict | None = None, pdf_url: str = ""
) -> list[tuple[str, str]]:
    """Return ``[(name, content)]`` for a document's page or one passage's page.

    ``public_url`` is the page's own permanent address; ``pdf_url`` the original
    file's address when it is a PDF.
    """
    tags = [("citation_title", doc.get("title") or doc["id"])]
    authors = names(doc.get("author")) or ([issuer(doc)] if issuer(doc) else [])
    tags += [("citation_author", name) for name in authors]
    if doc.get("date"):
        tags.append(("citation_publication_date", doc["date"].replace("-", "/")))
        tags.append(("DC.date", doc["date"]))
    body = issuer(doc)
    if body:
        tags.append(("citation_publisher", body))
        tags.append(("DC.publisher", body))
    if doc.get("type") == "report" and body:
        tags.append(("citation_technical_report_institution", body))
    if doc.get("reference"):
        tags.append(("citation_technical_report_number", doc["reference"]))
    if passage and passage.get("page"):
        tags.append(("citation_firstpage", str(passage["page"])))
    if pdf_url:
        tags.append(("citation_pdf_url", pdf_url))
    tags.append(("citation_public_url", public_url))
    tags.append(("citation_language", "en"))
    tags.append(("DC.title", doc.get("title") or doc["id"]))
    tags += [("DC.creator", name) for name in authors]
    for recipient in names(doc.get("recipients") or doc.get("recipient")):
        tags.append(("DC.contributor", recipient))
    zotero_type = _ZOTERO_TYPES.get(doc.get("type", ""))
    tags.append(("DC.type", zotero_type or "document"))
    tags.append(("DC.identifier", public_url))
    tags.append(("DC.language", "en"))
    if passage:
        tags.append(("DC.description", passage.get("text", "")[:300]))
    return tags
