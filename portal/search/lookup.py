"""Queries answered from document metadata: references, recipients and names.

A letter's reference (``HPC/2024/54(2B)``, or its last part, ``54(2B)``) is not
in any passage, so the text search cannot find it; ``recipient:`` and
``reference:`` name metadata the passages do not carry. These are taken out of
the query before it is parsed and become a restriction to the documents they
name. A word that is no passage's but an author's or recipient's name offers
that filter (``Okafor`` -> ``author:Okafor``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from indexer.analysis.analyzer import analyze
from portal.search.links import search_url

_FIELD_VALUE = re.compile(
    r'(?<![\w"])(recipient|reference):\s*("[^"]*"|[^\s()]+(?:\([^\s()]*\))?)', re.I
)
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}
_TOKEN = re.compile(r'"[^"]*"|\S+')
_FIELDED = re.compile(r'\b\w+:("[^"]*"|\S+)')
_NAME_WORD = re.compile(r"[^\W\d_][\w'’-]*")
MIN_NAME = 3


@dataclass
class Lookup:
    """A query with its metadata terms taken out, and the documents they name."""

    q: str  # what is left for the text search
    docs: set[str] | None = None  # the documents allowed (None: no restriction)
    said: list[str] = field(default_factory=list)  # the terms, as understood


def fold(text: str) -> str:
    """Return ``text`` lower-cased without accents: Siân -> sian."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def reference_keys(reference: str) -> set[str]:
    """Return the forms a reference is found by: whole, and its distinctive parts.

    Letters and digits only, folded: ``HPC/2024/54(2B)`` gives ``hpc2024542b``
    and ``542b``; a part of digits alone (a year) is no key.
    """
    keys = set()
    whole = _key(reference)
    if whole:
        keys.add(whole)
    for part in re.split(r"[\s/-]+", reference):
        key = _key(part)
        if key and not key.isdigit() and any(c.isdigit() for c in key):
            keys.add(key)
    return keys


def _key(text: str) -> str:
    """Return the letters and digits of ``text``, folded."""
    return re.sub(r"[^0-9a-z]", "", fold(text))


def _by_reference(documents: dict[str, dict], value: str) -> set[str]:
    """Return the documents whose reference ``value`` names."""
    key = _key(value)
    return {
        doc_id
        for doc_id, doc in documents.items()
        if key and key in reference_keys(doc.get("reference") or "")
    }


def _by_person(documents: dict[str, dict], name: str, role: str) -> set[str]:
    """Return the documents whose author or recipient holds every word of ``name``."""
    wanted = set(fold(name).split())
    return {
        doc_id
        for doc_id, doc in documents.items()
        if wanted and wanted <= set(fold(doc.get(role) or "").replace(",", " ").split())
    }


def _narrow(found: Lookup, docs: set[str]) -> None:
    """Restrict the lookup to ``docs`` as well."""
    found.docs = docs if found.docs is None else found.docs & docs


def lookup(q: str, documents: dict[str, dict]) -> Lookup:
    """Take ``recipient:``, ``reference:`` and bare reference numbers out of ``q``.

    ``documents`` maps document ids to their metadata. A field naming no
    document leaves an empty restriction (nothing matches); a word that is no
    document's reference stays in the query.
    """
    found = Lookup(q)

    def field_value(match: re.Match) -> str:
        name, value = match.group(1).lower(), match.group(2).strip('"')
        if name == "recipient":
            _narrow(found, _by_person(documents, value, "recipient"))
        else:
            _narrow(found, _by_reference(documents, value))
        found.said.append(f"{name}:{value}")
        return " "

    rest = _FIELD_VALUE.sub(field_value, q)
    kept = []
    for token in _TOKEN.findall(rest):
        bare = token.strip(".,;!?")
        if any(c.isdigit() for c in bare) and any(c.isalpha() for c in bare):
            docs = _by_reference(documents, bare)
            if docs:
                _narrow(found, docs)
                found.said.append(f"reference:{bare}")
                continue
        kept.append(token)
    if found.said:
        # "HPC/2024/54(2B) OR fraud" leaves "fraud", not "OR fraud".
        while kept and kept[0] in _OPERATORS:
            kept.pop(0)
        while kept and kept[-1] in _OPERATORS:
            kept.pop()
        found.q = " ".join(kept)
    return found


