"""Drop page furniture from a document's text before it is split into blocks.

Page furniture is what a page carries that is not the document's text: protective
markings ("OFFICIAL"), page footers ("Page 1 of 2", bare page numbers), delivery
notes ("By email only"), web chrome ("Skip to main content", "Read more about ...")
and table-of-contents lines with dot leaders. The patterns are data
(``rules.toml``, ``[furniture]``). A dropped line leaves a blank line, so a
paragraph broken by a page footer is two blocks that segmenting rejoins.
"""

from __future__ import annotations

import re
from functools import cache

from indexer.document.rules import any_of, rules

_MARKUP = re.compile(r"^\s*(?:#{1,6}\s+|[-*•]\s+)?(?:\*\*|__)?(.*?)(?:\*\*|__)?\s*$")


@cache
def _furniture() -> re.Pattern[str]:
    return re.compile(rf"^(?:{any_of(rules()['furniture']['lines'])})$", re.I)


def is_furniture(line: str) -> bool:
    """Return whether one line of text is page furniture."""
    bare = line.strip()
    text = _MARKUP.match(line).group(1).strip()
    return bool(text) and bool(_furniture().match(text) or _furniture().match(bare))


def strip_furniture(text: str) -> tuple[str, list[str]]:
    """Return ``text`` with furniture lines blanked, and the lines dropped."""
    kept, dropped = [], []
    for line in text.split("\n"):
        if is_furniture(line):
            dropped.append(line.strip())
            kept.append("")
        else:
            kept.append(line)
    return "\n".join(kept), dropped
