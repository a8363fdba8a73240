"""Canaries for a Whoosh upgrade: what whoosh3 3.54.0 does that we rely on or avoid.

Run them alone before changing the pinned Whoosh (``pytest -m whoosh_canary``).
Each asserts what the pinned version does today, so an upgrade that changes it
fails here, by name, instead of somewhere downstream. A failure is news, not
necessarily bad news: a fixed bug means a workaround can go (the docstring of
each test says which), a changed behaviour means the code relying on it must
change. See /work/shared/WHOOSH-NOTES.md for how each was found.
"""

from __future__ import annotations

import importlib.util

import pytest
import whoosh
from whoosh import fields
from whoosh import query as wq
from whoosh.analysis import StemmingAnalyzer
from whoosh.filedb.filestore import RamStorage
from whoosh.matching import ListMatcher
from whoosh.qparser import QueryParser, syntax

pytestmark = pytest.mark.whoosh_canary


def _index(texts: list[str]):
    """An in-memory index of one stored, stemmed text field."""
    schema = fields.Schema(text=fields.TEXT(analyzer=StemmingAnalyzer(), stored=True))
    index = RamStorage().create_index(schema)
    with index.writer() as writer:
        for text in texts:
            writer.add_document(text=text)
    return index


def test_the_pinned_version_is_the_one_these_canaries_describe():
    assert whoosh.versionstring() == "3.54.0"


def test_and_not_still_returns_passages_holding_the_excluded_word():
    """``AndNotMatcher._find_first`` never advances the excluded side.

    Workaround: ``portal.search.scoring`` evaluates NOT itself, and its tests use
    set algebra, not Whoosh's search, as the oracle (``test_scoring_oracle.py``).
    """
    index = _index(["crime", "police crime", "police", "police crime"])
    query = wq.AndNot(wq.Term("text", "polic"), wq.Term("text", "crime"))
    with index.searcher() as searcher:
        texts = [searcher.stored_fields(n)["text"] for n in query.docs(searcher)]
    # Right would be ["police"]: the first "police crime" slips through.
    assert texts == ["police crime", "police"]


def test_an_exhausted_multimatcher_still_indexes_past_its_last_segment():
    """``MultiMatcher.children()`` raises IndexError once every segment is read.

    Workaround: ``portal.index.handle`` replaces ``MultiMatcher.children``. The
    class is loaded afresh here, since importing the portal patches it.
    """
    spec = importlib.util.find_spec("whoosh.matching.wrappers")
    fresh = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fresh)
    matcher = fresh.MultiMatcher([ListMatcher([1]), ListMatcher([2])], [0, 10])
    while matcher.is_active():
        matcher.next()
    with pytest.raises(IndexError):
        matcher.children()


def test_a_binary_group_still_builds_each_child_twice(monkeypatch):
    """``BinaryGroup.query`` builds both children again: nesting doubles the work.

    ``portal.search.cost`` replaces it with a version that builds each child once;
    the test puts Whoosh's own method back (from a fresh copy of the module) to
    see whether an upgrade fixed it, in which case the override can go.
    """
    spec = importlib.util.find_spec("whoosh.qparser.syntax")
    fresh = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fresh)
    monkeypatch.setattr(syntax.BinaryGroup, "query", fresh.BinaryGroup.query)
    built = []
    original = syntax.WordNode.query

    def counting(self, parser):
        built.append(self.text)
        return original(self, parser)

    monkeypatch.setattr(syntax.WordNode, "query", counting)
    parser = QueryParser("text", fields.Schema(text=fields.TEXT()))
    counts = []
    for depth in range(1, 6):
        built.clear()
        nested = "police ANDNOT (" * (depth - 1)
        parser.parse(nested + "police ANDNOT crime" + ")" * (depth - 1))
        counts.append(built.count("crime"))
    # Built twice per level it sits under; once in all would be right.
    assert counts == [2, 4, 8, 16, 32]


def test_correct_query_on_a_stemmed_field_suggests_stems():
    """Suggestions from a stemmed field are stems ("polise" -> "polic").

    Workaround: ``portal.search.spelling`` suggests from the surface vocabulary.
    """
    index = _index(["the police said", "police forces"])
    with index.searcher() as searcher:
        parser = QueryParser("text", index.schema)
        corrected = searcher.correct_query(parser.parse("polise"), "polise")
    assert corrected.string == "polic"


@pytest.mark.parametrize(
    ("q", "parsed"),
    [
        ("AND", wq.NullQuery),
        ("NOT", wq.NullQuery),
        ("OR", wq.NullQuery),
        ("police OR", wq.Term("text", "police")),
        ("police AND", wq.Term("text", "police")),
    ],
)
def test_a_dangling_operator_is_still_dropped_not_an_error(q, parsed):
    """Relied on by ``portal.search.query``: a typo in a query is never an error."""
    parser = QueryParser("text", fields.Schema(text=fields.TEXT()))
    assert parser.parse(q) == parsed


def test_an_unbalanced_quote_still_parses_to_plain_terms():
    parser = QueryParser("text", fields.Schema(text=fields.TEXT()))
    parsed = parser.parse('"police crime')
    assert parsed == wq.And([wq.Term("text", "police"), wq.Term("text", "crime")])


def test_search_page_still_refuses_page_zero_and_clamps_past_the_end():
    """Relied on by the portal's paging: page 0 is refused, later pages clamp.

    ``portal.search.params`` checks page numbers itself, so a change here must
    not reach users; this says that the assumption behind it still holds.
    """
    index = _index([f"police report {n}" for n in range(25)])
    with index.searcher() as searcher:
        query = wq.Term("text", "polic")
        with pytest.raises(ValueError):
            searcher.search_page(query, 0, pagelen=10)
        last = searcher.search_page(query, 99, pagelen=10)
        assert (last.pagenum, last.pagecount) == (3, 3)
        assert [hit.rank for hit in last] == [20, 21, 22, 23, 24]
