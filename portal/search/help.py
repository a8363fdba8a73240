"""The help page's examples of the query language, each with its live count."""

from __future__ import annotations

from portal.index.generation import Generation
from portal.index.handle import get_index
from portal.search.links import doc_url, search_url
from portal.search.service import SearchRequest, lexicon, run_query

# (query, what it shows), in the order the help page teaches them.
EXAMPLES = (
    (
        "financial investigators",
        "Words: passages holding more of them, the rare ones above all, and "
        "side by side, rank higher.",
    ),
    ("what is a ROCU?", "A question is searched as its words."),
    ('"serious and organised crime"', "A phrase, word for word (stems match)."),
    ("fraud AND cyber", "Both words."),
    ("drugs OR firearms", "Either word."),
    ("fraud NOT cyber", "The first without the second."),
    ("fraud -cyber", "A minus excludes a word, as NOT does."),
    ("(fraud OR cybercrime) AND victims", "Brackets group operators."),
    ("recruit*", "A wildcard: recruit, recruits, recruiting…"),
    ("vict?m", "One unknown letter."),
    ("SOC", "An acronym also finds its long form…"),
    ("regional organised crime units", "…and a long form its acronym."),
    ("co-ordination", "Hyphenated words match joined and split forms."),
    ("county-lines", "…and the words written apart: county lines."),
    ("MPS/BTP", "Two words with a slash: either."),
    ("=policing", "One word form as written: policing, not police."),
    ("cyber crime", "Two words also find them written as one."),
    ("author:linden", "Field: who signed or published the document."),
    ("recipient:Braverman", "Field: who a letter is addressed to."),
    ("MOPAC081215-22378", "A reference finds its letter (also reference:…)."),
    ("Greenhalgh", "A name no passage holds finds that person's letters."),
    ("force:BTP", "Field: a force (MPS, CoLP, BTP, …)."),
    ("year:2017", "Field: the year of the document."),
    ("type:report", "Field: letter, report, statement, evidence or annex."),
    ('section:"areas for improvement"', "Field: words in the section path."),
    ("SOC force:CoLP year:2023", "Words with fields: the fields restrict."),
    ("inteligence", "A typo: the portal offers or shows the correction."),
)


def _count_examples(handle: Generation) -> tuple[int, ...]:
    """Count the passages each example finds in the served generation."""
    return tuple(len(run_query(SearchRequest(q=q)).hits) for q, _ in EXAMPLES)


def help_content() -> dict:
    """Return the examples with their links and live counts, and the acronyms known."""
    handle = get_index()
    counts = handle.derive(_count_examples)
    examples = [
        {"q": q, "note": note, "count": count, "url": search_url(SearchRequest(q=q))}
        for (q, note), count in zip(EXAMPLES, counts, strict=True)
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
    return {"examples": examples, "acronyms": acronyms}
