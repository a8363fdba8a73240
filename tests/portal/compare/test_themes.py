"""The themes file: entry validation, and every curated theme against the corpus."""

from __future__ import annotations

import logging
import shutil

import pytest

from portal.compare.themes import parse_themes
from tests.conftest import SEED_CORPUS, make_app

# For each theme, a passage of every year that discusses it, read off the corpus
# by hand. The theme's query must retrieve each of them.
EVIDENCE = {
    "serious-organised-crime": {
        2016: "as part of the inspection into Regional Organised Crime Units",
        2017: "organised crime groups responsible for trafficking drugs",
        2023: "London does not have a ROCU",
    },
    "victims-witnesses": {
        2017: "support survivors through the criminal justice process",
        2022: "Quality support for victims",
        2023: "support victims during county lines investigations",
    },
    "trust-standards": {
        2016: "police work should be open and transparent",
        2017: "encouraging a culture of fairness and respect",
        2022: "regain the trust and confidence of Londoners",
    },
    "workforce": {
        2017: "The morale, motivation and passion to serve",
        2023: "retaining specialist staff in London",
    },
    "fraud-cybercrime": {
        2016: "a better understanding of fraud",
        2017: "protect organisations and individuals from fraud and online crime",
        2023: "the national lead force for fraud",
    },
    "drugs-county-lines": {
        2017: "trafficking drugs in London and across county lines",
        2023: "County Lines Rescue and Response programmes",
    },
    "vawg": {
        2017: "tackle\nviolence against women and girls",
        2023: "sexual offences;",
    },
    "knife-youth-violence": {
        2017: "producing and implementing a new knife crime strategy",
        2022: "particularly protection of young people",
        2023: "a known driver of violence affecting young people",
    },
    "data-technology-performance": {
        2016: "a public facing dashboard looking at performance",
        2017: "a comprehensive performance framework",
        2022: "creating a new data-led delivery centre",
        2023: "several different IT systems",
    },
    "funding-resources": {
        2016: "This year's funding decisions concerning the ROCU",
        2022: "invested £5 million for additional capacity",
        2023: "It has considerable resources to tackle SOC",
    },
    "partnership-prevention": {
        2016: "preventing serious and organised crime",
        2017: "support partnership work to tackle the organised crime groups",
        2022: "keen to work with partners to achieve the reforms",
        2023: "BTP can access information from partners",
    },
    "safeguarding-exploitation": {
        2017: "protect people vulnerable to crime",
        2023: "criminal exploitation of young people",
    },
    "oversight-accountability": {
        2016: "regular meetings with the Commissioner",
        2017: "Holding the Met and MOPAC to account",
        2022: "Through our established oversight framework",
        2023: "the new London Policing Board and its oversight framework",
    },
}


def test_the_seed_themes_file_has_at_least_ten_themes_and_no_problems(client):
    body = client.get("/api/themes").get_json()
    assert len(body["themes"]) >= 10
    assert "problems" not in body
    assert {t["id"] for t in body["themes"]} == set(EVIDENCE)
    for theme in body["themes"]:
        assert set(theme) == {"id", "label", "description", "query"}
        assert all(theme.values())


@pytest.mark.parametrize("theme_id", sorted(EVIDENCE))
def test_each_theme_retrieves_its_passages_in_every_year_it_appears(client, theme_id):
    body = client.get(f"/api/compare?theme={theme_id}&per_column=50").get_json()
    columns = {c["year"]: c for c in body["columns"]}
    for year, phrase in EVIDENCE[theme_id].items():
        column = columns[year]
        assert column["total"] >= 1, f"{theme_id} finds nothing in {year}"
        texts = [
            " ".join(f"{p['label']} {p['text']}".split()) for p in column["passages"]
        ]
        assert any(" ".join(phrase.split()) in t for t in texts), (
            f"{theme_id} misses {phrase!r}"
        )


BROKEN = """
[[theme]]
id = "good"
label = "Good"
description = "Works."
query = "fraud"

[[theme]]
id = "Bad Id"
label = "Bad id"
description = "Spaces in the id."
query = "fraud"

[[theme]]
id = "no-query"
label = "No query"
description = "Forgot the query."

[[theme]]
id = "good"
label = "Again"
description = "Repeats an id."
query = "crime"

[[theme]]
id = "typo"
label = "Typo"
description = "Unknown key."
query = "crime"
qeury = "crime"
"""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[theme]\nid=", "is not valid TOML"),
        ("title = 'no themes'", "defines no [[theme]] entries"),
        ('theme = ["x"]', "is not a table"),
        (BROKEN, "theme 2 ('Bad Id'): id must be lower-case"),
        (BROKEN, "theme 3 ('no-query'): is missing query"),
        (BROKEN, "theme 4 ('good'): repeats an id"),
        (BROKEN, "theme 5 ('typo'): has unknown keys qeury"),
        (
            '[[theme]]\nid="q"\nlabel="Q"\ndescription="D"\nquery=\'"unclosed\'',
            "query cannot be read: a quotation mark is not closed",
        ),
        (
            '[[theme]]\nid="f"\nlabel="F"\ndescription="D"\nquery="colour:red"',
            "there is no field colour:",
        ),
    ],
)
def test_a_broken_theme_file_reports_each_problem_clearly(tmp_path, text, message):
    themes = parse_themes(text, tmp_path / "themes.toml")
    assert any(message in str(p) for p in themes.problems), themes.problems


def test_the_good_entries_of_a_broken_file_still_work(tmp_path):
    themes = parse_themes(BROKEN, tmp_path / "themes.toml")
    assert [t.id for t in themes.themes] == ["good"]
    assert len(themes.problems) == 4


@pytest.fixture
def broken_corpus(tmp_path):
    target = tmp_path / "corpus"
    shutil.copytree(SEED_CORPUS, target)
    (target / "themes.toml").write_text(BROKEN)
    return target


def test_a_broken_entry_is_logged_at_start_up_and_shown_on_the_compare_page(
    index_dir, broken_corpus, caplog
):
    with caplog.at_level(logging.WARNING):
        app = make_app(index_dir, broken_corpus)
    assert "4 problem(s)" in caplog.text and "repeats an id" in caplog.text
    client = app.test_client()
    page = client.get("/compare").get_data(as_text=True)
    assert "4 entries of themes.toml could not be used" in page
    assert "has unknown keys qeury" in page
    body = client.get("/api/compare?theme=good").get_json()
    assert body["theme"]["id"] == "good" and body["columns"]
    assert len(client.get("/api/themes").get_json()["problems"]) == 4


def test_a_missing_themes_file_is_a_problem_not_a_crash(index_dir, tmp_path):
    corpus = tmp_path / "empty-corpus"
    corpus.mkdir()
    client = make_app(index_dir, corpus).test_client()
    assert client.get("/api/themes").get_json()["themes"] == []
    assert "was not found" in client.get("/compare").get_data(as_text=True)
