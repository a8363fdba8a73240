"""Permalinks: every passage id ever issued, kept beside the corpus.

``ledger`` appends each build's ids to ``permalinks.jsonl`` and resolves old ids to
new ones; ``schema`` the shape every line must have; ``resolution``
the maps from old ids to new ones written into each generation; ``state`` is its
checkpoint; ``reanchor`` moves the ids of corrected
passages to their new text.

May import: ``indexer.document``. Never ``indexer.store`` or Flask.
"""
