"""Query expansion: acronyms and compounds, and the sentence saying what was searched.

A query naming an acronym also searches its long form ("SOC" finds "serious and
organised crime"), and a query writing out a long form also searches the acronym,
in the same ranking: the alternatives join the word's own OR group. Two words
written together in the corpus ("cyber crime", "cybercrime") find each other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from whoosh import query
from whoosh.qparser import syntax
from whoosh.qparser.plugins import PhrasePlugin

from indexer.analysis.acronyms import SMALL_WORDS, Acronym, singular
from indexer.analysis.analyzer import analyze
from indexer.analysis.vocabulary import Vocabulary

# How the sentence names fields whose schema name differs from the query's.
FIELD_NAMES = {"forces": "force", "doc_id": "doc"}
SEARCH_FIELDS = {"text", "label"}
MIN_COMPOUND = 7
_HYPHENS = re.compile(r"[‐‑-]")


def _stems(text: str) -> tuple[str, ...]:
    """Return the stems of the content words of ``text`` (small words left out)."""
    words = [w for w in text.replace(",", " ").split() if w.lower() not in SMALL_WORDS]
    return tuple(s for w in words for s in analyze(w)[:1])


@dataclass
class Lexicon:
    """The acronyms and the vocabulary of one index generation."""

    acronyms: list[Acronym] = field(default_factory=list)
    vocabulary: Vocabulary = field(default_factory=Vocabulary)

    def __post_init__(self):
        self.by_acronym: dict[str, Acronym] = {}
        self.by_long: dict[tuple[str, ...], Acronym] = {}
        for entry in self.acronyms:
            self.by_acronym.setdefault(singular(entry.acronym).lower(), entry)
            stems = _stems(entry.long)
            if len(stems) >= 2:
                self.by_long.setdefault(stems, entry)

    @cached_property
    def words(self) -> list[str]:
        """Return the vocabulary's words, sorted (what spelling suggests from)."""
        return sorted(self.vocabulary.counts)

    def acronym(self, word: str) -> Acronym | None:
        """Return the acronym ``word`` names, if it is typed as one."""
        entry = self.by_acronym.get(singular(word).lower())
        if entry is None or (entry.common_word and word.islower()):
            return None
        return entry


class Words(query.Or):
    """Words side by side, each with its own alternatives (fields, expansions).

    A distinct class so that normalising the query does not flatten each word's
    OR of alternatives into it: the ranking needs to know which terms are one word.
    """


class DefaultGroup(syntax.OrGroup):
    """Words side by side: any may match, passages matching more rank higher."""

    qclass = Words

    def __init__(self, nodes=None, **kwargs):
        kwargs.pop("scale", None)
        # The scale gives a passage matching more of the words a higher score.
        super().__init__(nodes=nodes, scale=0.9, **kwargs)


# Not OrGroup subclasses: an explicit OR would merge its other side into them.
class FieldsGroup(syntax.GroupNode):
    """One word in every text field, kept whole so the sentence shows it once."""

    qclass = query.Or


class ExpansionGroup(syntax.GroupNode):
    """A word OR-ed with what it expands to; the sentence shows only the word."""

    qclass = query.Or


def _phrase(text: str, at) -> syntax.SyntaxNode:
    """Return a quoted-phrase node placed where ``at`` is in the query."""
    return _placed(
        PhrasePlugin.PhraseNode(" ".join(text.replace(",", " ").split()), 0), at
    )


def _word(text: str, at) -> syntax.SyntaxNode:
    """Return a word node placed where ``at`` is in the query."""
    return _placed(syntax.WordNode(text), at)


def _placed(node, at):
    """Give a new node the character positions of ``at``."""
    # Whoosh copies character positions from syntax nodes onto the queries.
    node.startchar, node.endchar = at.startchar, at.endchar
    return node


def _expansion(entry: Acronym, typed: str, direction: str) -> dict:
    """Return the public record of one expansion."""
    return {
        "acronym": entry.acronym,
        "long": entry.long,
        "typed": typed,
        "direction": direction,
        "source": entry.source,
        "defined_in": entry.defined_in[0] if entry.defined_in else None,
    }


