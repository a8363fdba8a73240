"""Metadata extracted from each seed document, asserted against the documents."""

from __future__ import annotations

import pytest

from indexer.document.metadata import find_date
from indexer.document.record import load_document
from indexer.source.corpus import read_document
from tests.conftest import (
    LETTER_2016,
    LETTER_2017,
    LETTER_2022,
    LETTER_2023,
    REPORT_2023,
    SEED_CORPUS,
)


def load(doc_id: str):
    path = SEED_CORPUS / f"{doc_id}.txt"
    return load_document(read_document(path, SEED_CORPUS, 20_000_000))


@pytest.mark.parametrize(
    ("doc_id", "expected"),
    [
        (
            LETTER_2023,
            {
                "title": "An inspection of the London regional response to serious and "
                "organised crime",
                "date": "2023-07-18",
                "author": "Sophie Linden",
                "author_role": "Deputy Mayor for Policing and Crime",
                "recipient": "Suella Braverman",
                "recipient_role": "Home Secretary",
                "organisation": "MOPAC",
                "type": "letter",
                "reference": "MOPAC100723-D4648",
                "forces": ["MPS"],
            },
        ),
        (
            LETTER_2016,
            {
                "title": "Regional Organised Crime Units, A review of capability and "
                "effectiveness",
                "date": "2016-02-23",
                "author": "Stephen Greenhalgh",
                "author_role": "Deputy Mayor for Policing and Crime",
                "recipient": "Theresa May",
                "recipient_role": "Home Secretary",
                "organisation": "MOPAC",
                "type": "letter",
                "reference": "MOPAC081215-22378",
                "forces": ["MPS", "CoLP"],
                "cc": "PCC@hmic.gsi.gov.uk",
            },
        ),
        (
            LETTER_2022,
            {
                "title": "PEEL 2021/22 – An inspection of the Metropolitan Police",
                "date": "2022-11-18",
                "author": "Sophie Linden",
                "recipient": "Suella Braverman",
                "recipient_role": "Home Secretary",
                "organisation": "MOPAC",
                "type": "letter",
                "reference": "",
                "forces": ["MPS"],
            },
        ),
        (
            LETTER_2017,
            {
                # The title and recipient come from the document's .meta.toml sidecar.
                "title": "Response to the Police and Crime Committee on the draft "
                "Police and Crime Plan",
                "recipient": "Police and Crime Committee, London Assembly",
                "date": "2017-03-17",
                "author": "Sophie Linden",
                "author_role": "Deputy Mayor for Policing and Crime",
                "organisation": "MOPAC",
                "type": "letter",
                "forces": ["MPS"],
            },
        ),
        (
            REPORT_2023,
            {
                "title": "An inspection of the London regional response to serious and "
                "organised crime",
                "date": "2023-05-19",
                "author": "HMICFRS",
                "organisation": "HMICFRS",
                "type": "report",
                "recipient": "",
                "forces": ["MPS", "CoLP", "BTP"],
            },
        ),
    ],
)
def test_seed_document_metadata_matches_the_document(doc_id, expected):
    doc = load(doc_id)
    actual = {key: getattr(doc, key) for key in expected}
    assert actual == expected


@pytest.mark.parametrize(
    ("doc_id", "mentioned_date"),
    [
        (LETTER_2023, "2023-05-19"),
        (LETTER_2016, "2015-12-01"),
        (LETTER_2022, "2022-09-22"),
        (LETTER_2017, "2017-03-20"),
    ],
)
def test_a_letter_is_never_dated_by_a_date_its_body_mentions(doc_id, mentioned_date):
    doc = load(doc_id)
    body = " ".join(p.text for p in doc.passages)
    assert find_date(body) is not None  # the body does mention dates
    assert doc.date != mentioned_date


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("23February 2016 MOPAC081215-22378", "2016-02-23"),
        ("17th March 2017", "2017-03-17"),
        ("Published on: 19 May 2023", "2023-05-19"),
        ("1st December 2015", "2015-12-01"),
        ("March 8, 2017", "2017-03-08"),
        ("2021-06-30", "2021-06-30"),
        ("31 February 2016", None),
        ("no date here, 2021/22", None),
    ],
)
def test_find_date_reads_the_forms_the_documents_use(text, iso):
    assert find_date(text) == iso


@pytest.mark.parametrize(
    ("doc_id", "noise"),
    [
        (LETTER_2023, "Jane huden"),
        (LETTER_2022, "Jane hunden."),
        (LETTER_2017, "Spue hinden."),
    ],
)
def test_scanned_signature_noise_is_dropped_and_never_indexed(doc_id, noise):
    doc = load(doc_id)
    assert ("signature-noise", noise) in doc.furniture
    texts = " ".join(p.text + p.label for p in doc.passages)
    assert noise.rstrip(".") not in texts


@pytest.mark.parametrize("doc_id", [LETTER_2016, LETTER_2017, LETTER_2022, LETTER_2023])
def test_letter_furniture_is_metadata_not_body_text(doc_id):
    doc = load(doc_id)
    texts = [p.text for p in doc.passages]
    for furniture in (
        "Dear ",
        "Yours sincerely",
        "Yours Sincerely",
        "Marsham Street",
        "Deputy Mayor for Policing",
        "Sophie Linden",
        "CC:",
        "Our ref",
    ):
        assert not any(t.startswith(furniture) for t in texts), furniture
    assert not any("Marsham Street" in t for t in texts)
