"""Block-at-a-time scoring and word-pair phrases agree with Whoosh's own matching."""

from __future__ import annotations

import shutil

import pytest
from whoosh import index as whoosh_index
from whoosh.query import Phrase

import indexer.store.writer
from indexer.analysis.analyzer import PairAnalyzer, analyze
from indexer.store.build import build, current_generation
from portal.index.handle import get_index
from portal.search.ranking import matching_query
from portal.search.scoring import Scorer
from portal.search.service import parse_query
from tests.conftest import make_app

QUERIES = [
    "police",
    "fraud cybercrime",
    '"organised crime"',
    '"sensitive intelligence unit"',
    '"regional organised crime units"',
    "fraud AND cybercrime",
    "intelligence NOT surveillance",
    "ROCU OR ROCTA",
    "SIU",
    "CoLP",
    "+fraud victims",
    "-police crime",
    "recruit*",
    "year:2023 funding",
    "force:BTP crime",
    "(fraud OR theft) AND -cyber",
    '"co-ordination"',
    "section:resources skills",
]


@pytest.mark.parametrize("q", QUERIES)
def test_pair_phrases_match_the_passages_whoosh_phrases_match(app, q):
    with app.test_request_context():
        handle = get_index()
        searcher = handle.searcher
        parsed = parse_query(q, handle)
        expected = set(parsed.docs(searcher))
        found = Scorer(searcher).score(matching_query(parsed, searcher.schema))
    assert expected, "every query in the list matches something in the seed corpus"
    assert set(found) == expected


@pytest.mark.parametrize("q", QUERIES)
def test_scores_equal_whoosh_scores_of_the_same_query(app, q):
    with app.test_request_context():
        handle = get_index()
        searcher = handle.searcher
        query = matching_query(parse_query(q, handle), searcher.schema)
        expected = dict(searcher.search(query, limit=None).items())
        found = Scorer(searcher).score(query)
    assert set(found) == set(expected)
    for docnum, score in expected.items():
        assert found[docnum] == pytest.approx(score, rel=1e-9)


def test_two_word_phrases_become_one_pair_term(app):
    with app.test_request_context():
        handle = get_index()
        query = parse_query('"organised crime"', handle)
        rewritten = matching_query(query, handle.searcher.schema)
    assert "pairs:organis crime" in str(rewritten)
    assert "label_pairs:organis crime" in str(rewritten)


def test_pairs_hold_every_form_of_a_hyphenated_word():
    pairs = [t.text for t in PairAnalyzer()("better co-ordination of £5")]
    assert pairs == [
        "better coordin",
        "better co",
        "better ordin",
        "coordin of",
        "co of",
        "ordin of",
        "of £5",
        "of 5",
    ]


@pytest.mark.slow  # builds an index of its own
def test_a_phrase_needs_its_pairs_in_a_row_not_anywhere_in_the_passage(
    tmp_path, corpus_dir
):
    corpus = tmp_path / "corpus"
    shutil.copytree(corpus_dir, corpus)
    # Every pair of "regional organised crime units" occurs, but never in a row.
    (corpus / "2024-01-10-mopac-letter-pairs.txt").write_text(
        "Subject: Pairs\n\n10 January 2024\n\n"
        "The regional organised crime threat assessment units met the card "
        "payment crime units. The crime units were regional organised teams.\n"
    )
    index = tmp_path / "index"
    build(corpus, index)
    app = make_app(index, corpus)
    with app.test_request_context():
        handle = get_index()
        searcher = handle.searcher
        words = analyze("regional organised crime units")
        exact = set(Phrase("text", words).docs(searcher))
        parsed = parse_query('"regional organised crime units"', handle)
        found = Scorer(searcher).score(matching_query(parsed, searcher.schema))
    texts = [searcher.stored_fields(n)["text"] for n in found]
    assert not any("payment crime units" in t for t in texts)
    assert exact <= set(found)


@pytest.mark.slow  # builds an index of its own
def test_deleted_passages_of_an_incremental_update_are_never_scored(
    tmp_path, corpus_dir, monkeypatch
):
    # Keep the old segment (with its deletions) instead of folding it in.
    monkeypatch.setattr(indexer.store.writer, "SMALL_SEGMENT", 0)
    corpus = tmp_path / "corpus"
    shutil.copytree(corpus_dir, corpus)
    index = tmp_path / "index"
    build(corpus, index)
    letter = next(corpus.glob("2016-*.txt"))
    letter.write_text(letter.read_text().replace("Regional", "Area"))
    assert build(corpus, index).incremental
    generation = current_generation(index)
    with whoosh_index.open_dir(str(generation)).searcher() as searcher:
        assert searcher.reader().has_deletions()
        query = parse_query_plain("regional", searcher)
        expected = dict(searcher.search(query, limit=None).items())
        found = Scorer(searcher).score(query)
    assert set(found) == set(expected)


def parse_query_plain(q, searcher):
    """Parse ``q`` without acronym expansion, for a searcher outside the app."""
    from portal.search.query import parse

    return parse(q, searcher.schema).query
