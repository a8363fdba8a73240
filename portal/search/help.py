"""The help page's examples of the query language, each with its live count.

The examples are made from the served corpus (:mod:`portal.search.specimens`), so
they teach on what this portal holds and each finds something.
"""

from __future__ import annotations

from collections.abc import Callable

from portal.index.generation import Generation
from portal.index.handle import get_index
from portal.search.links import doc_url, search_url
from portal.search.service import SearchRequest, lexicon, run_query
from portal.search.specimens import Specimens, find_specimens, one_letter, typo


def examples(
    spec: Specimens, counts: dict[str, int], finds: Callable[[str], int]
) -> list[tuple[str, str]]:
    """Return the help page's (query, what it shows), built from ``spec``.

    In the order the page teaches them; an example whose specimen the corpus
    lacks (no acronym, no references, ...) is left out rather than shown finding
    nothing. ``counts`` is the vocabulary's word frequencies; ``finds`` returns
    how many passages a query finds ("understanding" is not "under standing":
    a joined word is taught only when the corpus also writes its halves apart).
    """
    w = (*spec.words, "", "", "")[:3]
    out = [
        (
            f"{w[0]} {w[1]}",
            "Words: passages holding more of them, the rare ones above all, and "
            "side by side, rank higher.",
        ),
        (
            f"what is the {spec.acronym}?" if spec.acronym else f"what is {w[0]}?",
            "A question is searched as its words.",
        ),
        (
            f'"{spec.long_form or w[0] + " " + w[1]}"',
            "A phrase, word for word (stems match).",
        ),
        (f"{w[0]} AND {w[1]}", "Both words."),
        (f"{w[0]} OR {w[2]}", "Either word."),
        (f"{w[0]} NOT {w[1]}", "The first without the second."),
        (f"{w[0]} -{w[1]}", "A minus excludes a word, as NOT does."),
        (f"({w[0]} OR {w[2]}) AND {w[1]}", "Brackets group operators."),
        (f"{w[0][: max(4, len(w[0]) - 3)]}*", "A wildcard: any ending."),
        (one_letter(w[1]), "One unknown letter."),
    ]
    if spec.acronym:
        out += [
            (spec.acronym, "An acronym also finds its long form…"),
            (spec.long_form, "…and a long form its acronym."),
        ]
    apart = [(a, b) for a, b in spec.compounds if finds(f'"{a} {b}"')][:1]
    for left, right in apart:
        out += [
            (
                f"{left}-{right}",
                f"Hyphenated words match the joined and split forms: {left}{right}, "
                f"{left} {right}.",
            ),
            (f"{left} {right}", "Two words also find them written as one."),
        ]
    if len(spec.forces) == 2:
        out.append(("/".join(spec.forces), "Two words with a slash: either."))
    if spec.exact:
        word, sibling = spec.exact
        out.append((f"={word}", f"One word form as written: {word}, not {sibling}."))
    fields = [
        (spec.author, f"author:{spec.author}", "Field: who signed or published it."),
        (
            spec.recipient,
            f"recipient:{spec.recipient}",
            "Field: who a letter is addressed to.",
        ),
        (
            spec.reference,
            spec.reference,
            "A reference finds its document (also reference:…).",
        ),
        (
            spec.unheld_name,
            spec.unheld_name.capitalize(),
            "A name no passage holds finds that person's documents.",
        ),
        (
            spec.forces,
            f"force:{spec.forces[0] if spec.forces else ''}",
            "Field: a police force, by its code.",
        ),
        (spec.year, f"year:{spec.year}", "Field: the year of the document."),
        (
            spec.doc_type,
            f"type:{spec.doc_type}",
            "Field: letter, report, statement, evidence or annex.",
        ),
    ]
    out += [(q, note) for present, q, note in fields if present]
    if spec.forces and spec.year:
        word = spec.acronym if spec.acronym not in ("", *spec.forces) else w[0]
        out.append(
            (
                f"{word} force:{spec.forces[0]} year:{spec.year}",
                "Words with fields: the fields restrict.",
            )
        )
    misspelt = typo(w[0], counts)
    if misspelt:
        out.append((misspelt, "A typo: the portal offers or shows the correction."))
    return [(q, note) for q, note in out if q.strip('"?* ')]


def _examples(handle: Generation) -> tuple[tuple[str, str, int], ...]:
    """Return the served generation's examples, each with the passages it finds."""
    lex = lexicon(handle)
    spec = find_specimens(handle.documents, lex)

    def finds(q: str) -> int:
        return len(run_query(SearchRequest(q=q)).hits)

    return tuple(
        (q, note, finds(q)) for q, note in examples(spec, lex.vocabulary.counts, finds)
    )


def help_content() -> dict:
    """Return the examples with their links and live counts, and the acronyms known."""
    handle = get_index()
    shown = [
        {"q": q, "note": note, "count": count, "url": search_url(SearchRequest(q=q))}
        for q, note, count in handle.derive(_examples)
    ]
    acronyms = []
    for entry in lexicon(handle).acronyms:
        place = entry.defined_in[0] if entry.defined_in else None
        doc = handle.documents.get(place["doc_id"], {}) if place else {}
        acronyms.append(
            {
                "acronym": entry.acronym,
                "long": entry.long,
                "url": search_url(SearchRequest(q=entry.acronym)),
                "defined_in": doc.get("title") if place else None,
                "defined_url": doc_url(
                    place["doc_id"], place["passage_id"], entry.acronym
                )
                if place
                else None,
            }
        )
    return {"examples": shown, "acronyms": acronyms}
