"""Index: the served generation, opened read-only, one reader per thread.

``verify`` chooses the generation to serve (the one ``CURRENT`` names if intact,
else the newest intact one); ``handle`` opens it.

May import: ``indexer``. Nothing else in ``portal`` but ``portal.search.scoring``.
"""
