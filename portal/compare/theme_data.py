"""A curated theme's matches per year and what its unfiltered pools yield.

Worked out once per index generation (see :mod:`portal.compare.theme_cache`) and kept
compact, as arrays of numbers and tables of strings: at 100k passages a broad
theme matches over 50,000 passages, and a worker may hold every theme.
"""

from __future__ import annotations

import base64
import binascii
import sys
from array import array
from collections import Counter
from dataclasses import dataclass, field

from portal.compare.echoes import find_echoes
from portal.compare.pools import (
    ECHO_LIMIT,
    TERMS_POOL,
    YearPool,
    passage_query,
    rank_by_year,
    read_pool,
)
from portal.compare.themes import Theme
from portal.index.generation import Generation
from portal.search.highlight import query_terms
from portal.search.service import parse_query

FORMAT = 2
_ECHO_COLUMNS = ("a", "b", "sa", "sb")


class ThemeDataError(ValueError):
    """A file of theme data cannot be read back (corrupt, truncated or old)."""


@dataclass
class ThemeData:
    """A theme's matches per year and what its unfiltered pools yield."""

    theme: str
    query: str
    ranked: dict[str, array]  # every match per year, best first
    spans: dict[str, list[array]]  # per pool passage: start, end, start, end...
    stems: dict[str, tuple[array, array, array]]  # vocabulary index, count, word
    vocabulary: list[str]  # the stems of every pool
    frequencies: array  # each stem's frequency in the whole index
    words: list[str]  # the words the stems are shown as
    echo_ids: list[str]  # echo candidates: passage id and year
    echo_years: list[str]
    sentences: list[str]
    echoes: dict[str, array]  # candidates a and b, sentences sa and sb, score
    _stem_at: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._stem_at = {stem: i for i, stem in enumerate(self.vocabulary)}

    def matches(self, year: str, allowed: set[int] | None) -> tuple[int, list[int]]:
        """Return how many of ``year``'s matches are in ``allowed``, and the pool."""
        ranked = self.ranked.get(year, array("i"))
        if allowed is None:
            return len(ranked), list(ranked[:TERMS_POOL])
        kept = [n for n in ranked if n in allowed]
        return len(kept), kept[:TERMS_POOL]

    def pool(self, handle: Generation, year: str, shown: int) -> YearPool:
        """Return ``year``'s unfiltered pool, reading only the passages shown."""
        docnums = list(self.ranked.get(year, array("i"))[:TERMS_POOL])
        at, counts, words = self.stems.get(year, (array("i"),) * 3)
        vocabulary = self.vocabulary
        spans = [
            list(zip(flat[::2], flat[1::2], strict=True))
            for flat in self.spans.get(year, [])[:shown]
        ]
        return YearPool(
            year=year,
            docnums=docnums,
            stems=Counter({vocabulary[i]: c for i, c in zip(at, counts, strict=True)}),
            words={
                vocabulary[i]: self.words[w] for i, w in zip(at, words, strict=True)
            },
            spans=spans,
            stored=[handle.searcher.stored_fields(n) for n in docnums[:shown]],
        )

    def frequency(self, stem: str) -> float:
        """Return the index frequency of one of the pools' stems."""
        return self.frequencies[self._stem_at[stem]]

    def top_echoes(self, years: list[str], limit: int = ECHO_LIMIT) -> list[dict]:
        """Return the best ``limit`` echoes between passages of ``years``."""
        wanted, found, e = set(years), [], self.echoes
        for k in range(len(e["a"])):
            a, b = e["a"][k], e["b"][k]
            if self.echo_years[a] not in wanted or self.echo_years[b] not in wanted:
                continue
            found.append(
                {
                    "a": self.echo_ids[a],
                    "b": self.echo_ids[b],
                    "score": e["score"][k],
                    "a_year": self.echo_years[a],
                    "b_year": self.echo_years[b],
                    "a_sentence": self.sentences[e["sa"][k]],
                    "b_sentence": self.sentences[e["sb"][k]],
                }
            )
            if len(found) == limit:
                break
        return found


def build_theme_data(handle: Generation, theme: Theme) -> ThemeData:
    """Run a theme's query over the whole generation and derive its pools' data."""
    query = passage_query(parse_query(theme.query, handle))
    reader = handle.searcher.reader()
    ranked = rank_by_year(handle, query)
    terms = query_terms(query, reader)
    pools = {
        y: read_pool(handle, y, docs[:TERMS_POOL], terms, TERMS_POOL)
        for y, docs in sorted(ranked.items())
    }
    vocabulary = sorted(set().union(*(p.stems for p in pools.values())))
    stem_at = {stem: i for i, stem in enumerate(vocabulary)}
    words = sorted({w for p in pools.values() for w in p.words.values()})
    word_at = {w: i for i, w in enumerate(words)}
    stems = {}
    for year, pool in pools.items():
        ordered = sorted(pool.stems, key=stem_at.__getitem__)
        stems[year] = (
            array("i", [stem_at[s] for s in ordered]),
            array("i", [pool.stems[s] for s in ordered]),
            array("i", [word_at[pool.words[s]] for s in ordered]),
        )
    candidates = [c for pool in pools.values() for c in pool.candidates]
    echoes, sentences = _echo_table(find_echoes(candidates), candidates)
    return ThemeData(
        theme=theme.id,
        query=theme.query,
        ranked={y: array("i", docs) for y, docs in ranked.items()},
        spans={
            y: [array("i", [n for span in s for n in span]) for s in p.spans]
            for y, p in pools.items()
        },
        stems=stems,
        vocabulary=vocabulary,
        frequencies=array(
            "d",
            [reader.frequency("pairs" if " " in s else "text", s) for s in vocabulary],
        ),
        words=words,
        echo_ids=[c.id for c in candidates],
        echo_years=[c.year for c in candidates],
        sentences=sentences,
        echoes=echoes,
    )


