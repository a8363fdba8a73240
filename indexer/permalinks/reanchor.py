"""Re-anchor the ids of changed passages to their corrected text.

When a correction changes a passage, its id (a digest of its text) vanishes and a
new one appears. The old id is handed to the most similar new passage of the same
document: rapidfuzz similarity of the two texts, and of the texts around them,
must reach :data:`THRESHOLD`. Only vanished ids are compared, and only with the
passages new in this build, so an unchanged corpus costs no comparisons at all.
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import fuzz, process

from indexer.document.record import Document

# Weighted 0-100 score a changed passage needs to inherit an old id: the text
# counts most; the neighbours break ties between similar paragraphs.
THRESHOLD = 70.0
TEXT_WEIGHT = 0.8
_LIMIT = 5


def _context(texts: Iterable[str | None]) -> str:
    return " ".join(t for t in texts if t)


def reanchor_document(
    olds: list[dict], entries: dict[str, dict], doc: Document, added: set[str]
) -> dict[str, tuple[str, float]]:
    """Map each vanished id of ``doc`` to its new id and score, where one is close.

    ``olds`` are the ledger entries of the vanished ids (with ``text`` and the ids
    of their ``before`` and ``after`` neighbours), ``entries`` every id in the
    ledger, and ``added`` the ids new in this build.
    """
    candidates = [i for i, p in enumerate(doc.passages) if p.id in added]
    if not olds or not candidates:
        return {}
    passages = doc.passages
    choices = [passages[i].text for i in candidates]
    # A cheap first cut on the text alone (rapidfuzz stops early below the
    # cutoff); the neighbours only rerank the few survivors.
    floor = (THRESHOLD - (1 - TEXT_WEIGHT) * 100) / TEXT_WEIGHT
    matches = {}
    for old in olds:
        shortlist = process.extract(
            old["text"], choices, scorer=fuzz.ratio, limit=_LIMIT, score_cutoff=floor
        )
        old_context = _context(
            entries.get(old.get(k) or "", {}).get("text") for k in ("before", "after")
        )
        best: tuple[str, float] | None = None
        for _, text_score, column in shortlist:
            at = candidates[column]
            new_context = _context(
                [
                    passages[at - 1].text if at > 0 else None,
                    passages[at + 1].text if at + 1 < len(passages) else None,
                ]
            )
            context = fuzz.ratio(old_context, new_context) if old_context else 0.0
            score = TEXT_WEIGHT * text_score + (1 - TEXT_WEIGHT) * context
            if score >= THRESHOLD and (best is None or score > best[1]):
                best = (passages[at].id, round(score, 1))
        if best:
            matches[old["id"]] = best
    return matches
