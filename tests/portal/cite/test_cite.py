"""Citing and following: meta tags, reference files, styles, feeds, crawlers, data.

Every format is read back with a real parser (bs4 for meta tags by name, rispy,
bibtexparser, a JSON schema for CSL-JSON, ElementTree for Atom, OpenSearch and
sitemaps, csv and json for the bulk files), never by string search.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import bibtexparser
import jsonschema
import pytest
import rispy
from bs4 import BeautifulSoup

from indexer.store.build import build
from portal.cite.formats import formatted
from portal.cite.items import document_item
from portal.views.pages import csv_name
from tests.conftest import LETTER_2016, LETTER_2023, REPORT_2023, make_app

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"
# CSL-JSON as the CSL 1.0.2 specification defines the fields this portal writes
# (citationstyles.org, "CSL JSON" input schema): anything else is an error.
_NAME = {
    "type": "object",
    "properties": {
        "family": {"type": "string"},
        "given": {"type": "string"},
        "literal": {"type": "string"},
    },
    "additionalProperties": False,
}
CSL_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["type", "id"],
        "additionalProperties": False,
        "properties": {
            "id": {"type": "string"},
            "type": {"enum": ["personal_communication", "report", "document"]},
            "title": {"type": "string"},
            "URL": {"type": "string"},
            "author": {"type": "array", "items": _NAME},
            "recipient": {"type": "array", "items": _NAME},
            "publisher": {"type": "string"},
            "genre": {"type": "string"},
            "number": {"type": "string"},
            "note": {"type": "string"},
            "abstract": {"type": "string"},
            "issued": {
                "type": "object",
                "required": ["date-parts"],
                "properties": {
                    "date-parts": {
                        "type": "array",
                        "items": {
                            "type": "array",
                            "items": {"type": "integer"},
                            "minItems": 1,
                            "maxItems": 3,
                        },
                    }
                },
            },
        },
    },
}


def _meta(html: str) -> dict[str, list[str]]:
    """Read meta tags by name, as Zotero's Embedded Metadata translator does."""
    tags: dict[str, list[str]] = {}
    for tag in BeautifulSoup(html, "html.parser").find_all(
        "meta", attrs={"name": True}
    ):
        tags.setdefault(tag["name"], []).append(tag.get("content", ""))
    return tags


def _document(client, doc_id: str) -> dict:
    docs = client.get("/api/documents").get_json()["documents"]
    return next(d for d in docs if d["id"] == doc_id)


def _first_passage(client, doc_id: str) -> dict:
    """Return the first paragraph (not a heading) of a document, as the API has it."""
    page = BeautifulSoup(client.get(f"/docs/{doc_id}").data, "html.parser")
    first = page.select_one("div.passage")["id"]
    return client.get(f"/api/passages/{first}").get_json()


def test_a_letters_page_carries_highwire_and_dublin_core_tags(client):
    tags = _meta(client.get(f"/docs/{LETTER_2023}").get_data(as_text=True))
    doc = _document(client, LETTER_2023)
    assert tags["citation_title"] == [doc["title"]]
    assert tags["citation_author"] == ["Sophie Linden"]
    assert tags["citation_publication_date"] == ["2023/07/18"]
    assert tags["citation_publisher"] == ["Mayor's Office for Policing and Crime"]
    assert tags["DC.type"] == ["letter"]
    assert tags["DC.contributor"] == [doc["recipient"]]
    assert tags["citation_public_url"][0].endswith(f"/docs/{LETTER_2023}")
    assert "citation_technical_report_institution" not in tags


def test_a_reports_page_is_typed_a_report_issued_by_its_inspectorate(client):
    tags = _meta(client.get(f"/docs/{REPORT_2023}").get_data(as_text=True))
    assert tags["DC.type"] == ["report"]
    assert tags["citation_technical_report_institution"] == [
        "His Majesty's Inspectorate of Constabulary and Fire & Rescue Services"
    ]
    assert tags["citation_publication_date"] == ["2023/05/19"]
    assert "citation_pdf_url" not in tags  # the seed report is a text file


def test_a_passage_page_is_tagged_with_its_own_permalink(client):
    passage = _first_passage(client, LETTER_2016)
    tags = _meta(client.get(f"/p/{passage['id']}").get_data(as_text=True))
    assert tags["citation_public_url"][0].endswith(f"/p/{passage['id']}")
    assert tags["citation_author"] == ["Stephen Greenhalgh"]
    assert tags["DC.description"][0].startswith(passage["text"][:50])


