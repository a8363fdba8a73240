"""Findings: the portal's reading of ``findings.json``, filtered and faceted.

``service`` loads the served generation's findings (once per generation), filters
them by kind, force, report, year, grade and answered, counts the facets with
their links built, and looks findings up by id, statement passage and response
passage for the reader. Views live in :mod:`portal.views.findings`.

May import ``indexer`` and ``portal.index``. Never the views.
"""
