"""Put each paragraph of a letter beside the report passages it most likely answers.

Candidates come from the index: the report passages sharing the paragraph's key
terms (Whoosh's ``more_like``). They are then reranked with rapidfuzz: every
sentence of the paragraph is compared with every sentence of the candidate by
the mean of ``token_set_ratio`` and ``token_sort_ratio``, and the best pair is
the score, so a paragraph touching three
findings can match each of them through the sentence about it.
"""

from __future__ import annotations

from indexer.analysis.similarity import best_sentences
from portal.exceptions import NotFoundError
from portal.index.generation import Generation
from portal.index.handle import get_index
from portal.search.service import BadRequestError, document_hits, passage_record

CANDIDATES = 20
MATCHES = 3
KEY_TERMS = 20

__all__ = ["align", "best_sentences", "letters"]


def _passages(handle: Generation, doc_id: str) -> list[tuple[int, dict]]:
    return [(hit.docnum, hit.fields()) for hit in document_hits(handle, doc_id)]


def _matches(handle, docnum: int, text: str, report_docs: set[int]) -> list[dict]:
    hits = handle.searcher.more_like(
        docnum,
        "text",
        text=text,
        top=CANDIDATES,
        numterms=KEY_TERMS,
        filter=report_docs,
    )
    scored = []
    for hit in hits:
        stored = hit.fields()
        score, sentence = best_sentences(text, stored.get("text", ""))
        record = passage_record(handle, stored)
        scored.append(
            {
                "id": record["id"],
                "doc_id": record["doc_id"],
                "text": record["text"],
                "score": round(score, 1),
                "sentence": sentence,
                "kind": record["kind"],
                "label": record["label"],
                "section": record["section"],
                "permalink": record["permalink"],
                "_rank": hit.score,
            }
        )
    # Ties (common with short headings) go to the stronger full-text candidate.
    scored.sort(key=lambda m: (-m["score"], -m["_rank"]))
    for match in scored:
        del match["_rank"]
    return scored[:MATCHES]


def align(letter_id: str) -> dict:
    """Return a letter, the report it answers and its paragraphs' best matches.

    :raise BadRequestError: when no letter is given or the document is no letter.
    :raise NotFoundError: when no document has the id.
    """
    letter_id = letter_id.strip()
    if not letter_id:
        raise BadRequestError("give a letter: /align?letter=DOCUMENT_ID")
    handle = get_index()
    letter = handle.documents.get(letter_id)
    if letter is None:
        raise NotFoundError(f"no document has the id {letter_id!r}")
    if letter.get("type") != "letter":
        raise BadRequestError(
            f"{letter_id!r} is a {letter.get('type') or 'document'}, not a letter; "
            "alignment starts from a letter"
        )
    report_id = letter.get("answers")
    report = handle.documents.get(report_id) if report_id else None
    result = {"letter": letter, "report": report, "pairs": []}
    if report is None:
        return result
    report_docs = {n for n, _ in _passages(handle, report["id"])}
    for docnum, stored in _passages(handle, letter_id):
        if stored.get("kind") == "heading":
            continue
        record = passage_record(handle, stored)
        matches = _matches(handle, docnum, record["text"], report_docs)
        result["pairs"].append({"passage": record, "matches": matches})
    return result


def letters() -> list[dict]:
    """Return every letter in the index with what it answers, oldest first."""
    docs = get_index().documents.values()
    found = [d for d in docs if d.get("type") == "letter"]
    return sorted(found, key=lambda d: (d.get("date") or "", d["id"]))