def test_ris_of_a_passage_names_the_letter_its_recipient_and_paragraph(client):
    passage = _first_passage(client, LETTER_2023)
    response = client.get(f"/p/{passage['id']}.ris")
    assert response.status_code == 200
    assert response.mimetype == "application/x-research-info-systems"
    (record,) = rispy.loads(response.get_data(as_text=True))
    assert record["type_of_reference"] == "PCOMM"
    assert record["authors"] == ["Linden, Sophie"]
    assert record["year"] == "2023"
    assert any(note.startswith("Letter to ") for note in record["notes"])
    assert "para 1" in record["notes"]
    assert record["urls"][0].endswith(f"/p/{passage['id']}")


def test_bibtex_of_a_report_is_a_techreport_of_its_institution(client):
    response = client.get(f"/docs/{REPORT_2023}.bib")
    assert response.status_code == 200
    library = bibtexparser.parse_string(response.get_data(as_text=True))
    assert not library.failed_blocks
    (entry,) = library.entries
    assert entry.entry_type == "techreport"
    assert entry["year"] == "2023"
    assert "Inspectorate" in entry["institution"]
    assert entry["url"].endswith(f"/docs/{REPORT_2023}")


def test_csl_json_of_a_search_lists_every_document_behind_its_results(client):
    response = client.get("/search.csl.json?q=ROCU")
    items = response.get_json()
    jsonschema.validate(items, CSL_SCHEMA)
    api = client.get("/api/search?q=ROCU&per_page=100").get_json()
    docs = {r["doc_id"] for r in api["results"]}
    assert {item["id"] for item in items} == docs
    letters = [i for i in items if i["type"] == "personal_communication"]
    assert letters and all(i["recipient"] for i in letters)
    assert "attachment" in response.headers["Content-Disposition"]


@pytest.mark.parametrize("fmt", ["ris", "bib", "csl.json"])
def test_unknown_documents_and_passages_have_no_reference_file(client, fmt):
    assert client.get(f"/docs/no-such-document.{fmt}").status_code == 404
    assert client.get(f"/p/aaaaaaaaaa.{fmt}").status_code == 404


def test_the_cite_menu_gives_four_house_styles_and_three_files(client):
    passage = _first_passage(client, LETTER_2023)
    page = BeautifulSoup(client.get(f"/p/{passage['id']}").data, "html.parser")
    menu = page.select_one("details.cite-menu")
    styles = [dt.get_text() for dt in menu.select("dt")]
    assert styles == [
        "Harvard (Cite Them Right)",
        "APA",
        "Chicago (author-date)",
        "OSCOLA",
    ]
    oscola = menu.select_one("#cite-oscola").get_text()
    assert "Letter to" in oscola and "18 July 2023" in oscola
    assert "para 1" in menu.select_one("#cite-oscola-in-text").get_text()
    assert (
        "(Linden, 2023, para. 1)" == menu.select_one("#cite-harvard-in-text").get_text()
    )
    links = [a["href"] for a in menu.select(".cite-files a")]
    assert links == [f"/p/{passage['id']}.{fmt}" for fmt in ("ris", "bib", "csl.json")]


def test_formatted_citations_escape_what_the_document_says():
    doc = {
        "id": "x",
        "type": "report",
        "title": "<script>alert(1)</script> & more",
        "organisation": "HMICFRS",
        "date": "2020-01-02",
    }
    for style in ("harvard", "apa", "chicago", "oscola"):
        (entry,) = formatted([document_item(doc, "https://example.org/docs/x")], style)
        html = str(entry["reference"])
        assert "<script>" not in html and "&lt;script&gt;" in html
        assert "<https" not in html  # OSCOLA's angle brackets are text, not a tag


def _atom_entries(response) -> list[dict]:
    root = ET.fromstring(response.data)
    return [
        {
            "id": e.find(f"{ATOM}id").text,
            "updated": e.find(f"{ATOM}updated").text,
            "content": e.find(f"{ATOM}content").text,
        }
        for e in root.findall(f"{ATOM}entry")
    ]


def test_a_feed_holds_the_matching_passages_as_permalinks_with_highlights(client):
    response = client.get("/search.atom?q=ROCU")
    assert response.mimetype == "application/atom+xml"
    root = ET.fromstring(response.data)
    assert root.find(f"{ATOM}title").text == "Oversight Portal: ROCU"
    entries = _atom_entries(response)
    total = client.get("/api/search?q=ROCU").get_json()["total"]
    assert len(entries) == min(total, 50)
    assert all("/p/" in e["id"] for e in entries)
    assert all("<mark>" in e["content"] for e in entries)


