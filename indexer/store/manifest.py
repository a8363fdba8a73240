"""A generation's manifest: the checksum of every file, and the check that uses it.

A build records the size and SHA-256 of every file of a generation in its
``manifest.json`` (under ``files``) once the generation is complete. Whoever is
about to trust a generation (the build deciding it is up to date, the portal
opening it) calls :func:`damage`, which returns what is wrong: a file missing,
truncated or changed, a manifest that cannot be read. ``CURRENT`` and the
generation folders are named ``gen-...``; :func:`is_generation_name` is the one
test of such a name, so nothing else in ``CURRENT`` can point outside the index
folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

MANIFEST = "manifest.json"
FILES = "files"
# Whoosh leaves its (empty) write lock in the folder; it is not part of the data.
_NOT_DATA = {MANIFEST, "MAIN_WRITELOCK"}
_GENERATION = re.compile(r"gen-[0-9A-Za-z]+(?:-[0-9A-Za-z]+)*")
_REQUIRED = ("format_version", "generation", "built_at", "documents", "passages")

Signature = tuple[tuple[str, int, int], ...]


def is_generation_name(name: str) -> bool:
    """Return whether ``name`` is a generation folder's name (``gen-...``, no path)."""
    return bool(_GENERATION.fullmatch(name))


def checksum(path: Path) -> str:
    """Return the SHA-256 of the file at ``path`` as hex."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _data_files(generation: Path) -> list[Path]:
    """Return the generation's files the manifest covers, by name."""
    return sorted(
        p for p in generation.iterdir() if p.is_file() and p.name not in _NOT_DATA
    )


def record_checksums(generation: Path) -> None:
    """Add the size and SHA-256 of every file of ``generation`` to its manifest.

    Call it once every other file of the generation is written.
    """
    path = generation / MANIFEST
    manifest = json.loads(path.read_text())
    manifest[FILES] = {
        p.name: {"size": p.stat().st_size, "sha256": checksum(p)}
        for p in _data_files(generation)
    }
    path.write_text(json.dumps(manifest, indent=1))


def signature(generation: Path) -> Signature:
    """Return (name, size, modification time in ns) of every file, cheaply.

    Two equal signatures mean the files were not replaced, truncated or
    rewritten in between, so a check made at the first still holds.

    :raise OSError: when the folder cannot be listed.
    """
    found = []
    with os.scandir(generation) as entries:
        for entry in entries:
            if entry.is_file():
                st = entry.stat()
                found.append((entry.name, st.st_size, st.st_mtime_ns))
    return tuple(sorted(found))


def damage(generation: Path) -> list[str]:
    """Return what is wrong with the generation at ``generation`` (empty: intact).

    Reads every file once to compare its checksum with the manifest's.
    """
    try:
        manifest = json.loads((generation / MANIFEST).read_text())
    except FileNotFoundError:
        return [f"{generation.name} has no {MANIFEST}"]
    except (OSError, ValueError) as exc:
        return [f"{generation.name}/{MANIFEST} cannot be read ({exc})"]
    if not isinstance(manifest, dict) or any(k not in manifest for k in _REQUIRED):
        return [f"{generation.name}/{MANIFEST} does not hold a build's manifest"]
    files = manifest.get(FILES)
    if not isinstance(files, dict) or not files:
        return [f"{generation.name} records no checksums (built by an older version)"]
    problems = []
    for name, expected in sorted(files.items()):
        path = generation / name
        if not isinstance(expected, dict) or "/" in name or name in _NOT_DATA:
            problems.append(f"{generation.name}/{MANIFEST} lists {name!r} wrongly")
            continue
        try:
            size = path.stat().st_size
            if size != expected.get("size"):
                problems.append(
                    f"{generation.name}/{name} is {size} bytes, "
                    f"not the {expected.get('size')} written"
                )
            elif checksum(path) != expected.get("sha256"):
                problems.append(f"{generation.name}/{name} changed since it was built")
        except FileNotFoundError:
            problems.append(f"{generation.name}/{name} is missing")
        except OSError as exc:
            problems.append(f"{generation.name}/{name} cannot be read ({exc})")
    return problems
