"""The shared analyzer, token by token, as Whoosh's own test_analysis does."""

from __future__ import annotations

import pytest

from indexer.analysis.analyzer import PassageAnalyzer, SurfaceAnalyzer, analyze


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("Victims’ Commissioner", ["victim", "commission"]),
        ("victims' rights", ["victim", "right"]),
        ("His Majesty’s Inspectorate", ["his", "majesti", "inspector"]),
        ("POLICE Police police", ["polic", "polic", "polic"]),
        ("organized organised", ["organis", "organis"]),
        ("4P approach", ["4p", "approach"]),
        ("2021/22 and 2021-22", ["2021/22", "and", "2021/22"]),
        ("£5 million", ["£5", "5", "million"]),
        ("€34m", ["€34m", "34m"]),
        ("£2.4m", ["£2.4m", "2.4m"]),
        ("43,000 officers", ["43,000", "offic"]),
        ("ROCUs and PCCs", ["rocu", "and", "pcc"]),
    ],
)
def test_index_tokens(text, tokens):
    assert analyze(text, mode="index") == tokens


def test_a_hyphenated_word_is_indexed_joined_and_split_at_one_position():
    tokens = [
        (t.text, t.pos, text[t.startchar : t.endchar])
        for text in ["the co-ordination of"]
        for t in PassageAnalyzer()(text, positions=True, chars=True, mode="index")
    ]
    assert tokens == [
        ("the", 0, "the"),
        ("coordin", 1, "co-ordination"),
        ("co", 1, "co"),
        ("ordin", 1, "ordination"),
        ("of", 2, "of"),
    ]


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        # A query keeps only the joined form, so it matches either spelling.
        ("co-ordination", ["coordin"]),
        ("coordination", ["coordin"]),
        ("cyber-crime", ["cybercrim"]),
        # A currency sign is kept in a query: £5 is not any 5.
        ("£5", ["£5"]),
        ("Victims'", ["victim"]),
    ],
)
def test_query_tokens(text, tokens):
    assert analyze(text, mode="query") == tokens


def test_a_possessive_is_marked_whole_but_indexed_without_its_s():
    text = "the force’s response"
    tokens = [
        (t.text, text[t.startchar : t.endchar])
        for t in PassageAnalyzer()(text, chars=True, mode="index")
    ]
    assert tokens == [("the", "the"), ("forc", "force’s"), ("respons", "response")]


def test_surface_analyzer_does_not_stem():
    assert [t.text for t in SurfaceAnalyzer()("Investigators' Policing")] == [
        "investigators",
        "policing",
    ]
