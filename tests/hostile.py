"""Helpers shared by the security tests: a corpus with an attack in it, and URLs.

Every GET route of the app is visited, so routes other features add are covered
as soon as they exist. Route arguments are filled from the hostile document.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import urlencode

from flask import Flask

from indexer.store.build import build, current_generation, read_documents
from tests.conftest import SEED_CORPUS

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
PAYLOAD = f"{SCRIPT} {IMG} \"quoted\" 'single'"
FORMULA = '=HYPERLINK("http://evil.example","x")'
XSS_TITLE = f"{FORMULA} {PAYLOAD}"
XSS_TEXT = (
    f"The custody inspection found {PAYLOAD} in the records of Lambeth.\n\n"
    f"@SUM(1+1) and +44 and -1 begin cells. Victims {SCRIPT} were not told.\n"
)
SECRET = "SENTINEL-SECRET-4f1c9e"


def make_hostile_corpus(root: Path) -> tuple[Path, Path, str]:
    """Copy the seed corpus, add the attack document and a secret beside it; build.

    :return: the corpus folder, the index folder and the attack document's id.
    """
    corpus, index = root / "corpus", root / "index"
    shutil.copytree(SEED_CORPUS, corpus)
    (corpus / "xss-note.txt").write_text(XSS_TEXT)
    (corpus / "xss-note.meta.toml").write_text(
        f"title = {json.dumps(XSS_TITLE)}\nauthor = {json.dumps(PAYLOAD)}\n"
        "date = 2024-01-02\n"
    )
    # Files outside the corpus that no URL may ever reach.
    (root / "secret.txt").write_text(SECRET)
    (corpus.parent / "secret.html").write_text(SECRET)
    build(corpus, index)
    (doc,) = [
        d
        for d in read_documents(current_generation(index))
        if d["source"] == "xss-note.txt"
    ]
    return corpus, index, doc["id"]


def route_urls(app: Flask, values: dict[str, str], query: dict[str, str]) -> list[str]:
    """Return one URL per GET route of ``app``, arguments filled from ``values``.

    A route whose argument cannot be filled (a converter other than string, path
    or int) is left out; ``static`` is visited through its own tests.
    """
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()) or rule.endpoint == "static":
            continue
        args = {}
        for name in rule.arguments:
            converter = type(rule._converters[name]).__name__
            if converter == "IntegerConverter":
                args[name] = "1"
            elif converter in ("UnicodeConverter", "PathConverter"):
                args[name] = _value_for(name, values)
            else:
                break
        else:
            path = rule.rule
            for name, value in args.items():
                path = path.replace(f"<{name}>", value)
                for conv in ("string", "path", "int"):
                    path = path.replace(f"<{conv}:{name}>", value)
            urls.append(f"{path}?{urlencode(query)}")
    return urls


def _value_for(name: str, values: dict[str, str]) -> str:
    """Pick the passage id for passage-like arguments, else the document id."""
    if "passage" in name or name in ("id", "pid", "a", "b"):
        return values["passage"]
    return values["doc"]
