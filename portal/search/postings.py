"""Raw reads of whoosh3's storage: posting blocks and one-byte length columns.

The public matcher API steps through one posting per Python call, which is what
made scoring slow; these read a block of ids, frequencies and positions, or a
whole length column, at once. They depend on whoosh3's codec internals, so they
live here alone, where an upgrade of the engine has one place to look.
"""

from __future__ import annotations

import zlib
from bisect import bisect_right
from itertools import accumulate, chain
from pickle import loads

import numpy as np
from whoosh.formats import Positions
from whoosh.system import _INT_SIZE


def column_bytes(column, size: int) -> bytes:
    """Return a one-byte numeric column's values for ``size`` documents."""
    if column._typecode == "B" and column._fixedlen == 1:
        # One read instead of a call per document (0.17 s at 100k passages);
        # documents past the stored values have the column's default.
        count = min(column._count, size)
        stored = column._dbfile.get(column._basepos, count)
        return bytes(stored) + bytes([column._default]) * (size - count)
    return bytes(column[n] for n in range(size))


def blocks(reader, name: str, text: str, values: bool = False, wanted=None):
    """Yield (ids, frequencies, values) of a term's postings in a segment, by block.

    Values (encoded positions) only if asked, else None. With ``wanted`` (sorted
    segment document numbers), a block holding none of them is skipped unread.
    """
    # The raw block reader of whoosh3's codec: the public matcher API steps
    # through one posting per call, which is what made scoring slow.
    matcher = reader._terms.matcher(
        name, reader._text_to_bytes(name, text), reader.schema[name].format
    )
    last = -1  # the highest id of the block before
    while not matcher._atend:
        top = matcher._maxid
        at = bisect_right(wanted, last) if wanted is not None else 0
        if wanted is None or (at < len(wanted) and wanted[at] <= top):
            if matcher._ids is None:
                matcher._read_ids()
            if matcher._weights is None:
                matcher._read_weights()
            if values and matcher._values is None:
                matcher._read_values()
            yield matcher._ids, matcher._weights, matcher._values if values else None
        last = top
        if matcher._lastblock:
            break
        matcher._goto(matcher._nextoffset)


def block_arrays(reader, name: str, text: str, values: bool = False, wanted=None):
    """Yield (ids, frequencies, values) of a term's postings in a segment, by block.

    As :func:`blocks`, but ids and frequencies as numpy arrays (int64 segment
    document numbers, float64 frequencies), decoded without a Python step per
    posting where the block is whoosh3's (ids stored as gaps). Values (encoded
    positions, a tuple) only if asked, else None. With ``wanted`` (a sorted
    int64 array of segment document numbers), a block holding none of them is
    skipped unread.
    """
    matcher = reader._terms.matcher(
        name, reader._text_to_bytes(name, text), reader.schema[name].format
    )
    if not hasattr(matcher, "_read_data"):  # postings inlined in the term info
        listed = None if wanted is None else wanted.tolist()
        for ids, weights, vals in blocks(reader, name, text, values, listed):
            yield np.asarray(ids, np.int64), np.asarray(weights, np.float64), vals
        return
    last = -1  # the highest id of the block before
    while not matcher._atend:
        top = matcher._maxid
        at = int(np.searchsorted(wanted, last, "right")) if wanted is not None else 0
        if wanted is None or (at < len(wanted) and wanted[at] <= top):
            yield _decoded(matcher, values)
        last = top
        if matcher._lastblock:
            break
        matcher._goto(matcher._nextoffset)


