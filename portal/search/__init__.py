"""Search: from a query string to ranked, highlighted passages with facets.

``params`` reads a request; ``query`` parses the query language; ``cost`` bounds
what a query may cost (parse work, nesting, terms, time); ``expand`` adds
acronym and compound forms; ``spelling`` suggests corrections; ``scoring`` and
``ranking`` score and order matches; ``facets`` counts them; ``highlight`` marks
matches (snippets and every page that marks text); ``links`` builds every URL;
``describe`` says what was searched; ``service`` ties them together and returns
plain data; ``export`` writes CSV; ``help`` the query language's live examples.

May import: ``indexer`` and ``portal.index``. Never ``portal.views``.
"""
