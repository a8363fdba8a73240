"""Index: the served generation, opened read-only, one searcher per thread.

``generation`` opens one generation and owns everything derived from it, under
one cache policy; ``values`` loads its facet value arrays; ``handle`` says which
generation is served and swaps it when ``CURRENT`` changes.

``verify`` chooses the generation to serve (the one ``CURRENT`` names if intact,
else the newest intact one); ``handle`` opens it.

May import: ``indexer``. Nothing else in ``portal`` but ``portal.search.scoring``.
"""