def term_arrays(reader, name: str, text: str) -> tuple[np.ndarray, np.ndarray]:
    """Return all of a term's postings in a segment: ids (int64), frequencies.

    As :func:`block_arrays` without ``wanted`` or values, joined: every block's
    data is read first and turned into two arrays at once, where a block at a
    time cost a dozen numpy calls per 128 postings.
    """
    matcher = reader._terms.matcher(
        name, reader._text_to_bytes(name, text), reader.schema[name].format
    )
    if not hasattr(matcher, "_read_data"):  # postings inlined in the term info
        parts = list(block_arrays(reader, name, text))
        return np.concatenate([p[0] for p in parts]), np.concatenate(
            [p[1] for p in parts]
        )
    ids_parts, weight_parts = [], []
    while not matcher._atend:
        read = None if matcher._byteids else ids_and_weights(matcher)
        if read is None:
            if matcher._data is None:
                matcher._read_data()
            read = matcher._data[0], matcher._data[1]
        ids_parts.append(read[0])
        weight_parts.append(read[1])
        if matcher._lastblock:
            break
        matcher._goto(matcher._nextoffset)
    sizes = np.fromiter(map(len, ids_parts), np.int64, len(ids_parts))
    total = int(sizes.sum())
    ids = np.fromiter(chain.from_iterable(ids_parts), np.int64, total)
    if not matcher._byteids:
        # Each block's ids are gaps from 0: one running sum over all blocks,
        # less the sum up to each block's start.
        ids = np.cumsum(ids)
        ends = np.cumsum(sizes)
        before = np.concatenate(([0], ids[ends[:-1] - 1]))
        ids -= np.repeat(before, sizes)
    weights = np.empty(total, np.float64)
    at = 0
    for size, part in zip(sizes.tolist(), weight_parts, strict=True):
        # None: every weight 1; a float: one weight for the whole block.
        weights[at : at + size] = 1.0 if part is None else part
        at += size
    return ids, weights


# A block's data is ``dumps((ids, weights, values), 2)``: PROTO 2, MARK, the id
# gaps as ints, TUPLE, BINPUT 0, then the weights: NONE, one BINFLOAT, or MARK
# and a BINFLOAT (eight bytes, big-endian) per posting, TUPLE. The values come
# last; protocol 2 writes each bytes value as a call (``_codecs.encode``), which
# is most of what unpickling a block costs, and scoring a term never needs them.
_IDS_END = b"tq\x00"
_NONE, _BINFLOAT = ord("N"), ord("G")
_TUPLE = ord("t")


def ids_and_weights(matcher) -> tuple[tuple, object] | None:
    """Return the current block's id gaps and weights without its values.

    The same ``(ids, weights)`` as ``matcher._data[:2]`` after whoosh3 unpickles
    the block (ids a tuple of ints; weights None, one float, or a float64 array),
    read from the block's bytes: the ids by unpickling their part alone, the
    weights in numpy. None where the block is not laid out as expected (fewer
    than four postings, other opcodes): the caller unpickles it whole.
    """
    count = matcher._blocklength
    if count < 4:  # pickle writes tuples of up to three without MARK
        return None
    data = matcher._postfile.get(
        matcher._dataoffset, matcher._nextoffset - matcher._dataoffset
    )
    if matcher._compression:
        data = zlib.decompress(data)
    if data[:3] != b"\x80\x02(":
        return None
    # The ids end at the first TUPLE, BINPUT 0 whose prefix unpickles to
    # ``count`` ints (an id byte may look like TUPLE; a prefix cut there is
    # shorter or not a pickle at all).
    end = data.find(_IDS_END, 3)
    while end != -1:
        try:
            ids = loads(data[: end + 1] + b".")
        except Exception:  # noqa: BLE001 - a cut inside an opcode: look further
            ids = None
        if type(ids) is tuple and len(ids) == count:
            break
        end = data.find(_IDS_END, end + 1)
    else:
        return None
    at = end + len(_IDS_END)
    kind = data[at] if at < len(data) else -1
    if kind == _NONE:
        return ids, None
    if kind == _BINFLOAT:
        return ids, float(np.frombuffer(data, ">f8", 1, at + 1)[0])
    stop = at + 1 + 9 * count
    if kind != _MARK or stop >= len(data) or data[stop] != _TUPLE:
        return None
    rows = np.frombuffer(data, np.uint8, 9 * count, at + 1).reshape(count, 9)
    if not (rows[:, 0] == _BINFLOAT).all():
        return None
    return ids, rows[:, 1:].copy().view(">f8").ravel().astype(np.float64)


