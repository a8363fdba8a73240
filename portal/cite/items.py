"""CSL-JSON items: a document or a passage as a reference managers' record.

The fields follow the CSL 1.0.2 specification (citationstyles.org, "CSL-JSON"
schema): a letter is type ``personal_communication`` (genre "Letter") with its
``recipient``, the type CSL styles print a recipient for ("Letter to ..."), and
the one Zotero reads back as a letter; an inspection report
is type ``report`` with its issuing body as ``publisher``; a passage is its
document's item with the paragraph (and page, where known) as the locator, kept
in ``note`` since CSL-JSON has no field for a locator outside a citation.
"""

from __future__ import annotations

import re

from indexer.document.gazetteer import FORCE_BY_CODE, ORGANISATIONS

_ORGANISATION_BY_CODE = {o.code: o for o in ORGANISATIONS}
CSL_TYPES = {"letter": "personal_communication", "report": "report"}
# A name with a comma or an organisation's initials is not split into parts.
_PERSON = re.compile(r"^[A-Z][\w'’.-]+(?: [A-Z][\w'’.-]+)+$")
_POSTNOMINALS = re.compile(r"(?:,?\s+(?:QPM|OBE|CBE|MBE|DL|KC|QC|KPM|DBE))+$")


def names(value) -> list[str]:
    """Return the names in a metadata value: a string, a list, or empty."""
    if not value:
        return []
    items = value if isinstance(value, list) else [value]
    return [str(item).strip() for item in items if str(item).strip()]


def csl_name(name: str) -> dict:
    """Return a CSL name: ``{"family", "given"}`` for a person, else literal."""
    clean = _POSTNOMINALS.sub("", name).strip()
    if _PERSON.fullmatch(clean) and clean.upper() != clean:
        *given, family = clean.split(" ")
        return {"family": family, "given": " ".join(given)}
    return {"literal": clean}


def issuer(doc: dict) -> str:
    """Return the body that issued a document: its organisation, spelt out."""
    org = doc.get("organisation") or ""
    known = FORCE_BY_CODE.get(org) or _ORGANISATION_BY_CODE.get(org)
    return known.name if known else org


def _date_parts(iso: str | None) -> dict | None:
    if not iso:
        return None
    parts = [int(p) for p in iso.split("-") if p.isdigit()]
    return {"date-parts": [parts]} if parts else None


def document_item(doc: dict, url: str) -> dict:
    """Return the CSL-JSON item of a document; ``url`` is its page on the portal."""
    kind = CSL_TYPES.get(doc.get("type", ""), "document")
    authors = names(doc.get("author"))
    item: dict = {
        "id": doc["id"],
        "type": kind,
        "title": doc.get("title") or doc["id"],
        "URL": url,
    }
    if authors:
        item["author"] = [csl_name(a) for a in authors]
    elif issuer(doc):
        item["author"] = [{"literal": issuer(doc)}]
    if issuer(doc):
        item["publisher"] = issuer(doc)
    recipients = names(doc.get("recipients") or doc.get("recipient"))
    if kind == "personal_communication" and recipients:
        item["recipient"] = [csl_name(r) for r in recipients]
        item["genre"] = "Letter"
    issued = _date_parts(doc.get("date"))
    if issued:
        item["issued"] = issued
    # A report's number is part of its reference; a letter's file reference is
    # not (APA would print it as "Letter MOPAC...").
    if doc.get("reference") and kind == "report":
        item["number"] = doc["reference"]
    return item


def passage_item(doc: dict, passage: dict, url: str) -> dict:
    """Return the CSL-JSON item of one passage: its document's, located."""
    item = document_item(doc, url)
    item["id"] = passage["id"]
    where = []
    if passage.get("page"):
        where.append(f"p. {passage['page']}")
    if passage.get("para"):
        where.append(f"para {passage['para']}")
    if where:
        item["note"] = ", ".join(where)
    item["abstract"] = passage.get("text", "")
    return item


def locator(passage: dict) -> tuple[str, str] | None:
    """Return a passage's CSL locator ``(label, value)``: its paragraph or page."""
    if passage.get("para"):
        return ("paragraph", str(passage["para"]))
    if passage.get("page"):
        return ("page", str(passage["page"]))
    return None
