"""Source: find the files of a corpus folder and read each one into text.

``corpus`` discovers documents and reads text, Markdown and HTML (``html`` keeps a
saved page's content as Markdown-like text, ``text`` decodes bytes) and reports the
files it cannot read as problems; ``scan`` reads only the files whose stat signature
changed since the last build. ``binary`` reads PDF (``pdf``; scanned pages through
``ocr``) and Word (``word``) files; ``layout`` turns a PDF's positioned lines into
the same block text, dropping page furniture, and records each block's page;
``typography`` measures a PDF's body (font size, line pitch) and says where its
paragraphs break and which lines are headings.

May import: the standard library and parsing libraries. Never ``indexer.store`` or
Flask.
"""
