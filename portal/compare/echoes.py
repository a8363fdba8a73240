"""Echoes: passages of different years that say the same thing in the same words.

Candidates come from the index: the best-scoring matches of each year for the
theme. Each candidate is split into sentences and every pair of sentences from
different years is scored with rapidfuzz's token-sort ratio. Scoring sentences
rather than whole passages finds a re-used sentence inside a long paragraph,
such as the letters' "I write with regard to the report published by ..."
openings, which whole-paragraph scores drown.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils

from indexer.document.sentences import sentences

THRESHOLD = 60.0
MIN_SENTENCE_WORDS = 5


@dataclass(frozen=True)
class Candidate:
    """A passage that may echo another: its id, year and text."""

    id: str
    year: str
    text: str


def _comparable_sentences(text: str) -> list[str]:
    """Return the sentences of ``text`` long enough to be worth comparing."""
    parts = sentences(text, clauses=True)
    return [s for s in parts if len(s.split()) >= MIN_SENTENCE_WORDS]


def find_echoes(
    candidates: list[Candidate], threshold: float = THRESHOLD
) -> list[dict]:
    """Return pairs of passages from different years whose best sentences match.

    Each echo is ``{"a", "b", "score", "a_year", "b_year", "a_sentence",
    "b_sentence"}`` with ``a`` from the earlier year, best score first.
    """
    owners, sentences, keys = [], [], []
    for index, candidate in enumerate(candidates):
        for sentence in _comparable_sentences(candidate.text):
            owners.append(index)
            sentences.append(sentence)
            # token_sort_ratio is the ratio of the sorted words: sort them once.
            keys.append(" ".join(sorted(utils.default_process(sentence).split())))
    # The sentences of later years, in sentence order, are the same list for
    # every sentence of a year: build it once per year, not once per sentence
    # (quadratic in the number of sentences at 100k passages).
    sentence_years = [candidates[owner].year for owner in owners]
    later_of: dict[str, tuple[list[int], list[str]]] = {}
    for year in set(sentence_years):
        later = [j for j, other in enumerate(sentence_years) if other > year]
        later_of[year] = (later, [keys[j] for j in later])
    best: dict[tuple[int, int], tuple[float, int, int]] = {}
    for i, key in enumerate(keys):
        later, later_keys = later_of[sentence_years[i]]
        if not later:
            continue
        found = process.extract(
            key,
            later_keys,
            scorer=fuzz.ratio,
            score_cutoff=threshold,
            limit=None,
        )
        for _, score, position in found:
            j = later[position]
            pair = (owners[i], owners[j])
            if pair not in best or score > best[pair][0]:
                best[pair] = (score, i, j)
    echoes = [
        {
            "a": candidates[ka].id,
            "b": candidates[kb].id,
            "score": round(score, 1),
            "a_year": candidates[ka].year,
            "b_year": candidates[kb].year,
            "a_sentence": sentences[i],
            "b_sentence": sentences[j],
        }
        for (ka, kb), (score, i, j) in best.items()
    ]
    echoes.sort(key=lambda e: (-e["score"], e["a"], e["b"]))
    return echoes
