"""The one sentence splitter, tested on its own as Whoosh tests its analyzers."""

from __future__ import annotations

import pytest

from indexer.document.sentences import sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        ("  \n ", []),
        ("One sentence only", ["One sentence only"]),
        ("The board met. It agreed.", ["The board met.", "It agreed."]),
        # An abbreviation or a paragraph number before a lower-case word or a
        # number does not end a sentence.
        (
            "See e.g. the annex and para. 12 below.",
            ["See e.g. the annex and para. 12 below."],
        ),
        (
            "Is it done? Yes! “Done,” he said.",
            ["Is it done?", "Yes!", "“Done,” he said."],
        ),
        # A closing quote or bracket after the stop stays with its sentence.
        (
            "He wrote “We agree.” The force (not the board.) Then left.",
            ["He wrote “We agree.”", "The force (not the board.)", "Then left."],
        ),
        # The text is kept as written: a sentence may wrap across lines.
        ("Line one\nwraps here.\nNext one.", ["Line one\nwraps here.", "Next one."]),
    ],
)
def test_sentences_end_at_a_stop_before_a_sentence_opening(text, expected):
    assert sentences(text) == expected


def test_clauses_also_end_at_semicolons_and_colons():
    text = "Three areas improved: custody; vetting; and training. None declined."
    assert sentences(text) == [
        "Three areas improved: custody; vetting; and training.",
        "None declined.",
    ]
    assert sentences(text, clauses=True) == [
        "Three areas improved:",
        "custody;",
        "vetting;",
        "and training.",
        "None declined.",
    ]
