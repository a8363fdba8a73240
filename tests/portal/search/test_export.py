"""CSV export: the passages of the page, every one, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io

import pytest

from portal.search.export import COLUMNS, safe_cell
from tests.conftest import make_app


def rows(response) -> list[dict]:
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    # The file starts with a byte-order mark so that Excel reads it as UTF-8.
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


@pytest.mark.parametrize(
    "params",
    [
        {"q": "financial investigators"},
        {"q": "SOC", "force": ["BTP", "CoLP"], "sort": "newest"},
        {"q": "inteligence"},
        {"year": "2017"},
    ],
)
def test_the_csv_json_and_html_twins_list_the_same_passages(client, params):
    body = client.get(
        "/api/search", query_string={**params, "per_page": 100}
    ).get_json()
    exported = rows(client.get("/search.csv", query_string=params))
    assert [r["id"] for r in exported] == [r["id"] for r in body["results"]]
    assert len(exported) == body["total"]
    page = client.get("/search", query_string={**params, "per_page": 100})
    html = page.get_data(as_text=True)
    positions = [html.index(f'id="r-{r["id"]}"') for r in body["results"]]
    assert positions == sorted(positions)


def test_rows_carry_metadata_and_absolute_links(client):
    exported = rows(client.get("/search.csv?q=MoRiLE"))
    assert list(exported[0]) == list(COLUMNS)
    first = exported[0]
    assert first["permalink"] == f"http://localhost/p/{first['id']}"
    assert first["document_url"].startswith(
        f"http://localhost/docs/{first['doc_id']}?hl=MoRiLE#"
    )
    assert first["author"] == "HMICFRS" and first["type"] == "report"
    assert first["date"] == "2023-05-19" and first["year"] == "2023"
    assert "MoRiLE" in first["text"]


def test_the_export_is_capped_at_csv_limit(index_dir, corpus_dir):
    client = make_app(index_dir, corpus_dir, CSV_LIMIT=7).test_client()
    assert len(rows(client.get("/search.csv"))) == 7


def test_the_export_is_not_paged(client):
    exported = rows(client.get("/search.csv?q=police&page=3&per_page=5"))
    total = client.get("/api/search?q=police").get_json()["total"]
    assert len(exported) == total > 5


def test_a_bad_parameter_is_a_400_not_a_cut_file(client):
    response = client.get("/search.csv?from=notadate")
    assert response.status_code == 400
    assert "from must be a date" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("Ordinary text", "Ordinary text"),
        ("£5 million", "£5 million"),
        (None, ""),
        (2023, "2023"),
    ],
)
def test_cells_that_a_spreadsheet_would_run_are_defused(value, cell):
    assert safe_cell(value) == cell


def test_a_passage_starting_with_a_formula_is_defused_in_the_file(tmp_path):
    from indexer.store.build import build

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "2024-01-02-letter-formula.txt").write_text(
        "Formula test\n\n2 January 2024\n\nDear Sir\n\n"
        '=HYPERLINK("http://evil.example","intelligence") was typed here.\n\n'
        "Yours sincerely\n\nJohn Smith\nDirector\n"
    )
    build(corpus, tmp_path / "index")
    client = make_app(tmp_path / "index", corpus).test_client()
    exported = rows(client.get("/search.csv?q=typed"))
    assert exported[0]["text"].startswith("'=HYPERLINK")
