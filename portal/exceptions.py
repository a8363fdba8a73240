"""Exceptions a service raises for the error handlers to answer (see ``errors``).

Any room of ``portal`` may import this module; it imports nothing of ours.
"""

from __future__ import annotations


class NotFoundError(LookupError):
    """What a request names (a passage, a document) does not exist; answered 404.

    Only this is answered 404: a stray ``KeyError`` or ``IndexError`` (both
    ``LookupError``) is a bug, and stays a 500.
    """
