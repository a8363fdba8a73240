"""Acronyms: learned from the corpus's own definitions, plus a curated glossary.

A document defines an acronym as "serious and organised crime (SOC)" or as "the NCA
(National Crime Agency)". A definition counts only when the initials of the long
form spell the acronym, allowing small words ("and", "of", "&") to be skipped or
to lend their initial (CoLP = City of London Police). Each definition is recorded
with the passage that makes it. ``corpus/glossary.toml`` adds the common policing
acronyms the documents use without defining; a corpus definition wins over it.
The build writes the result into each generation as ``acronyms.json``
(see :mod:`indexer.analysis.lexicon`).
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

ACRONYMS = "acronyms.json"
GLOSSARY = "glossary.toml"
# Small words a long form may skip: "violence against women and girls (VAWG)"
# keeps "against" and "and", "City of London Police (CoLP)" lends "of" its "o".
SMALL_WORDS = {
    "a", "an", "and", "against", "as", "at", "by", "for", "from", "in", "into",
    "of", "on", "or", "the", "to", "with", "&",
}  # fmt: skip
_ACRONYM = r"[A-Z][A-Za-z&]*[A-Z][A-Za-z]*"
_LONG_THEN_SHORT = re.compile(r"\((" + _ACRONYM + r")\)")
_SHORT_THEN_LONG = re.compile(r"\b(" + _ACRONYM + r")\s+\(([^()]{3,120})\)")
_WORD = re.compile(r"[\w’'&]+(?:-[\w’']+)*")


class GlossaryError(ValueError):
    """The glossary file cannot be read; the message names the file and the fault."""


@dataclass
class Acronym:
    """One acronym with its long form and where it is defined."""

    acronym: str
    long: str
    source: str  # "corpus" or "glossary"
    defined_in: list[dict] = field(default_factory=list)
    # Also an ordinary word of the corpus (GAIN, gain): expand only when in capitals.
    common_word: bool = False


def singular(acronym: str) -> str:
    """Return ``acronym`` without a plural ``s``: ROCUs -> ROCU, PCCs -> PCC."""
    if len(acronym) > 2 and acronym.endswith("s") and acronym[-2].isupper():
        return acronym[:-1]
    return acronym


def _contributions(word: str) -> list[str]:
    """Return what ``word`` may add to an acronym's letters."""
    # What a word may add to the acronym: an all-capitals word (HM) adds all its
    # letters; a small word adds its initial or nothing; any other word its initial.
    # A figure (the "1996" of "Police Act 1996") can be no part of a long form.
    letters = re.sub(r"[^A-Za-z]", "", word)
    if word.lower() in SMALL_WORDS:
        return [letters[0].lower(), ""] if letters else [""]
    if not letters:
        return []
    if len(letters) > 1 and letters.isupper():
        return [letters.lower(), letters[0].lower()]
    return [letters[0].lower()]


def _spells(words: list[str], letters: str) -> bool:
    """Return whether ``words``, in order, spell ``letters`` by their initials."""
    if not words:
        return not letters
    for piece in _contributions(words[0]):
        if letters.startswith(piece) and _spells(words[1:], letters[len(piece) :]):
            return True
    return False


def match_long_form(before: str, acronym: str) -> str | None:
    """Return the shortest ending of ``before`` whose initials spell ``acronym``."""
    letters = singular(acronym).lower().replace("&", "")
    spans = list(_WORD.finditer(before))[-(2 * len(letters) + 4) :]
    words = [m.group() for m in spans]
    for start in range(len(words) - 1, -1, -1):
        if words[start].lower() in SMALL_WORDS:
            continue
        if _spells(words[start:], letters):
            # Keep the writer's punctuation: "effectiveness, efficiency and ..."
            return " ".join(before[spans[start].start() :].split())
    return None


def find_definitions(text: str) -> Iterable[tuple[str, str]]:
    """Yield (acronym, long form) for every definition made in ``text``."""
    for match in _LONG_THEN_SHORT.finditer(text):
        acronym = match.group(1)
        long = match_long_form(text[: match.start()], acronym)
        if long:
            yield singular(acronym), long
    for match in _SHORT_THEN_LONG.finditer(text):
        acronym, inside = match.group(1), match.group(2).strip()
        words = _WORD.findall(inside)
        letters = singular(acronym).lower().replace("&", "")
        if words and words[0].lower() not in SMALL_WORDS and _spells(words, letters):
            yield singular(acronym), " ".join(inside.split())


def learn_acronyms(passages: Iterable[tuple[str, str, str]]) -> list[Acronym]:
    """Learn acronyms from (doc_id, passage_id, text) triples, first definition first.

    Feed passages oldest document first, so that the first place recorded is
    where a reader would first have met the definition.
    """
    return learn_definitions(
        (doc_id, passage_id, acronym, long)
        for doc_id, passage_id, text in passages
        for acronym, long in find_definitions(text)
    )


def learn_definitions(
    definitions: Iterable[tuple[str, str, str, str]],
) -> list[Acronym]:
    """Return acronyms from (doc_id, passage_id, acronym, long form), in order."""
    learned: dict[str, Acronym] = {}
    # A set beside each list: an acronym defined in thousands of passages made the
    # list scan quadratic.
    seen: set[tuple[str, str, str]] = set()
    for doc_id, passage_id, acronym, long in definitions:
        entry = learned.setdefault(acronym, Acronym(acronym, long, "corpus"))
        if (acronym, doc_id, passage_id) not in seen:
            seen.add((acronym, doc_id, passage_id))
            entry.defined_in.append({"doc_id": doc_id, "passage_id": passage_id})
    return sorted(learned.values(), key=lambda a: a.acronym.lower())


def read_glossary(corpus_dir: Path) -> list[Acronym]:
    """Return the curated acronyms of ``corpus_dir/glossary.toml`` (none if absent).

    :raise GlossaryError: when the file is not valid TOML or an entry is not text.
    """
    path = corpus_dir / GLOSSARY
    if not path.is_file():
        return []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise GlossaryError(f"{path.name} cannot be read: {exc}") from exc
    entries = []
    for acronym, long in data.get("acronyms", {}).items():
        if not isinstance(long, str) or not long.strip():
            raise GlossaryError(f"{path.name}: {acronym} needs a long form in quotes")
        entries.append(Acronym(acronym, " ".join(long.split()), "glossary"))
    return entries


def merge(learned: list[Acronym], glossary: list[Acronym]) -> list[Acronym]:
    """Return the learned acronyms plus the glossary's others; the corpus wins."""
    known = {a.acronym.lower() for a in learned}
    extra = [a for a in glossary if a.acronym.lower() not in known]
    return sorted(learned + extra, key=lambda a: a.acronym.lower())


def write_acronyms(generation: Path, acronyms: list[Acronym]) -> None:
    """Write the acronyms into a generation directory."""
    # vars(), not asdict(): asdict deep-copies every place of every definition,
    # which took seconds at 100k passages; the JSON is the same.
    data = [vars(a) for a in acronyms]
    # Compact: indenting sends json.dumps to its slow pure-Python encoder.
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    (generation / ACRONYMS).write_text(text)


def read_acronyms(generation: Path) -> list[Acronym]:
    """Return the acronyms a build wrote into a generation (none for older builds)."""
    try:
        data = json.loads((generation / ACRONYMS).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    return [Acronym(**entry) for entry in data]
