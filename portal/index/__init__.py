"""Index: the served generation, opened read-only, one reader per thread.

May import: ``indexer``. Nothing else in ``portal`` but ``portal.search.scoring``.
"""
