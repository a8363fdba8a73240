"""Sentences: the one sentence splitter, for letters, echoes, alignment and the bench.

A sentence ends at ``.``, ``!`` or ``?`` (and any closing quote or bracket after
it) followed by white space and something that can open a sentence: a capital
letter, an opening quote or a bracket. So "e.g. the force" and "para. 12" stay
whole. Asked for clauses, it also splits after ``;`` and ``:``, so a list of
findings run together in one paragraph compares item by item.
"""

from __future__ import annotations

import re

_OPENS = r"(?=[A-Z‘“\"(])"
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][”’\"')]))\s+" + _OPENS)
_CLAUSE_END = re.compile(
    r"(?:(?<=[.!?])|(?<=[.!?][”’\"')]))\s+" + _OPENS + r"|(?<=[;:])\s+"
)


def sentences(text: str, clauses: bool = False) -> list[str]:
    """Return the sentences of ``text`` in order, as written but stripped.

    :param clauses: also end a part at ``;`` or ``:`` followed by white space.
    :return: the non-empty parts; ``[]`` for blank text.
    """
    pattern = _CLAUSE_END if clauses else _SENTENCE_END
    return [part.strip() for part in pattern.split(text) if part.strip()]
