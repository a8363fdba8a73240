"""Analysis: the words of the index, shared by indexing and querying.

``analyzer`` is the tokenizer and filter chain (as Whoosh's ``analysis`` package
chains them); ``schema`` the Whoosh schema built on it; ``acronyms`` what the corpus
defines and the curated glossary; ``vocabulary`` and ``lexicon`` the surface words
with their counts.

May import: ``indexer.document``. Never ``indexer.store`` or Flask.
"""
