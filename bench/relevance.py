"""Relevance benchmark: graded judgements over the seed corpus, nDCG@10 and MRR.

``bench/relevance/judgements.jsonl`` holds one researcher query a line: its text,
what kind of query it is, whether it is held back (never used to tune the
ranking), and the passages a careful reader judged relevant, by id, graded
3 (about it), 2 (discusses it), 1 (mentions it). Unjudged passages count as 0.

nDCG@10 uses the exponential gain ``2**grade - 1`` (TREC's and Elasticsearch's
``rank_eval`` form); MRR is the reciprocal rank of the first passage graded 2 or
more in the first 10 (0 when none is). Usage: ``python -m bench.relevance`` builds
the seed corpus into ``var/relevance`` and prints the figures, development and
held-back queries apart; ``--json`` prints every query's figures.
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import statistics
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JUDGEMENTS = ROOT / "bench" / "relevance" / "judgements.jsonl"
K = 10
RELEVANT = 2  # the lowest grade MRR counts as a relevant answer


@dataclass(frozen=True)
class Judged:
    """One benchmark query and its graded passages (id -> grade 1-3)."""

    id: str
    query: str
    kind: str
    held_back: bool
    grades: dict[str, int]


def load_judgements(path: Path = JUDGEMENTS) -> list[Judged]:
    """Return the judged queries of a JSON-lines file.

    :raise ValueError: for a line without a query or with a grade outside 0-3.
    """
    found = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        grades = {str(k): int(v) for k, v in row.get("judgements", {}).items()}
        if not row.get("query") or any(g not in range(4) for g in grades.values()):
            raise ValueError(f"{path.name} line {number}: a query and grades 0-3")
        found.append(
            Judged(
                row["id"],
                row["query"],
                row.get("kind", ""),
                bool(row.get("held_back")),
                grades,
            )
        )
    return found


def dcg(gains: Iterable[int]) -> float:
    """Return the discounted cumulative gain of grades in rank order."""
    return sum((2**g - 1) / math.log2(rank + 2) for rank, g in enumerate(gains))


def ndcg(ranked: list[str], grades: dict[str, int], k: int = K) -> float:
    """Return nDCG@k (0-1) of passage ids ``ranked`` best first (1.0 if none judged)."""
    ideal = dcg(sorted(grades.values(), reverse=True)[:k])
    if ideal == 0:
        return 1.0
    return dcg(grades.get(pid, 0) for pid in ranked[:k]) / ideal


def reciprocal_rank(ranked: list[str], grades: dict[str, int], k: int = K) -> float:
    """Return 1/rank of the first passage graded ``RELEVANT`` or more (0 if none)."""
    for rank, pid in enumerate(ranked[:k], 1):
        if grades.get(pid, 0) >= RELEVANT:
            return 1.0 / rank
    return 0.0


def evaluate(judged: list[Judged], run: Callable[[str], list[str]]) -> dict:
    """Run each query through ``run`` (query -> passage ids best first) and score it.

    Returns ``{"queries": [{id, query, kind, held_back, ndcg, rr, top}],
    "dev": {...}, "held_back": {...}}``, the summaries holding count, mean nDCG@10
    and MRR.
    """
    rows = []
    for item in judged:
        ranked = run(item.query)[:K]
        rows.append(
            {
                "id": item.id,
                "query": item.query,
                "kind": item.kind,
                "held_back": item.held_back,
                "ndcg": round(ndcg(ranked, item.grades), 4),
                "rr": round(reciprocal_rank(ranked, item.grades), 4),
                "top": ranked,
            }
        )
    return {
        "queries": rows,
        "dev": summarise([r for r in rows if not r["held_back"]]),
        "held_back": summarise([r for r in rows if r["held_back"]]),
    }


def summarise(rows: list[dict]) -> dict:
    """Return the count, mean nDCG@10 and MRR of evaluated queries."""
    if not rows:
        return {"queries": 0, "ndcg": 0.0, "mrr": 0.0}
    return {
        "queries": len(rows),
        "ndcg": round(statistics.fmean(r["ndcg"] for r in rows), 3),
        "mrr": round(statistics.fmean(r["rr"] for r in rows), 3),
    }


def portal_runner(app) -> Callable[[str], list[str]]:
    """Return a runner asking the portal's search service for the top passages."""
    from portal.search.service import SearchRequest, search

    def run(q: str) -> list[str]:
        with app.app_context():
            found = search(SearchRequest(q=q, per_page=K))
        return [r["id"] for r in found.results]

    return run


def markdown(report: dict) -> str:
    """Return the two summary lines as a Markdown table."""
    lines = ["| queries | count | nDCG@10 | MRR |", "|---|---|---|---|"]
    for name in ("dev", "held_back"):
        s = report[name]
        label = "development" if name == "dev" else "held back"
        lines.append(f"| {label} | {s['queries']} | {s['ndcg']:.3f} | {s['mrr']:.3f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """Build the seed corpus and print the relevance figures."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.relevance", description=__doc__
    )
    parser.add_argument("--corpus", default=str(ROOT / "corpus"), help="corpus folder")
    parser.add_argument(
        "--index", default=str(ROOT / "var" / "relevance"), help="index folder to build"
    )
    parser.add_argument(
        "--json", action="store_true", help="print every query's figures"
    )
    args = parser.parse_args(argv)
    from indexer.store.build import build
    from portal import create_app

    # A copy of the corpus: building writes the permalink ledger beside it, and the
    # benchmark must not add its builds to the real one.
    corpus = Path(args.index) / "corpus"
    shutil.rmtree(corpus, ignore_errors=True)
    shutil.copytree(args.corpus, corpus)
    index = Path(args.index) / "index"
    build(corpus, index, force=True)
    app = create_app({"INDEX_DIR": str(index), "CORPUS_DIR": str(corpus)})
    report = evaluate(load_judgements(), portal_runner(app))
    if args.json:
        json.dump(report, sys.stdout, indent=1)
        print()
    else:
        print(markdown(report))


if __name__ == "__main__":
    main()
