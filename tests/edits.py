"""Corrections to a copy of the seed corpus, as an editor would make them.

Shared by the ledger, reader and browser tests: one corrected date in paragraph 1
of the 2023 letter, and its paragraph 4 deleted.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from indexer.permalinks.ledger import LEDGER
from indexer.store.build import load_corpus
from tests.conftest import LETTER_2023, SEED_CORPUS

LETTER_FILE = f"{LETTER_2023}.txt"
CORRECTED = ("(HMICFRS) on 19 May 2023", "(HMICFRS) on 18 May 2023")
REMOVED_START = "The Mayor and I will continue to hold the Commissioner"


def copy_corpus(target: Path) -> Path:
    """Copy the seed corpus to ``target`` without any ledger, and return it."""
    # A developer's `make run` leaves a ledger in corpus/; tests start without one.
    shutil.copytree(SEED_CORPUS, target, ignore=shutil.ignore_patterns(LEDGER))
    return target


def passages_of(corpus_dir: Path, doc_id: str) -> list:
    """Return the passages the indexer makes of one document in ``corpus_dir``."""
    documents, _ = load_corpus(corpus_dir, 10**8)
    return next(d for d in documents if d.id == doc_id).passages


def correct_date(corpus_dir: Path) -> None:
    """Correct the inspection's publication date in paragraph 1 of the 2023 letter."""
    path = corpus_dir / LETTER_FILE
    text = path.read_text()
    assert CORRECTED[0] in text
    path.write_text(text.replace(*CORRECTED))


def remove_paragraph(corpus_dir: Path, start: str = REMOVED_START) -> None:
    """Delete the paragraph of the 2023 letter that begins with ``start``."""
    path = corpus_dir / LETTER_FILE
    lines = path.read_text().splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith(start)]
    assert len(kept) == len(lines) - 1
    path.write_text("".join(kept))
