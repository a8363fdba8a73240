"""Turn benchmark results into a Markdown table, with each ratio ours / FTS5.

Rows a result lacks are left out, so older result files still render.
"""

from __future__ import annotations

from pathlib import Path

BEGIN = "<!-- bench:begin -->"
END = "<!-- bench:end -->"
# (result key, label); every value is a pair [ours, FTS5 over HTTP].
ROWS = (
    ("build_s", "full build (s)"),
    ("passages_per_s", "build passages/s"),
    ("build_peak_rss_mb", "full build: peak resident memory of one process (MB)"),
    ("reindex_one_s", "re-index one changed document (s)"),
    ("index_mb", "index size (MB)"),
    ("search_p50_ms", "/api/search over HTTP, every answer computed: p50 (ms)"),
    ("search_p95_ms", "/api/search over HTTP, every answer computed: p95 (ms)"),
    ("requests_per_s", "computed requests/s, 2 workers, 4 clients"),
    ("worker_peak_rss_mb", "serving worker peak RSS (MB)"),
    ("first_request_ms", "slowest warm-up request: a worker opening the index (ms)"),
)
HEADER = "| measure | ours | FTS5 over HTTP | ours / FTS5 over HTTP |"


def _ratio(ours: float, theirs: float) -> str:
    return f"{ours / theirs:.2f}" if theirs else "–"


def _heading(size: str, row: dict) -> list[str]:
    requests = row.get("requests")
    asked = f"; {requests:,} measured searches per engine" if requests else ""
    return [
        f"**{int(size):,} passages requested: {row['passages']:,} passages in "
        f"{row['documents']:,} documents{asked}**",
        "",
        HEADER,
        "|---|---:|---:|---:|",
    ]


def search_rows(row: dict) -> list[str]:
    """Return the FTS5 in-process floor and the memo's rows, where measured."""
    lines = []
    if "search_floor_ms" in row:
        floor50, floor95 = row["search_floor_ms"]
        ours50, ours95 = row["search_p50_ms"][0], row["search_p95_ms"][0]
        lines.append(
            f"| FTS5 in-process, no HTTP (the floor): p50 / p95 (ms); ratio ours "
            f"over HTTP / floor | – | {floor50:,} / {floor95:,} | "
            f"{_ratio(ours50, floor50)} / {_ratio(ours95, floor95)} |"
        )
    if "memo" in row:
        memo = row["memo"]
        lines.append(
            f"| repeated identical request, answered from the worker's memo: p50 / "
            f"p95 (ms); the same requests' first ask p50 | {memo['repeat_p50_ms']:,}"
            f" / {memo['repeat_p95_ms']:,}; {memo['computed_p50_ms']:,} | – | – |"
        )
    return lines


def markdown(results: dict) -> str:
    """Return the results as one Markdown table per corpus size."""
    runs = results.get("runs", [results["machine"]])
    loads = "; ".join(
        f"{m['load_avg_1m']:.1f} to {m.get('load_avg_end', 0):.1f}" for m in runs
    )
    lines = [
        f"Measured {results['date']} on {runs[-1]['cpus']} cores; load average "
        f"during the runs: {loads}.",
        "",
    ]
    for size, row in results["sizes"].items():
        lines += _heading(size, row)
        for key, label in ROWS:
            if key not in row:
                continue  # a row older or newer runs of the benchmark lack
            ours, theirs = row[key]
            lines.append(
                f"| {label} | {ours:,} | {theirs:,} | {_ratio(ours, theirs)} |"
            )
        lines += search_rows(row)
        lines += compare_rows(row)
        if any(row["errors"]):
            lines.append(
                f"| non-200 answers | {row['errors'][0]} | {row['errors'][1]} | |"
            )
        lines.append("")
    return "\n".join(lines)


def compare_rows(row: dict) -> list[str]:
    """Return the table rows of the compare view and of precomputing its themes."""
    compare, lines = row["compare"], []
    if "theme_warm_s" in row:
        lines.append(
            f"| precompute the curated themes after a build (s) | "
            f"{row['theme_warm_s']:,} | – | – |"
        )
    if "skipped" in compare:
        lines.append(f"| compare view | skipped: {compare['skipped']} | | |")
    elif "cold_p50_ms" in compare:
        # Since the memo is measured apart, the compare view is served without it.
        memo = " (memo off)" if "memo" in row else ""
        lines += [
            f"| compare view, all years: first request per theme, median (max) "
            f"over {compare['themes']} themes (ms) | {compare['cold_p50_ms']:,} "
            f"({compare['cold_max_ms']:,}) | – | – |",
            f"| compare view, all years: repeated requests{memo} p50/p95 (ms) | "
            f"{compare['repeat_p50_ms']:,} / {compare['repeat_p95_ms']:,} | – | – |",
        ]
    else:  # a row from an older run: one theme, every request counted
        lines.append(
            f"| compare view, theme {compare['theme']}, all years p50/p95 (ms) | "
            f"{compare['p50_ms']} / {compare['p95_ms']} | – | – |"
        )
    return lines


def update_readme(readme: Path, table: str) -> None:
    """Put ``table`` between the bench markers of ``readme``, if it has them."""
    text = readme.read_text(encoding="utf-8")
    if BEGIN not in text or END not in text:
        return
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    readme.write_text(f"{head}{BEGIN}\n{table}\n{END}{tail}", encoding="utf-8")
