"""Decode the bytes of a text file, whatever encoding it was saved in."""

from __future__ import annotations

import re

from indexer.source.errors import UnreadableDocumentError


def decode(data: bytes) -> tuple[str, str | None]:
    """Decode bytes as UTF-8, falling back to cp1252 then Latin-1.

    :return: the text and a warning when a fallback encoding was used.
    :raise UnreadableDocumentError: when the bytes look binary.
    """
    if b"\x00" in data[:8192]:
        raise UnreadableDocumentError("looks like a binary file, not text")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        where = f"byte {exc.start}"
    for encoding in ("cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return text, f"not valid UTF-8 ({where}); decoded as {encoding}"
    raise UnreadableDocumentError("cannot be decoded as text")  # pragma: no cover


# The control characters (Unicode category Cc) other than tab, newline, form feed
# and carriage return; one regex pass instead of a Python loop per character.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def looks_binary(text: str) -> bool:
    """Return whether decoded text is mostly control characters: a binary file."""
    sample = text[:4096]
    controls = len(_CONTROLS.findall(sample))
    return bool(sample) and controls / len(sample) > 0.05
