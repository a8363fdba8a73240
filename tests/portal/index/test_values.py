"""Facet values read from the build's columns: the same codes as encoding tuples.

A worker reads each facet of ``columns.json`` (value names, per-passage offsets
and codes) straight into :class:`FacetCodes`, and makes the per-passage tuples
only when asked; both must equal what encoding the tuples one passage at a time
gives, codes and their order included (ties in facet order follow the codes).
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.index.values import FacetValues, codes_from_column, encode_values

NAMES = ["MPS", "BTP", "btp", "CoLP", "never used", "GMP"]


def _as_column_file(column: list[tuple[str, ...]], names: list[str]) -> dict:
    """Return ``column`` as the build writes a facet: names, offsets, codes."""
    offsets, codes = [0], []
    for values in column:
        codes.extend(names.index(v) for v in values)
        offsets.append(len(codes))
    return {"values": names, "offsets": offsets, "codes": codes}


@settings(max_examples=60, deadline=None)
@given(
    column=st.integers(1, 3).flatmap(
        lambda most: st.lists(
            st.lists(st.sampled_from(NAMES[:4] + NAMES[5:]), max_size=most).map(tuple),
            max_size=50,
        )
    ),
    order=st.permutations(NAMES),
)
def test_codes_read_from_the_columns_equal_the_encoded_tuples(column, order):
    # The file's own numbering (any order, with a name no passage has) is
    # replaced by the order the passages first name the values.
    read = codes_from_column(_as_column_file(column, list(order)), len(column))
    encoded = encode_values(column)
    assert read.names == encoded.names
    assert read.index == encoded.index
    assert read.docs.tolist() == encoded.docs.tolist()
    assert read.codes.tolist() == encoded.codes.tolist()
    assert read.size == encoded.size == len(column)
    assert FacetValues({"force": read})["force"] == column
    mask = np.ones(len(column), bool)
    assert read.count(mask) == encoded.count(mask)
