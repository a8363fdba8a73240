"""The query parser on its own, with no index, as Whoosh's test_parsing does."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import query as wq

from indexer.analysis.acronyms import Acronym
from indexer.analysis.schema import build_schema
from indexer.analysis.vocabulary import Vocabulary
from portal.search.expand import Lexicon
from portal.search.query import binary_not, parse, plain_words, problems
from portal.search.spelling import best_word

SCHEMA = build_schema()
LEXICON = Lexicon(
    [
        Acronym(
            "SOC",
            "serious and organised crime",
            "corpus",
            [{"doc_id": "r", "passage_id": "p"}],
        ),
        Acronym("NCA", "National Crime Agency", "corpus"),
        Acronym(
            "GAIN", "Government Agency Intelligence Network", "corpus", common_word=True
        ),
        Acronym("CHIS", "covert human intelligence source", "glossary"),
    ],
    Vocabulary(
        {"cybercrime": 12, "cyber": 1, "crime": 90, "fraud": 30},
        {"cybercrime", "crime"},
    ),
)


def terms(query) -> set[tuple[str, str]]:
    """Return the (field, text) of every term and phrase word in ``query``."""
    found = set()
    for leaf in query.leaves():
        if isinstance(leaf, wq.Phrase):
            found.add((leaf.fieldname, " ".join(leaf.words)))
        elif hasattr(leaf, "text"):
            found.add((leaf.fieldname, leaf.text))
    return found


@pytest.mark.parametrize(
    ("q", "reason", "words"),
    [
        ('"serious organised', "a quotation mark is not closed", "serious organised"),
        ('"', "a quotation mark is not closed", ""),
        ("(fraud OR cyber", "a bracket is not matched", "fraud cyber"),
        ("fraud)", "a bracket is not matched", "fraud"),
        ("(", "a bracket is not matched", ""),
        ("AND", "an operator (AND, OR, NOT) has nothing to join", ""),
        ("fraud AND", "an operator (AND, OR, NOT) has nothing to join", "fraud"),
        ("OR fraud", "an operator (AND, OR, NOT) has nothing to join", "fraud"),
        (
            "fraud AND OR cyber",
            "an operator (AND, OR, NOT) has nothing to join",
            "fraud cyber",
        ),
        ("author:", "author: needs a value after it", ""),
        ("fraud force: ", "force: needs a value after it", "fraud"),
        ("colour:blue", "there is no field colour:", "blue"),
        ("*", "the wildcard * needs at least two letters before it", ""),
        ("a* fraud", "the wildcard a* needs at least two letters before it", "a fraud"),
        ("[a TO]", "the range [a TO] only works on year:", "a TO"),
        ("text:{a TO z}", "the range text:{a TO z} only works on year:", "a TO z"),
    ],
)
def test_a_malformed_query_falls_back_to_its_plain_words_with_a_notice(
    q, reason, words
):
    assert any(reason in found for found in problems(q))
    parsed = parse(q, SCHEMA, LEXICON)
    assert parsed.fallback
    assert reason in parsed.notices[0]
    assert parsed.understood == words
    if not words:
        assert parsed.query is wq.NullQuery


@pytest.mark.parametrize(
    "q",
    [
        "fraud",
        '"serious and organised crime"',
        "fraud AND cyber",
        "NOT fraud",
        "fraud -cyber",
        "(fraud OR cyber) AND victims",
        "recruit*",
        "vict?m",
        "author:linden",
        'section:"areas for improvement"',
        "co-ordination",
        "2018/19 £5 €34m 4P",
        "year:[2016 TO 2020]",
    ],
)
def test_a_well_formed_query_has_no_problems(q):
    assert problems(q) == []
    assert parse(q, SCHEMA, LEXICON).notices == []


def test_a_very_long_query_parses_without_error():
    q = " ".join(["intelligence", "fraud", "AND", "cyber"] * 60)
    parsed = parse(q, SCHEMA, LEXICON)
    assert parsed.notices == []
    assert ("text", "intellig") in terms(parsed.query)


def test_plain_words_drop_operators_fields_and_punctuation():
    assert plain_words('author:linden "SOC AND (fraud') == "linden SOC fraud"


def test_words_side_by_side_are_alternatives_in_a_scaled_group():
    parsed = parse("fraud cyber", SCHEMA, None)
    assert isinstance(parsed.query, wq.Or)
    assert parsed.query.scale == 0.9
    assert parsed.understood == "fraud cyber"


def test_a_minus_inside_a_word_is_not_an_exclusion():
    parsed = parse("co-ordination", SCHEMA, None)
    assert not isinstance(parsed.query, wq.AndNot)
    assert ("text", "coordin") in terms(parsed.query)


def test_a_leading_minus_excludes_the_word():
    parsed = parse("fraud -cyber", SCHEMA, None)
    assert isinstance(parsed.query, wq.AndNot)
    assert parsed.understood == "fraud NOT cyber"


def test_field_filters_restrict_and_same_field_values_are_alternatives():
    parsed = parse("fraud force:BTP force:CoLP year:2023", SCHEMA, None)
    assert parsed.understood == "fraud AND (force:BTP OR force:CoLP) AND year:2023"
    assert isinstance(parsed.query, wq.And)
    assert {("forces", "btp"), ("forces", "colp"), ("year", "2023")} <= terms(
        parsed.query
    )


@pytest.mark.parametrize(
    ("q", "field", "text"),
    [
        ("author:Linden", "author", "linden"),
        ("force:BTP", "forces", "btp"),
        ("year:2016", "year", "2016"),
        ("type:letter", "type", "letter"),
        ("doc:2016-02-23-x", "doc_id", "2016-02-23-x"),
        ('section:"areas for improvement"', "section", "area for improv"),
    ],
)
def test_field_queries_search_their_schema_field(q, field, text):
    assert (field, text) in terms(parse(q, SCHEMA, None).query)


def test_an_acronym_also_searches_its_long_form():
    parsed = parse("SOC", SCHEMA, LEXICON)
    assert {("text", "soc"), ("text", "serious and organis crime")} <= terms(
        parsed.query
    )
    assert [e["acronym"] for e in parsed.expansions] == ["SOC"]
    assert parsed.expansions[0]["defined_in"] == {"doc_id": "r", "passage_id": "p"}
    assert parsed.understood == "SOC"


def test_a_long_form_also_searches_its_acronym():
    for q in (
        "serious and organised crime",
        '"serious and organised crime"',
        "serious AND organised crime",
    ):
        parsed = parse(q, SCHEMA, LEXICON)
        assert ("text", "soc") in terms(parsed.query), q
        assert parsed.expansions[0]["direction"] == "long"


def test_an_acronym_that_is_also_a_word_expands_only_in_capitals():
    assert parse("gain", SCHEMA, LEXICON).expansions == []
    assert [e["acronym"] for e in parse("GAIN", SCHEMA, LEXICON).expansions] == ["GAIN"]
    assert [e["acronym"] for e in parse("chis", SCHEMA, LEXICON).expansions] == ["CHIS"]


def test_without_a_lexicon_nothing_is_expanded():
    parsed = parse("SOC", SCHEMA, None)
    assert terms(parsed.query) == {("text", "soc"), ("label", "soc")}


def test_two_words_also_find_them_written_as_one_and_back():
    assert ("text", "cybercrim") in terms(parse("cyber crime", SCHEMA, LEXICON).query)
    assert ("text", "cyber crime") in terms(parse("cybercrime", SCHEMA, LEXICON).query)


def test_an_excluded_acronym_excludes_its_long_form_too():
    parsed = parse("fraud -SOC", SCHEMA, LEXICON)
    assert isinstance(parsed.query, wq.AndNot)
    assert ("text", "serious and organis crime") in terms(parsed.query.b)


@pytest.mark.parametrize(
    ("q", "understood"),
    [
        ("fraud NOT cyber", "fraud NOT cyber"),
        ("fraud cyber NOT victims", "fraud cyber NOT victims"),
        ("(fraud NOT cyber) AND victims", "(fraud NOT cyber) AND victims"),
        ("(fraud -cyber) AND victims", "(fraud NOT cyber) AND victims"),
        ("NOT fraud", "NOT fraud"),
    ],
)
def test_not_after_a_word_excludes_instead_of_matching_everything_else(q, understood):
    parsed = parse(q, SCHEMA, None)
    assert parsed.understood == understood
    assert parsed.notices == []


def test_rewriting_not_leaves_the_rest_of_the_query_as_typed():
    assert (
        binary_not('section:"areas for improvement"')
        == 'section:"areas for improvement"'
    )
    assert binary_not('"a  b" NOT c') == '"a  b" -c'
    assert binary_not("(a NOT b) c") == "(a ANDNOT b) c"
    assert binary_not("author: NOT") == "author: NOT"


def test_fraud_not_cyber_requires_fraud():
    query = parse("fraud NOT cyber", SCHEMA, None).query
    assert isinstance(query, wq.AndNot)
    assert ("text", "fraud") in terms(query.a)
    assert ("text", "cyber") in terms(query.b)


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list('ab SOC"()*?:-+~^AND OR NOT force:年£')),
        max_size=60,
    )
)
def test_no_input_makes_the_parser_fail(q):
    parsed = parse(q, SCHEMA, LEXICON)
    assert isinstance(parsed.query, wq.Query)


PIECES = [
    "fraud",
    "SOC",
    "serious",
    "and",
    "AND",
    "OR",
    "NOT",
    "ANDNOT",
    "(",
    ")",
    '"',
    "-",
    "+",
    "*",
    "force:",
    "author:",
    "x:",
    "cyber*",
    "vict?m",
    "co-ordination",
    "^2",
    "~",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=12), st.sampled_from(["", " "]))
def test_no_sequence_of_operators_and_words_makes_the_parser_fail(pieces, joiner):
    parsed = parse(joiner.join(pieces), SCHEMA, LEXICON)
    assert isinstance(parsed.query, wq.Query)


def test_a_binary_operator_left_with_one_side_is_that_side():
    # Found by Hypothesis: the dropped sign left an ANDNOT group one child, on
    # which Whoosh's BinaryGroup.query asserts.
    parsed = parse("fraud ANDNOT - fraud ANDNOT fraud", SCHEMA, LEXICON)
    assert "fraud" in str(parsed.query)


def test_a_swapped_pair_of_letters_is_one_edit_and_beats_a_commoner_word():
    # "recruitmnet" is "recruitment" with two letters swapped; "recruiting", three
    # edits away, is a thousand times commoner and used to win on frequency.
    lexicon = Lexicon(
        [], Vocabulary({"recruitment": 3, "recruiting": 3000, "recruit": 50}, set())
    )
    assert best_word("recruitmnet", lexicon) == ("recruitment", True)
    assert best_word("recruitng", lexicon)[0] == "recruiting"
