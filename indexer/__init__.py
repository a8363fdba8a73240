"""Turn a folder of oversight documents into a searchable passage index.

The pipeline is a chain of small steps, each taking and yielding simple records,
in the way Whoosh chains a tokenizer into filters:

``corpus``    finds the files in the corpus folder and reads each one into text
              (plain text, Markdown, HTML, PDF (OCR for scanned pages) or Word),
              reporting the files it cannot read.
``parse``     cleans Markdown and inline HTML residue and splits the text into
              blocks: paragraphs, headings and list items.
``metadata``  lifts the letter furniture (address block, date line, reference,
              salutation, sign-off, signatory, CC) out of the body, drops
              scanned-signature noise, and extracts the document's metadata.
``segment``   turns the body blocks into passages: rejoins paragraphs broken
              across a page, groups short lists with their lead-in, and gives
              every passage its section path, label, forces and stable id.
``schema``    defines the analyzer and the Whoosh schema shared by indexing and
              querying.
``build``     writes the passages into a fresh index directory and swaps it in
              atomically, skipping the work when the corpus is unchanged.

``cli`` exposes ``build`` and ``inspect`` as ``python -m indexer`` and the
``oversight-index`` console script; ``config`` holds every setting; ``files`` the
one atomic write, pickle cache and lock. Nothing here imports Flask.
"""

# 3: documents.json carries the letter-report links (answers, answered_by).
# 4: a ``pairs`` field holds neighbouring words as one term, for fast phrases.
# 5: modules moved into subpackages; the pickled schema names the new analyzer paths.
# 6: page furniture dropped, numbered items keep numbers, new metadata fields.
# 7: passages store the page they start on and whether OCR read them.
# 8: findings.json holds every finding of the reports and the passages answering it.
# 9: one sentence splitter (a letter's reference sentence may differ); theme data
#    kept inside the generation (``<generation>/derived/``), not beside it.
# 10: accents folded (Siân = Sian), curly apostrophes straight, MPS/BTP
#     indexed whole and split; an ``exact`` field holds the words as written.
FORMAT_VERSION = 10
