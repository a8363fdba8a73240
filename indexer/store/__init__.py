"""Store: write documents into an index generation and swap it in atomically.

``build`` is the entry point (full or incremental); ``generation`` assembles what a
new generation holds; ``writer`` writes Whoosh segments; ``columns`` the facet
columns; ``cache`` the parse cache kept beside the index; ``manifest`` the
checksums that find a damaged generation; ``folder`` ``CURRENT``, the lock and
pruning; ``errors`` the one-line errors a build ends in.

May import every other room of ``indexer``. Never Flask.
"""
