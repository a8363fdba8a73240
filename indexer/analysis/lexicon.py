"""The corpus lexicon, kept per document so an update recounts only what changed.

The vocabulary and the acronyms are whole-corpus results, but each is a sum of
per-document parts: a document's word counts, the words it writes in lower case,
and the definitions its passages make. Each document's part is computed once and
kept in the parse cache under the same content key as its parse, and the corpus
totals are kept beside them, so an update subtracts the changed documents' old
parts and adds their new ones instead of re-reading every passage (which took
most of an update's time at 100k passages).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from indexer.analysis.acronyms import (
    GlossaryError,
    find_definitions,
    learn_definitions,
    merge,
    read_glossary,
    write_acronyms,
)
from indexer.analysis.vocabulary import Vocabulary, count_words, write_vocabulary

if TYPE_CHECKING:
    from indexer.document.record import Document


@dataclass
class DocumentLexicon:
    """One document's words, lower-case words and acronym definitions."""

    counts: dict[str, int]
    lowercase: set[str]
    # (passage id, acronym, long form), in passage order.
    definitions: list[tuple[str, str, str]]


def passage_text(label: str, text: str) -> str:
    """Return the text of a passage as the lexicon reads it: label, then body."""
    return f"{label}. {text}" if label else text


def document_lexicon(doc: Document) -> DocumentLexicon:
    """Return the lexicon part of one document."""
    texts = [(p.id, passage_text(p.label, p.text)) for p in doc.passages]
    vocabulary = count_words(text for _, text in texts)
    definitions = [
        (pid, acronym, long)
        for pid, text in texts
        for acronym, long in find_definitions(text)
    ]
    return DocumentLexicon(vocabulary.counts, vocabulary.lowercase, definitions)


@dataclass
class CorpusLexicon:
    """Corpus totals, and the key and definitions of each document they include.

    Each document's full part (its word counts) lives with its parse in the parse
    cache; removing a document from the totals needs the part it was added with.
    """

    counts: Counter = field(default_factory=Counter)
    # How many documents write each word in lower case.
    lowercase: Counter = field(default_factory=Counter)
    members: dict[str, tuple[str, list[tuple[str, str, str]]]] = field(
        default_factory=dict
    )

    def sync(self, documents: dict[str, tuple[str, Document]]) -> None:
        """Make the totals those of ``documents`` (source -> (key, doc)), all new."""
        for source, (key, doc) in documents.items():
            if self.members.get(source, ("",))[0] != key:
                self.add(source, key, document_lexicon(doc))

    def stale(self, keys: dict[str, str]) -> list[str]:
        """Return the members whose source is gone or whose key is not in ``keys``."""
        return [s for s, (key, _) in self.members.items() if keys.get(s) != key]

    def vocabulary(self) -> Vocabulary:
        """Return the corpus vocabulary (words in sorted order, for stable output)."""
        return Vocabulary(dict(sorted(self.counts.items())), set(self.lowercase))

    def definitions(self, source: str) -> list[tuple[str, str, str]]:
        """Return the definitions the document read from ``source`` makes."""
        return self.members[source][1]

    def add(self, source: str, key: str, part: DocumentLexicon) -> None:
        """Add one document's part to the totals."""
        self.members[source] = (key, part.definitions)
        self.counts.update(part.counts)
        self.lowercase.update(part.lowercase)

    def merge(self, other: CorpusLexicon) -> None:
        """Add the totals and members of ``other`` (documents this one lacks)."""
        self.members.update(other.members)
        self.counts.update(other.counts)
        self.lowercase.update(other.lowercase)

    def remove(self, source: str, part: DocumentLexicon) -> None:
        """Take one document's part, the one it was added with, off the totals."""
        self.members.pop(source)
        _subtract(self.counts, part.counts)
        _subtract(self.lowercase, dict.fromkeys(part.lowercase, 1))


def _subtract(totals: Counter, amounts: dict[str, int]) -> None:
    """Take ``amounts`` off ``totals``, dropping words that reach zero."""
    for word, amount in amounts.items():
        left = totals[word] - amount
        if left > 0:
            totals[word] = left
        else:
            del totals[word]


def write_lexicon(
    generation: Path,
    documents: list,
    corpus_dir: Path,
    lexicon: CorpusLexicon | None = None,
) -> list[str]:
    """Write the vocabulary and the acronyms of ``documents`` into ``generation``.

    ``documents`` are in-memory documents or anything with their ``id``,
    ``date`` and ``source``. ``lexicon`` must hold every one of them; without
    it, one is made from ``documents``.

    :return: warnings for the build summary (a glossary that cannot be read).
    """
    if lexicon is None:
        lexicon = CorpusLexicon()
        lexicon.sync({d.source: (d.source, d) for d in documents})
    ordered = sorted(
        ((d.date or "", d.id, d.source) for d in documents), key=lambda d: d[:2]
    )
    vocabulary = lexicon.vocabulary()
    write_vocabulary(generation, vocabulary)
    warnings = []
    try:
        glossary = read_glossary(corpus_dir)
    except GlossaryError as exc:
        glossary = []
        warnings.append(f"{exc}; the curated acronyms are left out")
    learned = learn_definitions(
        (doc_id, pid, acronym, long)
        for _, doc_id, source in ordered
        for pid, acronym, long in lexicon.definitions(source)
    )
    acronyms = merge(learned, glossary)
    for entry in acronyms:
        entry.common_word = entry.acronym.lower() in vocabulary.lowercase
    write_acronyms(generation, acronyms)
    return warnings
