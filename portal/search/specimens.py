"""Words, names and values of the served corpus that the help page's examples use.

The help page teaches the query language on the corpus being served, whatever it
holds: each example is built from what this generation contains (its frequent
words, its commonest acronym, its authors, recipients, forces, years, types and
references), never from words of one particular set of documents, so every
example finds something on any corpus that has such a thing at all.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from portal.search.expand import Lexicon

# Ordinary words shorter than this are too often function words to teach with.
_MIN_WORD = 7
_VOWELS = frozenset("aeiou")
# How the build joins several recipients into one line (Metadata.recipient).
_AND = re.compile(r"\s+and\s+")


@dataclass(frozen=True)
class Specimens:
    """What one generation offers the examples; an empty string where it has none.

    ``words`` are its three commonest ordinary words (letters only, written in
    lower case somewhere, at least seven letters), commonest first.
    """

    words: tuple[str, ...]
    acronym: str = ""
    long_form: str = ""
    # Words the corpus writes joined whose halves are words too, commonest first:
    # candidates, since only the corpus's text shows the halves also stand apart.
    compounds: tuple[tuple[str, str], ...] = ()
    exact: tuple[str, str] | None = None  # a word form and a sibling of its stem
    author: str = ""  # the surname of the commonest author
    recipient: str = ""  # the surname of the commonest recipient
    unheld_name: str = ""  # an author or recipient no passage's text names
    reference: str = ""
    forces: tuple[str, ...] = ()  # the two commonest force codes
    year: str = ""
    doc_type: str = ""


def find_specimens(documents: dict[str, dict], lexicon: Lexicon) -> Specimens:
    """Return the specimens of ``documents`` (id -> metadata) and ``lexicon``."""
    counts = lexicon.vocabulary.counts
    ordinary = sorted(
        (
            w
            for w in lexicon.vocabulary.lowercase
            if len(w) >= _MIN_WORD and w.isalpha()
        ),
        key=lambda w: (-counts.get(w, 0), w),
    )
    docs = list(documents.values())
    authors = _commonest(_surname(d.get("author", "")) for d in docs)
    recipients = _commonest(_surname(name) for d in docs for name in _recipients(d))
    return Specimens(
        words=tuple(ordinary[:3]),
        **_acronym(lexicon),
        compounds=_compounds(ordinary, counts),
        exact=_exact(ordinary, counts),
        author=authors[0] if authors else "",
        recipient=recipients[0] if recipients else "",
        # Another name than the field examples use, where the corpus has one.
        unheld_name=next(
            (
                n
                for n in recipients[1:] + authors[1:] + recipients[:1] + authors[:1]
                if n not in counts
            ),
            "",
        ),
        reference=next(
            (d["reference"] for d in sorted(docs, key=_newest) if d.get("reference")),
            "",
        ),
        forces=tuple(_commonest(f for d in docs for f in d.get("forces") or ())[:2]),
        year=max((str(d["year"]) for d in docs if d.get("year")), default=""),
        doc_type=next(iter(_commonest(d.get("type", "") for d in docs)), ""),
    )


def typo(word: str, counts: dict[str, int]) -> str:
    """Return ``word`` with one inner letter dropped, as a typist might, or ``""``.

    The first inner letter whose removal does not make another corpus word
    ("intelligence" -> "inteligence"); a doubled letter is tried first.
    """
    inner = range(2, len(word) - 1)
    doubled = [i for i in inner if word[i] == word[i - 1]]
    for i in doubled + [i for i in inner if i not in doubled]:
        candidate = word[:i] + word[i + 1 :]
        if candidate not in counts:
            return candidate
    return ""


def one_letter(word: str) -> str:
    """Return ``word`` with its last inner vowel as ``?`` ("victim" -> "vict?m")."""
    for i in range(len(word) - 2, 0, -1):
        if word[i] in _VOWELS:
            return word[:i] + "?" + word[i + 1 :]
    return word[:-1] + "?"


def _commonest(values) -> list[str]:
    """Return the non-empty values, commonest first (ties alphabetically)."""
    counted = Counter(v for v in values if v)
    return [v for v, _ in sorted(counted.items(), key=lambda kv: (-kv[1], kv[0]))]


def _surname(name: str) -> str:
    """Return the last word of a name, lower case ("Ann Smith" -> smith)."""
    words = [w for w in name.replace(",", " ").split() if w[:1].isupper()]
    return words[-1].lower() if len(words) >= 2 else ""


def _recipients(doc: dict) -> list[str]:
    """Return a document's recipients, each a name: "A and B" is two."""
    listed = doc.get("recipients")
    if isinstance(listed, list):
        return [str(name) for name in listed if name]
    return [n for n in _AND.split(doc.get("recipient") or "") if n.strip()]


def _newest(doc: dict) -> tuple:
    return (-(int(doc.get("year") or 0)), doc.get("date") or "", doc["id"])


def _acronym(lexicon: Lexicon) -> dict[str, str]:
    """Return the acronym the corpus uses most that has a long form of 2+ words."""
    counts = lexicon.vocabulary.counts
    usable = [
        a
        for a in lexicon.acronyms
        if len(a.long.split()) >= 2 and not a.common_word and a.acronym.isalpha()
    ]
    if not usable:
        return {}
    best = max(usable, key=lambda a: (counts.get(a.acronym.lower(), 0), a.acronym))
    return {"acronym": best.acronym, "long_form": best.long.lower()}


def _compounds(ordinary: list[str], counts: dict[str, int]) -> tuple:
    """Return up to five joined words whose halves (4+ letters) are words too."""
    found = []
    for word in ordinary:
        for cut in range(4, len(word) - 3):
            left, right = word[:cut], word[cut:]
            if counts.get(left, 0) and counts.get(right, 0):
                found.append((left, right))
                break
        if len(found) == 5:
            break
    return tuple(found)


def _exact(ordinary: list[str], counts: dict[str, int]) -> tuple[str, str] | None:
    """Return a common ``-ing`` word and another form of its stem the corpus holds."""
    for word in ordinary:
        if not word.endswith("ing"):
            continue
        stem = word[:-3]
        for sibling in (stem, stem + "e", stem + "s", stem + "ed"):
            if counts.get(sibling, 0):
                return word, sibling
    return None
