"""The benchmark: a scaled corpus, the portal against SQLite FTS5, the figures."""
