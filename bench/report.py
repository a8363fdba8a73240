"""Turn benchmark results into a Markdown table, with each ratio ours / FTS5."""

from __future__ import annotations

from pathlib import Path

BEGIN = "<!-- bench:begin -->"
END = "<!-- bench:end -->"
# (result key, label); every value is a pair [ours, FTS5].
ROWS = (
    ("build_s", "full build (s)"),
    ("passages_per_s", "build passages/s"),
    ("reindex_one_s", "re-index one changed document (s)"),
    ("index_mb", "index size (MB)"),
    ("search_p50_ms", "/api/search p50 (ms)"),
    ("search_p95_ms", "/api/search p95 (ms)"),
    ("search_cold_p50_ms", "/api/search p50, first round only (ms)"),
    ("search_cold_p95_ms", "/api/search p95, first round only (ms)"),
    ("requests_per_s", "requests/s, 2 workers, 4 clients"),
    ("worker_peak_rss_mb", "serving worker peak RSS (MB)"),
    ("first_request_ms", "first request of a worker (ms)"),
)


def _ratio(ours: float, theirs: float) -> str:
    return f"{ours / theirs:.2f}" if theirs else "–"


def markdown(results: dict) -> str:
    """Return the results as one Markdown table per corpus size."""
    runs = results.get("runs", [results["machine"]])
    loads = "; ".join(
        f"{m['load_avg_1m']:.1f} to {m.get('load_avg_end', 0):.1f}" for m in runs
    )
    lines = [
        f"Measured {results['date']} on {runs[-1]['cpus']} cores; load average "
        f"during the runs: {loads} (other work shared the machine).",
        "",
    ]
    for size, row in results["sizes"].items():
        lines += [
            f"**{int(size):,} passages requested: {row['passages']:,} passages in "
            f"{row['documents']:,} documents**",
            "",
            "| measure | ours | FTS5 | ours / FTS5 |",
            "|---|---:|---:|---:|",
        ]
        for key, label in ROWS:
            if key not in row:
                continue  # a row from an older run of the benchmark
            ours, theirs = row[key]
            lines.append(
                f"| {label} | {ours:,} | {theirs:,} | {_ratio(ours, theirs)} |"
            )
        for kind, (ours, theirs) in row["search_by_kind_p50_ms"].items():
            lines.append(
                f"| p50 {kind} queries (ms) | {ours:,} | {theirs:,} | "
                f"{_ratio(ours, theirs)} |"
            )
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
        lines += [
            f"| compare view, all years: first request per theme, median (max) "
            f"over {compare['themes']} themes (ms) | {compare['cold_p50_ms']:,} "
            f"({compare['cold_max_ms']:,}) | – | – |",
            f"| compare view, all years: repeated requests p50/p95 (ms) | "
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
