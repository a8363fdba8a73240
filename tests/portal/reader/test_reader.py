"""The reader: documents with anchors, passage permalinks, citations, old ids."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from indexer.store.build import current_generation
from indexer.store.manifest import record_checksums
from tests.conftest import LETTER_2016, LETTER_2023, REPORT_2023, make_app
from tests.edits import (
    LETTER_FILE,
    passages_of,
)

MALFORMED = ["abc", "ABCDEFGHIJ", "aaaaaaaaa1", "aaaaaaaaaaa", "aaaa.aaaaa", "%3Cb%3E"]


def _text(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture(scope="module")
def revised(revised_index):
    """A client over the revised index, and the old and new ids of the two passages."""
    corpus, index, before = revised_index
    after = passages_of(corpus, LETTER_2023)
    ids = {
        "corrected_old": before[0].id,
        "corrected_new": after[0].id,
        "removed": before[3].id,
        "removed_text": before[3].text,
    }
    return make_app(index, corpus).test_client(), ids


def test_the_reader_gives_every_passage_of_a_document_its_anchor(client, corpus_dir):
    for doc_id in (LETTER_2023, REPORT_2023):
        page = _text(client.get(f"/docs/{doc_id}"))
        passages = passages_of(corpus_dir, doc_id)
        for passage in passages:
            assert f'id="{passage.id}"' in page
        assert page.count('class="passage ') == len(passages)


def test_the_reader_shows_the_metadata_header_with_a_link_to_the_original(client):
    page = _text(client.get(f"/docs/{LETTER_2023}"))
    for expected in (
        "<h1>An inspection of the London regional response to serious and organised",
        "18 July 2023",
        "Sophie Linden, Deputy Mayor for Policing and Crime",
        "Suella Braverman, Home Secretary",
        "MOPAC100723-D4648",
        "Metropolitan Police Service",
        f'href="/docs/{LETTER_2023}/source"',
    ):
        assert expected in page


def test_the_reader_nests_section_headings_by_their_depth(client):
    page = _text(client.get(f"/docs/{REPORT_2023}"))
    assert re.search(
        r'<h2 id="[a-z2-7]{10}" class="passage heading">Introduction', page
    )
    assert re.search(r'<h3 id="[a-z2-7]{10}" class="passage heading">About our', page)


def test_the_reader_numbers_paragraphs_without_counting_headings(client, corpus_dir):
    passages = passages_of(corpus_dir, REPORT_2023)
    body = [p for p in passages if p.kind != "heading"]
    page = _text(client.get(f"/docs/{REPORT_2023}"))
    assert f'<div id="{body[0].id}" class="passage body">' in page
    assert f'href="/p/{body[0].id}" title="Permalink to paragraph 1"' in page
    assert f'title="Permalink to paragraph {len(body)}"' in page
    assert f'title="Permalink to paragraph {len(body) + 1}"' not in page


@pytest.mark.parametrize(
    ("hl", "marked", "unmarked"),
    [
        ("investigators", "<mark>investigators</mark>", None),
        ("investigator", "<mark>investigators</mark>", None),
        ("financial AND investigator", "<mark>Financial</mark>", None),
        ("financ*", "<mark>financial</mark>", None),
        # A phrase is marked where it occurs whole, never word by word.
        (
            '"financial investigators"',
            "<mark>financial investigators</mark>",
            "<mark>financial</mark>",
        ),
        # Acronyms expand as they do in search: the long form is marked.
        ("SOC", "<mark>serious and organised crime</mark>", "<mark>crime</mark>"),
        (
            "investigators NOT financial",
            "<mark>investigators</mark>",
            "<mark>financial",
        ),
        ("force:MPS financial", "<mark>financial</mark>", "<mark>MPS</mark>"),
    ],
)
def test_highlighting_marks_the_query_words_by_their_stem(client, hl, marked, unmarked):
    page = _text(client.get(f"/docs/{REPORT_2023}", query_string={"hl": hl}))
    assert marked in page
    if unmarked:
        assert unmarked not in page


def test_highlighting_escapes_the_text_before_marking_it(client):
    page = _text(client.get(f"/docs/{LETTER_2023}", query_string={"hl": "London"}))
    # Text is escaped as element content: quotes need no escaping there.
    assert "<mark>London's</mark>" in page
    hostile = _text(client.get(f"/docs/{LETTER_2023}", query_string={"hl": "<b>x"}))
    assert "<b>x" not in hostile and "&lt;b&gt;x" in hostile


@pytest.mark.parametrize("hl", ["", "AND", '"unbalanced', "*", "(((", "title:"])
def test_awkward_highlight_queries_never_fail(client, hl):
    response = client.get(f"/docs/{LETTER_2023}", query_string={"hl": hl})
    assert response.status_code == 200


def test_a_highlight_query_longer_than_the_limit_is_refused(client):
    response = client.get(f"/docs/{LETTER_2023}", query_string={"hl": "x" * 1001})
    assert response.status_code == 400
    assert "hl is longer than 1000 characters" in _text(response)


@pytest.mark.parametrize("doc_id", ["no-such-document", "..", "a" * 300, "~root"])
def test_an_unknown_document_answers_404_saying_so(client, doc_id):
    response = client.get(f"/docs/{doc_id}")
    assert response.status_code == 404
    assert "no document has the id" in _text(response)


def test_the_reader_links_a_letter_to_the_report_it_answers(app, client, monkeypatch):
    from portal.index.handle import get_index

    with app.test_request_context():
        handle = get_index()  # the app's generation: the one its requests read
    letter = dict(handle.documents[LETTER_2023], answers=[REPORT_2023])
    report = dict(handle.documents[REPORT_2023], answered_by=[{"id": LETTER_2023}])
    monkeypatch.setitem(handle.documents, LETTER_2023, letter)
    monkeypatch.setitem(handle.documents, REPORT_2023, report)
    page = _text(client.get(f"/docs/{LETTER_2023}"))
    assert f'Answers:</span>\n          <a href="/docs/{REPORT_2023}">' in page
    page = _text(client.get(f"/docs/{REPORT_2023}"))
    assert f'Answered by:</span>\n          <a href="/docs/{LETTER_2023}">' in page


def test_the_source_route_sends_the_original_file(client, corpus_dir):
    # Closing the response closes the file send_file opened.
    with client.get(f"/docs/{LETTER_2023}/source") as response:
        assert response.status_code == 200
        assert response.data == (corpus_dir / LETTER_FILE).read_bytes()
        assert response.mimetype == "text/plain"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize(
    "path",
    [
        "/docs/..%2F..%2Fpyproject.toml/source",
        "/docs/%2Fetc%2Fpasswd/source",
        "/docs/../pyproject.toml/source",
        "/docs/..\\..\\pyproject.toml/source",
        "/docs/%2E%2E/source",
        f"/docs/{LETTER_2023}/source/../../pyproject.toml",
    ],
)
def test_traversal_attempts_on_the_source_route_find_nothing(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert b"[project]" not in response.data and b"root:" not in response.data


def test_a_source_path_pointing_outside_the_corpus_is_refused(
    index_dir, corpus_dir, tmp_path
):
    # Even a tampered documents.json cannot make the portal read outside CORPUS_DIR.
    index = tmp_path / "index"
    shutil.copytree(index_dir, index)
    documents_json = current_generation(index) / "documents.json"
    docs = json.loads(documents_json.read_text())
    for doc in docs:
        doc["source"] = "../../../../../../etc/passwd"
    documents_json.write_text(json.dumps(docs))
    # As if a build had written it: a tampered file alone is refused as damage.
    record_checksums(documents_json.parent)
    client = make_app(index, corpus_dir).test_client()
    response = client.get(f"/docs/{LETTER_2016}/source")
    assert response.status_code == 404
    assert b"root:" not in response.data


def test_the_passage_page_gives_a_ready_citation(client, corpus_dir):
    third = passages_of(corpus_dir, LETTER_2023)[2]
    page = _text(client.get(f"/p/{third.id}"))
    citation = (
        "Sophie Linden, letter to Suella Braverman, 18 July 2023, para 3, "
        f"http://localhost/p/{third.id}"
    )
    assert f'<p class="citation" id="citation">{citation}</p>' in page


def test_a_report_passage_is_cited_by_its_title_and_paragraph(client, corpus_dir):
    body = [p for p in passages_of(corpus_dir, REPORT_2023) if p.kind != "heading"]
    page = _text(client.get(f"/p/{body[30].id}"))
    assert (
        "HMICFRS, An inspection of the London regional response to serious and "
        f"organised crime, 19 May 2023, para 31, http://localhost/p/{body[30].id}"
    ) in page


def test_a_heading_is_cited_by_its_text(client, corpus_dir):
    heading = passages_of(corpus_dir, REPORT_2023)[0]
    page = _text(client.get(f"/p/{heading.id}"))
    assert "19 May 2023, heading “Introduction”, http://localhost/p/" in page


def test_the_passage_page_shows_two_dimmed_passages_either_side(client, corpus_dir):
    passages = passages_of(corpus_dir, REPORT_2023)
    page = _text(client.get(f"/p/{passages[10].id}"))
    for neighbour in passages[8:10] + passages[11:13]:
        assert f'class="passage-text dimmed"><a href="/p/{neighbour.id}">' in page
    assert page.count("passage-text dimmed") == 4
    assert f'class="the-passage" id="{passages[10].id}"' in page


def test_the_passage_page_shows_its_section_path_and_links_to_the_anchor(
    client, corpus_dir
):
    passage = passages_of(corpus_dir, REPORT_2023)[2]
    page = _text(client.get(f"/p/{passage.id}"))
    assert "<ol><li>Introduction</li><li>About our inspection</li></ol>" in page
    assert f'href="/docs/{REPORT_2023}#{passage.id}">Read it in the whole' in page


def test_the_passage_page_has_open_graph_and_description_tags(client, corpus_dir):
    passage = passages_of(corpus_dir, LETTER_2023)[0]
    page = _text(client.get(f"/p/{passage.id}"))
    assert '<meta name="description" content="I write with regard to' in page
    assert '<meta property="og:description" content="I write with regard to' in page
    assert f'<meta property="og:url" content="http://localhost/p/{passage.id}">' in page
    assert '<meta property="og:title" content="Sophie Linden: An inspection' in page
    assert f'<link rel="canonical" href="http://localhost/p/{passage.id}">' in page


def test_the_copy_buttons_are_progressive(client, corpus_dir):
    page = _text(client.get(f"/p/{passages_of(corpus_dir, LETTER_2023)[0].id}"))
    assert '<button type="button" data-copy="citation" hidden>' in page
    assert '<script src="/static/reader.js" defer></script>' in page
    assert "<script>" not in page


def test_the_passage_api_returns_before_and_after(client, corpus_dir):
    passages = passages_of(corpus_dir, LETTER_2023)
    data = client.get(f"/api/passages/{passages[1].id}").get_json()
    assert data["text"] == passages[1].text
    assert [p["id"] for p in data["before"]] == [passages[0].id]
    assert [p["id"] for p in data["after"]] == [p.id for p in passages[2:4]]


@pytest.mark.parametrize("bad", MALFORMED)
def test_a_malformed_id_answers_404_before_any_lookup(client, bad):
    page = client.get(f"/p/{bad}")
    assert page.status_code == 404
    assert "is not a passage id" in _text(page)
    api = client.get(f"/api/passages/{bad}")
    assert api.status_code == 404
    assert "is not a passage id" in api.get_json()["error"]["message"]


def test_an_unknown_well_formed_id_answers_404(client):
    assert client.get("/p/aaaaaaaaaa").status_code == 404
    api = client.get("/api/passages/aaaaaaaaaa")
    assert api.status_code == 404
    assert api.get_json()["error"]["message"] == "no passage has the id 'aaaaaaaaaa'"


def test_an_old_id_redirects_permanently_to_the_corrected_passage(revised):
    client, ids = revised
    old, new = ids["corrected_old"], ids["corrected_new"]
    response = client.get(f"/p/{old}")
    assert response.status_code == 308
    assert response.headers["Location"] == f"/p/{new}?from={old}"
    api = client.get(f"/api/passages/{old}")
    assert api.status_code == 308
    assert api.headers["Location"] == f"/api/passages/{new}"
    assert client.get(f"/api/passages/{old}", follow_redirects=True).get_json()[
        "id"
    ] == (new)


def test_the_redirected_page_says_the_passage_was_revised_and_what_changed(revised):
    client, ids = revised
    page = _text(client.get(f"/p/{ids['corrected_old']}", follow_redirects=True))
    assert "This passage was revised" in page
    assert "on <del>19</del> <ins>18</ins> May 2023" in page
    assert re.search(r"corrected in the index built on \d{1,2} \w+ \d{4}", page)
    assert "(HMICFRS) on 19 May 2023" in page  # the text as first cited


def test_a_forged_from_parameter_does_not_claim_a_revision(revised, corpus_dir):
    client, ids = revised
    other = passages_of(corpus_dir, LETTER_2023)[1].id
    page = _text(client.get(f"/p/{other}?from={ids['corrected_old']}"))
    assert "This passage was revised" not in page


def test_the_reader_keeps_an_anchor_for_the_old_id(revised):
    client, ids = revised
    page = _text(client.get(f"/docs/{LETTER_2023}"))
    assert f'<span id="{ids["corrected_old"]}" class="old-anchor"></span>' in page


def test_a_removed_passage_answers_410_with_its_archived_text(revised):
    client, ids = revised
    response = client.get(f"/p/{ids['removed']}")
    assert response.status_code == 410
    page = _text(response)
    assert ids["removed_text"].replace("'", "&#39;") in page
    assert f'<a href="/docs/{LETTER_2023}">' in page
    api = client.get(f"/api/passages/{ids['removed']}")
    assert api.status_code == 410
    body = api.get_json()
    assert body["ok"] is False and body["error"]["status"] == 410
    assert body["archived"]["text"] == ids["removed_text"]
    assert body["archived"]["doc_url"] == f"/docs/{LETTER_2023}"


def test_a_finding_that_labels_several_paragraphs_is_shown_once(client):
    finding = (
        "The Metropolitan Police Service (MPS) should recruit more financial "
        "investigators and analysts"
    )
    page = _text(client.get(f"/docs/{REPORT_2023}"))
    # Once in the body; the contents list above it names the heading too.
    body = page.split('class="doc-body"', 1)[1]
    assert body.count(finding) == 1


_MARKED = re.compile(r"<mark>(.*?)</mark>", re.S)


@pytest.mark.parametrize("q", ["SOC", '"organised crime"', "investigators", "financ*"])
def test_a_snippet_marks_the_same_words_as_the_reader_it_links_to(app, q):
    from portal.reader.documents import get_document
    from portal.search.highlight import WHOLE
    from portal.search.service import SearchRequest, search

    with app.test_request_context():
        results = search(SearchRequest(q=q, per_page=50)).results
        assert results, f"{q!r} finds nothing in the seed corpus"
        # Each document is rendered once, not once for each of its results.
        shown_by_id = {
            p["id"]: p
            for doc_id in {r["doc_id"] for r in results}
            for p in get_document(doc_id, q)["passages"]
        }
        compared = 0
        for result in results:
            shown = shown_by_id[result["id"]]
            reader = _MARKED.findall(shown["html"])
            snippet = _MARKED.findall(result["snippet"])
            if len(result["text"]) <= WHOLE:
                assert snippet == reader
                compared += len(snippet)
            else:  # a long passage's snippet is cut to fragments around its marks
                assert all(snippet.count(w) <= reader.count(w) for w in snippet)
            if shown["label_html"]:  # the reader shows a repeated label once
                label = _MARKED.findall(str(shown["label_html"]))
                assert _MARKED.findall(result["label_html"]) == label
        assert compared, f"{q!r}: no marked result was short enough to compare"
