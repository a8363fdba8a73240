"""The query language: parser factory, checks, and the fallback to plain words.

Whoosh's parser degrades silently (a lone ``AND`` becomes a word, ``foo:bar``
two words), so a query is checked first: an unbalanced quote or bracket, a
dangling operator, an empty or unknown field, or a wildcard with too few letters
makes it fall back to its plain words, with a notice saying why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from whoosh.qparser import (
    FieldAliasPlugin,
    MultifieldParser,
    MultifieldPlugin,
    PlusMinusPlugin,
    syntax,
)
from whoosh.query import NullQuery, Or, Prefix, Query, Wildcard

from indexer.analysis.schema import METADATA_FIELDS, QUERY_FIELDS, build_schema
from portal.search.cost import structure_problems
from portal.search.expand import (
    DefaultGroup,
    ExpansionPlugin,
    FieldsGroup,
    Lexicon,
    render,
)
from portal.search.tidy import tidy

# A passage's own words and label. Not the title nor the section path: every
# passage under "The City of London Police > ..." would match "police", which
# buries the passages that say it and makes broad queries several times slower.
# Both stay searchable as fields (title:, section:).
SEARCH_FIELDS = ("text", "label")
# The label is the heading a passage sits under: context, weighed below the text.
FIELD_BOOSTS = {"text": 1.0, "label": 0.5}
# Fields that describe a passage rather than its words: they restrict the results.
FILTER_FIELDS = {"author", "forces", "year", "type", "doc_id", "kind"}
OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}
_FIELD = re.compile(r"(?<![\w\"])([A-Za-z_]+):")
_QUOTED = re.compile(r'"[^"]*"')
_WORDS = re.compile(r"[£€$]?\w+(?:[.,/'’‐‑-]\w+)*")
_WILDCARD = re.compile(r"\S*[*?]\S*")


@dataclass
class ParsedQuery:
    """A parsed query, how it was understood, and what was done to it."""

    query: Query
    understood: str
    notices: list[str] = field(default_factory=list)
    expansions: list[dict] = field(default_factory=list)
    fallback: bool = False


def _dangling(words: list[str]) -> bool:
    """Return whether an operator has nothing on one of its sides."""
    ops = [w in OPERATORS for w in words]
    if not words:
        return False
    if ops[0] and words[0] != "NOT" or ops[-1]:
        return True
    return any(
        a and b and w2 != "NOT"
        for a, b, w2 in zip(ops, ops[1:], words[1:], strict=False)
    )


def problems(q: str) -> list[str]:
    """Return why ``q`` cannot be read as the query language (empty if it can)."""
    found = []
    if q.count('"') % 2:
        found.append("a quotation mark is not closed")
    # A quoted phrase stands in as one word, so section:"a b" keeps its value.
    unquoted = _QUOTED.sub("Q", q)
    depth = 0
    for char in unquoted:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            break
    if depth != 0:
        found.append("a bracket is not matched")
    if _dangling(re.sub(r"[()]", " ", unquoted).split()):
        found.append("an operator (AND, OR, NOT) has nothing to join")
    for match in _FIELD.finditer(unquoted):
        name = match.group(1)
        rest = unquoted[match.end() :]
        if name.lower() not in QUERY_FIELDS and name.lower() not in METADATA_FIELDS:
            known = ", ".join(f"{f}:" for f in sorted(_PUBLIC_FIELDS))
            found.append(f"there is no field {name}: (fields: {known})")
        elif not rest or rest[0].isspace() or rest[0] == ")":
            found.append(f"{name}: needs a value after it")
    for match in _RANGE.finditer(unquoted):
        # A range over words expands to every term between its ends and scores each
        # of them: slow enough to tie up a worker, and of no use to a researcher.
        if (match.group(1) or "").lower() not in _RANGE_FIELDS:
            found.append(
                f"the range {match.group(0)} only works on year: "
                "(for example year:[2016 TO 2020])"
            )
    for term in _WILDCARD.findall(unquoted):
        stem = re.split(r"[*?]", term.split(":")[-1], maxsplit=1)[0]
        if len(stem.strip("()-+")) < 2:
            found.append(f"the wildcard {term} needs at least two letters before it")
    return found


_PUBLIC_FIELDS = {
    "author",
    "force",
    "year",
    "type",
    "doc",
    "section",
    "recipient",
    "reference",
}
_RANGE = re.compile(r"(?:(\w+):)?[\[{][^\]{}\[]*\bTO\b[^\]{}\[]*[\]}]")
_RANGE_FIELDS = {"year"}


def plain_words(q: str) -> str:
    """Return the words of ``q`` without operators, fields or punctuation."""
    words = []
    for word in _WORDS.findall(_FIELD.sub(" ", q)):
        if word not in OPERATORS:
            words.append(word)
    return " ".join(words)


_TOKENS = re.compile(r'"[^"]*"|[^\s"]+')


def binary_not(q: str) -> str:
    """Read ``fraud NOT cyber`` as fraud without cyber, as people mean it.

    Whoosh's NOT is a prefix operator, so "fraud NOT cyber" would mean "fraud, or
    anything without cyber". At the top level a NOT after a word becomes a minus
    (excluding from everything before it); inside brackets it becomes ANDNOT.
    The rest of the text is left exactly as typed.
    """
    tokens = list(_TOKENS.finditer(q))
    depth = 0
    edits: list[tuple[int, int, str]] = []
    for i, match in enumerate(tokens):
        token = match.group()
        before = tokens[i - 1].group() if i else ""
        if (
            token == "NOT"
            and before
            and before not in OPERATORS
            and not before.endswith(("(", ":"))
        ):
            if depth == 0 and i + 1 < len(tokens):
                # Drop the NOT and its space; the next word takes a minus.
                edits.append((match.start(), tokens[i + 1].start(), "-"))
            else:
                edits.append((match.start(), match.end(), "ANDNOT"))
        if not token.startswith('"'):
            depth += token.count("(") - token.count(")")
    for start, end, text in reversed(edits):
        q = q[:start] + text + q[end:]
    return q


def make_parser(schema=None, lexicon: Lexicon | None = None) -> MultifieldParser:
    """Return the query parser: words OR-ed, more matching words ranking higher.

    Field filters (``author:``, ``force:``, ``year:``, ``type:``, ``doc:``) restrict
    the results; ``-word`` excludes; acronyms expand when a lexicon is given.
    """
    schema = schema or build_schema()
    parser = MultifieldParser(
        list(SEARCH_FIELDS), schema, fieldboosts=FIELD_BOOSTS, group=DefaultGroup
    )
    for plugin in parser.plugins:
        if isinstance(plugin, MultifieldPlugin):
            plugin.group = FieldsGroup
    aliases: dict[str, list[str]] = {}
    for alias, target in QUERY_FIELDS.items():
        if alias != target:
            aliases.setdefault(target, []).append(alias)
    parser.add_plugin(FieldAliasPlugin(aliases))
    # A minus only excludes at the start of a word: co-ordination stays one word.
    parser.add_plugin(_MinusPlugin())
    parser.add_plugin(ExpansionPlugin(lexicon))
    parser.add_plugin(_RequireFiltersPlugin())
    return parser


class _MinusPlugin(PlusMinusPlugin):
    """``-word`` excludes and ``+word`` requires; other words keep the default group."""

    def __init__(self):
        # A sign counts only at the start of a word: co-ordination stays one word.
        super().__init__(plusexpr=r"(?<![^\s(])\+", minusexpr=r"(?<![^\s(])-")

    def do_plusminus(self, parser, group):
        """Sort a group's nodes into required, optional and excluded ones."""
        # Brackets are groups of their own: "(fraud -cyber) AND victims".
        for i, node in enumerate(group):
            if isinstance(node, syntax.GroupNode):
                group[i] = self.do_plusminus(parser, node)
        signs = (self.Plus, self.Minus)
        if not any(isinstance(node, signs) for node in group):
            return group
        required, optional, banned = syntax.AndGroup(), parser.group(), parser.group()
        target = optional
        for node in group:
            if isinstance(node, self.Plus):
                target = required
            elif isinstance(node, self.Minus):
                target = banned
            else:
                target.append(node)
                target = optional
        result = optional
        if required:
            result = (
                syntax.AndMaybeGroup([required, optional]) if optional else required
            )
        if banned:
            result = syntax.AndNotGroup([result, banned])
        return group.__class__([result]) if group is not None else result


