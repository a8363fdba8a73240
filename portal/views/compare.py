"""Compare pages and their JSON twins: themes, compare, trend, diff and align."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template, request, url_for

from portal.compare import align as align_service
from portal.compare import service as compare_service
from portal.compare.params import (
    compare_request,
    read_filters,
    read_years,
    trend_series,
)
from portal.compare.themes import get_themes
from portal.compare.trend import trend as trend_service
from portal.reader.diff import diff_passages
from portal.search.service import BadRequestError

# How an alignment score (0-100) reads to a researcher. On the seed corpus the
# letter paragraphs that really answer a report passage score 66-100, and the
# closest boilerplate ("About us", contact lines) 58-62.
ALIGN_STRONG = 75
ALIGN_WEAK_BELOW = 65
# A year's share resting on fewer passages than this is shown with a caution:
# one passage more or less moves it by five points or more.
TREND_CAUTION_BELOW = 20

bp = Blueprint("compare", __name__)


def _compare_or_none(args):
    """Return the comparison a query string asks for, or None for the bare form."""
    req = compare_request(args, get_themes(), compare_service.available_years())
    return None if req is None else compare_service.compare(req)


@bp.get("/compare")
def compare():
    """Show one column per year for a theme or query, with echoes between them."""
    themes, years = get_themes(), compare_service.available_years()
    try:
        result, error = _compare_or_none(request.args), None
    except BadRequestError as exc:
        result, error = None, str(exc)
    query = request.query_string.decode()
    trend_args = request.args.to_dict(flat=False)
    trend_args.pop("per_column", None)
    return render_template(
        "compare/compare.html",
        result=result,
        error=error,
        themes=themes,
        years=years,
        args=request.args,
        choices=compare_service.facet_choices(),
        api_url=url_for("compare.api_compare") + "?" + query,
        trend_url=url_for("compare.trend", **trend_args),
    ), (400 if error else 200)


@bp.get("/compare/trend")
def trend():
    """Chart the share of each chosen theme per year, with the numbers beside it."""
    themes, years = get_themes(), compare_service.available_years()
    try:
        specs = trend_series(request.args, themes)
        chosen = read_years(request.args, years)
        result = trend_service(specs, sorted(chosen), read_filters(request.args))
        error = None
    except BadRequestError as exc:
        result, error = None, str(exc)
    return render_template(
        "compare/trend.html",
        result=result,
        error=error,
        themes=themes,
        years=years,
        args=request.args,
        choices=compare_service.facet_choices(),
        caution_below=TREND_CAUTION_BELOW,
    ), (400 if error else 200)


@bp.get("/diff")
def diff():
    """Show two passages side by side with their word-level differences."""
    result = diff_passages(request.args.get("a", ""), request.args.get("b", ""))
    return render_template("compare/diff.html", result=result)


@bp.get("/align")
def align():
    """Put a letter's paragraphs beside the report passages they answer."""
    letter = request.args.get("letter", "")
    if not letter.strip():
        return render_template("compare/letters.html", letters=align_service.letters())
    result = align_service.align(letter)
    return render_template(
        "compare/align.html",
        result=result,
        strong_from=ALIGN_STRONG,
        weak_below=ALIGN_WEAK_BELOW,
    )


@bp.get("/api/themes")
def api_themes():
    """List the curated themes, and any entries of the file that are broken."""
    themes = get_themes()
    body = {"themes": [t.to_dict() for t in themes.themes]}
    if themes.problems:
        body["problems"] = [str(p) for p in themes.problems]
    return jsonify(body)


@bp.get("/api/compare")
def api_compare():
    """Return the comparison's columns, terms and echoes as JSON."""
    result = _compare_or_none(request.args)
    if result is None:
        raise BadRequestError("give theme=ID or q=QUERY to compare")
    return jsonify(result)


@bp.get("/api/trend")
def api_trend():
    """Return each theme's share per year as JSON."""
    themes, years = get_themes(), compare_service.available_years()
    specs = trend_series(request.args, themes)
    if not specs:
        raise BadRequestError("give at least one theme=ID or q=QUERY")
    result = trend_service(
        specs, sorted(read_years(request.args, years)), read_filters(request.args)
    )
    del result["chart"]
    return jsonify(result)


@bp.get("/api/diff")
def api_diff():
    """Return the word-level diff of two passages as JSON."""
    result = diff_passages(request.args.get("a", ""), request.args.get("b", ""))
    return jsonify(result)


@bp.get("/api/align")
def api_align():
    """Return a letter's paragraphs with the report passages they answer."""
    result = align_service.align(request.args.get("letter", ""))
    return jsonify(result)
