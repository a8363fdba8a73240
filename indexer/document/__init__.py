"""Document: from raw text to a parsed document with metadata and passages.

``parse`` splits text into blocks; ``metadata`` lifts letter furniture and front
matter out of the body; ``gazetteer`` names forces and bodies; ``segment`` turns
blocks into passages with section paths and stable ids; ``record`` holds the parsed
``Document``; ``relations`` decides which report each letter answers.

May import: ``indexer.source``. Never ``indexer.store`` or Flask.
"""
