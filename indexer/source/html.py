"""Extract the content of an HTML page as Markdown-like text.

Only the page's content is kept: scripts, styles, navigation, headers, footers and
other page furniture are dropped before any text is taken, so none of it reaches
the index.
"""

from __future__ import annotations


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
    root = soup.find("main") or soup.find("article") or soup.body or soup
    blocks = []
    for node in root.find_all(
        ["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote", "pre", "td"]
    ):
        if node.find_parent(["p", "li", "blockquote", "pre", "td"]):
            continue
        text = " ".join(node.get_text(" ", strip=True).split())
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