def _decoded(matcher, values: bool):
    """Return the current block's (ids, frequencies, values or None) as arrays."""
    if matcher._data is None:
        matcher._read_data()
    ids, weights = matcher._data[0], matcher._data[1]
    ids = np.asarray(ids, np.int64)
    if not matcher._byteids:
        ids = np.cumsum(ids)
    count = len(ids)
    if weights is None:
        weights = np.ones(count, np.float64)
    elif isinstance(weights, float):
        # One weight for the whole block (already a 32-bit float's value).
        weights = np.full(count, weights, np.float64)
    else:
        weights = np.asarray(weights, np.float64)
    if not values:
        return ids, weights, None
    if matcher._values is None:
        matcher._read_values()
    return ids, weights, matcher._values


def positions_decoder(format_):
    """Return ``encoded -> positions`` for a field format's posting values.

    whoosh3's ``Positions`` format stores a count and a pickled list of gaps;
    this decodes it as ``Positions.decode_positions`` does, with the running sum
    taken in C (it was a Python step per position). Other formats get their own
    ``decode_positions``.
    """
    if type(format_) is not Positions:
        return format_.decode_positions
    skip = _INT_SIZE

    def decode(value: bytes) -> list[int]:
        if not value.endswith(b"."):
            value += b"."
        return list(accumulate(loads(value[skip:])))

    return decode


# whoosh3's Positions value is a four-byte count, then ``dumps(gaps, 2)``: PROTO 2,
# EMPTY_LIST, BINPUT 0, then one gap as BININT1 (one byte) or BININT2 (two,
# little-endian) and APPEND, or MARK, the gaps, APPENDS; then STOP, which the
# codec may have dropped. pickle writes at most 1,000 items per APPENDS.
_HEAD = np.frombuffer(b"\x80\x02]q\x00", np.uint8)
_BININT1, _BININT2, _MARK = ord("K"), ord("M"), ord("(")
_APPEND, _APPENDS, _STOP = ord("a"), ord("e"), ord(".")
_BATCH = 1_000


