"""Score every passage a query matches, reading posting lists a block at a time.

Whoosh scores a match by walking a tree of matcher objects, several Python calls
per passage and per clause: at 100k passages a common word or an OR of acronym
expansions spent most of a search there. Ranking needs every match scored
anyway (facets count them all, and pages must agree on one order), so this
module evaluates the query tree itself: each term's postings are read a block
of ids and frequencies at a time and scored by BM25F in a comprehension, and
AND, OR and NOT combine per-passage scores in dictionaries.

Scores use the whole index's statistics (document count, average field length),
so a passage scores the same however the index is split into segments (an
incremental build adds segments). Queries this module has no rule for (phrases
over positions, wildcards, ranges) are scored by Whoosh itself and combined in
the same way. An OR with a coordination scale rewards passages matching more of
its clauses with Whoosh's own SQR formula (``CoordMatcher``).
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field

from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.scoring import BM25FScorer
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

from indexer.analysis.schema import PAIR_FIELDS
from portal.search.cost import check_deadline
from portal.search.expand import Words
from portal.search.postings import blocks, column_bytes
from portal.search.scored import Scored, coordinate

# The fields holding a passage's own words (not its inherited label or section).
OWN_FIELDS = frozenset({"text", "pairs", "exact"})


@dataclass
class SegmentData:
    """One segment of the index: where its numbers start, what is deleted."""

    offset: int
    searcher: Searcher
    deleted: frozenset[int]
    lengths: dict[str, bytes] = field(default_factory=dict)


class Scorer:
    """Scores queries over one opened index generation (one per searcher)."""

    def __init__(self, searcher: Searcher):
        self.searcher = searcher
        self.segments = [
            SegmentData(offset, sub, frozenset(sub.reader().deleted_docs_set or ()))
            for sub, offset in searcher.leaf_searchers()
        ]
        self._words: tuple[wq.Or, list[set[int]]] | None = None

    def docs(self, name: str, text: str) -> set[int]:
        """Return the passages holding a term (a block of ids at a time)."""
        found: set[int] = set()
        for seg in self.segments:
            reader = seg.searcher.reader()
            if (name, text) not in reader:
                continue
            for ids, _, _ in blocks(reader, name, text):
                found.update(d + seg.offset for d in ids if d not in seg.deleted)
        return found

    def text_length_bytes(self) -> bytes:
        """Return each passage's text length as Whoosh's one-byte code, by number.

        ``whoosh.util.numeric.byte_to_length`` turns a code into words.
        """
        return b"".join(self._lengths(seg, "text") for seg in self.segments)

    def score(self, query: wq.Query) -> dict[int, float]:
        """Return every passage ``query`` matches with its score."""
        return self._eval(query).scores

    def score_words(self, query: wq.Query) -> tuple[dict[int, float], list, list]:
        """Return :meth:`score`'s scores, the query's words, and where each occurs.

        The words are the clauses of the first group of words side by side
        (:class:`~portal.search.expand.Words`) the evaluation meets;
        with each comes the set of passages whose own text matches it. A query
        without such a group is one word, the query itself.
        """
        self._words = None
        try:
            found = self._eval(query)
            words = self._words
        finally:
            self._words = None
        if words is None:
            return found.scores, [query], [found.own]
        node, owns = words
        return found.scores, list(node.subqueries), owns

    # -- evaluation -------------------------------------------------------

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
            return self._and([self._eval(q) for q in node.subqueries])
        if isinstance(node, wq.AndNot):
            return self._minus(self._eval(node.a), self._eval(node.b))
        if isinstance(node, wq.AndMaybe):
            return self._maybe(self._eval(node.a), self._eval(node.b))
        if node is wq.NullQuery:
            return Scored()
        return self._whoosh(node)

    def _bm25(self, name: str, text: str, boost: float):
        """Return ``(tf, length byte) -> score`` for a term, or None if not BM25F."""
        scorer = self.searcher.weighting.scorer(self.searcher, name, text)
        if not isinstance(scorer, BM25FScorer):
            return None
        # BM25: idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / average)),
        # with Whoosh's one-byte field lengths: the denominator's second half
        # takes 256 values, computed once.
        k1, b, avg = scorer.K1, scorer.B, scorer.avgfl
        norms = [k1 * ((1 - b) + b * byte_to_length(n) / avg) for n in range(256)]
        factor = scorer.idf * (k1 + 1) * boost
        return lambda tf, length: factor * tf / (tf + norms[length])

    def _term(self, node: wq.Term) -> Scored:
        """Score a term's postings block by block with BM25F."""
        name, text = node.fieldname, node.text
        found = Scored(terms=1)
        if (
            name not in self.searcher.schema
            or (name, text) not in self.searcher.reader()
        ):
            return found
        bm25 = self._bm25(name, text, node.boost)
        if bm25 is None:
            return self._whoosh(node)
        scores = found.scores
        # The hot loop of a search: a block's postings scored in one comprehension.
        for seg in self.segments:
            reader = seg.searcher.reader()
            if (name, text) not in reader:
                continue
            offset, deleted, lengths = seg.offset, seg.deleted, self._lengths(seg, name)
            for ids, weights, _ in blocks(reader, name, text):
                scores.update(
                    (docnum + offset, bm25(tf, lengths[docnum]))
                    for docnum, tf in zip(ids, weights, strict=True)
                    if not (deleted and docnum in deleted)
                )
        found.matched = dict.fromkeys(scores, 1)
        if name in OWN_FIELDS:
            found.own = set(scores)
        return found

    def _postings(
        self, name: str, text: str, wanted: list[int] | None = None
    ) -> dict[int, tuple]:
        """Return docnum -> (frequency, length byte, encoded positions) of a term.

        With ``wanted`` (sorted document numbers), only those passages, and blocks
        holding none of them are not even decoded.
        """
        found: dict[int, tuple] = {}
        keep = set(wanted) if wanted is not None else None
        for seg in self.segments:
            reader = seg.searcher.reader()
            if (name, text) not in reader:
                continue
            offset, deleted = seg.offset, seg.deleted
            size = seg.searcher.doc_count_all()
            local = None
            if wanted is not None:
                lo, hi = bisect_left(wanted, offset), bisect_left(wanted, offset + size)
                local = [d - offset for d in wanted[lo:hi]]
                if not local:
                    continue
            lengths = self._lengths(seg, name)
            for ids, weights, vals in blocks(reader, name, text, True, local):
                for i, docnum in enumerate(ids):
                    if deleted and docnum in deleted:
                        continue
                    if keep is not None and docnum + offset not in keep:
                        continue
                    found[docnum + offset] = (weights[i], lengths[docnum], vals[i])
        return found

    def _pair_phrase(self, node: wq.Phrase) -> Scored:
        """Match a phrase of word pairs (``a b``, ``b c``): each pair one further on.

        The rarest pair is read first and each further pair only where all before
        it occur, so positions are decoded only in passages holding every pair.
        """
        name, pairs = node.fieldname, list(node.words)
        found = Scored(terms=len(pairs))
        reader = self.searcher.reader()
        if any((name, pair) not in reader for pair in pairs):
            return found
        scorers = [self._bm25(name, pair, node.boost) for pair in pairs]
        if None in scorers:
            return self._whoosh(node)
        order = sorted(
            range(len(pairs)), key=lambda i: reader.doc_frequency(name, pairs[i])
        )
        postings: dict[int, dict[int, tuple]] = {}
        wanted: list[int] | None = None
        for i in order:
            postings[i] = self._postings(name, pairs[i], wanted)
            wanted = sorted(postings[i])
            if not wanted:
                return found
        decode = self.searcher.schema[name].format.decode_positions
        for docnum in wanted:
            starts = decode(postings[0][docnum][2])
            later = [set(decode(postings[i][docnum][2])) for i in range(1, len(pairs))]
            if any(
                all(s + i in seen for i, seen in enumerate(later, 1)) for s in starts
            ):
                found.scores[docnum] = sum(
                    bm25(*postings[i][docnum][:2]) for i, bm25 in enumerate(scorers)
                )
        found.matched = dict.fromkeys(found.scores, len(pairs))
        if name in OWN_FIELDS:
            found.own = set(found.scores)
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
        own = set(scores) if getattr(node, "fieldname", None) in OWN_FIELDS else set()
        return Scored(scores, dict.fromkeys(scores, terms), terms, own)

    def _or(self, node: wq.Or) -> Scored:
        """Add the scores of the clauses; coordinate when the OR has a scale."""
        parts = [self._eval(q) for q in node.subqueries]
        if len(parts) == 1:
            return parts[0]
        scores: dict[int, float] = {}
        matched: dict[int, int] = {}
        for part in parts:
            for docnum, score in part.scores.items():
                scores[docnum] = scores.get(docnum, 0.0) + score
                matched[docnum] = matched.get(docnum, 0) + part.matched[docnum]
        own = set().union(*(p.own for p in parts))
        found = Scored(scores, matched, sum(p.terms for p in parts), own)
        if node.scale:
            coordinate(found, node.scale)
        if isinstance(node, Words) and self._words is None:
            self._words = (node, [p.own for p in parts])
        return found

    @staticmethod
    def _and(parts: list[Scored]) -> Scored:
        """Keep the passages every clause matches, adding their scores."""
        parts = sorted(parts, key=lambda p: len(p.scores))
        common = set(parts[0].scores)
        for part in parts[1:]:
            common.intersection_update(part.scores)
        scores = {d: sum(p.scores[d] for p in parts) for d in common}
        matched = {d: sum(p.matched[d] for p in parts) for d in common}
        own = common.intersection(set().union(*(p.own for p in parts)))
        return Scored(scores, matched, sum(p.terms for p in parts), own)

    @staticmethod
    def _minus(kept: Scored, dropped: Scored) -> Scored:
        """Keep the passages of ``kept`` that ``dropped`` does not match."""
        gone = dropped.scores
        scores = {d: s for d, s in kept.scores.items() if d not in gone}
        matched = {d: kept.matched[d] for d in scores}
        return Scored(scores, matched, kept.terms, kept.own.difference(gone))

    @staticmethod
    def _maybe(required: Scored, optional: Scored) -> Scored:
        """Keep the passages of ``required``, adding ``optional``'s scores."""
        scores = dict(required.scores)
        matched = dict(required.matched)
        for docnum, score in optional.scores.items():
            if docnum in scores:
                scores[docnum] += score
                matched[docnum] += optional.matched[docnum]
        own = required.own | optional.own.intersection(scores)
        return Scored(scores, matched, required.terms + optional.terms, own)
