"""Findings: what an inspection found, who answered it, and how long it has stood.

``model``    the finding record, its kinds and its stable id.
``extract``  reads a report's passages for areas for improvement, causes of concern,
             recommendations (numbered or not), promising and innovative practice
             and graded judgements, with the paragraphs that support each.
``grades``   reads graded judgements ("X is adequate at tackling ...").
``respond``  finds the passages that answer each finding: in letters and other
             documents linked to the report, and "Response:" paragraphs beside
             numbered recommendations, scored with :mod:`indexer.analysis.similarity`
             plus what the documents say explicitly.
``recur``    links findings repeated across reports and years.
``stage``    the build stage: writes ``findings.json`` into a generation, keeping
             the ids of findings re-worded since the previous generation.

May import ``indexer.document`` and ``indexer.analysis``. Never Flask or ``portal``.
"""
