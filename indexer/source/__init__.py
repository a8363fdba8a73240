"""Source: find the files of a corpus folder and read each one into text.

``corpus`` discovers documents and reads text, Markdown and HTML (``html`` keeps a
saved page's content as Markdown-like text) and reports the files it cannot read as
problems; ``scan`` reads only the files whose stat signature changed since the last
build.

May import: the standard library and parsing libraries. Never ``indexer.store`` or
Flask.
"""
