"""What browsers and crawlers read: OpenSearch, robots.txt and the sitemaps.

OpenSearch 1.1 (opensearch.org, "OpenSearch description document") lets a browser
add the portal as a search engine; sitemaps follow sitemaps.org 0.9, whose files
hold at most 50,000 URLs, so passages are listed in numbered files behind one
sitemap index.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator

SITEMAP_LIMIT = 50_000  # URLs per sitemap file (sitemaps.org)
_SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
_OPENSEARCH_NS = "http://a9.com/-/spec/opensearch/1.1/"


def opensearch(root: str, html_template: str, atom_template: str) -> bytes:
    """Return the OpenSearch description; templates hold ``{searchTerms}``."""
    ET.register_namespace("", _OPENSEARCH_NS)
    doc = ET.Element(f"{{{_OPENSEARCH_NS}}}OpenSearchDescription")
    for tag, text in (
        ("ShortName", "Oversight Portal"),
        ("Description", "Search letters and inspection reports on policing in London"),
        ("InputEncoding", "UTF-8"),
        ("Language", "en-gb"),
    ):
        ET.SubElement(doc, f"{{{_OPENSEARCH_NS}}}{tag}").text = text
    for kind, template in (
        ("text/html", html_template),
        ("application/atom+xml", atom_template),
    ):
        ET.SubElement(
            doc, f"{{{_OPENSEARCH_NS}}}Url", {"type": kind, "template": template}
        )
    icon = ET.SubElement(doc, f"{{{_OPENSEARCH_NS}}}Image", {"type": "image/svg+xml"})
    icon.text = root.rstrip("/") + "/static/favicon.svg"
    return ET.tostring(doc, encoding="utf-8", xml_declaration=True)


def robots(sitemap_url: str) -> str:
    """Return robots.txt: documents and passages open, endless search pages not."""
    return "\n".join(
        [
            "User-agent: *",
            "Disallow: /search",
            "Disallow: /api/",
            "Disallow: /compare",
            "Disallow: /diff",
            "Disallow: /align",
            "Allow: /",
            f"Sitemap: {sitemap_url}",
            "",
        ]
    )


def sitemap_index(urls: list[str]) -> bytes:
    """Return a sitemap index listing the sitemap files at ``urls``."""
    ET.register_namespace("", _SITEMAP_NS)
    doc = ET.Element(f"{{{_SITEMAP_NS}}}sitemapindex")
    for url in urls:
        entry = ET.SubElement(doc, f"{{{_SITEMAP_NS}}}sitemap")
        ET.SubElement(entry, f"{{{_SITEMAP_NS}}}loc").text = url
    return ET.tostring(doc, encoding="utf-8", xml_declaration=True)


def sitemap(urls: Iterator[tuple[str, str | None]]) -> bytes:
    """Return a sitemap of ``(url, lastmod or None)`` pairs."""
    ET.register_namespace("", _SITEMAP_NS)
    doc = ET.Element(f"{{{_SITEMAP_NS}}}urlset")
    for url, lastmod in urls:
        entry = ET.SubElement(doc, f"{{{_SITEMAP_NS}}}url")
        ET.SubElement(entry, f"{{{_SITEMAP_NS}}}loc").text = url
        if lastmod:
            ET.SubElement(entry, f"{{{_SITEMAP_NS}}}lastmod").text = lastmod
    return ET.tostring(doc, encoding="utf-8", xml_declaration=True)
