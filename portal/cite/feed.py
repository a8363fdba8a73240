"""A search as an Atom feed: its newest passages first, each one once.

"Newest" is when a passage first entered the index (the permalink ledger's
``first`` build, kept per generation in ``first-seen.json``), so a feed reader
polling a search sees a new document's passages after the next build, and a
re-index that changes nothing adds nothing. Entry ids are permalinks, which never
change; an entry's ``updated`` is its first-seen time.
"""

from __future__ import annotations

import datetime as dt
import re

from feedgen.feed import FeedGenerator

from indexer.permalinks.first_seen import build_time, read_first_seen
from portal.index.generation import Generation

FEED_SIZE = 50  # entries per feed, newest first
# Characters XML 1.0 cannot carry (control characters, surrogates, U+FFFE/FFFF):
# a query or a document may hold them, a feed must not.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """Return ``text`` without the characters XML 1.0 forbids."""
    return _NOT_XML.sub("", text)


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def _read_first_seen(handle: Generation) -> dict[str, dt.datetime]:
    known = read_first_seen(handle.path) or {}
    times = {build: build_time(build) for build in set(known.values())}
    # A passage without a record is as old as the generation itself.
    fallback = build_time(handle.path.name) or _EPOCH
    return {pid: times.get(build) or fallback for pid, build in known.items()}


def first_seen(handle: Generation) -> dict[str, dt.datetime]:
    """Return each passage id's first-seen time (UTC), read once per generation."""
    return handle.derive(_read_first_seen)


def newest(handle: Generation, docnums: set[int], limit: int = FEED_SIZE) -> list:
    """Return up to ``limit`` ``(first_seen, stored fields)``, newest first.

    Ties (one build adds many passages) go to the later-dated document, then to
    reading order.
    """
    seen = first_seen(handle)
    fallback = build_time(handle.path.name) or _EPOCH
    rows = []
    for docnum in docnums:
        stored = handle.searcher.stored_fields(docnum)
        rows.append((seen.get(stored["id"], fallback), stored))
    rows.sort(
        key=lambda r: (r[0], r[1].get("date") or "", -r[1].get("position", 0)),
        reverse=True,
    )
    return rows[:limit]


def atom(
    title: str,
    self_url: str,
    html_url: str,
    entries: list[dict],
) -> bytes:
    """Return an Atom 1.0 document (RFC 4287) for ``entries``.

    Each entry is ``{"id", "url", "title", "author", "updated", "html"}``;
    ``updated`` is an aware datetime, ``html`` the highlighted passage.
    """
    feed = FeedGenerator()
    feed.id(xml_text(self_url))
    feed.title(xml_text(title))
    feed.link(href=xml_text(self_url), rel="self", type="application/atom+xml")
    feed.link(href=xml_text(html_url), rel="alternate", type="text/html")
    feed.language("en")
    feed.updated(max((e["updated"] for e in entries), default=_EPOCH))
    for item in entries:
        entry = feed.add_entry(order="append")
        entry.id(item["url"])
        entry.title(xml_text(item["title"]))
        entry.link(href=item["url"], rel="alternate", type="text/html")
        if item["author"]:
            entry.author(name=xml_text(item["author"]))
        entry.updated(item["updated"])
        entry.published(item["updated"])
        entry.content(xml_text(str(item["html"])), type="html")
    return feed.atom_str(pretty=True)