class ExpansionPlugin:
    """Expand acronyms, long forms and compounds; keep the tree for the sentence."""

    def __init__(self, lexicon: Lexicon | None):
        self.lexicon = lexicon
        self.expansions: list[dict] = []
        self.tree = None

    def taggers(self, parser):
        """Add no syntax of its own."""
        return []

    def filters(self, parser):
        """Expand before multifield copies words; keep the final tree."""
        # After field names are applied (100), before multifield copies words (110);
        # the tree is kept after every other filter has run.
        return [(self.expand, 105), (self.keep, 990)]

    def keep(self, parser, group):
        """Remember the final syntax tree for the sentence."""
        self.tree = group
        return group

    def expand(self, parser, group):
        """Expand the plain words and phrases of a group, recursing into brackets."""
        if self.lexicon is None:
            return group
        run: list[str] = []
        for i, node in enumerate(group):
            if isinstance(node, syntax.GroupNode):
                group[i] = self.expand(parser, node)
                run = []
            elif isinstance(node, syntax.Whitespace):
                continue
            elif isinstance(node, syntax.Operator) and node.text == "AND":
                # "serious AND organised crime" still names serious and organised crime.
                run.append("and")
            elif isinstance(node, syntax.WordNode) and node.fieldname is None:
                run.append(node.text)
                self._expand_word(group, i, run)
            elif type(node).__name__ == "PhraseNode" and node.fieldname is None:
                group[i] = self._expand_phrase(node)
                run = []
            else:
                run = []
        return group

    def _add(self, entry: Acronym, typed: str, direction: str) -> None:
        """Record an expansion once for the chips and the sentence."""
        item = _expansion(entry, typed, direction)
        if all(e["acronym"] != entry.acronym for e in self.expansions):
            self.expansions.append(item)

    def _expand_word(self, group, i: int, words: list[str]) -> None:
        """Expand the word at ``group[i]``, the last of ``words`` typed in a row."""
        node = group[i]
        word = node.text
        alternatives = []
        entry = self.lexicon.acronym(word)
        if entry is not None:
            alternatives.append(_phrase(entry.long, node))
            self._add(entry, word, "acronym")
        content = [w for w in words if w.lower() not in SMALL_WORDS]
        for size in range(min(len(content), 8), 1, -1):
            found = self.lexicon.by_long.get(_stems(" ".join(content[-size:])))
            if found is not None and content[-1] == word:
                alternatives.append(_word(found.acronym, node))
                self._add(found, " ".join(content[-size:]), "long")
                break
        alternatives.extend(self._compounds(words, node))
        alternatives.extend(self._joined_parts(word, node))
        if alternatives:
            group[i] = ExpansionGroup([node, *alternatives])

    def _compounds(self, words: list[str], node) -> list:
        """Return the joined or split forms of the last word the corpus also uses."""
        counts = self.lexicon.vocabulary.counts
        last = words[-1].lower()
        found = []
        if len(words) >= 2 and words[-2].isalpha() and last.isalpha():
            joined = words[-2].lower() + last
            if counts.get(joined):
                found.append(_word(joined, node))
        if len(last) >= MIN_COMPOUND and last.isalpha() and counts.get(last):
            for cut in range(3, len(last) - 2):
                head, tail = last[:cut], last[cut:]
                if counts.get(head, 0) > 0 and counts.get(tail, 0) > 0:
                    found.append(_phrase(f"{head} {tail}", node))
        return found

    def _joined_parts(self, word: str, node) -> list:
        """Return the other forms of a hyphenated or slashed word.

        ``county-lines`` also finds "county lines" (the joined form, which the
        word itself searches, finds "countylines" and "county-lines");
        ``MPS/BTP`` finds either, each part expanded as an acronym would be.
        """
        found = []
        hyphen = _HYPHENS.split(word)
        if len(hyphen) > 1 and not all(p.isdigit() for p in hyphen):
            found.append(_phrase(" ".join(p for p in hyphen if p), node))
        parts = [p for p in word.split("/") if p]
        if len(parts) > 1 and any(p[:1].isalpha() for p in parts):
            for part in parts:
                found.append(_word(part, node))
                entry = self.lexicon.acronym(part)
                if entry is not None:
                    found.append(_phrase(entry.long, node))
                    self._add(entry, part, "acronym")
        return found

    def _expand_phrase(self, node):
        """OR a quoted long form with its acronym."""
        entry = self.lexicon.by_long.get(_stems(node.text))
        if entry is not None:
            self._add(entry, node.text, "long")
            return ExpansionGroup([node, _word(entry.acronym, node)])
        return node


def render(node, top: bool = True) -> str:
    """Return the query tree as a person would write it, operators in capitals."""
    if isinstance(node, ExpansionGroup):
        return render(node[0], top)
    if isinstance(node, syntax.GroupNode):
        if isinstance(node, FieldsGroup) and node.nodes:
            return render(node[0], top)
        parts = [render(n, top and len(node) == 1) for n in node]
        parts = [p for p in parts if p]
        if isinstance(node, syntax.NotGroup):
            return f"NOT {parts[0]}" if parts else ""
        if isinstance(node, syntax.AndNotGroup):
            text = " NOT ".join(parts)
            return text if top or len(parts) < 2 else f"({text})"
        joiner = " "
        if isinstance(node, syntax.AndGroup):
            joiner = " AND "
        elif isinstance(node, syntax.AndMaybeGroup):
            joiner = " ANDMAYBE "
        elif isinstance(node, syntax.OrGroup) and not isinstance(node, DefaultGroup):
            joiner = " OR "
        text = joiner.join(parts)
        return f"({text})" if len(parts) > 1 and joiner != " " and not top else text
    text = getattr(node, "text", "") or ""
    kind = type(node).__name__
    if kind == "PhraseNode":
        text = f"“{text}”"
    elif kind == "PrefixNode":
        text += "*"
    name = getattr(node, "fieldname", None)
    if name and name not in SEARCH_FIELDS:
        return f"{FIELD_NAMES.get(name, name)}:{text}"
    return text
