"""Compare: a theme across years, trends, echoes and letter-report alignment.

``themes`` loads the curated themes; ``scope`` and ``pools`` say which passages a
comparison covers; ``distinctive`` and ``echoes`` what each year says apart or
again; ``trend`` the share per year; ``align`` letters beside reports;
``theme_data`` and ``theme_cache`` the curated themes' precomputed data.

May import: ``indexer``, ``portal.index``, ``portal.search`` and ``portal.reader``.
"""
