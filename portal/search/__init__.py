"""Search: from a query string to ranked, highlighted passages with facets.

``params`` reads a request; ``tidy`` reads what people type as they mean it
(punctuation, curly quotes, ``=word``); ``lookup`` takes references, ``recipient:``
and ``reference:`` out as document filters and finds names of authors and
recipients; ``query`` parses the query language; ``cost`` bounds what a query may
cost (parse work, nesting, terms, time); ``expand`` adds acronym, compound,
hyphenated and slashed forms; ``spelling`` suggests corrections; ``scoring`` (with
``scored`` and ``postings``) scores matches by BM25F, ``signals`` weighs them by
coverage, adjacency and length, and ``ranking`` orders them; ``facets`` counts
them; ``highlight`` marks matches and cuts snippets (for snippets and every page
that marks text); ``links`` builds every URL; ``describe`` says what was searched
and ``advice`` what to try when nothing matches; ``service`` ties them together
and returns plain data, ``records`` the passages and documents as records;
``export`` writes CSV; ``help`` the query language's live examples.

May import: ``indexer`` and ``portal.index``. Never ``portal.views``.
"""
