"""The share of passages matching each theme per year, and its chart geometry.

The chart is drawn on the server as SVG, so it needs no JavaScript: this module
works out every coordinate and tick, and the template only writes them out.
"""

from __future__ import annotations

import math

from portal.compare.service import allowed_documents, passage_query, year_scope
from portal.index.handle import get_index
from portal.search.links import compare_url
from portal.search.service import parse_query, ranking

WIDTH, HEIGHT = 640, 320
LEFT, RIGHT, TOP, BOTTOM = 56, 20, 16, 40
# Colour-blind-safe (Okabe-Ito) colours, each with its own dash pattern and
# marker, so series stay apart in greyscale prints too.
STYLES = [
    ("#0072B2", "", "circle"),
    ("#D55E00", "6 3", "square"),
    ("#009E73", "2 3", "diamond"),
    ("#CC79A7", "8 3 2 3", "circle"),
    ("#E69F00", "4 2", "square"),
    ("#56B4E9", "1 2", "diamond"),
    ("#000000", "10 4", "circle"),
    ("#999999", "3 3", "square"),
]


def _nice_top(value: float) -> float:
    # Round the highest share up to 1, 2, 2.5 or 5 times a power of ten.
    if value <= 0:
        return 0.1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return min(1.0, step * power)
    return 1.0


def chart(series: list[dict], years: list[str]) -> dict:
    """Return the SVG geometry: axes, ticks, and a line and markers per series."""
    top = _nice_top(max((p["share"] for s in series for p in s["points"]), default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    first, last = int(years[0]), int(years[-1])
    span = max(1, last - first)

    def x(year: int) -> float:
        # Years sit at their true distance, so a gap of five years looks like one.
        if first == last:
            return LEFT + plot_w / 2
        return round(LEFT + plot_w * (year - first) / span, 1)

    def y(share: float) -> float:
        return round(TOP + plot_h * (1 - share / top), 1)

    ticks = [
        {"y": y(top * i / 4), "label": f"{100 * top * i / 4:g}%"} for i in range(5)
    ]
    lines = []
    for number, s in enumerate(series):
        colour, dash, marker = STYLES[number % len(STYLES)]
        points = [{**p, "x": x(p["year"]), "y": y(p["share"])} for p in s["points"]]
        lines.append(
            {
                "label": s["label"],
                "colour": colour,
                "dash": dash,
                "marker": marker,
                "path": " ".join(f"{p['x']},{p['y']}" for p in points),
                "points": points,
            }
        )
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "top": TOP,
        "bottom": HEIGHT - BOTTOM,
        "ticks": ticks,
        "years": [{"x": x(int(yr)), "label": yr} for yr in years],
        "lines": lines,
    }


def trend(
    specs: list[tuple[str, str, str]], years: list[str], filters: dict[str, list[str]]
) -> dict:
    """Return each series' share per year and the chart drawing them."""
    series = [
        {
            "compare_url": compare_url(theme) if theme else "",
            "label": label,
            "query": q,
            "theme": theme or None,
            "points": shares(q, years, filters),
        }
        for label, q, theme in specs
    ]
    return {
        "years": [int(y) for y in years],
        "series": series,
        "chart": chart(series, years) if series and years else None,
    }


def shares(q: str, years: list[str], filters: dict[str, list[str]]) -> list[dict]:
    """Return, per year, how many passages match ``q`` and their share."""
    handle = get_index()
    query = passage_query(parse_query(q, handle))
    matching, _ = ranking.match(handle, query, scored=False)
    allowed = allowed_documents(handle, filters)
    points = []
    for year in years:
        scope = year_scope(handle, year, allowed)
        total = len(matching & scope)
        share = total / len(scope) if scope else 0.0
        points.append(
            {
                "year": int(year),
                "total": total,
                "year_total": len(scope),
                "share": round(share, 6),
                "percent": f"{100 * share:.1f}%" if scope else "–",
            }
        )
    return points
