"""Findings routes and their twins: /findings, /findings/<id>, /api/findings, CSV."""

from __future__ import annotations

import csv
import io

import pytest

from tests.conftest import LETTER_2023, REPORT_2023, make_app
from tests.findings.helpers import ACTION_PLAN, PCC_LETTER, PEEL_2024, of


@pytest.fixture
def fclient(findings_index, findings_corpus):
    return make_app(findings_index, findings_corpus).test_client()


def _api(client, query: str = "") -> dict:
    response = client.get(f"/api/findings{query}")
    assert response.status_code == 200
    return response.get_json()


def test_api_lists_every_finding_with_the_documented_fields(fclient, fixture_findings):
    data = _api(fclient)
    assert data["ok"] is True
    assert data["count"] == data["total"] == len(fixture_findings)
    first = data["findings"][0]
    for key in ("id", "kind", "statement", "number", "forces", "report", "section"):
        assert key in first
    assert {"supporting", "grade", "answered", "responses", "recurrences"} <= set(first)
    assert set(first["report"]) == {"id", "title", "date"}
    assert first["url"].endswith(f"/findings/{first['id']}")


@pytest.mark.parametrize(
    ("query", "check"),
    [
        ("?kind=recommendation", lambda f: f["kind"] == "recommendation"),
        ("?force=MPS", lambda f: "MPS" in f["forces"]),
        (f"?report={ACTION_PLAN}", lambda f: f["report"]["id"] == ACTION_PLAN),
        ("?year=2022", lambda f: f["report"]["date"].startswith("2022")),
        ("?answered=no", lambda f: f["answered"] is False and not f["responses"]),
        ("?answered=yes", lambda f: f["answered"] is True and f["responses"]),
        ("?grade=good", lambda f: f["grade"] == "good"),
    ],
)
def test_api_filters(fclient, query, check):
    data = _api(fclient, query)
    assert data["count"] > 0
    assert all(check(f) for f in data["findings"])
    assert data["count"] < data["total"]


def test_values_of_one_facet_are_alternatives_and_facets_combine(fclient):
    both = _api(fclient, "?kind=recommendation&kind=cause-of-concern")
    kinds = {f["kind"] for f in both["findings"]}
    assert kinds == {"recommendation", "cause-of-concern"}
    narrowed = _api(fclient, "?kind=recommendation&force=MPS&answered=no")
    assert [f["number"] for f in narrowed["findings"]] == ["3"]


def test_facet_counts_reflect_the_other_filters(fclient):
    data = _api(fclient, "?force=MPS")
    kinds = {v["value"]: v["count"] for v in data["facets"]["kind"]}
    assert kinds == {"recommendation": 3}
    answered = {v["value"]: v["count"] for v in data["facets"]["answered"]}
    assert answered == {"yes": 2, "no": 1}
    # A facet's own values stay listed, so another can be added.
    forces = {v["value"] for v in data["facets"]["force"]}
    assert {"MPS", "TVP"} <= forces


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("?kind=finding", "kind"),
        ("?grade=fine", "grade"),
        ("?year=20x4", "year"),
        ("?answered=maybe", "answered"),
    ],
)
def test_bad_filters_answer_400_with_a_message(fclient, query, words):
    api = fclient.get(f"/api/findings{query}")
    assert api.status_code == 400
    assert words in api.get_json()["error"]["message"]
    page = fclient.get(f"/findings{query}")
    assert page.status_code == 400 and words.encode() in page.data
    assert fclient.get(f"/findings.csv{query}").status_code == 400


def test_list_page_shows_findings_facets_and_unanswered_count(fclient):
    page = fclient.get("/findings?report=" + PEEL_2024)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Thames Valley Police is good at preventing crime." in html
    assert 'id="facet-answered"' in html and "Unanswered" in html
    data = _api(fclient, "?report=" + PEEL_2024)
    assert f"<strong>{data['unanswered']}</strong> of them unanswered" in html


def test_csv_twin_has_one_row_per_finding(fclient):
    response = fclient.get("/findings.csv?answered=yes")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    data = _api(fclient, "?answered=yes")
    assert [r["id"] for r in rows] == [f["id"] for f in data["findings"]]
    assert all(r["answered"] == "yes" and r["url"].startswith("http") for r in rows)


