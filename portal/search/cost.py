"""What one request may cost: parse work, nesting, terms and time, all bounded.

Four limits keep a hostile or unlucky query from tying up a worker:

* whoosh3's ``BinaryGroup.query`` builds both of its children twice, so each
  nested ``ANDNOT``/``ANDMAYBE`` group (one per ``-(`` level) doubled the parse:
  19 levels took 30 s. :func:`_binary_query` builds each child once, which makes
  the parse linear in the query;
* brackets nested deeper than :data:`MAX_DEPTH`, or more than
  :data:`MAX_OPERATORS` nesting operators, make the query fall back to its plain words
  (see :func:`structure_problems`), which also keeps the parser's recursion far
  from Python's limit;
* a query may name at most :data:`MAX_TERMS` terms, counting every word a
  wildcard expands to (:func:`check_terms`);
* each request has a deadline (``REQUEST_SECONDS``); the search checks it between
  clauses (:func:`check_deadline`) and answers 503 once it has passed, instead of
  running until gunicorn kills the worker.
"""

from __future__ import annotations

import re
import threading
import time

from flask import Flask, current_app
from whoosh import query as wq
from whoosh.qparser import syntax

MAX_DEPTH = 8  # brackets inside brackets
# NOT, ANDNOT and ANDMAYBE each nest what follows one level deeper; AND, OR and
# signs join flat groups, however many there are.
MAX_OPERATORS = 40
MAX_TERMS = 1500  # terms one query may search, wildcard expansions included
_OPERATOR = re.compile(r"\b(?:NOT|ANDNOT|ANDMAYBE)\b")
_QUOTED = re.compile(r'"[^"]*"')
_local = threading.local()


class QueryTooCostlyError(ValueError):
    """A query names more terms than one search may run; the message says which."""


class RequestTimeoutError(Exception):
    """A request ran past its time limit; the message says what to do."""


def _binary_query(self, parser):
    """Return the query of a two-child group, building each child once.

    A group left with one child by a sign the parser dropped ("a ANDNOT - b
    ANDNOT c") is that child; Whoosh's own method asserts and fails there. The
    parser never gives a binary group more than two children.
    """
    if len(self.nodes) < 2:
        only = self.nodes[0].query(parser) if self.nodes else None
        return syntax.attach(only or wq.NullQuery, self)
    qa = self.nodes[0].query(parser)
    qb = self.nodes[1].query(parser)
    if qa is None and qb is None:
        q = wq.NullQuery
    elif qa is None:
        q = qb
    elif qb is None:
        q = qa
    else:
        q = self.qclass(qa, qb)
    return syntax.attach(q, self)


# whoosh3 3.54.0 builds ``self.nodes[i].query(parser)`` again for the result after
# building it for the None checks: exponential in nesting. Same result, built once.
syntax.BinaryGroup.query = _binary_query


def nesting(q: str) -> int:
    """Return how deep the brackets of ``q`` nest (quoted text left out)."""
    depth = deepest = 0
    for char in _QUOTED.sub(" ", q):
        if char == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif char == ")":
            depth = max(0, depth - 1)
    return deepest


def structure_problems(q: str) -> list[str]:
    """Return why ``q`` is too deeply nested or has too many operators to parse."""
    found = []
    depth = nesting(q)
    if depth > MAX_DEPTH:
        found.append(
            f"brackets nest {depth} deep, more than the {MAX_DEPTH} a query may use"
        )
    operators = len(_OPERATOR.findall(_QUOTED.sub(" ", q)))
    if operators > MAX_OPERATORS:
        found.append(
            f"it has {operators} of NOT, ANDNOT and ANDMAYBE, more than the "
            f"{MAX_OPERATORS} a query may use"
        )
    return found


def count_terms(query: wq.Query, reader, limit: int) -> tuple[int, str]:
    """Return the terms ``query`` searches (up to ``limit`` + 1) and the widest part.

    A wildcard, prefix, fuzzy term or range counts every word it expands to in the
    index open as ``reader``; the count stops once it passes ``limit``.
    """
    total, widest, widest_count = 0, "", 0
    stack = [query]
    while stack and total <= limit:
        node = stack.pop()
        if isinstance(node, wq.MultiTerm):
            expanded = 0
            for _ in node._btexts(reader):
                expanded += 1
                if total + expanded > limit:
                    break
            total += expanded
            if expanded > widest_count:
                widest, widest_count = str(node), expanded
        elif node.is_leaf():
            total += 1
        else:
            stack.extend(node.children())
    return total, widest


def check_terms(query: wq.Query, reader, limit: int | None = None) -> None:
    """Refuse a query that searches more than ``limit`` terms (:data:`MAX_TERMS`).

    :raise QueryTooCostlyError: naming the widest wildcard when there is one.
    """
    limit = MAX_TERMS if limit is None else limit
    total, widest = count_terms(query, reader, limit)
    if total <= limit:
        return
    if widest:
        raise QueryTooCostlyError(
            f"the query searches more than {limit} words ({widest} alone matches "
            "too many); type more letters before the wildcard"
        )
    raise QueryTooCostlyError(
        f"the query searches more than {limit} words; use fewer words"
    )


def start_deadline(seconds: float) -> None:
    """Give the current thread's request ``seconds`` from now (0 or less: none)."""
    _local.deadline = time.monotonic() + seconds if seconds > 0 else None


def clear_deadline() -> None:
    """Drop the current thread's deadline."""
    _local.deadline = None


def check_deadline() -> None:
    """Stop the current request once its deadline has passed.

    :raise RequestTimeoutError: when the deadline set by :func:`start_deadline`
        has passed.
    """
    deadline = getattr(_local, "deadline", None)
    if deadline is not None and time.monotonic() > deadline:
        _local.deadline = None  # the error page itself must not time out
        raise RequestTimeoutError(
            "this request took longer than the portal allows and was stopped; "
            "try a shorter or simpler query, or fewer filters"
        )


def _start_request() -> None:
    start_deadline(float(current_app.config["REQUEST_SECONDS"]))


def _end_request(_exc: BaseException | None) -> None:
    clear_deadline()


def init_app(app: Flask) -> None:
    """Give every request of ``app`` the deadline ``REQUEST_SECONDS`` sets."""
    app.before_request(_start_request)
    app.teardown_request(_end_request)
