"""Error handlers: JSON bodies for the API, friendly pages for everything else."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from jinja2 import TemplateNotFound
from werkzeug.exceptions import HTTPException

from portal.exceptions import NotFoundError
from portal.index.handle import IndexNotBuiltError
from portal.index.verify import GenerationDamagedError
from portal.search.cost import QueryTooCostlyError, RequestTimeoutError
from portal.search.service import BadRequestError


def _wants_json() -> bool:
    path = request.path
    return path.startswith("/api/") or path == "/healthz"


def _respond(status: int, title: str, message: str):
    if _wants_json():
        body = {"ok": False, "error": {"status": status, "message": message}}
        return jsonify(body), status
    try:
        page = render_template(
            f"errors/{status}.html", status=status, title=title, message=message
        )
    except TemplateNotFound:
        page = render_template(
            "errors/error.html", status=status, title=title, message=message
        )
    return page, status


def handle_http(exc: HTTPException):
    """Render an HTTP error with the message it was raised with."""
    return _respond(exc.code or 500, exc.name, exc.description or exc.name)


def handle_bad_request(exc: BadRequestError):
    """Answer 400 saying which parameter is wrong."""
    return _respond(400, "Bad request", str(exc))


def handle_not_found(exc: NotFoundError):
    """Answer 404 saying what does not exist."""
    return _respond(404, "Not Found", str(exc))


def handle_not_built(exc: IndexNotBuiltError):
    """Answer 503 saying the index has to be built, instead of a traceback."""
    return _respond(503, "Index not built", str(exc))


def handle_damaged(exc: GenerationDamagedError):
    """Answer 503 saying which files of the index are damaged."""
    return _respond(503, "Index damaged", str(exc))


def handle_too_costly(exc: QueryTooCostlyError):
    """Answer 400 saying which part of the query is too wide."""
    return _respond(400, "Query too broad", str(exc))


def handle_timeout(exc: RequestTimeoutError):
    """Answer 503 saying the request ran out of time, instead of a killed worker."""
    return _respond(503, "Request took too long", str(exc))


def init_app(app: Flask) -> None:
    """Register the error handlers on ``app``."""
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(BadRequestError, handle_bad_request)
    app.register_error_handler(NotFoundError, handle_not_found)
    app.register_error_handler(IndexNotBuiltError, handle_not_built)
    app.register_error_handler(GenerationDamagedError, handle_damaged)
    app.register_error_handler(QueryTooCostlyError, handle_too_costly)
    app.register_error_handler(RequestTimeoutError, handle_timeout)