def flat_positions(format_, values: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """Return every position of ``values`` (encoded posting values) as two arrays.

    ``owners[i]`` is the index in ``values`` of the value holding ``positions[i]``;
    both are int64, owners ascending and each value's positions ascending, as
    :func:`positions_decoder` gives them. whoosh3's ``Positions`` values whose
    gaps are below 65,536 (all but very long passages) are read from their bytes
    in numpy, all values at once, a gap of each per step; any other value is
    decoded by :func:`positions_decoder`, so the result is the same.
    """
    count = len(values)
    if not count:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    if type(format_) is not Positions:
        return _with_decoded(format_, values, np.zeros(count, bool), [], [])
    lengths = np.fromiter(map(len, values), np.int64, count)
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    raw = np.frombuffer(b"".join(values), np.uint8)
    last = len(raw) - 1

    def at(offsets: np.ndarray) -> np.ndarray:
        # Reads past a value land in the next one (or the last byte): harmless,
        # as a value is trusted only if its parse ends exactly at its end.
        return raw[np.minimum(offsets, last)].astype(np.int64)

    sizes = (at(starts) << 24) | (at(starts + 1) << 16) | (at(starts + 2) << 8)
    sizes |= at(starts + 3)
    ok = (lengths >= 12) & (sizes >= 1) & (sizes <= _BATCH)
    for i, byte in enumerate(_HEAD.tolist()):
        ok &= at(starts + 4 + i) == byte
    several = sizes > 1
    ok &= ~several | (at(starts + 9) == _MARK)
    sizes = np.where(ok, sizes, 0)
    cursor = starts + 9 + several
    begins = np.cumsum(sizes) - sizes
    gaps = np.zeros(int(sizes.sum()), np.int64)
    for j in range(int(sizes.max(initial=0))):
        live = np.flatnonzero(sizes > j)
        c = cursor[live]
        op = at(c)
        two = op == _BININT2
        ok[live[(op != _BININT1) & ~two]] = False
        gaps[begins[live] + j] = np.where(two, at(c + 1) + (at(c + 2) << 8), at(c + 1))
        cursor[live] = c + np.where(two, 3, 2)
    ok &= at(cursor) == np.where(several, _APPENDS, _APPEND)
    end = starts + lengths
    ok &= (cursor + 1 == end) | ((cursor + 2 == end) & (at(cursor + 1) == _STOP))
    # Gaps to positions: one running sum, less each value's sum before it.
    running = np.concatenate(([0], np.cumsum(gaps)))
    before = running[begins]
    positions = running[1:] - np.repeat(before, sizes)
    owners = np.repeat(np.arange(count, dtype=np.int64), sizes)
    if ok.all():
        return owners, positions
    slot_ok = ok[owners]
    return _with_decoded(format_, values, ok, owners[slot_ok], positions[slot_ok])


def _with_decoded(format_, values, ok, owners, positions):
    """Return ``owners, positions`` with every value not ``ok`` decoded and merged.

    ``owners``/``positions``: the positions already read, by value, ascending.
    """
    decode = positions_decoder(format_)
    extra = [(k, decode(values[k])) for k in np.flatnonzero(~ok).tolist()]
    more_owners = np.repeat(
        np.array([k for k, _ in extra], np.int64), [len(p) for _, p in extra]
    )
    more = np.fromiter(
        (p for _, found in extra for p in found), np.int64, len(more_owners)
    )
    owners = np.concatenate((np.asarray(owners, np.int64), more_owners))
    positions = np.concatenate((np.asarray(positions, np.int64), more))
    order = np.argsort(owners, kind="stable")
    return owners[order], positions[order]


def among(ids: np.ndarray, sorted_ids: np.ndarray) -> np.ndarray:
    """Return a bool array: whether each of ``ids`` is in ``sorted_ids`` (ascending).

    A binary search per id: a block of 128 postings against thousands of wanted
    passages, where ``numpy.isin`` would hash all the thousands every block.
    """
    if not len(sorted_ids):
        return np.zeros(len(ids), bool)
    at = np.searchsorted(sorted_ids, ids)
    at[at == len(sorted_ids)] = 0
    return sorted_ids[at] == ids


def term_postings(scorer, name: str, text: str, wanted=None):
    """Return a term's postings: document numbers (ascending, int64),
    frequencies (float64), length codes (uint8) and encoded positions (list).

    ``scorer`` is the :class:`~portal.search.scoring.Scorer` whose segments
    are read. With ``wanted`` (a sorted int64 array of document numbers), only
    those passages, and blocks holding none of them are not even decoded.
    """
    parts = []
    for seg in scorer.segments:
        reader = seg.searcher.reader()
        if (name, text) not in reader:
            continue
        local = None
        if wanted is not None:
            size = seg.searcher.doc_count_all()
            lo, hi = np.searchsorted(wanted, [seg.offset, seg.offset + size])
            local = wanted[lo:hi] - seg.offset
            if not len(local):
                continue
        lengths = np.frombuffer(scorer._lengths(seg, name), np.uint8)
        for ids, weights, vals in block_arrays(reader, name, text, True, local):
            keep = np.ones(len(ids), bool)
            if len(seg.gone):
                keep &= ~among(ids, seg.gone)
            if local is not None:
                keep &= among(ids, local)
            at = np.flatnonzero(keep)
            kept = ids[at]
            positions = [vals[i] for i in at.tolist()]
            parts.append((kept + seg.offset, weights[at], lengths[kept], positions))
    if not parts:
        empty = np.zeros(0, np.int64)
        return empty, np.zeros(0, np.float64), np.zeros(0, np.uint8), []
    return (
        np.concatenate([p[0] for p in parts]),
        np.concatenate([p[1] for p in parts]),
        np.concatenate([p[2] for p in parts]),
        [v for p in parts for v in p[3]],
    )
