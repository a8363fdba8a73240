"""Extract the content of an HTML page as Markdown-like text.

Only the page's content is kept: scripts, styles, navigation, headers, footers and
other page furniture are dropped before any text is taken, so none of it reaches
the index. Saved pages of GOV.UK, justiceinspectorates.gov.uk, london.gov.uk and
committees.parliament.uk mark their chrome (cookie banners, skip links,
breadcrumbs, feedback forms, related links, share and download boxes) with classes
and ids named for it; those are dropped too. A ``<br>`` ends a line, so an address
block stays several lines.
"""

from __future__ import annotations

import re

# Class or id words of page chrome on the sites above (and most CMS themes).
_CHROME = re.compile(
    r"cookie|breadcrumb|feedback|related|share|skip|print|download|popup|"
    r"banner|document-links|explore|newsletter|social",
    re.I,
)


def _is_chrome(tag) -> bool:
    names = " ".join([*(tag.get("class") or []), tag.get("id") or ""])
    return bool(names.strip()) and bool(_CHROME.search(names))


def html_to_text(html: str) -> str:
    """Return the content of an HTML page as Markdown-like text.

    Scripts, styles, navigation, headers and footers are dropped; headings become
    ``#`` lines, list items ``-`` lines, and paragraphs are separated by blank lines.
    """
    # Imported here: BeautifulSoup takes a quarter of a second to import, and a
    # build that reads no HTML file (every update of a text corpus) never needs it.
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(
        [
            "script",
            "style",
            "nav",
            "header",
            "footer",
            "noscript",
            "template",
            "form",
            "iframe",
            "svg",
            "aside",
        ]
    ):
        tag.decompose()
    for tag in soup.find_all(_is_chrome):
        if not tag.decomposed and tag.name not in ("html", "body", "main"):
            tag.decompose()
    for br in soup.find_all("br"):
        br.replace_with("\n")
    root = soup.find("main") or soup.find("article") or soup.body or soup
    blocks = []
    for node in root.find_all(
        [
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "p",
            "li",
            "blockquote",
            "pre",
            "td",
            "time",
            "dl",
        ]
    ):
        if node.find_parent(["p", "li", "blockquote", "pre", "td", "dl"]):
            continue
        if node.name == "dl":
            # "Published" / "5 September 2023" pairs: one "term: value" line each.
            pairs = zip(node.find_all("dt"), node.find_all("dd"), strict=False)
            lines = [f"{dt.get_text(' ')}: {dd.get_text(' ')}" for dt, dd in pairs]
        else:
            lines = node.get_text(" ").split("\n")
        text = "\n".join(" ".join(line.split()) for line in lines if line.strip())
        if not text:
            continue
        if node.name.startswith("h"):
            blocks.append("#" * int(node.name[1]) + " " + text)
        elif node.name == "li":
            blocks.append("- " + text)
        else:
            blocks.append(text)
    if not blocks:
        text = root.get_text("\n", strip=True)
        return text
    # Consecutive list items form one list: single newlines between them.
    out = []
    for block in blocks:
        if out and block.startswith("- ") and out[-1].startswith("- "):
            out[-1] += "\n" + block
        else:
            out.append(block)
    return "\n\n".join(out)
