"""Metadata and passages of the fixture documents in tests/corpus/, none a seed.

The expected values are in tests/corpus/expected.toml; a third of the entries was
held back, chosen at random before any rule was tuned. The floors are the issue's:
90% of fields right on the held-back part, and no page furniture as a passage.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from bench.metadata import (
    FIELDS,
    Tally,
    load_expected,
    measure,
    overall,
    parse_fixture,
)
from indexer.document.furniture import is_furniture

ENTRIES = load_expected()


@pytest.fixture(scope="module")
def parts():
    return measure(ENTRIES)


def test_fixture_set_covers_every_kind_with_a_held_back_third():
    kinds = {entry["type"] for entry in ENTRIES}
    held = [entry for entry in ENTRIES if entry.get("held_back")]
    assert len(ENTRIES) >= 30
    assert kinds == {"letter", "report", "statement", "evidence", "annex"}
    assert len(held) * 3 >= len(ENTRIES)


@pytest.mark.parametrize("field", FIELDS)
def test_every_field_is_right_on_nine_in_ten_development_documents(parts, field):
    tally = parts["development"][field]
    assert tally.share >= 0.9, tally.misses


def test_nine_in_ten_fields_are_right_on_the_held_back_documents(parts):
    # The honest number: these documents' failures were not looked at while tuning.
    assert overall(parts["held_back"]) >= 0.9
    for field in FIELDS:
        assert parts["held_back"][field].share >= 0.8, field


@pytest.mark.parametrize("name", [entry["file"] for entry in ENTRIES])
def test_no_page_furniture_line_becomes_a_passage(name):
    doc = parse_fixture(name)
    for passage in doc.passages:
        for line in passage.text.split("\n"):
            assert not is_furniture(line), (name, line)
        assert "cookie" not in passage.text.lower(), (name, passage.text)
        assert "Skip to" not in passage.text, (name, passage.text)


def test_numbered_items_keep_their_numbers():
    doc = parse_fixture("letter-from-title-line-pasted.txt")
    texts = [p.text for p in doc.passages]
    assert any(t.startswith("7. The Committee's recommendation 7") for t in texts)
    assert not any("•" in t for t in texts)


def test_one_newline_per_paragraph_gives_one_passage_per_paragraph():
    doc = parse_fixture("pasted-report-one-newline-per-paragraph.txt")
    assert len(doc.passages) == 4
    assert doc.passages[0].text.startswith("This review looks at")


def test_bodies_named_like_places_are_not_forces():
    doc = parse_fixture("pasted-report-one-newline-per-paragraph.txt")
    assert doc.forces == []
    met = parse_fixture("mopac-letter-peel-legitimacy-numeric-date.txt")
    assert met.forces == ["MPS"]


def test_a_break_address_block_keeps_its_lines():
    doc = parse_fixture("london-gov-mopac-letter-page.html")
    addresses = [text for kind, text in doc.furniture if kind == "address"]
    assert (
        "Rt Hon Daniel Okafor MP / Home Secretary / Home Office / 2 Marsham Street / "
        "London SW1P 4DF"
    ) in addresses


def test_a_web_pages_dates_are_kept_apart_from_the_letters_own_date():
    doc = parse_fixture("london-gov-mopac-letter-page.html")
    assert (doc.date, doc.updated) == ("2023-11-20", "2023-12-04")


def test_a_sidecar_with_a_byte_order_mark_is_read():
    doc = parse_fixture("pcc-letter-kent-precept.txt")
    assert (
        doc.title == "Letter to the Chair of the Police and Crime Panel on the precept"
    )
    assert doc.warnings == [] or all("sidecar" not in w for w in doc.warnings)


def test_pasted_page_footers_are_dropped_and_a_split_paragraph_rejoined(tmp_path):
    (tmp_path / "pasted.txt").write_text(
        "OFFICIAL\n\nA review of custody\n\nWe visited every custody suite in the\n"
        "force area and found that\n\nPage 1 of 2\n\nOFFICIAL\n\n2\n\n"
        "detainees waited too long to see a nurse.\n",
        encoding="utf-8",
    )
    doc = parse_fixture("pasted.txt", tmp_path)
    dropped = [text for kind, text in doc.furniture if kind == "page-furniture"]
    assert dropped == ["OFFICIAL", "Page 1 of 2", "OFFICIAL", "2"]
    assert [p.text for p in doc.passages] == [
        "We visited every custody suite in the force area and found that "
        "detainees waited too long to see a nurse."
    ]


GENERATED = Path(__file__).resolve().parents[2] / "corpus" / "generated.toml"


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """Measure the PDF and Word fixtures the tests write (all held back)."""
    from tests.corpus import make_fixtures

    entries = tomllib.loads(GENERATED.read_text(encoding="utf-8"))["document"]
    folder = tmp_path_factory.mktemp("generated")
    for entry in entries:
        getattr(make_fixtures, entry["make"])(folder / entry["file"])
    return measure(entries, folder)


def test_pdf_and_word_fixtures_count_with_the_held_back_part(parts, generated):
    # Measured on the day they were added: 27 of 32 fields (84%); the misses are the
    # Word response's title, template date, organisation and type, and the PDF
    # report's organisation. Together with the text held back: 112 of 123 (91%).
    assert overall(generated["held_back"]) >= 0.8
    combined: dict[str, Tally] = {}
    for part in (parts["held_back"], generated["held_back"]):
        for field, tally in part.items():
            into = combined.setdefault(field, Tally())
            into.right += tally.right
            into.total += tally.total
    assert overall(combined) >= 0.9
