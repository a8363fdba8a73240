"""Word-level differences between two passages, computed with rapidfuzz.

Words are compared case-insensitively without their surrounding punctuation, so
"Report," and "report" are the same word, but each side is shown as written.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from portal.exceptions import NotFoundError
from portal.index.handle import get_index
from portal.search.service import BadRequestError, passage_record

_WORD = re.compile(r"\S+")
_EDGE = re.compile(r"^\W+|\W+$")


def tokens(text: str) -> list[str]:
    """Return the words of ``text`` as written, split on whitespace."""
    return _WORD.findall(text)


def _key(word: str) -> str:
    return _EDGE.sub("", word.lower()) or word


def word_diff(a: str, b: str) -> dict:
    """Return the word operations turning ``a`` into ``b`` and a 0-100 similarity.

    Each operation is ``{"op", "a", "b"}`` with ``op`` one of equal, insert,
    delete and replace, and ``a``/``b`` the words each side holds.
    """
    words_a, words_b = tokens(a), tokens(b)
    keys_a, keys_b = [_key(w) for w in words_a], [_key(w) for w in words_b]
    ops = []
    for tag, a1, a2, b1, b2 in Levenshtein.opcodes(keys_a, keys_b).as_list():
        ops.append(
            {"op": tag, "a": " ".join(words_a[a1:a2]), "b": " ".join(words_b[b1:b2])}
        )
    similarity = fuzz.ratio(keys_a, keys_b) if keys_a or keys_b else 100.0
    return {"similarity": round(similarity, 1), "ops": ops}


def changes_html(old: str, new: str) -> Markup:
    """Return ``new`` as HTML, words removed since ``old`` in del, added in ins."""
    out: list[Markup] = []
    for op in word_diff(old, new)["ops"]:
        if op["op"] == "equal":
            out.append(escape(op["b"]))
            continue
        if op["a"]:
            out.append(Markup("<del>%s</del>") % op["a"])
        if op["b"]:
            out.append(Markup("<ins>%s</ins>") % op["b"])
    return Markup(" ").join(out)


def diff_passages(a_id: str, b_id: str) -> dict:
    """Return two passages and the word-level diff between them.

    :raise BadRequestError: when an id is missing.
    :raise NotFoundError: when an id names no passage.
    """
    if not a_id.strip() or not b_id.strip():
        raise BadRequestError("give two passage ids: /diff?a=ID&b=ID")
    handle = get_index()
    records = []
    for passage_id in (a_id.strip(), b_id.strip()):
        docnum = handle.ids.get(passage_id)
        if docnum is None:
            raise NotFoundError(f"no passage has the id {passage_id!r}")
        records.append(passage_record(handle, handle.searcher.stored_fields(docnum)))
    result = word_diff(records[0]["text"], records[1]["text"])
    return {"a": records[0], "b": records[1], **result}
