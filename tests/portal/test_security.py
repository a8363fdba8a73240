"""Web hardening: headers, inert hostile text in every view, traversal, input limits."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from portal.security import HEADERS
from tests.conftest import LETTER_2016, ROOT, make_app
from tests.hostile import (
    FORMULA,
    IMG,
    PAYLOAD,
    SCRIPT,
    SECRET,
    make_hostile_corpus,
    route_urls,
)

TEMPLATES = ROOT / "portal" / "templates"
FORMULA_START = ("=", "+", "-", "@")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """An app over the seed corpus plus a document whose title and text attack."""
    root = tmp_path_factory.mktemp("hostile-web")
    corpus, index, doc_id = make_hostile_corpus(root)
    app = make_app(index, corpus)
    client = app.test_client()
    found = client.get("/api/search", query_string={"doc": doc_id}).get_json()
    passages = [r["id"] for r in found["results"]]
    return {
        "app": app,
        "client": client,
        "corpus": corpus,
        "doc": doc_id,
        "passages": passages,
    }


def test_every_kind_of_response_carries_the_security_headers(client):
    for url in [
        "/",
        "/search?q=custody",
        "/api/search?q=x",
        "/healthz",
        "/static/style.css",
        "/no-such-page",
        "/api/passages/nope",
        "/api/search?per_page=0",
    ]:
        with client.get(url) as response:
            for name, value in HEADERS.items():
                assert response.headers.get(name) == value, (url, name)


def test_the_content_security_policy_forbids_inline_script_and_framing():
    csp = HEADERS["Content-Security-Policy"]
    directives = dict(d.split(" ", 1) for d in csp.split("; "))
    assert directives["script-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert HEADERS["X-Content-Type-Options"] == "nosniff"
    assert HEADERS["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize(
    "template", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: p.name
)
def test_no_template_has_inline_script_event_handlers_or_styles(template: Path):
    text = template.read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)", text), "inline <script>"
    assert not re.search(r"\son[a-z]+\s*=", text, re.I), "inline event handler"
    assert not re.search(r"<style|\sstyle\s*=", text, re.I), "inline style"
    assert "javascript:" not in text.lower()


def test_the_portal_never_runs_in_debug_mode():
    makefile = (ROOT / "Makefile").read_text()
    run = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "gunicorn" in run
    assert not re.search(r"--reload|--debug|FLASK_DEBUG|flask run", run)
    assert make_app(ROOT, ROOT).debug is False


def _assert_inert_html(url: str, body: str) -> None:
    assert SCRIPT not in body and IMG not in body, url
    soup = BeautifulSoup(body, "html.parser")
    for script in soup.find_all("script"):
        assert script.get("src", "").startswith("/static/"), (url, script)
    for tag in soup.find_all(True):
        handlers = [a for a in tag.attrs if a.lower().startswith("on")]
        assert not handlers, (url, tag)
    assert not soup.find("img", src="x"), url


# Feeds, OpenSearch and sitemaps: well-formed XML, and the HTML an Atom entry
# carries (the highlighted passage) is as inert as a page.
XML_KINDS = (
    "application/atom+xml",
    "application/xml",
    "application/opensearchdescription+xml",
)
JSON_KINDS = ("application/json", "application/vnd.citationstyles.csl+json")
# Reference files are plain text a reference manager reads, never a browser.
TEXT_KINDS = ("application/x-research-info-systems", "application/x-bibtex")


def _assert_inert(url: str, response) -> None:
    assert response.status_code < 500, (url, response.status_code)
    body = response.get_data(as_text=True)
    kind = response.mimetype
    if kind in XML_KINDS:
        root = ET.fromstring(response.data)
        for element in root.iter():
            assert not element.tag.lower().endswith("script"), (url, element.tag)
            if element.tag.endswith("content") and element.get("type") == "html":
                _assert_inert_html(url, element.text or "")
    elif kind in JSON_KINDS:
        json.loads(body)
    elif kind == "application/x-ndjson":
        for line in body.splitlines():
            json.loads(line)
    elif kind in TEXT_KINDS:
        assert response.headers["Content-Disposition"].startswith("attachment")
    elif kind == "text/html":
        assert SCRIPT not in body and IMG not in body, url
        soup = BeautifulSoup(body, "html.parser")
        for script in soup.find_all("script"):
            assert script.get("src", "").startswith("/static/"), (url, script)
        for tag in soup.find_all(True):
            handlers = [a for a in tag.attrs if a.lower().startswith("on")]
            assert not handlers, (url, tag)
        assert not soup.find("img", src="x"), url
    elif kind == "text/csv":
        for row in csv.reader(io.StringIO(body)):
            for cell in row:
                assert not cell.startswith(FORMULA_START), (url, cell)
    else:
        assert kind in ("text/plain", "application/octet-stream", "image/svg+xml"), (
            url,
            kind,
        )
        if kind == "image/svg+xml":
            assert SCRIPT not in body and IMG not in body, url


def test_hostile_text_renders_inert_in_every_get_route(hostile):
    values = {"doc": hostile["doc"], "passage": hostile["passages"][0]}
    query = {
        "q": PAYLOAD,
        "hl": PAYLOAD,
        "doc": hostile["doc"],
        "a": hostile["passages"][0],
        "b": hostile["passages"][-1],
        "letter": hostile["doc"],
        "theme": PAYLOAD,
    }
    urls = route_urls(hostile["app"], values, query)
    assert "/search?" in " ".join(urls) and "/api/search?" in " ".join(urls)
    for url in urls:
        with hostile["client"].get(url) as response:
            _assert_inert(url, response)


def test_the_search_page_shows_the_hostile_title_and_text_escaped(hostile):
    body = (
        hostile["client"]
        .get("/search", query_string={"doc": hostile["doc"], "q": "custody"})
        .get_data(as_text=True)
    )
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "&lt;img src=x onerror=alert(1)&gt;" in body
    assert SCRIPT not in body and IMG not in body


def test_the_home_page_lists_the_hostile_title_escaped(hostile):
    body = hostile["client"].get("/").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body and SCRIPT not in body


def test_the_api_returns_hostile_text_verbatim_as_json(hostile):
    response = hostile["client"].get(
        "/api/search", query_string={"doc": hostile["doc"], "q": PAYLOAD}
    )
    assert response.mimetype == "application/json"
    data = response.get_json()
    assert data["query"] == PAYLOAD
    assert any(PAYLOAD in r["text"] for r in data["results"])
    assert all(r["doc_title"].startswith(FORMULA) for r in data["results"])


def test_a_hostile_query_is_escaped_on_the_search_page(client):
    body = client.get("/search", query_string={"q": PAYLOAD}).get_data(as_text=True)
    assert SCRIPT not in body and IMG not in body
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;' in body


TRAVERSALS = [
    "../secret.txt",
    "..%2fsecret.txt",
    "%2e%2e/secret.txt",
    "%2e%2e%2fsecret.txt",
    "..%252fsecret.txt",
    "....//secret.txt",
    "..\\secret.txt",
    "../../secret.txt",
    "../../../../../../etc/passwd",
    "%2fetc%2fpasswd",
    "/etc/passwd",
    "..%00/secret.txt",
    "%c0%ae%c0%ae/secret.txt",
]


@pytest.mark.parametrize("attack", TRAVERSALS)
@pytest.mark.parametrize(
    "prefix", ["/static/", "/docs/", "/p/", "/api/passages/", "/docs/x/"]
)
def test_path_traversal_never_reaches_a_file_outside_the_portal(
    hostile, prefix, attack
):
    with hostile["client"].get(prefix + attack) as response:
        body = response.get_data(as_text=True)
    assert response.status_code in (400, 404, 308, 301, 410), response.status_code
    assert SECRET not in body and "root:x:0:0" not in body


@pytest.mark.parametrize("attack", TRAVERSALS)
def test_traversal_through_every_route_argument_is_refused(hostile, attack):
    values = {"doc": attack, "passage": attack}
    for url in route_urls(hostile["app"], values, {"path": attack, "file": attack}):
        with hostile["client"].get(url) as response:
            body = response.get_data(as_text=True)
        assert response.status_code < 500, url
        assert SECRET not in body and "root:x:0:0" not in body, url


def test_the_original_file_link_serves_exactly_the_corpus_file(hostile):
    # The reader's link to the original is found on its page, not guessed.
    response = hostile["client"].get(f"/docs/{LETTER_2016}")
    assert response.status_code == 200
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    links = [
        a["href"]
        for a in soup.find_all("a", href=True)
        if a["href"].startswith("/")
        and (
            a.get_text().strip() == f"{LETTER_2016}.txt"
            or "original" in a.get_text().lower()
        )
    ]
    assert links, "the reader shows no link to the original file"
    expected = (hostile["corpus"] / f"{LETTER_2016}.txt").read_bytes()
    for href in links:
        with hostile["client"].get(href) as original:
            assert original.status_code == 200, href
            assert original.get_data() == expected


LIMITS = [
    ({"q": "x" * 1001}, "the query is 1,001 characters; the limit is 1,000"),
    ({"per_page": "101"}, "per_page must be between 1 and 100"),
    ({"per_page": "0"}, "per_page must be between 1 and 100"),
    ({"per_page": "-5"}, "per_page must be between 1 and 100"),
    ({"per_page": "ten"}, "per_page must be a whole number, not 'ten'"),
    ({"page": "0"}, "page must be between 1 and 100000"),
    ({"page": "100001"}, "page must be between 1 and 100000"),
    ({"page": "1e3"}, "page must be a whole number"),
    ({"page": "9" * 400}, "page must be"),
    ({"sort": "popular"}, "sort must be one of"),
]


@pytest.mark.parametrize(("args", "message"), LIMITS)
def test_out_of_range_parameters_answer_400_with_a_json_message(client, args, message):
    response = client.get("/api/search", query_string=args)
    assert response.status_code == 400
    body = response.get_json()
    assert body["error"]["status"] == 400
    assert message in body["error"]["message"]


@pytest.mark.parametrize(("args", "message"), LIMITS)
def test_out_of_range_parameters_answer_400_with_a_friendly_page(client, args, message):
    response = client.get("/search", query_string=args)
    assert response.status_code == 400
    assert response.mimetype == "text/html"
    body = response.get_data(as_text=True)
    assert "Bad request" in body and "Back to the start page" in body
    assert "Traceback" not in body


@pytest.mark.parametrize(
    "date", ["2023-13-01", "yesterday", "2023-02-30", "99999-01-01", "2023/01/01"]
)
def test_a_malformed_date_filter_answers_400(client, date):
    for name in ("from", "to"):
        response = client.get("/api/search", query_string={name: date})
        assert response.status_code == 400, (name, date)
        assert name in response.get_json()["error"]["message"]
