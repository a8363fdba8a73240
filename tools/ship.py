"""Ship a built generation to read-only replicas with rsync, swap ``CURRENT``, prune.

A generation never changes once built, so a replica is a copy of it. For every
replica (a local folder or rsync's ``host:path``) this does, in order:

1. copy the generation folder with ``rsync -a``, hard-linking the files the
   replica's served generation already holds (``--link-dest``: an incremental
   build shares all but its new segment with the previous one, so little is sent);
2. once every replica holds the whole generation, replace each replica's
   ``CURRENT`` with rsync (which writes a temporary file beside it and renames it
   over the old one, so a portal worker reads the old name or the new one);
3. after ``grace`` seconds, so requests still reading the old files finish,
   remove every generation but the new one and the one served before it (kept as
   the portal's fallback should the new one be damaged on that disk).

Only rsync touches a replica, so a remote one needs rsync and ssh access, nothing
else. Nothing here imports Flask or the portal::

    python -m tools.ship --index var/index --to /srv/a/index --to web2:/srv/index
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from indexer.store.layout import CURRENT, current_generation
from indexer.store.manifest import damage, is_generation_name

DEFAULT_GRACE = 60.0  # seconds: past nginx's 30 s wait for a portal answer
INSTALL = "install it with `apt-get install rsync` (or `make deploy-tools` as root)"


class ShipError(RuntimeError):
    """Shipping stopped; the message names the replica and what rsync said."""


@dataclass(frozen=True)
class Shipped:
    """What one replica served before the ship and serves now."""

    target: str
    before: str | None
    now: str


def _rsync(*args: str) -> None:
    """Run rsync with ``args``.

    :raise ShipError: when rsync is missing or fails (its message included).
    """
    rsync = shutil.which("rsync")
    if rsync is None:
        raise ShipError(f"rsync is not installed; {INSTALL}")
    done = subprocess.run([rsync, *args], capture_output=True, text=True)
    if done.returncode != 0:
        said = done.stderr.strip() or f"exit status {done.returncode}"
        raise ShipError(f"rsync {' '.join(args[-2:])} failed: {said}")


def _join(target: str, name: str) -> str:
    """Return ``target``/``name`` for a local path or ``host:path`` alike."""
    return f"{target.rstrip('/')}/{name}"


def served(target: str) -> str | None:
    """Return the generation ``CURRENT`` names on a replica, None when there is none.

    :raise ShipError: when the replica cannot be reached.
    """
    with tempfile.TemporaryDirectory() as tmp:
        # Create the replica's folder if it is new (an empty folder's contents,
        # no --delete: nothing there changes), so a missing CURRENT is no error.
        _rsync("-d", "--mkpath", f"{tmp}/", target.rstrip("/") + "/")
        _rsync("--ignore-missing-args", _join(target, CURRENT), f"{tmp}/")
        try:
            name = (Path(tmp) / CURRENT).read_bytes().decode("ascii").strip()
        except (FileNotFoundError, UnicodeDecodeError):
            return None
    return name if is_generation_name(name) else None


def copy_generation(generation: Path, target: str, previous: str | None) -> None:
    """Copy the folder ``generation`` into the replica ``target`` under its name."""
    linked = previous not in (None, generation.name)
    link = [f"--link-dest=../{previous}"] if linked else []
    _rsync(
        "-a", "--mkpath", "--delete", *link,
        f"{generation}/", _join(target, generation.name) + "/",
    )  # fmt: skip


def swap(target: str, name: str) -> None:
    """Point the replica's ``CURRENT`` at ``name``: one rename on the replica."""
    with tempfile.TemporaryDirectory() as tmp:
        staged = Path(tmp) / CURRENT
        staged.write_text(name + "\n")
        # -I: the old CURRENT may have the same size and second; always replace it.
        _rsync("-I", "--fsync", str(staged), _join(target, CURRENT))


def prune(target: str, keep: set[str]) -> None:
    """Remove the replica's generations not in ``keep``; nothing else is touched."""
    rules = [f"--filter=protect /{name}/" for name in sorted(keep)]
    # Sync an empty folder with --delete: only gen-* folders may be deleted.
    rules += ["--filter=+ /gen-*/", "--filter=- /*"]
    with tempfile.TemporaryDirectory() as empty:
        _rsync("-r", "--delete", *rules, f"{empty}/", target.rstrip("/") + "/")


def source_generation(index_dir: Path, name: str | None = None) -> Path:
    """Return the generation to ship: ``name``, or the one ``CURRENT`` names.

    :raise ShipError: when there is none or it is damaged (never shipped).
    """
    if name is None:
        generation = current_generation(index_dir)
        if generation is None:
            raise ShipError(f"{index_dir} has no generation to ship; build it first")
    elif not is_generation_name(name) or not (index_dir / name).is_dir():
        raise ShipError(f"{index_dir} has no generation named {name!r}")
    else:
        generation = index_dir / name
    wrong = damage(generation)
    if wrong:
        raise ShipError(f"{generation} is damaged, not shipped: {'; '.join(wrong)}")
    return generation


def ship(
    generation: Path,
    targets: list[str],
    grace: float = DEFAULT_GRACE,
    say: Callable[[str], None] = lambda _line: None,
    stagger: float = 0.0,
) -> list[Shipped]:
    """Ship ``generation`` to every replica in ``targets``; return what each served.

    Every replica receives the whole generation before any ``CURRENT`` changes, so
    a failed copy swaps nothing; running it again resumes where it stopped.

    :param grace: seconds between the last swap and pruning.
    :param stagger: seconds between one replica's swap and the next, so the
        others answer (nginx retries a 503 on them) while one opens the new
        generation; 0 swaps them one rsync call apart.
    :raise ShipError: at the first rsync that fails.
    """
    before = {target: served(target) for target in targets}
    for target in targets:
        copy_generation(generation, target, before[target])
        say(f"copied {generation.name} to {target}")
    for n, target in enumerate(targets):
        if n:
            time.sleep(stagger)
        swap(target, generation.name)
        say(f"{target}: CURRENT {before[target] or '(none)'} -> {generation.name}")
    time.sleep(grace)
    for target in targets:
        prune(target, {generation.name, before[target] or generation.name})
    return [Shipped(t, before[t], generation.name) for t in targets]


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments, ship, and print one line per step; 1 on failure."""
    parser = argparse.ArgumentParser(
        prog="python -m tools.ship", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--index", type=Path, default=Path("var/index"),
        help="index folder of the build host [default: var/index]",
    )  # fmt: skip
    parser.add_argument(
        "--to", dest="targets", action="append", required=True, metavar="REPLICA",
        help="a replica's index folder, local or host:path (repeat for each)",
    )  # fmt: skip
    parser.add_argument(
        "--generation", help="the gen-... folder to ship [default: CURRENT's]"
    )
    parser.add_argument(
        "--grace", type=float, default=DEFAULT_GRACE,
        help=f"seconds from the swap to pruning [default: {DEFAULT_GRACE:g}]",
    )  # fmt: skip
    parser.add_argument(
        "--stagger", type=float, default=0.0,
        help="seconds between one replica's swap and the next [default: 0]",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if args.grace < 0 or args.stagger < 0:
        parser.error("--grace and --stagger must be 0 or more seconds")
    try:
        generation = source_generation(args.index, args.generation)
        ship(generation, args.targets, args.grace, print, args.stagger)
    except ShipError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    print(f"shipped {generation.name} to {len(args.targets)} replica(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