def _echo_table(echoes: list[dict], candidates) -> tuple[dict[str, array], list]:
    """Return the best echoes of each pair of years as columns, and their sentences.

    A comparison shows at most ``ECHO_LIMIT`` echoes in all, so the best of any
    choice of years are among the best ``ECHO_LIMIT`` of each pair of them.
    """
    # Candidates are (id, year) pairs: a passage has one year, so its id is enough.
    at = {(c.id, c.year): i for i, c in enumerate(candidates)}
    sentences: dict[str, int] = {}
    per_pair: Counter[tuple[str, str]] = Counter()
    table = {name: array("i") for name in _ECHO_COLUMNS} | {"score": array("d")}
    for echo in echoes:  # best first
        pair = (echo["a_year"], echo["b_year"])
        if per_pair[pair] == ECHO_LIMIT:
            continue
        per_pair[pair] += 1
        table["a"].append(at[echo["a"], echo["a_year"]])
        table["b"].append(at[echo["b"], echo["b_year"]])
        table["sa"].append(sentences.setdefault(echo["a_sentence"], len(sentences)))
        table["sb"].append(sentences.setdefault(echo["b_sentence"], len(sentences)))
        table["score"].append(echo["score"])
    return table, list(sentences)


def to_json(data: ThemeData) -> dict:
    """Return theme data as plain JSON-ready values."""
    return {
        "format": FORMAT,
        "theme": data.theme,
        "query": data.query,
        # Packed: a broad theme matches 50,000 passages, which as a JSON list of
        # numbers took longer to read back than the rest of a comparison.
        "ranked": {y: _pack(d) for y, d in data.ranked.items()},
        "spans": {y: [s.tolist() for s in p] for y, p in data.spans.items()},
        "stems": {y: [a.tolist() for a in s] for y, s in data.stems.items()},
        "vocabulary": data.vocabulary,
        "frequencies": data.frequencies.tolist(),
        "words": data.words,
        "echo_ids": data.echo_ids,
        "echo_years": data.echo_years,
        "sentences": data.sentences,
        "echoes": {name: column.tolist() for name, column in data.echoes.items()},
    }


def from_json(raw: dict, doc_count: int) -> ThemeData:
    """Return theme data read back from :func:`to_json`'s values.

    :raise ThemeDataError: when the values are not what :func:`to_json` writes,
        or name passages the generation does not have.
    """
    try:
        if raw["format"] != FORMAT:
            raise ThemeDataError(f"format {raw['format']!r}, not {FORMAT}")
        data = ThemeData(
            theme=raw["theme"],
            query=raw["query"],
            ranked={y: _unpack(d) for y, d in raw["ranked"].items()},
            spans={y: [array("i", s) for s in p] for y, p in raw["spans"].items()},
            stems={y: tuple(array("i", a) for a in s) for y, s in raw["stems"].items()},
            vocabulary=list(raw["vocabulary"]),
            frequencies=array("d", raw["frequencies"]),
            words=list(raw["words"]),
            echo_ids=list(raw["echo_ids"]),
            echo_years=list(raw["echo_years"]),
            sentences=list(raw["sentences"]),
            echoes={name: array("i", raw["echoes"][name]) for name in _ECHO_COLUMNS}
            | {"score": array("d", raw["echoes"]["score"])},
        )
    except (KeyError, TypeError, AttributeError, OverflowError, binascii.Error) as exc:
        raise ThemeDataError(f"malformed theme data ({exc!r})") from exc
    _check(data, doc_count)
    return data


def _check(data: ThemeData, doc_count: int) -> None:
    """Raise ThemeDataError unless every number points at something that exists."""
    # Only the passages a comparison reads must exist; the rest are only counted.
    if not _within(doc_count, *(d[:TERMS_POOL] for d in data.ranked.values())):
        raise ThemeDataError("names passages this generation does not have")
    lengths = {len(column) for column in data.echoes.values()}
    if len(lengths) > 1 or len(data.frequencies) != len(data.vocabulary):
        raise ThemeDataError("columns of different lengths")
    for at, counts, words in data.stems.values():
        if not len(at) == len(counts) == len(words):
            raise ThemeDataError("columns of different lengths")
        if not _within(len(data.vocabulary), at) or not _within(len(data.words), words):
            raise ThemeDataError("stems out of range")
    e = data.echoes
    if not _within(len(data.echo_ids), e["a"], e["b"]) or not _within(
        len(data.sentences), e["sa"], e["sb"]
    ):
        raise ThemeDataError("echoes out of range")
    if len(data.echo_years) != len(data.echo_ids):
        raise ThemeDataError("columns of different lengths")


def _within(size: int, *columns: array) -> bool:
    """Return whether every number in ``columns`` indexes a list of ``size``."""
    return all(not c or (min(c) >= 0 and max(c) < size) for c in columns)


def _pack(numbers: array) -> str:
    """Return 32-bit numbers as base64 of their little-endian bytes."""
    packed = array("i", numbers)
    if sys.byteorder == "big":
        packed.byteswap()
    return base64.b64encode(packed.tobytes()).decode("ascii")


def _unpack(text: str) -> array:
    """Return the numbers :func:`_pack` packed."""
    numbers = array("i")
    numbers.frombytes(base64.b64decode(text, validate=True))
    if sys.byteorder == "big":
        numbers.byteswap()
    return numbers
