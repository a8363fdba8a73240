"""Hostile corpus input: every bad file is named in the summary and never stops a build.

One corpus holds the seed documents and one file for each awkward case; it is
built once through the CLI, as `make index` runs it, and each test checks one case
in the printed summary and in what reached the index.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from whoosh import index as whoosh_index

from indexer.cli import cli
from indexer.source.corpus import decode, discover, read_corpus
from indexer.store.build import (
    BuildError,
    build,
    current_generation,
    read_documents,
    read_manifest,
)
from tests.conftest import LETTER_2016, SEED_CORPUS

HTML_PAGE = """<!doctype html><html><head><title>Custody review</title>
<style>body { color: red } .stylemarker {}</style>
<script>var scriptmarker = "tracking";</script></head>
<body><nav><a href="/">navmarker home</a></nav><header>headermarker banner</header>
<main><h1>Custody review</h1>
<p>The review found that custody records in Lambeth were incomplete.</p>
<ul><li>Record every detention.</li><li>Audit the records monthly.</li></ul></main>
<aside>asidemarker related links</aside>
<footer>footermarker copyright</footer></body></html>
"""
CP1252_TEXT = (
    "Caf\xe9 culture and the \x93night-time economy\x94 in Soho: a review of "
    "licensing and policing costs \x96 \x80 5,000 a year.\n"
).encode("latin-1")


def _fill(corpus: Path) -> None:
    shutil.copytree(SEED_CORPUS, corpus)
    (corpus / "empty.txt").write_bytes(b"")
    # PNG signature and header: binary, with NUL bytes, under a text extension.
    (corpus / "image.txt").write_bytes(
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8
    )
    (corpus / "notes.docx").write_bytes(b"PK\x03\x04 word document")
    (corpus / "slides.pptx").write_bytes(b"PK\x03\x04 slides")
    (corpus / "report.pdf").write_text("This is plain text, not a PDF.")
    (corpus / "nightlife.txt").write_bytes(CP1252_TEXT)
    (corpus / "custody.html").write_text(HTML_PAGE)
    (corpus / "huge.txt").write_text("policing " * 250_000)  # 2.25 MB
    shutil.copy(corpus / f"{LETTER_2016}.txt", corpus / "copy-of-the-2016-letter.txt")
    os.symlink("/etc/hostname", corpus / "server-file.txt")


def _digests(corpus: Path) -> dict[str, str]:
    return {
        str(p.relative_to(corpus)): hashlib.sha256(p.read_bytes()).hexdigest()
        + str(p.stat().st_mtime_ns)
        for p in sorted(corpus.rglob("*"))
        # The permalink ledger is the one file the indexer writes, by design.
        if p.is_file() and not p.is_symlink() and p.name != "permalinks.jsonl"
    }


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """Build the hostile corpus once with a 2 MB limit; return what the build did."""
    root = tmp_path_factory.mktemp("hostile")
    corpus, index = root / "corpus", root / "index"
    _fill(corpus)
    before = _digests(corpus)
    result = CliRunner(env={"OVERSIGHT_MAX_FILE_MB": "2"}).invoke(
        cli, ["build", "--corpus", str(corpus), "--index", str(index), "--quiet"]
    )
    generation = current_generation(index)
    ix = whoosh_index.open_dir(str(generation))
    with ix.searcher() as searcher:
        texts = [f["text"] for f in searcher.all_stored_fields()]
    return {
        "result": result,
        "lines": result.output.splitlines(),
        "documents": {d["source"]: d for d in read_documents(generation)},
        "texts": texts,
        "manifest": read_manifest(generation),
        "before": before,
        "after": _digests(corpus),
    }


def _line(hostile, name: str) -> str:
    lines = [line.strip() for line in hostile["lines"] if line.strip().startswith(name)]
    assert lines, f"{name} is not named in the summary:\n" + "\n".join(hostile["lines"])
    return "\n".join(lines)


def test_the_build_succeeds_and_indexes_every_good_document(hostile):
    assert hostile["result"].exit_code == 0, hostile["result"].output
    assert set(hostile["documents"]) == {
        *(p.name for p in SEED_CORPUS.glob("*.txt")),
        "nightlife.txt",
        "custody.html",
    }


def test_an_empty_file_is_skipped_and_named(hostile):
    assert _line(hostile, "empty.txt") == "empty.txt: skipped: file is empty"


def test_a_binary_file_with_a_text_extension_is_skipped_and_named(hostile):
    assert "skipped: looks like a binary file" in _line(hostile, "image.txt")


def test_an_unsupported_extension_is_skipped_and_named(hostile):
    assert "skipped: unsupported file type '.pptx'" in _line(hostile, "slides.pptx")


def test_a_damaged_word_file_is_skipped_and_named(hostile):
    assert "skipped: Word file is damaged" in _line(hostile, "notes.docx")


def test_a_pdf_that_is_not_a_pdf_is_skipped_and_named(hostile):
    assert "has a .pdf extension but is not a PDF file" in _line(hostile, "report.pdf")


def test_cp1252_text_is_decoded_with_one_warning(hostile):
    line = _line(hostile, "nightlife.txt: warning: not valid UTF-8")
    assert line.count("\n") == 0, "the decoding warning is printed twice"
    assert "decoded as cp1252" in line
    text = " ".join(t for t in hostile["texts"] if "Soho" in t)
    assert "Café culture and the “night-time economy” in Soho" in text
    assert "costs – € 5,000" in text


def test_latin1_bytes_that_cp1252_cannot_decode_fall_back_to_latin1():
    text, warning = decode(b"Gr\x81n \xe9t\xe9")
    assert text == "Gr\x81n été"
    assert "decoded as latin-1" in warning


def test_html_keeps_only_the_content(hostile):
    texts = " ".join(hostile["texts"])
    assert "custody records in Lambeth were incomplete" in texts
    assert "Record every detention." in texts
    for marker in ("scriptmarker", "stylemarker", "navmarker", "headermarker"):
        assert marker not in texts
    assert "footermarker" not in texts and "asidemarker" not in texts


def test_a_file_over_the_size_limit_is_skipped_and_names_the_setting(hostile):
    line = _line(hostile, "huge.txt")
    assert "skipped: file is 2.2 MB, over the 2 MB limit" in line
    assert "OVERSIGHT_MAX_FILE_MB" in line


def test_the_size_limit_is_configurable(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "big.txt").write_text("Custody records were audited. " * 50_000)
    with pytest.raises(
        BuildError, match="big.txt: skipped: file is 1.5 MB, over the 1 MB"
    ):
        build(corpus, tmp_path / "small", max_file_mb=1)
    # Reading is where the limit applies; parsing 1.5 MB would only slow the test.
    (doc,) = read_corpus(corpus, 2 * 1_000_000)
    assert doc.source == "big.txt" and len(doc.text) == 1_500_000


def test_the_same_document_twice_is_indexed_once_and_the_duplicate_named(hostile):
    line = _line(hostile, "copy-of-the-2016-letter.txt")
    assert f"skipped: duplicate of {LETTER_2016}.txt; indexed once" in line
    assert [d["id"] for d in hostile["documents"].values()].count(LETTER_2016) == 1


def test_a_symbolic_link_is_never_followed(hostile):
    assert "symbolic link, which is never followed" in _line(hostile, "server-file.txt")
    assert "server-file.txt" not in hostile["documents"]


def test_a_file_name_that_is_not_utf8_is_named_and_skipped(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEED_CORPUS / f"{LETTER_2016}.txt", corpus)
    (corpus / os.fsdecode(b"bad\xffname.txt")).write_text("Custody in Lambeth.")
    report = build(corpus, tmp_path / "index")
    assert report.documents == 1
    assert [str(p) for p in report.problems] == [
        "bad\\xffname.txt: skipped: file name is not valid UTF-8; rename it"
    ]


def test_two_files_with_the_same_slug_get_distinct_ids(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "a").mkdir(parents=True)
    (corpus / "Report.txt").write_text("Custody records in Lambeth were audited.")
    (corpus / "report.md").write_text("Stop and search in Croydon was reviewed.")
    (corpus / "a" / "report.txt").write_text("Knife crime in Hackney fell.")
    docs = [d for d in read_corpus(corpus, 10**6) if not hasattr(d, "skipped")]
    assert len({d.slug for d in docs}) == 3


def test_a_symlinked_directory_loop_does_not_hang_discovery(tmp_path):
    (tmp_path / "sub").mkdir()
    os.symlink("..", tmp_path / "sub" / "loop")
    (tmp_path / "sub" / "a.txt").write_text("Text.")
    files, problems = discover(tmp_path)
    assert [p.name for p in files] == ["a.txt"]


def test_the_build_never_modifies_a_corpus_document(hostile):
    assert hostile["after"] == hostile["before"]


def test_the_manifest_records_every_problem_file_the_summary_prints(hostile):
    printed = [line.strip() for line in hostile["lines"] if line.startswith("  ")]
    recorded = [
        f"{p['source']}: {'skipped' if p['skipped'] else 'warning'}: {p['message']}"
        for p in hostile["manifest"]["problems"]
    ]
    assert printed == recorded
    assert {line.split(":")[0] for line in printed} >= {
        "empty.txt",
        "image.txt",
        "notes.docx",
        "slides.pptx",
        "report.pdf",
        "nightlife.txt",
        "huge.txt",
        "copy-of-the-2016-letter.txt",
        "server-file.txt",
    }


def test_a_sidecar_with_values_of_the_wrong_type_is_named_and_ignored(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "note.txt").write_text("Custody in Lambeth was reviewed by the panel.")
    (corpus / "note.meta.toml").write_text(
        'title = 5\nauthor = ["a", 3]\ndate = 2023-01-01\nreference = {a = 1}\n'
    )
    report = build(corpus, tmp_path / "index")
    assert report.documents == 1
    assert [str(p) for p in report.problems] == [
        f"note.txt: warning: sidecar field {key!r} must be a string; ignored"
        for key in ("title", "author", "reference")
    ]
    (doc,) = read_documents(current_generation(tmp_path / "index"))
    assert doc["date"] == "2023-01-01" and doc["title"] == "note"
