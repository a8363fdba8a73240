"""Cite: what reference managers, feed readers, browsers and crawlers read.

``items`` turns a document or a passage into a CSL-JSON item (the one record every
other form is made from); ``formats`` writes RIS, BibTeX and CSL-JSON and formats
citations in house styles through citeproc-py; ``tags`` gives the Highwire Press
and Dublin Core meta tags Zotero's connector reads; ``feed`` writes a search as an
Atom feed with feedgen; ``bulk`` streams the whole corpus as data.

May import: ``indexer``, ``portal.index``, ``portal.search`` and ``portal.reader``.
"""
