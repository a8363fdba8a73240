"""Document: from raw text to a parsed document with metadata and passages.

``furniture`` drops page furniture lines (protective markings, page footers, web
chrome); ``parse`` splits text into blocks; ``metadata`` lifts report front matter
out of the body and ``letters`` a letter's furniture, with ``dates`` and ``people``
(names, roles and the organisation a role speaks for); ``gazetteer`` names forces
and bodies; ``segment`` turns blocks into passages with section paths and stable
ids; ``record`` holds the parsed ``Document``; ``relations`` decides which report
each letter answers. The words these rules go by are data in ``rules.toml``, read
by ``rules``.

May import: ``indexer.source``. Never ``indexer.store`` or Flask.
"""
