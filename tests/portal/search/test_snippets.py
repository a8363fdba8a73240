"""Snippets never repeat text, are never longer than their passage, show a short
passage whole, and mark every match they show."""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.analysis.analyzer import PassageAnalyzer
from portal.search.highlight import WHOLE, Terms, analysed_tokens, highlight
from tests.conftest import SEED_CORPUS
from tests.portal.search.test_search import search

FILLER = (
    "The inspectors visited the harbour offices on several occasions and "
    "spoke with staff from each of the teams working there. "
)


def plain(snippet: str) -> str:
    """Return the snippet's text without marks or ellipses."""
    return re.sub(r"</?mark>", "", snippet).replace("… ", "").replace(" …", "")


def fragments(snippet: str) -> list[str]:
    return [f.strip() for f in re.sub(r"</?mark>", "", snippet).split("…") if f.strip()]


def long_passage(gaps: list[int]) -> str:
    """Return a passage saying "cargo theft" after each gap of filler sentences.

    Every sentence is numbered, so a repeated piece of snippet is the snippet's
    doing, not the passage's.
    """
    count = iter(range(1000))
    return " ".join(
        "".join(f"Visit {next(count)}: {FILLER}" for _ in range(gap))
        + f"Cargo theft was reported ({next(count)})."
        for gap in gaps
    )


@pytest.mark.parametrize("gaps", [[0, 1, 1, 1], [1, 0, 0, 4, 1], [3, 3, 3, 3], [0] * 9])
def test_a_snippet_never_repeats_text_nor_outgrows_its_passage(gaps):
    text = long_passage(gaps)
    snippet = str(highlight(text, Terms({"cargo", "theft"})))
    assert_in_order_once(fragments(snippet), text)
    assert len(plain(snippet)) <= len(text)


def assert_in_order_once(shown: list[str], text: str) -> None:
    """Assert each fragment is a piece of ``text`` after the one before it."""
    at = 0
    for fragment in shown:
        found = text.find(fragment, at)
        assert found >= at, f"{fragment[:60]!r} is not after the previous fragment"
        at = found + len(fragment)


@pytest.mark.parametrize("apart", [150, 250, 290, 400])
def test_matches_just_past_a_fragment_never_show_its_end_again(apart):
    words = [f"w{i:03d}" for i in range(400)]  # 5 characters each with a space
    step = apart // 5
    for at in range(10, 400, step):
        words[at] = "cargo"
    text = " ".join(words)
    snippet = str(highlight(text, Terms({"cargo"})))
    assert_in_order_once(fragments(snippet), text)
    assert len(plain(snippet)) <= len(text)


def test_every_match_a_snippet_shows_is_marked():
    text = long_passage([2, 0, 1, 5, 0])
    snippet = str(highlight(text, Terms({"cargo", "theft"})))
    unmarked = re.sub(r"<mark>[^<]*</mark>", "", snippet)
    assert "Cargo" not in unmarked and "theft" not in unmarked
    assert snippet.count("<mark>Cargo</mark>") >= 2


def test_a_short_passage_is_shown_whole_and_marked():
    text = "Cargo theft at the ferry terminal, then cargo loss, then Cargo again."
    assert len(text) <= WHOLE
    snippet = str(highlight(text, Terms({"cargo"})))
    assert plain(snippet) == text and "…" not in snippet
    assert snippet.lower().count("<mark>cargo</mark>") == 3


def test_a_passage_whose_fragments_cover_it_is_shown_whole():
    text = long_passage([0, 1, 1])
    snippet = str(highlight(text, Terms({"cargo"})))
    assert "…" not in snippet and plain(snippet) == text


def test_seed_no_snippet_of_the_first_hundred_for_the_repeats_itself(client):
    for q in ("the", "financial investigators"):
        for result in search(client, q=q, per_page=100)["results"]:
            shown = [html.unescape(f) for f in fragments(result["snippet"])]
            assert_in_order_once(shown, result["text"])
            assert len(html.unescape(plain(result["snippet"]))) <= len(result["text"])


WORD_CASES = (
    "Co-ordination of the MPS/BTP response: £5m, €34m and 2021-22; Siân's ROCUs "
    "and victims' organized crime, doesn’t it? 4P 43,000 ‐ the co‑ordinator's e-mail.",
    "",
    "   ",
    "a/b/c -- x-y-z ’’ '' £ € $5",
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [*WORD_CASES[0].split(), "-", "/", "'", "’", " ", "  ", "\n", "é", "Ñ"]
        ),
        max_size=30,
    )
)
def test_tokens_a_word_at_a_time_equal_the_analyzer_over_the_whole_text(pieces):
    text = "".join(pieces)
    assert analysed_tokens(text) == whole_text_tokens(text)


def test_every_seed_and_fixture_passage_tokenises_as_the_analyzer_does():
    from indexer.store.build import load_corpus

    texts = list(WORD_CASES)
    for folder in (SEED_CORPUS, SEED_CORPUS.parent / "tests" / "corpus" / "documents"):
        documents, _ = load_corpus(folder, 10**8)
        texts += [p.text for d in documents for p in d.passages]
    assert len(texts) > 300
    for text in texts:
        assert analysed_tokens(text) == whole_text_tokens(text)


def whole_text_tokens(text: str) -> list[tuple[str, int, int, int]]:
    """The analyzer run over the whole text, as highlighting used to run it."""
    return [
        (t.text, t.pos, t.startchar, t.endchar)
        for t in PassageAnalyzer()(text, positions=True, chars=True, mode="index")
    ]
