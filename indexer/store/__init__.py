"""Store: write documents into an index generation and swap it in atomically.

``build`` is the entry point (full or incremental); ``layout`` the index
directory's generations, ``CURRENT``, lock and pruning; ``generation`` assembles
what a new generation holds; ``fields`` what each passage becomes in the index;
``writer`` writes Whoosh segments; ``columns`` the facet columns; ``cache`` the
parse cache kept beside the index; ``manifest`` the checksums that find a damaged
generation; ``errors`` the one-line errors a build ends in. Atomic writes and the
lock come from :mod:`indexer.files`.

May import every other room of ``indexer``. Never Flask.
"""
