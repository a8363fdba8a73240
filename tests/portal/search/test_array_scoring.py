"""The array scorer, signals and facet counts against per-passage Python, exactly.

Scoring, reranking and facet counting work over numpy arrays of passage numbers;
the reference here is the per-passage Python they replaced (a dict of scores per
clause, a loop over the matches), on a generated corpus of three segments with
deleted passages. Scores must be equal to the last bit, so the order of results
cannot change either.
"""

from __future__ import annotations

import random
from collections import Counter

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from whoosh import query as wq
from whoosh.filedb.filestore import RamStorage

from indexer.analysis.analyzer import analyze, pair_term
from indexer.analysis.schema import build_schema
from portal.index.values import encode_values
from portal.search import signals
from portal.search.expand import Words
from portal.search.postings import (
    blocks,
    flat_positions,
    ids_and_weights,
    positions_decoder,
)
from portal.search.scoring import Scorer

PASSAGES = 3_000
WORDS = ["police", "crime", "board", "fraud", "audit", "panel", "victim", "walnut"]


@pytest.fixture(scope="module")
def searcher():
    """A searcher over generated passages in three segments, some deleted."""
    rng = random.Random(1130)
    index = RamStorage().create_index(build_schema())
    for segment in range(3):
        with index.writer() as writer:
            writer.merge = False
            for n in range(PASSAGES // 3):
                words = rng.choices(WORDS, weights=[8, 6, 4, 3, 2, 2, 1, 1], k=20)
                text = " ".join(words[: rng.randint(3, 20)])
                writer.add_document(
                    id=f"p{segment}-{n}", doc_id="d", text=text, pairs=text
                )
    with index.writer() as writer:
        writer.merge = False
        for n in range(0, PASSAGES // 3, 7):
            writer.delete_by_term("id", f"p1-{n}")
    with index.searcher() as found:
        assert len(found.leaf_searchers()) == 3 and found.doc_count() < PASSAGES
        yield found


def _reference(scorer: Scorer, node) -> tuple[dict, dict, int, set]:
    """Return scores, matched counts, terms and own passages, passage by passage."""
    if isinstance(node, wq.Term):
        scores: dict[int, float] = {}
        bm25 = scorer._bm25(node.fieldname, node.text, node.boost)
        for seg in scorer.segments:
            reader = seg.searcher.reader()
            if (node.fieldname, node.text) not in reader:
                continue
            lengths = scorer._lengths(seg, node.fieldname)
            for ids, weights, _ in blocks(reader, node.fieldname, node.text):
                for docnum, tf in zip(ids, weights, strict=True):
                    if docnum not in seg.deleted:
                        scores[docnum + seg.offset] = float(bm25(tf, lengths[docnum]))
        return scores, dict.fromkeys(scores, 1), 1, set(scores)
    if isinstance(node, wq.Phrase):
        return _reference_phrase(scorer, node)
    parts = [_reference(scorer, q) for q in node.subqueries]
    if isinstance(node, wq.Or):
        scores, matched = {}, {}
        for part in parts:
            for docnum, score in part[0].items():
                scores[docnum] = scores.get(docnum, 0.0) + score
                matched[docnum] = matched.get(docnum, 0) + part[1][docnum]
        terms = sum(p[2] for p in parts)
        if node.scale and 1 < terms != node.scale:
            keep, step = (terms - 1) / terms, (terms - node.scale) ** 2
            for docnum in scores:
                scores[docnum] = (scores[docnum] + (matched[docnum] - 1) / step) * keep
        return scores, matched, terms, set().union(*(p[3] for p in parts))
    parts.sort(key=lambda p: len(p[0]))
    common = set.intersection(*(set(p[0]) for p in parts))
    return (
        {d: sum(p[0][d] for p in parts) for d in common},
        {d: sum(p[1][d] for p in parts) for d in common},
        sum(p[2] for p in parts),
        common & set().union(*(p[3] for p in parts)),
    )


def _reference_phrase(scorer: Scorer, node: wq.Phrase) -> tuple:
    """A phrase of word pairs, each pair's positions decoded by Whoosh's format."""
    decode = scorer.searcher.schema[node.fieldname].format.decode_positions
    postings = []
    for pair in node.words:
        found = {}
        for seg in scorer.segments:
            reader = seg.searcher.reader()
            if (node.fieldname, pair) not in reader:
                continue
            lengths = scorer._lengths(seg, node.fieldname)
            for ids, weights, vals in blocks(reader, node.fieldname, pair, True):
                for i, docnum in enumerate(ids):
                    if docnum not in seg.deleted:
                        found[docnum + seg.offset] = (
                            weights[i],
                            lengths[docnum],
                            vals[i],
                        )
        postings.append(found)
    bm25s = [scorer._bm25(node.fieldname, pair, node.boost) for pair in node.words]
    scores = {}
    for docnum in set.intersection(*(set(p) for p in postings)):
        later = [set(decode(p[docnum][2])) for p in postings[1:]]
        starts = decode(postings[0][docnum][2])
        if any(all(s + i in seen for i, seen in enumerate(later, 1)) for s in starts):
            scores[docnum] = sum(
                float(bm25(*p[docnum][:2]))
                for bm25, p in zip(bm25s, postings, strict=True)
            )
    return scores, dict.fromkeys(scores, len(node.words)), len(node.words), set(scores)


def _reference_rerank(scorer, words, owns, scores) -> dict[int, float]:
    """The ranking signals as a loop over the matches."""
    total = scorer.searcher.doc_count()
    weights = [signals._idf(total, len(own)) if own else 0.0 for own in owns]
    whole = sum(weights) or 1.0
    adjacent = set(np.flatnonzero(signals._adjacent(scorer, words)).tolist())
    lengths = scorer.text_lengths()
    ranked = {}
    for docnum, score in scores.items():
        held = sum(w for w, own in zip(weights, owns, strict=True) if docnum in own)
        share = held / whole if held else signals.LABEL_CREDIT / max(1, len(owns))
        factor = signals.COVERAGE_FLOOR + (1 - signals.COVERAGE_FLOOR) * share**2.0
        if len(words) > 1 and docnum not in adjacent:
            factor *= 1 - signals.ADJACENT_SHARE
        size = signals._WORDS[lengths[docnum]]
        if size < signals.SHORT_WORDS:
            factor *= ((size + 1) / (signals.SHORT_WORDS + 1)) ** signals.SHORT_POWER
        ranked[docnum] = score * factor
    return ranked


def _term(word: str, field: str = "text") -> wq.Term:
    return wq.Term(field, analyze(word)[0], boost=1.5 if field == "pairs" else 1.0)


def _pairs(words: list[str]) -> wq.Phrase:
    stems = [analyze(w)[0] for w in words]
    pairs = zip(stems, stems[1:], strict=False)
    return wq.Phrase("pairs", [pair_term(a, b) for a, b in pairs])


leaves = st.one_of(
    st.builds(_term, st.sampled_from(WORDS)),
    st.builds(_pairs, st.lists(st.sampled_from(WORDS[:4]), min_size=3, max_size=4)),
)
trees = st.recursive(
    leaves,
    lambda kids: st.one_of(
        st.builds(wq.And, st.lists(kids, min_size=2, max_size=3)),
        st.builds(wq.Or, st.lists(kids, min_size=2, max_size=3)),
        st.builds(
            lambda k, scale: wq.Or(k, scale=scale),
            st.lists(kids, min_size=2, max_size=4),
            st.sampled_from([0.5, 0.9]),
        ),
    ),
    max_leaves=6,
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(tree=trees)
# Phrases sharing word pairs, as acronym expansions do: each shared pair is
# read once for the query and restricted per phrase.
@example(
    tree=wq.Or(
        [
            _pairs(["police", "crime", "board"]),
            _pairs(["police", "crime", "fraud", "police"]),
            wq.And([_pairs(["crime", "board", "police"]), _term("fraud")]),
        ]
    )
)
def test_array_scores_equal_per_passage_scores_bit_for_bit(searcher, tree):
    scorer = Scorer(searcher)
    expected = _reference(scorer, tree)[0]
    assert scorer.score(tree) == expected


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(words=st.lists(st.sampled_from(WORDS), min_size=1, max_size=4, unique=True))
def test_reranked_scores_equal_the_per_passage_signals(searcher, words):
    scorer = Scorer(searcher)
    query = Words([wq.Or([_term(w), _term(w, "label")]) for w in words])
    found, clauses, owns = scorer.score_words(query)
    docs, reranked = signals.rerank(scorer, clauses, owns, found)
    own_sets = [set(np.flatnonzero(own).tolist()) for own in owns]
    expected = _reference_rerank(scorer, clauses, own_sets, found.as_dict())
    assert dict(zip(docs.tolist(), reranked.tolist(), strict=True)) == expected
    assert expected, "every word list matches some passage"


@settings(max_examples=40, deadline=None)
@given(
    column=st.integers(1, 3).flatmap(
        # One value at most per passage (a year, a document) or several (forces):
        # the two are counted by different paths.
        lambda most: st.lists(
            st.lists(
                st.sampled_from(["BTP", "MPS", "btp", "CoLP"]),
                max_size=most,
                unique=True,
            ).map(tuple),
            min_size=1,
            max_size=60,
        )
    ),
    data=st.data(),
)
def test_facet_codes_count_as_a_counter_over_the_passages(column, data):
    codes = encode_values(column)
    chosen = data.draw(st.sets(st.integers(0, len(column) - 1)))
    mask = np.zeros(len(column), bool)
    mask[sorted(chosen)] = True
    expected = Counter(v for n in chosen for v in column[n])
    assert codes.count(mask) == dict(expected)
    having = set(np.flatnonzero(codes.having(["MPS", "CoLP"])).tolist())
    assert having == {
        n for n, values in enumerate(column) if {"MPS", "CoLP"} & set(values)
    }


@pytest.mark.parametrize("columns", [3, 70])
def test_word_combinations_give_each_passage_its_own_row(columns):
    # 70 words are more than one integer's bits: the other path is taken.
    rng = np.random.default_rng(columns)
    held = [rng.random(500) < 0.3 for _ in range(columns)]
    rows, at = signals._combinations(held)
    assert len(rows) == len({tuple(row) for row in rows})
    for n in range(500):
        assert rows[at[n]] == [bool(column[n]) for column in held]


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(
        st.lists(st.integers(0, 200_000), min_size=1, max_size=5, unique=True).map(
            sorted
        ),
        max_size=40,
    ),
    stops=st.lists(st.booleans(), min_size=40, max_size=40),
)
def test_flat_positions_read_every_value_as_the_format_decodes_it(values, stops):
    # One-byte, two-byte and four-byte positions, one or several per value, with
    # and without the STOP byte the codec may drop.
    format_ = build_schema()["pairs"].format
    encoded = [format_.encode(v) for v in values]
    encoded = [e[:-1] if stop else e for e, stop in zip(encoded, stops, strict=False)]
    decode = positions_decoder(format_)
    owners, positions = flat_positions(format_, encoded)
    expected = [(k, p) for k, e in enumerate(encoded) for p in decode(e)]
    assert list(zip(owners.tolist(), positions.tolist(), strict=True)) == expected


@pytest.fixture(scope="module")
def shapes():
    """A searcher whose blocks take every shape: weights all 1 (stored as None),
    all equal, or each its own; id gaps of one byte and of two."""
    index = RamStorage().create_index(build_schema())
    with index.writer() as writer:
        for n in range(1_300):
            words = ["once"] + ["twice"] * 2 + ["mixed"] * (1 + n % 3)
            if n % 300 == 0:
                words.append("sparse")
            writer.add_document(id=str(n), doc_id="d", text=" ".join(words))
    with index.searcher() as found:
        yield found


@pytest.mark.parametrize("which", ["searcher", "shapes"])
def test_ids_and_weights_read_blocks_as_unpickling_them_does(which, request):
    # Every block of every term: read without unpickling its values, the same
    # id gaps and weights as whoosh3's own read; and read so for every block of
    # four postings or more (pickle writes shorter tuples without MARK).
    searcher = request.getfixturevalue(which)
    blocks_read = fast = 0
    shapes_seen = set()
    for sub, _ in searcher.leaf_searchers():
        reader = sub.reader()
        for name in ("text", "pairs"):
            for text in reader.lexicon(name):
                matcher = reader._terms.matcher(name, text, reader.schema[name].format)
                if not hasattr(matcher, "_read_data"):
                    continue
                while not matcher._atend:
                    got = ids_and_weights(matcher)
                    matcher._read_data()
                    ids, weights = matcher._data[0], matcher._data[1]
                    blocks_read += matcher._blocklength >= 4
                    shapes_seen.add(type(weights).__name__)
                    shapes_seen.add("wide gaps" if max(ids) > 255 else "gaps")
                    if got is not None:
                        fast += 1
                        assert got[0] == ids
                        if weights is None or isinstance(weights, float):
                            assert got[1] == weights
                        else:
                            assert got[1].tolist() == list(weights)
                    if matcher._lastblock:
                        break
                    matcher._goto(matcher._nextoffset)
    assert blocks_read > 10
    assert fast == blocks_read
    if which == "shapes":
        assert shapes_seen == {"NoneType", "float", "tuple", "gaps", "wide gaps"}


def test_flat_positions_decode_values_it_cannot_read_in_numpy():
    # Every value past the fast reader (four-byte gaps, over 1,000 positions):
    # all decoded by the format, none lost.
    format_ = build_schema()["pairs"].format
    values = [format_.encode([70_000]), format_.encode(list(range(0, 3_000, 2)))]
    owners, positions = flat_positions(format_, values)
    assert positions.tolist() == [70_000, *range(0, 3_000, 2)]
    assert owners.tolist() == [0] + [1] * 1_500
    owners, positions = flat_positions(format_, values[1:])
    assert positions.tolist() == list(range(0, 3_000, 2))