def name_words(documents: dict[str, dict]) -> frozenset[str]:
    """Return every folded word of the documents' authors and recipients.

    Worked out once per index generation (a pass over every document's names,
    which cost a search more than scoring its words at 100k passages).
    """
    return frozenset(
        part
        for doc in documents.values()
        for role in ("author", "recipient")
        for part in fold(doc.get(role) or "").replace(",", " ").split()
    )


def _generation_names(handle) -> frozenset[str]:
    """Return :func:`name_words` of a generation's documents."""
    return name_words(handle.documents)


def served_names(handle) -> frozenset[str]:
    """Return :func:`name_words` of a generation, worked out once for it."""
    return handle.derive(_generation_names)


def name_offers(
    q: str, documents: dict[str, dict], in_text, names: frozenset[str] | None = None
) -> list[dict]:
    """Return the author and recipient filters the name words of ``q`` match.

    Only words no passage holds (``in_text(word)`` is false) are offered, so a
    word such as "police" in a committee's name never is. Each offer is
    ``{"field", "value", "word", "words", "docs", "whole"}``: the value is the
    name as written, ``words`` the query's words naming it (``word`` the last),
    and ``whole`` whether the query names every word of it ("Nadia Rahman").
    ``names`` is :func:`name_words` of ``documents``, worked out here if not given.
    """
    typed = _NAME_WORD.findall(_FIELDED.sub(" ", q))
    folded = {fold(w) for w in typed}
    if names is None:
        names = name_words(documents)
    offers: dict[tuple[str, str], dict] = {}
    for word in typed:
        if len(word) < MIN_NAME or fold(word) not in names or in_text(word):
            continue
        for role in ("author", "recipient"):
            for doc_id in sorted(_by_person(documents, word, role)):
                name = documents[doc_id][role]
                offer = offers.setdefault(
                    (role, name),
                    {"field": role, "value": name, "words": [], "docs": []},
                )
                if word not in offer["words"]:
                    offer["words"].append(word)
                if doc_id not in offer["docs"]:
                    offer["docs"].append(doc_id)
    for offer in offers.values():
        offer["word"] = offer["words"][-1]
        parts = set(fold(offer["value"]).replace(",", " ").split())
        offer["whole"] = parts <= folded
    return list(offers.values())


def allowed(handle, found: Lookup, restrict):
    """Return ``restrict`` narrowed to the passages of the documents ``found`` names.

    ``restrict`` and the result: a bool array by document number, or None for
    every passage.
    """
    if found.docs is None:
        return restrict
    docs = handle.facet_codes["doc"].having(sorted(found.docs))
    return docs if restrict is None else restrict & docs


def in_text(handle):
    """Return a test of whether any passage's text or label holds a word."""
    reader = handle.searcher.reader()

    def holds(word: str) -> bool:
        return any(
            reader.doc_frequency(name, stem)
            for stem in analyze(word)[:1]
            for name in ("text", "label")
        )

    return holds


def offer_links(req, offers: list[dict]) -> list[dict]:
    """Return each name offer with the query that applies it and its link."""
    links = []
    for offer in offers:
        term = f"{offer['field']}:{offer['word']}"
        links.append({**offer, "q": term, "url": search_url(req, q=term)})
    return links


def by_name(found: Lookup, offers: list[dict]) -> Lookup:
    """Return ``found`` with the offered names taken out as filters instead.

    For a query that matches nothing as words: ``Okafor`` becomes the
    documents Daniel Okafor wrote.
    """
    words = {w for o in offers for w in o["words"]}
    words |= {w for o in offers if o["whole"] for w in o["value"].split()}
    named = Lookup(found.q, found.docs, list(found.said))
    _narrow(named, {d for o in offers for d in o["docs"]})
    kept = [t for t in _TOKEN.findall(found.q) if t.strip(".,;!?") not in words]
    named.q = " ".join(kept)
    named.said += [f"{o['field']}:{o['word']}" for o in offers]
    return named
