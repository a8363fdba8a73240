"""The reading room: grouped results, display names, reader navigation, honest
charts and comparisons, clean URLs, and a set-up that installs only what serving
needs."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from portal.compare.distinctive import count_words, prefer_phrases
from portal.index.names import display_name
from tests.conftest import LETTER_2016, LETTER_2023, REPORT_2023

ROOT = Path(__file__).resolve().parents[3]


def _soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def test_grouped_results_give_each_documents_best_passages_and_the_rest_count(client):
    flat = client.get("/api/search?q=ROCU&per_page=100").get_json()
    body = client.get("/api/search?q=ROCU&group=doc").get_json()
    assert body["grouped"] is True and body["echo"]["group"] == "doc"
    assert body["documents"] == len({r["doc_id"] for r in flat["results"]})
    assert sum(g["matches"] for g in body["groups"]) == flat["total"] == body["total"]
    order = list(dict.fromkeys(r["doc_id"] for r in flat["results"]))
    assert [g["doc_id"] for g in body["groups"]] == order  # best passage first
    for group in body["groups"]:
        shown = [r["id"] for r in flat["results"] if r["doc_id"] == group["doc_id"]]
        assert group["results"] == shown[:3]
        assert group["more"] == group["matches"] - len(group["results"])
        if group["more"]:
            assert group["more_url"] == f"/docs/{group['doc_id']}?hl=ROCU"


def test_the_results_page_toggles_grouping_and_says_how_many_more(client):
    page = _soup(client.get("/search?q=ROCU"))
    toggle = page.select_one(".group-toggle a")
    assert toggle.get_text() == "Group by document"
    grouped = _soup(client.get(toggle["href"]))
    groups = grouped.select("section.doc-group")
    assert len(groups) == 3
    more = grouped.select_one(".more-in-doc a").get_text()
    assert re.fullmatch(r"\d+ more in this document", more)
    form = grouped.select_one("form.search-form input[name=group]")
    assert form["value"] == "doc"  # a new sort or date keeps the grouping


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        (
            {
                "type": "letter",
                "author": "Sophie Linden",
                "recipient": "Suella Braverman",
                "date": "2023-07-18",
            },
            "Letter, Sophie Linden to Suella Braverman, 18 July 2023",
        ),
        (
            {
                "type": "letter",
                "author": "A Chief Constable",
                "recipient": ["Home Secretary", "Mayor", "Chair"],
                "date": None,
            },
            "Letter, A Chief Constable to Home Secretary, Mayor and Chair, undated",
        ),
        (
            {
                "type": "report",
                "author": "",
                "organisation": "HMICFRS",
                "date": "2019-03-01",
            },
            "Report, HMICFRS, 1 March 2019",
        ),
    ],
)
def test_display_names_say_what_who_to_whom_and_when(doc, expected):
    assert display_name(doc) == expected


def test_a_letter_is_told_apart_from_the_report_it_answers_everywhere(client):
    docs = {d["id"]: d for d in client.get("/api/documents").get_json()["documents"]}
    assert docs[LETTER_2023]["title"] == docs[REPORT_2023]["title"]
    assert docs[LETTER_2023]["display_name"] != docs[REPORT_2023]["display_name"]
    home = client.get("/").get_data(as_text=True)
    assert docs[LETTER_2023]["display_name"] in home
    facet = client.get("/api/search?q=ROCU").get_json()["facets"]["doc"]
    labels = {f["value"]: f["label"] for f in facet}
    assert labels[LETTER_2023].startswith("Letter, Sophie Linden to")
    reader = _soup(client.get(f"/docs/{REPORT_2023}"))
    assert "Letter, Sophie Linden" in reader.select_one(".relations").get_text()


def test_the_readers_match_count_is_searchs_count_for_the_document(client):
    for q in ("financial investigators", "ROCU", '"organised crime"'):
        total = client.get(
            "/api/search", query_string={"q": q, "doc": REPORT_2023}
        ).get_json()["total"]
        page = _soup(client.get(f"/docs/{REPORT_2023}", query_string={"hl": q}))
        navs = page.select("nav.match-nav")
        assert len(navs) == total
        assert f"{total} passages of this document match" in page.select_one(
            ".hl-note"
        ).get_text(" ", strip=True)


def test_match_navigation_walks_the_matches_in_reading_order(client):
    page = _soup(client.get(f"/docs/{REPORT_2023}?hl=ROCU"))
    navs = page.select("nav.match-nav")
    # A paragraph holds its navigation; a heading's follows it.
    ids = [
        (n.find_parent(class_="passage") or n.find_previous(class_="passage"))["id"]
        for n in navs
    ]
    assert len(set(ids)) == len(ids) > 2
    assert [n.find("a", rel="next")["href"] for n in navs[:-1]] == [
        f"#{i}" for i in ids[1:]
    ]
    assert [n.find("a", rel="prev")["href"] for n in navs[1:]] == [
        f"#{i}" for i in ids[:-1]
    ]
    assert navs[0].find("a", rel="prev") is None
    assert navs[-1].find("a", rel="next") is None
    assert page.select_one(".hl-note a")["href"] == f"#{ids[0]}"
    assert navs[1].find("span").get_text() == f"Match 2 of {len(navs)}"


def test_the_reader_lists_the_headings_as_contents(client):
    page = _soup(client.get(f"/docs/{REPORT_2023}"))
    links = page.select("nav.toc a")
    headings = page.select(".doc-body .passage.heading")
    assert [a["href"] for a in links] == [f"#{h['id']}" for h in headings]
    assert len(links) > 10


def test_paging_past_the_end_answers_the_last_page_and_says_so(client):
    body = client.get("/api/search?q=SOC&page=99").get_json()
    assert body["page"] == body["pages"] and body["echo"]["page"] == body["pages"]
    assert body["echo"]["page_asked"] == 99
    assert any("no page 99" in notice for notice in body["notices"])


def test_a_form_with_empty_fields_lands_on_a_clean_url(client):
    response = client.get("/search?q=SOC&sort=newest&from=&to=")
    assert response.status_code == 303
    assert response.headers["Location"] == "/search?q=SOC&sort=newest"


def test_the_trend_form_keeps_every_filter_and_warns_about_thin_years(client):
    page = _soup(client.get("/compare/trend?theme=workforce&type=letter&years=2016"))
    assert page.select_one("#trend-type option[selected]")["value"] == "letter"
    assert page.select_one("input[name=years][value='2016']").has_attr("checked")
    assert "whose type is letter" in page.select_one(".scope-note").get_text()
    assert "fewer than 20 passages" in page.select_one(".caution").get_text()
    unfiltered = _soup(client.get("/compare/trend?theme=workforce&years=2023"))
    assert unfiltered.select_one(".caution") is None  # 2023 has 214 passages


def test_distinctive_terms_are_content_words_and_telling_phrases():
    text = (
        "We are concerned regarding county lines. County lines gangs exploit "
        "children, and the county lines model needs action against it."
    )
    stems, forms = count_words([text])
    assert "regard" not in stems and "against" not in stems and "need" not in stems
    assert stems["counti line"] == 3 and forms["counti line"]["county lines"] == 3
    kept = prefer_phrases(
        [{"term": "counti line"}, {"term": "counti"}, {"term": "gang"}]
    )
    assert [t["term"] for t in kept] == ["counti line", "gang"]


def test_echo_badges_and_alignment_scores_are_explained_in_words(client):
    compare = client.get("/compare?theme=serious-organised-crime").get_data(
        as_text=True
    )
    assert "Same wording in" in compare and "echo 20" not in compare
    align = _soup(client.get(f"/align?letter={LETTER_2023}"))
    scores = [s.get_text() for s in align.select(".align-match .score")]
    assert scores and all(
        re.fullmatch(r"(Strong|Moderate|Weak) match · [\d.]+/100", s) for s in scores
    )
    weak = [
        float(s.split("· ")[1].split("/")[0]) for s in scores if s.startswith("Weak")
    ]
    assert all(score < 65 for score in weak)


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/compare?theme=workforce",
        f"/align?letter={LETTER_2023}",
        "/help",
        f"/docs/{LETTER_2016}",
    ],
)
def test_no_page_names_the_libraries_behind_it(client, path):
    assert "rapidfuzz" not in client.get(path).get_data(as_text=True).lower()


def test_every_page_has_a_favicon_and_the_results_a_skip_link(client):
    home = _soup(client.get("/"))
    icon = home.find("link", rel="icon")["href"]
    with client.get(icon) as response:
        assert response.status_code == 200
        assert response.mimetype == "image/svg+xml"
    results = _soup(client.get("/search?q=ROCU"))
    assert results.select_one("a.skip-results")["href"] == "#results"
    assert results.select_one("#results") is not None


def test_make_run_installs_only_what_serving_needs(tmp_path):
    plan = subprocess.run(
        ["make", "-n", "run", f"VENV={tmp_path}/venv"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "pip install --quiet -e ." in plan
    assert "[test]" not in plan
    assert "open http://127.0.0.1:5000/" in plan
