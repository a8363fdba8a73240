"""Generate a deterministic scaled corpus from the seed corpus.

Each generated document is a variant of one seed document: its short blocks
(letterhead, addresses, salutation, headings, list lead-ins, sign-off) are kept
as they are, so the indexer still finds the letter or report structure and its
metadata; each long paragraph is replaced by as many sentences drawn from the
seed's real sentences of the same document type. The year moves, in the file
name and in the dated header line, so the year facet spreads over many years.
The same seed and size always give byte-identical files.
"""

from __future__ import annotations

import hashlib
import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from indexer.document.record import load_document
from indexer.document.sentences import sentences
from indexer.source.corpus import META_SUFFIX, read_corpus

GENERATOR_VERSION = "2"  # 2: the one sentence splitter
YEARS = tuple(range(2014, 2026))
# A paragraph at least this long, ending a sentence, is body text to recombine.
_BODY_MIN_CHARS = 150
_FILE_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-(.*)$")
STAMP = ".bench-corpus"


@dataclass
class Template:
    """One seed document, split into blocks, with what the indexer made of it."""

    stem: str
    suffix: str
    type: str
    year: int
    blocks: list[str]
    passages: int
    sidecar: str | None


def _blocks(text: str) -> list[str]:
    return [b for b in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if b.strip()]


def _is_body(block: str) -> bool:
    text = block.strip()
    return (
        len(text) >= _BODY_MIN_CHARS
        and text[-1] in '.!?”’"'
        and not text.startswith(("-", "•", "*"))
        and "\n" not in text
    )


def load_templates(seed_dir: Path) -> list[Template]:
    """Read every seed document once, with its type, year and passage count."""
    templates = []
    for raw in read_corpus(seed_dir, 20_000_000):
        if not hasattr(raw, "slug"):
            continue
        doc = load_document(raw)
        path = seed_dir / raw.source
        match = _FILE_DATE.match(path.stem)
        if not match or doc.date is None:
            continue
        sidecar = path.with_name(path.stem + META_SUFFIX)
        templates.append(
            Template(
                stem=path.stem,
                suffix=path.suffix,
                type=doc.type,
                year=int(doc.date[:4]),
                blocks=_blocks(path.read_text(encoding="utf-8")),
                passages=len(doc.passages),
                sidecar=sidecar.read_text(encoding="utf-8")
                if sidecar.exists()
                else None,
            )
        )
    return templates


def _sentence_pools(templates: list[Template]) -> dict[str, list[str]]:
    pools: dict[str, list[str]] = {}
    for t in templates:
        pool = pools.setdefault(t.type, [])
        for block in t.blocks:
            if _is_body(block):
                pool.extend(sentences(block))
    return pools


def _variant(
    t: Template, number: int, rng: random.Random, pool: list[str]
) -> tuple[str, str]:
    """Return the file name and text of variant ``number`` of template ``t``."""
    year = rng.choice(YEARS)
    out = []
    for i, block in enumerate(t.blocks):
        if _is_body(block):
            count = len(sentences(block))
            out.append(" ".join(rng.choice(pool) for _ in range(count)))
        elif i < 8 and str(t.year) in block and len(block) < 120:
            # The dated header line: move the year so metadata extraction sees it.
            out.append(re.sub(rf"\b{t.year}\b", str(year), block))
        else:
            out.append(block)
    _, month, day, rest = _FILE_DATE.match(t.stem).groups()
    name = f"{year}-{month}-{day}-{rest}-{number:06d}{t.suffix}"
    return name, "\n\n".join(out) + "\n"


def plan(templates: list[Template], passages: int) -> list[Template]:
    """Return the templates to vary, in turn, until about ``passages`` are reached."""
    chosen, total, i = [], 0, 0
    while total < passages:
        t = templates[i % len(templates)]
        chosen.append(t)
        total += t.passages
        i += 1
    return chosen


def generate(seed_dir: Path, out_dir: Path, passages: int, seed: int = 7) -> int:
    """Write a corpus of about ``passages`` passages into ``out_dir``.

    :return: the number of documents written.
    """
    templates = load_templates(seed_dir)
    if not templates:
        raise ValueError(f"no dated seed documents found in {seed_dir}")
    pools = _sentence_pools(templates)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    rng = random.Random(seed)
    chosen = plan(templates, passages)
    for number, t in enumerate(chosen):
        name, text = _variant(t, number, rng, pools[t.type])
        (out_dir / name).write_text(text, encoding="utf-8")
        if t.sidecar is not None:
            stem = name.rsplit(".", 1)[0]
            (out_dir / (stem + META_SUFFIX)).write_text(t.sidecar, encoding="utf-8")
    return len(chosen)


def stamp(seed_dir: Path, passages: int, seed: int) -> str:
    """Return a key that changes with the seed corpus, the size or the generator."""
    digest = hashlib.sha256(f"{GENERATOR_VERSION}:{passages}:{seed}".encode())
    for path in sorted(seed_dir.iterdir()):
        if path.is_file():
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def ensure_corpus(
    seed_dir: Path, cache_dir: Path, passages: int, seed: int = 7
) -> Path:
    """Return the cached corpus of ``passages`` passages, generating it if stale."""
    out = cache_dir / f"corpus-{passages}"
    key = stamp(seed_dir, passages, seed)
    marker = out / STAMP
    if marker.exists() and marker.read_text() == key:
        return out
    generate(seed_dir, out, passages, seed)
    marker.write_text(key)
    return out