def test_finding_page_shows_responses_side_by_side_with_diff(fclient, fixture_findings):
    (area,) = [
        f
        for f in of(fixture_findings, PEEL_2024, "area-for-improvement")
        if f["answered"]
    ]
    page = fclient.get(f"/findings/{area['id']}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    response = area["responses"][0]
    assert f"/diff?a={area['passage_id']}&amp;b={response['passage_id']}" in html
    assert f"Score <strong>{response['score']}</strong>" in html
    assert f"/docs/{PCC_LETTER}#{response['passage_id']}" in html
    api = fclient.get(f"/api/findings/{area['id']}").get_json()
    assert api["finding"]["responses"] == area["responses"]


def test_finding_page_lists_recurrences(fclient, fixture_findings):
    (concern,) = of(fixture_findings, PEEL_2024, "cause-of-concern")
    html = fclient.get(f"/findings/{concern['id']}").get_data(as_text=True)
    assert "2021/22 PEEL inspection" in html
    other = concern["recurrences"][0]["id"]
    assert f'href="/findings/{other}"' in html
    # The concern stands since the earliest of its own report and the others.
    first = min(concern["recurs_since"], concern["report"]["date"])
    assert first == concern["recurs_since"] < concern["report"]["date"]
    assert f"Recurs in 1 other report; first raised {first}." in html
    listing = fclient.get("/findings?kind=cause-of-concern").get_data(as_text=True)
    assert f"Recurs in 1 other report; first raised {first}" in listing


@pytest.mark.parametrize("bad", ["aaaaaaaaaaaa", "short", "<script>", "A" * 300])
def test_unknown_or_malformed_ids_are_404(fclient, bad):
    assert fclient.get(f"/findings/{bad}").status_code == 404
    api = fclient.get(f"/api/findings/{bad}")
    assert api.status_code == 404 and api.get_json()["ok"] is False


def test_an_old_id_redirects_to_the_reworded_finding(tmp_path):
    from indexer.store.build import build
    from tests.findings.helpers import copy_corpus, read_findings

    corpus = copy_corpus(tmp_path / "corpus")
    index = tmp_path / "index"
    build(corpus, index)
    (old,) = of(read_findings(index)["findings"], ACTION_PLAN, "recommendation")[2:]
    path = corpus / f"{ACTION_PLAN}.txt"
    path.write_text(path.read_text().replace("annual report", "yearly report"))
    build(corpus, index)
    client = make_app(index, corpus).test_client()
    moved = client.get(f"/findings/{old['id']}")
    assert moved.status_code == 308
    target = moved.headers["Location"]
    assert client.get(target).status_code == 200
    assert client.get(f"/api/findings/{old['id']}").status_code == 308


def test_reader_marks_findings_in_the_report_and_answers_in_the_letter(client):
    report = client.get(f"/docs/{REPORT_2023}").get_data(as_text=True)
    assert report.count("this passage states it") >= 10
    letter = client.get(f"/docs/{LETTER_2023}").get_data(as_text=True)
    assert "Answers the area for improvement" in letter
    assert "recruit more financial investigators" in letter


def test_an_index_without_findings_lists_none(tmp_path, index_dir, corpus_dir):
    import shutil

    from indexer.store.build import current_generation
    from indexer.store.manifest import record_checksums

    copy = tmp_path / "index"
    shutil.copytree(index_dir, copy)
    (current_generation(copy) / "findings.json").unlink()
    # A generation built before findings existed: its manifest never listed them.
    record_checksums(current_generation(copy))
    client = make_app(copy, corpus_dir).test_client()
    assert client.get("/api/findings").get_json()["count"] == 0
    assert client.get("/findings").status_code == 200


def test_pages_of_findings_follow_each_other(fclient):
    everything = _api(fclient)
    first = _api(fclient, "?per_page=5")
    assert len(first["findings"]) == 5 and first["pages"] == -(-first["count"] // 5)
    assert first["prev_url"] is None
    second = fclient.get(first["next_url"]).get_json()
    assert [f["id"] for f in first["findings"] + second["findings"]] == [
        f["id"] for f in everything["findings"][:10]
    ]
    html = fclient.get("/findings?per_page=5").get_data(as_text=True)
    assert "Page 1 of" in html and 'rel="next"' in html
    rows = fclient.get("/findings.csv?per_page=5").get_data(as_text=True)
    assert len(rows.strip().splitlines()) == everything["count"] + 1


@pytest.mark.parametrize(
    "query", ["?page=0", "?page=x", "?per_page=501", "?per_page=-1"]
)
def test_bad_paging_answers_400(fclient, query):
    assert fclient.get(f"/api/findings{query}").status_code == 400
    assert fclient.get(f"/findings{query}").status_code == 400
