"""Readers: text encodings, HTML structure, and files that cannot be read."""

from __future__ import annotations

import pytest

from indexer.source.corpus import (
    Problem,
    RawDocument,
    UnreadableDocumentError,
    decode,
    html_to_text,
    read_corpus,
    read_document,
    slugify,
)

HTML_PAGE = """<!doctype html><html><head><title>T</title>
<style>p { color: red }</style><script>var secret = "tracking";</script></head>
<body><header><nav><a href="/">Home</a> <a href="/news">News</a></nav></header>
<main><h1>Knife crime strategy</h1><p>The Mayor will <b>publish</b> a strategy.</p>
<ul><li>first point</li><li>second point</li></ul>
<h2>Funding</h2><p>It costs &pound;5 million.</p></main>
<footer>Copyright 2017 Greater London Authority</footer></body></html>"""


def test_html_keeps_headings_paragraphs_and_list_items_only():
    text = html_to_text(HTML_PAGE)
    assert text.split("\n\n") == [
        "# Knife crime strategy",
        "The Mayor will publish a strategy.",
        "- first point\n- second point",
        "## Funding",
        "It costs £5 million.",
    ]
    for dropped in ("secret", "color", "News", "Copyright"):
        assert dropped not in text


def test_utf8_is_read_as_is_and_cp1252_falls_back_with_a_warning():
    assert decode("Victims’ £5".encode()) == ("Victims’ £5", None)
    text, warning = decode("Victims’ £5".encode("cp1252"))
    assert text == "Victims’ £5"
    assert "decoded as cp1252" in warning


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "file is empty"),
        ("blank.md", b"  \n\n  ", "contains no text"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("noise.txt", bytes(range(1, 32)) * 20, "binary"),
    ],
)
def test_unreadable_files_raise_with_a_clear_message(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UnreadableDocumentError, match=message):
        read_document(path, tmp_path, 1_000_000)


def test_a_file_over_the_size_limit_is_refused_naming_the_setting(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("word " * 1000)
    with pytest.raises(UnreadableDocumentError, match="OVERSIGHT_MAX_FILE_MB"):
        read_document(path, tmp_path, 1000)


def test_read_corpus_reports_each_bad_file_and_reads_the_rest(tmp_path):
    (tmp_path / "good.txt").write_text("A paragraph about knife crime.\n")
    (tmp_path / "copy.txt").write_text("A paragraph about knife crime.\n")
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "slides.pptx").write_bytes(b"PK\x03\x04")
    (tmp_path / "fake.pdf").write_text("not really a pdf")
    (tmp_path / "old.txt").write_bytes("Caf\xe9 culture".encode("cp1252"))
    (tmp_path / "themes.toml").write_text("[x]\n")
    items = list(read_corpus(tmp_path, 1_000_000))
    docs = {i.source for i in items if isinstance(i, RawDocument)}
    problems = {i.source: i for i in items if isinstance(i, Problem)}
    assert docs == {"copy.txt", "old.txt"}
    assert "duplicate of copy.txt" in problems["good.txt"].message
    assert problems["empty.txt"].skipped
    assert "unsupported file type '.pptx'" in problems["slides.pptx"].message
    assert "not a PDF" in problems["fake.pdf"].message
    assert not problems["old.txt"].skipped and "cp1252" in problems["old.txt"].message
    assert "themes.toml" not in problems


def test_an_invalid_sidecar_is_reported_and_the_document_still_read(tmp_path):
    (tmp_path / "a.txt").write_text("Text.\n")
    (tmp_path / "a.meta.toml").write_text("title = \n")
    doc = read_document(tmp_path / "a.txt", tmp_path, 1000)
    assert doc.overrides == {}
    assert "a.meta.toml is invalid" in doc.warnings[0]


def test_slugify_makes_url_safe_names():
    assert slugify("2023 Letter – Home Secretary (final)") == (
        "2023-letter-home-secretary-final"
    )
