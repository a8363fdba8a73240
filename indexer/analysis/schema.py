"""The Whoosh schema: one document per passage, with its document's metadata."""

from __future__ import annotations

from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from indexer.analysis.analyzer import (
    ExactAnalyzer,
    NameAnalyzer,
    PairAnalyzer,
    PassageAnalyzer,
)

# Fields a query may name, mapped to the schema field they search.
QUERY_FIELDS = {
    "author": "author",
    "force": "forces",
    "forces": "forces",
    "year": "year",
    "type": "type",
    "doc": "doc_id",
    "section": "section",
    "label": "label",
    "title": "title",
    "kind": "kind",
    "text": "text",
    "exact": "exact",
}
# Fields a query may name that are not in the schema: the portal answers them
# from the documents' metadata (portal.search.lookup).
METADATA_FIELDS = ("recipient", "reference")
# The fields holding each two neighbouring words of a text field as one term.
PAIR_FIELDS = {"pairs": "text", "label_pairs": "label"}
# The facets a search reports, mapped to the stored field holding their values.
FACET_FIELDS = {
    "year": "year",
    "author": "author",
    "force": "forces",
    "doc": "doc_id",
    "type": "type",
    # Not a stored field: the kinds of the findings a passage states, read by the
    # portal from the generation's findings.json (see indexer.findings.stage).
    "kind": "finding_kind",
}
# Facets whose values do not come from the facet columns the build writes.
DERIVED_FACETS = frozenset({"kind"})


def build_schema() -> Schema:
    """Return the passage schema; indexing and searching both use it."""
    text = PassageAnalyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        doc_id=ID(stored=True),
        position=NUMERIC(stored=True, sortable=True),
        kind=ID(stored=True),
        label=TEXT(analyzer=text, stored=True, field_boost=1.5),
        label_pairs=TEXT(analyzer=PairAnalyzer(), phrase=True, field_boost=1.5),
        section=TEXT(analyzer=text, stored=True),
        text=TEXT(analyzer=text, stored=True, phrase=True),
        # Neighbouring words of ``text`` as one term each: fast phrase matching.
        pairs=TEXT(analyzer=PairAnalyzer(), phrase=True),
        # The words of ``text`` as written (unstemmed): ``=policing``.
        exact=TEXT(analyzer=ExactAnalyzer(), phrase=False),
        title=TEXT(analyzer=text, stored=True, field_boost=0.5),
        date=ID(stored=True, sortable=True),
        year=ID(stored=True),
        author=TEXT(analyzer=NameAnalyzer(), stored=True),
        type=ID(stored=True),
        forces=KEYWORD(stored=True, commas=True, lowercase=True, scorable=True),
        # The page a passage starts on (absent without pages) and whether OCR read it.
        page=STORED(),
        ocr=STORED(),
    )
