"""Reader: a document with its passages in order, permalinks and word diffs.

May import: ``indexer``, ``portal.index`` and ``portal.search``. Never
``portal.views``.
"""
