"""Score every passage a query matches, reading posting lists a block at a time.

Whoosh scores a match by walking a tree of matcher objects, several Python calls
per passage and per clause: at 100k passages a common word or an OR of acronym
expansions spent most of a search there. Ranking needs every match scored
anyway (facets count them all, and pages must agree on one order), so this
module evaluates the query tree itself: each term's postings are read a block
of ids and frequencies at a time into numpy arrays and scored by BM25F over the
whole array, and AND, OR and NOT combine arrays over every document number
(:class:`~portal.search.scored.Scored`), the same floating-point operations in
the same order as a per-passage sum, so scores are unchanged to the last bit.

Scores use the whole index's statistics (document count, average field length),
so a passage scores the same however the index is split into segments (an
incremental build adds segments). Queries this module has no rule for (phrases
over positions, wildcards, ranges) are scored by Whoosh itself and combined in
the same way. An OR with a coordination scale rewards passages matching more of
its clauses with Whoosh's own SQR formula (``CoordMatcher``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.scoring import BM25FScorer
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

from indexer.analysis.schema import PAIR_FIELDS
from portal.search.cost import check_deadline
from portal.search.expand import Words
from portal.search.postings import (
    among,
    column_bytes,
    flat_positions,
    term_arrays,
    term_postings,
)
from portal.search.scored import Scored, all_of, coordinate, maybe, minus

# The fields holding a passage's own words (not its inherited label or section).
OWN_FIELDS = frozenset({"text", "pairs", "exact"})


@dataclass
class SegmentData:
    """One segment of the index: where its numbers start, what is deleted."""

    offset: int
    searcher: Searcher
    deleted: frozenset[int]
    lengths: dict[str, bytes] = field(default_factory=dict)
    # The deleted document numbers as an array (empty: none deleted).
    gone: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))


class Scorer:
    """Scores queries over one opened index generation (one per searcher)."""

    def __init__(self, searcher: Searcher):
        self.searcher = searcher
        self.segments = []
        for sub, offset in searcher.leaf_searchers():
            deleted = frozenset(sub.reader().deleted_docs_set or ())
            gone = np.fromiter(sorted(deleted), np.int64, len(deleted))
            self.segments.append(SegmentData(offset, sub, deleted, gone=gone))
        self.size = searcher.doc_count_all()
        self._words: tuple[wq.Or, list[np.ndarray]] | None = None
        # Word pairs in more than one phrase of the query being evaluated, and
        # their postings once read (for that query only).
        self._shared: dict[tuple[str, str], tuple | None] = {}
        self._text_lengths: np.ndarray | None = None

    def docs(self, name: str, text: str) -> np.ndarray:
        """Return which passages hold a term: a bool array by document number."""
        found = np.zeros(self.size, bool)
        for seg in self.segments:
            reader = seg.searcher.reader()
            if (name, text) not in reader:
                continue
            ids, _ = term_arrays(reader, name, text)
            found[self._live(seg, ids) + seg.offset] = True
        return found

    def text_lengths(self) -> np.ndarray:
        """Return each passage's text length as Whoosh's one-byte code (uint8).

        ``whoosh.util.numeric.byte_to_length`` turns a code into words.
        """
        if self._text_lengths is None:
            joined = b"".join(self._lengths(seg, "text") for seg in self.segments)
            self._text_lengths = np.frombuffer(joined, np.uint8)
        return self._text_lengths

    def matches(self, query: wq.Query) -> np.ndarray:
        """Return the document numbers ``query`` matches, ascending (int64)."""
        return self._evaluate(query).docs()

    def score(self, query: wq.Query) -> dict[int, float]:
        """Return every passage ``query`` matches with its score."""
        return self._evaluate(query).as_dict()

    def score_words(self, query: wq.Query) -> tuple[Scored, list, list[np.ndarray]]:
        """Return the query's matches scored, its words, and where each occurs.

        The words are the clauses of the first group of words side by side
        (:class:`~portal.search.expand.Words`) the evaluation meets;
        with each comes a bool array of the passages whose own text matches it.
        A query without such a group is one word, the query itself.
        """
        self._words = None
        try:
            found = self._evaluate(query)
            words = self._words
        finally:
            self._words = None
        if words is None:
            return found, [query], [found.own_or_none()]
        node, owns = words
        return found, list(node.subqueries), owns

    @staticmethod
    def _live(seg: SegmentData, ids: np.ndarray) -> np.ndarray:
        """Return ``ids`` less the segment's deleted document numbers."""
        if len(seg.gone):
            return ids[~among(ids, seg.gone)]
        return ids

    # -- evaluation -------------------------------------------------------

    def _evaluate(self, query: wq.Query) -> Scored:
        """Return the passages ``query`` matches, scored, reading each word pair
        that several of its phrases share once (acronym expansions often do:
        "regional organised crime unit" and "... threat assessment")."""
        seen: dict[tuple[str, str], int] = {}
        for node in query.leaves():
            if isinstance(node, wq.Phrase) and node.fieldname in PAIR_FIELDS:
                for pair in set(node.words):
                    key = (node.fieldname, pair)
                    seen[key] = seen.get(key, 0) + 1
        self._shared = {key: None for key, count in seen.items() if count > 1}
        try:
            return self._eval(query)
        finally:
            self._shared = {}

    def _pair_postings(self, name: str, pair: str, wanted: np.ndarray | None):
        """Return :func:`term_postings` of a pair, read once if phrases share it."""
        key = (name, pair)
        if key not in self._shared:
            return term_postings(self, name, pair, wanted)
        every = self._shared[key]
        if every is None:
            every = self._shared[key] = term_postings(self, name, pair)
        if wanted is None:
            return every
        docs, tf, lengths, positions = every
        at = np.searchsorted(docs, wanted[among(wanted, docs)])
        return docs[at], tf[at], lengths[at], [positions[j] for j in at.tolist()]

    def _eval(self, node: wq.Query) -> Scored:
        """Return the passages ``node`` matches, scored."""
        check_deadline()
        if isinstance(node, wq.Term):
            return self._term(node)
        if isinstance(node, wq.Phrase) and node.fieldname in PAIR_FIELDS:
            return self._pair_phrase(node)
        if isinstance(node, wq.Or) and node.subqueries:
            return self._or(node)
        if isinstance(node, wq.And) and node.subqueries:
            return all_of([self._eval(q) for q in node.subqueries], self.size)
        if isinstance(node, wq.AndNot):
            return minus(self._eval(node.a), self._eval(node.b))
        if isinstance(node, wq.AndMaybe):
            return maybe(self._eval(node.a), self._eval(node.b))
        if node is wq.NullQuery:
            return Scored.empty(self.size)
        return self._whoosh(node)

    def _bm25(self, name: str, text: str, boost: float):
        """Return ``(tf, length byte) -> score`` for a term, or None if not BM25F."""
        scorer = self.searcher.weighting.scorer(self.searcher, name, text)
        if not isinstance(scorer, BM25FScorer):
            return None
        # BM25: idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / average)),
        # with Whoosh's one-byte field lengths: the denominator's second half
        # takes 256 values, computed once.
        # Each function takes numbers or numpy arrays: the same operations in the
        # same order either way, so an array's scores equal the scalar ones.
        k1, b, avg = scorer.K1, scorer.B, scorer.avgfl
        norms = [k1 * ((1 - b) + b * byte_to_length(n) / avg) for n in range(256)]
        table = np.array(norms, np.float64)
        factor = scorer.idf * (k1 + 1) * boost
        if isinstance(factor, np.floating):
            factor = float(factor)
        return lambda tf, length: factor * tf / (tf + table[length])

    def _term(self, node: wq.Term) -> Scored:
        """Score a term's postings block by block with BM25F."""
        name, text = node.fieldname, node.text
        found = Scored.empty(self.size, terms=1)
        if (
            name not in self.searcher.schema
            or (name, text) not in self.searcher.reader()
        ):
            return found
        bm25 = self._bm25(name, text, node.boost)
        if bm25 is None:
            return self._whoosh(node)
        # The hot loop of a search: a term's postings scored as one array.
        for seg in self.segments:
            reader = seg.searcher.reader()
            if (name, text) not in reader:
                continue
            lengths = np.frombuffer(self._lengths(seg, name), np.uint8)
            ids, weights = term_arrays(reader, name, text)
            if len(seg.gone):
                keep = ~among(ids, seg.gone)
                ids, weights = ids[keep], weights[keep]
            docs = ids + seg.offset
            found.scores[docs] = bm25(weights, lengths[ids])
            found.hit[docs] = True
        found.matched[found.hit] = 1
        if name in OWN_FIELDS:
            found.own = found.hit.copy()
        return found

    def _pair_phrase(self, node: wq.Phrase) -> Scored:
        """Match a phrase of word pairs (``a b``, ``b c``): each pair one further on.

        The rarest pair is read first and each further pair only where all before
        it occur, so positions are decoded only in passages holding every pair.
        """
        name, pairs = node.fieldname, list(node.words)
        found = Scored.empty(self.size, terms=len(pairs))
        reader = self.searcher.reader()
        if any((name, pair) not in reader for pair in pairs):
            return found
        scorers = [self._bm25(name, pair, node.boost) for pair in pairs]
        if None in scorers:
            return self._whoosh(node)
        order = sorted(
            range(len(pairs)), key=lambda i: reader.doc_frequency(name, pairs[i])
        )
        postings = {}
        wanted: np.ndarray | None = None
        for i in order:
            postings[i] = self._pair_postings(name, pairs[i], wanted)
            wanted = postings[i][0]
            if not len(wanted):
                return found
        # Each pair's postings of the passages holding every pair, in one order.
        aligned = []
        for i in range(len(pairs)):
            docs, tf, lengths, positions = postings[i]
            at = np.searchsorted(docs, wanted)
            aligned.append((tf[at], lengths[at], [positions[j] for j in at.tolist()]))
        kept = _in_sequence(self.searcher.schema[name].format, [a[2] for a in aligned])
        hits = wanted[kept]
        found.hit[hits] = True
        found.matched[hits] = len(pairs)
        # Each pair's scores added in turn, as a per-passage sum adds them.
        for (tf, lengths, _), bm25 in zip(aligned, scorers, strict=True):
            found.scores[hits] += bm25(tf[kept], lengths[kept])
        if name in OWN_FIELDS:
            found.own = found.hit.copy()
        return found

    def _lengths(self, seg: SegmentData, name: str) -> bytes:
        """Return the one-byte field lengths of a segment's documents (cached)."""
        lengths = seg.lengths.get(name)
        if lengths is None:
            perdoc = seg.searcher.reader()._perdoc
            column = perdoc._cached_reader(_lenfield(name), LENGTHS_COLUMN)
            size = seg.searcher.doc_count_all()
            lengths = column_bytes(column, size) if column else bytes(size)
            seg.lengths[name] = lengths
        return lengths

    def _whoosh(self, node: wq.Query) -> Scored:
        """Score a clause with Whoosh's own matchers (phrases, wildcards, ranges)."""
        results = self.searcher.search(node, limit=None)
        scores = {docnum: score for docnum, score in results.items()}
        terms = max(1, len(list(node.terms())))
        own = getattr(node, "fieldname", None) in OWN_FIELDS
        return Scored.of(self.size, scores, terms, own)

    def _or(self, node: wq.Or) -> Scored:
        """Add the scores of the clauses; coordinate when the OR has a scale."""
        if len(node.subqueries) == 1:
            return self._eval(node.subqueries[0])
        # Each clause is added as it is scored, so only one is held at a time.
        found = Scored.empty(self.size)
        owns: list[np.ndarray] = []
        for clause in node.subqueries:
            part = self._eval(clause)
            found.scores += part.scores
            found.matched += part.matched
            found.hit |= part.hit
            found.terms += part.terms
            owns.append(part.own_or_none())
        found.own = np.logical_or.reduce(owns)
        if node.scale:
            coordinate(found, node.scale)
        if isinstance(node, Words) and self._words is None:
            self._words = (node, owns)
        return found


def _in_sequence(format_, values: list[list[bytes]]) -> np.ndarray:
    """Return which passages hold the pairs in sequence, each one further on.

    ``values[i][k]`` is pair ``i``'s encoded positions in passage ``k``. A passage
    is kept where some position ``s`` of pair 0 has ``s + i`` among pair ``i``'s,
    for every ``i``. Returns the kept ``k``, ascending (int64). Positions are
    keyed as ``k * 2**32 + position``, so one sorted search per pair checks every
    passage at once.
    """
    owners, starts = flat_positions(format_, values[0])
    keys = (owners << 32) + starts
    ok = np.ones(len(keys), bool)
    for i, later in enumerate(values[1:], 1):
        their_owners, their_positions = flat_positions(format_, later)
        theirs = (their_owners << 32) + their_positions  # ascending
        ok &= among(keys + i, theirs)
    kept = owners[ok]  # ascending; a passage once per start that fits
    # Not numpy.unique: numpy 2.4 imports numpy.ma on its first call (60 ms).
    return kept[np.concatenate(([True], kept[1:] != kept[:-1]))] if len(kept) else kept