class _RequireFiltersPlugin:
    """Make top-level field filters required: ``SOC year:2023`` means in 2023."""

    def taggers(self, parser):
        """Add no syntax of its own."""
        return []

    def filters(self, parser):
        """Run after the operators (600) have built the groups."""
        return [(self.require_filters, 700)]

    def require_filters(self, parser, group):
        """Pull top-level field filters out of the OR group into an AND."""
        if type(group) is not parser.group or len(group) < 2:
            return group
        by_field: dict[str, list] = {}
        rest = []
        for node in group:
            name = getattr(node, "fieldname", None)
            if name in FILTER_FIELDS and not isinstance(node, syntax.GroupNode):
                by_field.setdefault(name, []).append(node)
            else:
                rest.append(node)
        if not by_field:
            return group
        required = [syntax.OrGroup(nodes) for nodes in by_field.values()]
        if rest:
            required.insert(0, parser.group(rest))
        return syntax.AndGroup(required)


def parse(q: str, schema, lexicon: Lexicon | None = None) -> ParsedQuery:
    """Parse ``q``, falling back to its plain words when it is malformed."""
    notices = []
    q = tidy(q)
    # Too deep or too many operators: the cost bounds of portal.search.cost.
    found = structure_problems(q) or problems(q)
    text = q
    if found:
        text = plain_words(q)
        shown = f"“{text}”" if text else "nothing"
        notices.append(
            f"Your query could not be read as written ({'; '.join(found)}), "
            f"so it was searched as plain words: {shown}."
        )
    parser = make_parser(schema, lexicon)
    if not text.strip():
        return ParsedQuery(NullQuery, "", notices, [], bool(found))
    query = _also_as_written(parser.parse(binary_not(text)))
    plugin = next(p for p in parser.plugins if isinstance(p, ExpansionPlugin))
    understood = render(plugin.tree) if plugin.tree is not None else text
    return ParsedQuery(query, understood, notices, plugin.expansions, bool(found))


def _also_as_written(node: Query) -> Query:
    """Search a wildcard over the words as written too, not only over their stems.

    The text field holds stems ("officer" as ``offic``), so ``offic?r`` or
    ``recruitme*`` would find nothing there; the ``exact`` field holds the words
    as written, where they match.
    """
    if isinstance(node, (Wildcard, Prefix)) and node.fieldname == "text":
        return Or([node, type(node)("exact", node.text, boost=node.boost)])
    # In place: Query.accept would copy the groups and drop their attributes
    # (a Words group's coordination scale).
    if isinstance(getattr(node, "subqueries", None), list):
        node.subqueries = [_also_as_written(q) for q in node.subqueries]
    for name in ("a", "b", "child", "query"):
        part = getattr(node, name, None)
        if isinstance(part, Query):
            setattr(node, name, _also_as_written(part))
    return node