def test_a_new_document_appears_in_a_feed_once_and_first(seed_copy):
    corpus, index = seed_copy  # the seed corpus as built, where a build takes seconds
    client = make_app(index, corpus).test_client()
    before = _atom_entries(client.get("/search.atom?q=county+lines"))
    (corpus / "2024-01-05-mopac-letter-county-lines.txt").write_text(
        "Dear Minister,\n\nCounty lines exploitation in Croydon has fallen this "
        "year, and county lines arrests have risen.\n\nA second paragraph says "
        "nothing of drugs.\n\nYours sincerely,\n\nA. Deputy\n",
        encoding="utf-8",
    )
    build(corpus, index)
    client = make_app(index, corpus).test_client()
    after = _atom_entries(client.get("/search.atom?q=county+lines"))
    new = [e for e in after if e["id"] not in {b["id"] for b in before}]
    assert len(new) == 1 and after[0] == new[0]
    assert "Croydon" in new[0]["content"]
    old = {e["id"]: e["updated"] for e in before}
    assert all(old[e["id"]] == e["updated"] for e in after[1:] if e["id"] in old)
    build(corpus, index, force=True)  # a rebuild that changes nothing adds nothing
    client = make_app(index, corpus).test_client()
    assert _atom_entries(client.get("/search.atom?q=county+lines")) == after


def test_every_page_offers_opensearch_and_the_description_parses(client):
    page = BeautifulSoup(client.get("/").data, "html.parser")
    link = page.find("link", rel="search")
    assert link["type"] == "application/opensearchdescription+xml"
    root = ET.fromstring(client.get(link["href"]).data)
    urls = {u.get("type"): u.get("template") for u in root.findall(f"{OPENSEARCH}Url")}
    assert urls["text/html"].endswith("/search?q={searchTerms}")
    assert urls["application/atom+xml"].endswith("/search.atom?q={searchTerms}")


def test_the_sitemaps_list_every_document_and_every_passage(client):
    robots = client.get("/robots.txt").get_data(as_text=True)
    assert "Disallow: /search" in robots
    sitemap_url = next(
        line for line in robots.splitlines() if line.startswith("Sitemap:")
    )
    assert sitemap_url.endswith("/sitemap.xml")
    index = ET.fromstring(client.get("/sitemap.xml").data)
    files = [loc.text for loc in index.iter(f"{SITEMAP}loc")]
    listed = []
    for url in files:
        root = ET.fromstring(client.get(url.split("localhost", 1)[1]).data)
        listed += [loc.text for loc in root.iter(f"{SITEMAP}loc")]
    docs = client.get("/api/documents").get_json()["documents"]
    health = client.get("/healthz").get_json()
    assert sum("/docs/" in u for u in listed) == len(docs)
    assert sum("/p/" in u for u in listed) == health["passages"]


def test_the_passages_download_is_every_passage_with_its_metadata(client):
    response = client.get("/data/passages.csv")
    assert "oversight-passages-gen-" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert len(rows) == client.get("/healthz").get_json()["passages"]
    letter = [r for r in rows if r["doc_id"] == LETTER_2023]
    assert {r["author"] for r in letter} == {"Sophie Linden"}
    assert all(r["first_seen"] and r["permalink"].startswith("http") for r in rows)
    lines = client.get("/data/passages.jsonl").get_data(as_text=True).splitlines()
    assert [json.loads(line)["id"] for line in lines] == [r["id"] for r in rows]


def test_documents_and_permalink_downloads_parse_and_agree(client):
    docs = json.loads(client.get("/data/documents.json").get_data(as_text=True))
    assert {d["id"] for d in docs} == {
        d["id"] for d in client.get("/api/documents").get_json()["documents"]
    }
    lines = client.get("/data/permalinks.jsonl").get_data(as_text=True).splitlines()
    entries = [json.loads(line) for line in lines]
    live = {e["id"] for e in entries if e["status"] == "live"}
    assert len(live) == client.get("/healthz").get_json()["passages"]
    # Ids of passages corrected since the ledger began lead to live ones.
    moved = [e for e in entries if e["status"] == "moved"]
    assert all(e["to"] in live and e["text"] for e in moved)
    assert {e["status"] for e in entries} <= {"live", "moved", "gone"}
    about = BeautifulSoup(client.get("/data").data, "html.parser")
    assert len(about.select("ul.downloads a")) == 4
    assert "About the data" in client.get("/").get_data(as_text=True)


def test_search_csv_starts_with_a_byte_order_mark_and_is_named_after_the_query(client):
    response = client.get("/search.csv?q=county+lines")
    assert response.get_data(as_text=True).startswith("\ufeffid,")
    disposition = response.headers["Content-Disposition"]
    assert 'filename="oversight-county-lines-' in disposition
    assert csv_name("<b>/..\\ x", None).startswith("oversight-b-x-")


def test_a_feed_for_a_query_with_control_characters_is_still_xml(client):
    # Found by the property tests: lxml refuses a NUL in the feed's title.
    response = client.get("/search.atom?q=ROCU%00%1b")
    assert response.status_code == 200
    root = ET.fromstring(response.data)
    assert root.find(f"{ATOM}title").text == "Oversight Portal: ROCU"
