"""The import graph, read from the source with ``ast``: declared, acyclic, one way.

Every module outside the standard library that the code imports is declared in
``pyproject.toml`` (the packages' imports as dependencies, the tests', benchmark's
and tools' imports there or in the ``test`` extra), so a clean install has them.
No two modules import each other, directly or round a longer loop, and
``indexer`` never imports ``portal`` or Flask: data flows from the indexer to the
portal, never back. Imports under ``if TYPE_CHECKING:`` are for type checkers
only and are not counted.
"""

from __future__ import annotations

import ast
import functools
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGES = ("indexer", "portal")
FIRST_PARTY = {*PACKAGES, "tests", "bench", "tools"}
# What the web layer is made of; the indexer must work without any of it.
WEB = {"flask", "werkzeug", "jinja2", "markupsafe", "itsdangerous", "gunicorn"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules(*folders: str) -> dict[str, Path]:
    """Return every module under ``folders`` by dotted name."""
    return {
        _module_name(path): path
        for folder in folders
        for path in sorted((ROOT / folder).rglob("*.py"))
        if ".venv" not in path.parts
    }


def _is_type_checking(node: ast.AST) -> bool:
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and (
        (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")
        or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")
    )


def _imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """Return the dotted names ``path`` imports anywhere but under TYPE_CHECKING.

    ``from a import b`` counts as importing ``a.b`` when that is a module, else
    ``a``; relative imports are resolved against ``name``.
    """
    found: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]

    def visit(node: ast.AST) -> None:
        if _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - (node.level - 1)]
                base = ".".join(parts + ([base] if base else []))
            for alias in node.names:
                full = f"{base}.{alias.name}"
                found.add(full if full in known else base)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(), filename=str(path)))
    return found


def _third_party(names: set[str]) -> set[str]:
    tops = {name.split(".")[0] for name in names if name}
    return {
        top
        for top in tops
        if top not in sys.stdlib_module_names
        and top not in FIRST_PARTY
        and top != "__future__"
    }


def _declared(*groups: str) -> set[str]:
    """Return the distribution names ``pyproject.toml`` declares, normalised."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = list(project["dependencies"])
    for group in groups:
        requirements += project["optional-dependencies"][group]
    return {
        _normalise(re.split(r"[=<>!~\[; ]", r, maxsplit=1)[0]) for r in requirements
    }


def _normalise(distribution: str) -> str:
    return re.sub(r"[-_.]+", "-", distribution).lower()


@functools.cache
def _installed() -> dict[str, list[str]]:
    """Map each importable top-level name to its distributions, read once.

    ``packages_distributions`` reads every installed distribution's file list;
    asked once per imported name it took seconds.
    """
    return packages_distributions()


def _distributions(module: str) -> frozenset[str]:
    return frozenset(_normalise(d) for d in _installed().get(module, []))


@pytest.mark.parametrize(
    ("folders", "groups"),
    [(PACKAGES, ()), (("tests", "bench", "tools"), ("test",))],
    ids=["packages", "tests-bench-tools"],
)
def test_every_third_party_import_is_declared_in_pyproject(folders, groups):
    modules = _modules(*folders)
    imported = set().union(*(_imports(n, p, modules) for n, p in modules.items()))
    declared = _declared(*groups)
    missing = {
        top: sorted(_distributions(top)) or ["(not installed)"]
        for top in _third_party(imported)
        if not _distributions(top) & declared
    }
    assert not missing, f"imported but not declared in pyproject.toml: {missing}"


def test_no_two_modules_import_each_other_even_round_a_loop():
    modules = _modules(*PACKAGES)
    graph = {
        name: {m for m in _imports(name, path, modules) if m in modules and m != name}
        for name, path in modules.items()
    }
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_loop_of_three():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]


@pytest.mark.parametrize("name", sorted(_modules("indexer")))
def test_the_indexer_never_imports_the_portal_or_the_web_layer(name):
    modules = _modules("indexer")
    tops = {i.split(".")[0] for i in _imports(name, modules[name], modules)}
    assert not tops & ({"portal"} | WEB), name


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Return the import loops of ``graph`` (Tarjan's strongly connected parts)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(graph.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            part = []
            while True:
                other = stack.pop()
                part.append(other)
                if other == node:
                    break
            if len(part) > 1:
                found.append(sorted(part))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found
