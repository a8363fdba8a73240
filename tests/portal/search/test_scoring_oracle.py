"""The block scorer against an oracle of set algebra, on a generated 10k corpus.

Whoosh's own search cannot be the oracle: whoosh3's ``AndNotMatcher`` never
advances its excluded side, so it returns passages holding "crime" for
``police -crime`` once the postings span several blocks (see
``test_whoosh_canary.py``). Here the expected passages are computed from the
generated texts alone: each term's posting set is the passages whose analyzed
words hold it, and AND, OR and NOT are set intersection, union and difference.

The corpus has 10,000 passages in three segments, so common words span dozens of
128-posting blocks and phrases exercise the scorer's block skipping.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh import query as wq
from whoosh.filedb.filestore import RamStorage

from indexer.analysis.analyzer import analyze
from indexer.analysis.schema import build_schema
from portal.search import postings
from portal.search.query import parse
from portal.search.ranking import matching_query
from portal.search.scoring import Scorer

pytestmark = pytest.mark.slow

PASSAGES = 10_000
SEGMENTS = 3
# Words the analyzer keeps as they are, from very common to rare, so posting
# lists range from thousands of passages (many blocks) to a handful.
WORDS = [
    "police", "crime", "board", "fraud", "audit", "panel", "victim", "court",
    "budget", "cyber", "estate", "custody", "training", "vetting", "drone",
    "harbour", "lantern", "quarry", "saddle", "walnut",
]  # fmt: skip
PHRASE_WORDS = WORDS[:8]


def _passage(rng: random.Random) -> str:
    # Zipf-like: word i drawn with weight 1 / (i + 1).
    length = rng.randint(4, 30)
    return " ".join(
        rng.choices(WORDS, weights=[1 / (i + 1) for i in range(len(WORDS))], k=length)
    )


@pytest.fixture(scope="module")
def corpus():
    """A searcher over 10k generated passages, and each passage's analyzed words."""
    rng = random.Random(20261130)
    texts = [_passage(rng) for _ in range(PASSAGES)]
    # A rare word in ten passages, just before a common pair: see the block test.
    for n in range(7, PASSAGES, 1000):
        texts[n] += " kestrel police crime"
    index = RamStorage().create_index(build_schema())
    per_segment = PASSAGES // SEGMENTS + 1
    for start in range(0, PASSAGES, per_segment):
        with index.writer() as writer:
            writer.merge = False  # keep three segments: offsets are exercised
            for n in range(start, min(start + per_segment, PASSAGES)):
                text = texts[n]
                writer.add_document(id=f"p{n}", doc_id="d", text=text, pairs=text)
    words = [analyze(text, mode="index") for text in texts]
    with index.searcher() as searcher:
        assert len(searcher.leaf_searchers()) == SEGMENTS
        # Document numbers are the order passages were added, across segments.
        assert [searcher.stored_fields(n)["id"] for n in (0, PASSAGES - 1)] == [
            "p0",
            f"p{PASSAGES - 1}",
        ]
        yield searcher, words


def _postings(words: list[list[str]], term: str) -> set[int]:
    return {n for n, found in enumerate(words) if term in found}


def _phrase(words: list[list[str]], phrase: list[str]) -> set[int]:
    size = len(phrase)
    return {
        n
        for n, found in enumerate(words)
        if any(found[i : i + size] == phrase for i in range(len(found) - size + 1))
    }


# A random boolean query: the Whoosh tree and its expected set, built together.
terms = st.sampled_from(WORDS)
leaves = terms.map(lambda w: ("term", w))
trees = st.recursive(
    leaves,
    lambda kids: st.one_of(
        st.tuples(st.just("and"), st.lists(kids, min_size=2, max_size=3)),
        st.tuples(st.just("or"), st.lists(kids, min_size=2, max_size=3)),
        st.tuples(st.just("not"), st.tuples(kids, kids)),
    ),
    max_leaves=6,
)


def _whoosh(tree) -> wq.Query:
    kind, arg = tree
    if kind == "term":
        return wq.Term("text", analyze(arg)[0])
    if kind == "and":
        return wq.And([_whoosh(t) for t in arg])
    if kind == "or":
        return wq.Or([_whoosh(t) for t in arg])
    return wq.AndNot(_whoosh(arg[0]), _whoosh(arg[1]))


def _expected(tree, words) -> set[int]:
    kind, arg = tree
    if kind == "term":
        return _postings(words, analyze(arg)[0])
    if kind == "and":
        return set.intersection(*(_expected(t, words) for t in arg))
    if kind == "or":
        return set.union(*(_expected(t, words) for t in arg))
    return _expected(arg[0], words) - _expected(arg[1], words)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(tree=trees)
def test_a_boolean_query_matches_the_set_algebra_of_its_terms(corpus, tree):
    searcher, words = corpus
    assert set(Scorer(searcher).score(_whoosh(tree))) == _expected(tree, words)


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("police -crime", lambda p: p("police") - p("crime")),
        ("police NOT crime", lambda p: p("police") - p("crime")),
        ("fraud AND audit", lambda p: p("fraud") & p("audit")),
        ("walnut OR saddle", lambda p: p("walnut") | p("saddle")),
        ("(board OR panel) AND -victim",
         lambda p: (p("board") | p("panel")) - p("victim")),
        # Words side by side are ORed (the portal's default group).
        ("police crime -board", lambda p: (p("police") | p("crime")) - p("board")),
    ],
)  # fmt: skip
def test_a_parsed_query_matches_the_set_algebra_of_its_terms(corpus, q, expected):
    searcher, words = corpus
    query = matching_query(parse(q, searcher.schema).query, searcher.schema)
    found = set(Scorer(searcher).score(query))
    assert found == expected(lambda word: _postings(words, analyze(word)[0]))
    assert found, "each query matches something in the generated corpus"


def test_police_minus_crime_never_returns_a_passage_holding_crime(corpus):
    searcher, words = corpus
    query = matching_query(
        parse("police -crime", searcher.schema).query, searcher.schema
    )
    found = Scorer(searcher).score(query)
    assert found
    assert not any("crime" in words[n] for n in found)
    assert set(found) == _postings(words, "polic") - _postings(words, "crime")


@settings(max_examples=25, deadline=None)
@given(phrase=st.lists(st.sampled_from(PHRASE_WORDS), min_size=2, max_size=4))
def test_a_phrase_matches_the_passages_holding_its_words_in_a_row(corpus, phrase):
    searcher, words = corpus
    stems = [analyze(w)[0] for w in phrase]
    query = matching_query(wq.Phrase("text", stems), searcher.schema)
    assert set(Scorer(searcher).score(query)) == _phrase(words, stems)


def test_long_phrases_skip_blocks_holding_no_candidate(corpus, monkeypatch):
    searcher, words = corpus
    read, skipped = [], []
    real = postings.block_arrays

    def counting(reader, name, text, values=False, wanted=None):
        for block in real(reader, name, text, values, wanted):
            read.append(len(block[0]))
            yield block
        if wanted is not None:
            skipped.append(reader.doc_frequency(name, text) - sum(read))
        read.clear()

    monkeypatch.setattr(postings, "block_arrays", counting)
    # The rare pair "kestrel polic" is read first; "polic crime", in thousands of
    # passages, is then read only in the blocks holding one of its ten passages.
    stems = [analyze(w)[0] for w in ("kestrel", "police", "crime")]
    query = matching_query(wq.Phrase("text", stems), searcher.schema)
    found = Scorer(searcher).score(query)
    assert len(found) == 10 and set(found) == _phrase(words, stems)
    assert any(n > 0 for n in skipped)
