"""A generation's facet value arrays and passage ids, as a worker loads them.

Facets are counted over the matching document numbers (Whoosh's ``FieldFacet``
miscounts the multi-valued force field: WHOOSH-NOTES pitfall 2), so a worker
needs every document number's values of every facet. The build writes them in
``columns.json``; a generation built before that file existed has them read back
from every stored passage.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
from whoosh.searching import Searcher

from indexer.analysis.schema import DERIVED_FACETS, FACET_FIELDS
from indexer.findings.stage import finding_kinds
from indexer.store.columns import read_columns


def load_values(searcher: Searcher, path: Path) -> tuple[dict[str, int], FacetValues]:
    """Return the passage ids (id -> document number) and the facet values.

    Each facet's values come as :class:`FacetCodes`; the per-passage tuples
    (:class:`FacetValues`) are made from them only when something asks.

    :raise OSError: when ``columns.json`` exists but cannot be read.
    :raise ValueError: when it is not JSON.
    """
    size = searcher.doc_count_all()
    columns = read_columns(path)
    if (
        columns is not None
        and columns["size"] == size
        and set(FACET_FIELDS) - DERIVED_FACETS <= set(columns["facets"])
    ):
        ids = {pid: n for n, pid in enumerate(columns["ids"]) if pid}
        codes = {
            name: codes_from_column(columns["facets"][name], size)
            for name in set(FACET_FIELDS) - DERIVED_FACETS
        }
    else:
        # A generation built before columns.json existed: read every stored passage.
        ids = {}
        values = {name: [()] * size for name in FACET_FIELDS}
        for docnum, stored in searcher.reader().iter_docs():
            ids[stored["id"]] = docnum
            for name, stored_field in FACET_FIELDS.items():
                values[name][docnum] = _facet_values(stored.get(stored_field))
        codes = {name: encode_values(values[name]) for name in FACET_FIELDS}
    codes["kind"] = encode_values(_finding_kinds(path, ids, size))
    return ids, FacetValues(codes)


def _finding_kinds(path: Path, ids: dict[str, int], size: int) -> list:
    """Return the ``kind`` facet: the kinds of the findings each passage states."""
    column: list[tuple[str, ...]] = [()] * size
    for passage_id, kinds in finding_kinds(path).items():
        if passage_id in ids:
            column[ids[passage_id]] = kinds
    return column


def codes_from_column(facet: dict, size: int) -> FacetCodes:
    """Return one facet of ``columns.json`` as :class:`FacetCodes`, in numpy.

    ``facet``: ``values`` (names), ``offsets`` (``size + 1`` of them) and
    ``codes``, passage ``n``'s values being ``codes[offsets[n]:offsets[n+1]]``.
    Codes are renumbered in the order the passages first name them, as
    :func:`encode_values` numbers a column, and values no passage has are
    dropped, so both give the same codes.
    """
    names = facet["values"]
    offsets = np.asarray(facet["offsets"], np.int64)
    stored = np.asarray(facet["codes"], np.int64)
    docs = np.repeat(np.arange(size, dtype=np.int32), np.diff(offsets))
    seen, first = np.unique(stored, return_index=True)
    order = seen[np.argsort(first, kind="stable")]  # stored codes, first named first
    renumber = np.zeros(len(names), np.int32)
    renumber[order] = np.arange(len(order), dtype=np.int32)
    kept = [names[c] for c in order.tolist()]
    index = {v: i for i, v in enumerate(kept)}
    return FacetCodes(kept, index, docs, renumber[stored], size)


def _facet_values(raw: object) -> tuple[str, ...]:
    """Split a stored facet field into its values."""
    # Forces are stored comma-separated; every other facet has one value or none.
    return tuple(v for v in str(raw or "").split(",") if v)


class FacetValues(Mapping):
    """Per facet, the tuple of values of each document number (``[name][n]``).

    Made from the facets' :class:`FacetCodes` the first time a facet is asked
    for: a worker that only searches never builds these lists, a Python tuple
    per passage and facet that took seconds at a few hundred thousand passages.
    """

    def __init__(self, codes: dict[str, FacetCodes]):
        self.codes = codes
        self._columns: dict[str, list[tuple[str, ...]]] = {}

    def __getitem__(self, name: str) -> list[tuple[str, ...]]:
        column = self._columns.get(name)
        if column is None:  # two threads may both build it: the same list
            column = self._columns[name] = self.codes[name].column()
        return column

    def __iter__(self):
        return iter(self.codes)

    def __len__(self) -> int:
        return len(self.codes)


@dataclass(frozen=True)
class FacetCodes:
    """One facet's values as arrays: each (passage, value) pair as two numbers.

    ``names[code]`` is a value; entry ``i`` says passage ``docs[i]`` has value
    ``codes[i]``. Counting a facet over a set of passages is then one
    ``numpy.bincount`` instead of a Python step per passage.
    """

    names: list[str]
    index: dict[str, int]  # value -> code
    docs: np.ndarray  # int32 document numbers, ascending
    codes: np.ndarray  # int32 value codes, one per entry
    size: int = 0  # document numbers, values or not

    def count(self, mask: np.ndarray) -> dict[str, int]:
        """Return ``{value: passages}`` over the passages ``mask`` (bool) marks.

        Values no marked passage has are left out.
        """
        counts = self.counts(mask)
        return {self.names[c]: int(counts[c]) for c in np.flatnonzero(counts)}

    def counts(self, mask: np.ndarray) -> np.ndarray:
        """Return the passages ``mask`` (bool) marks per value code (int64 array)."""
        single = self._single
        if single is not None and len(single) == len(mask):
            # One value or none per passage: gather the marked passages' codes
            # (shifted by one, 0 for none) instead of every entry's mark.
            return np.bincount(single[mask], minlength=len(self.names) + 1)[1:]
        return np.bincount(self.codes[mask[self.docs]], minlength=len(self.names))

    @cached_property
    def _single(self) -> np.ndarray | None:
        """Return each passage's code plus one (0: no value), or None if some
        passage has several values."""
        if len(self.docs) > 1 and not (np.diff(self.docs) > 0).all():
            return None
        single = np.zeros(self.size, np.int32)
        single[self.docs] = self.codes + 1
        return single

    def column(self) -> list[tuple[str, ...]]:
        """Return each document number's values, a tuple each (as encoded)."""
        interned = [()] + [(v,) for v in self.names]
        if self._single is not None:
            return [interned[c] for c in self._single.tolist()]
        column: list[tuple[str, ...]] = [()] * self.size
        bounds = np.searchsorted(self.docs, np.arange(self.size + 1)).tolist()
        codes = self.codes.tolist()
        for n in np.unique(self.docs).tolist():
            held = codes[bounds[n] : bounds[n + 1]]
            column[n] = (
                interned[held[0] + 1]
                if len(held) == 1
                else (tuple(self.names[c] for c in held))
            )
        return column

    @cached_property
    def name_rank(self) -> np.ndarray:
        """Return each code's place among the values by name, case ignored (int64).

        Equal names (case ignored) keep code order, so sorting by this rank is
        sorting by ``value.lower()`` stably over the codes.
        """
        order = sorted(range(len(self.names)), key=lambda c: self.names[c].lower())
        rank = np.empty(len(self.names), np.int64)
        rank[order] = np.arange(len(self.names))
        return rank

    def having(self, values: list[str]) -> np.ndarray:
        """Return a bool array by document number: the passages having any of
        ``values``."""
        wanted = [self.index[v] for v in values if v in self.index]
        found = np.zeros(self.size, bool)
        found[self.docs[np.isin(self.codes, wanted)]] = True
        return found


def encode_values(column: list[tuple[str, ...]]) -> FacetCodes:
    """Return a facet value array (values per passage) as :class:`FacetCodes`."""
    index: dict[str, int] = {}
    # Passages share few distinct tuples: each tuple is encoded once.
    tuples: dict[tuple[str, ...], list[int]] = {}
    for values in column:
        if values not in tuples:
            tuples[values] = [index.setdefault(v, len(index)) for v in values]
    lengths = np.fromiter((len(v) for v in column), np.int64, len(column))
    # 32-bit numbers: eight bytes per value a passage has, per facet, per worker.
    docs = np.repeat(np.arange(len(column), dtype=np.int32), lengths)
    codes = np.fromiter(
        (c for values in column for c in tuples[values]), np.int32, int(lengths.sum())
    )
    return FacetCodes(list(index), index, docs, codes, len(column))
