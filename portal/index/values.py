"""A generation's facet value arrays and passage ids, as a worker loads them.

Facets are counted over the matching document numbers (Whoosh's ``FieldFacet``
miscounts the multi-valued force field: WHOOSH-NOTES pitfall 2), so a worker
needs every document number's values of every facet. The build writes them in
``columns.json``; a generation built before that file existed has them read back
from every stored passage.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
from whoosh.searching import Searcher

from indexer.analysis.schema import DERIVED_FACETS, FACET_FIELDS
from indexer.findings.stage import finding_kinds
from indexer.store.columns import read_columns

Values = dict[str, list[tuple[str, ...]]]


def load_values(searcher: Searcher, path: Path) -> tuple[dict[str, int], Values]:
    """Return the passage ids (id -> document number) and the facet value arrays.

    Each array holds, per document number, the tuple of that passage's values (a
    deleted document number has none).

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
        ids, values = _from_columns(columns)
    else:
        # A generation built before columns.json existed: read every stored passage.
        ids = {}
        values = {name: [()] * size for name in FACET_FIELDS}
        for docnum, stored in searcher.reader().iter_docs():
            ids[stored["id"]] = docnum
            for name, stored_field in FACET_FIELDS.items():
                values[name][docnum] = _facet_values(stored.get(stored_field))
    values["kind"] = _finding_kinds(path, ids, size)
    return ids, values


def _finding_kinds(path: Path, ids: dict[str, int], size: int) -> list:
    """Return the ``kind`` facet: the kinds of the findings each passage states."""
    column: list[tuple[str, ...]] = [()] * size
    for passage_id, kinds in finding_kinds(path).items():
        if passage_id in ids:
            column[ids[passage_id]] = kinds
    return column


def _from_columns(columns: dict) -> tuple[dict[str, int], Values]:
    """Return the ids and value arrays from the columns the build wrote."""
    # Reading them beats reading every stored passage back by orders of
    # magnitude at 100k passages, which is what made a worker's first request slow.
    ids = {pid: n for n, pid in enumerate(columns["ids"]) if pid}
    values: Values = {}
    for name in set(FACET_FIELDS) - DERIVED_FACETS:
        facet = columns["facets"][name]
        names, offsets, codes = facet["values"], facet["offsets"], facet["codes"]
        interned = [(v,) for v in names]
        column: list[tuple[str, ...]] = []
        for n in range(columns["size"]):
            start, end = offsets[n], offsets[n + 1]
            if end - start == 1:
                column.append(interned[codes[start]])
            else:
                column.append(tuple(names[c] for c in codes[start:end]))
        values[name] = column
    return ids, values


def _facet_values(raw: object) -> tuple[str, ...]:
    """Split a stored facet field into its values."""
    # Forces are stored comma-separated; every other facet has one value or none.
    return tuple(v for v in str(raw or "").split(",") if v)


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

    def having(self, values: list[str], size: int) -> np.ndarray:
        """Return a bool array of the passages having any of ``values``."""
        wanted = [self.index[v] for v in values if v in self.index]
        found = np.zeros(size, bool)
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
