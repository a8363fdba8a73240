"""The search and help pages as HTML; highlighting never runs document text."""

from __future__ import annotations

import re
import shutil
from html import unescape

import pytest

from indexer.store.build import build
from portal.index.handle import get_index
from portal.search.expand import Lexicon
from portal.search.service import highlight_text
from portal.search.specimens import find_specimens, one_letter, typo
from tests.conftest import REPORT_2023, SEED_CORPUS, make_app

OTHER_CORPUS = SEED_CORPUS.parent / "tests" / "corpus" / "documents"

HOSTILE = (
    "Hostile markup in a letter\n\n12 March 2024\n\nDear Sir\n\n"
    'The intelligence unit logged <script>alert("x")</script> and '
    '<img src=x onerror=alert(1)> as evidence & more, said the "analyst".\n\n'
    "A second paragraph about intelligence gathering in London.\n\n"
    "Yours sincerely\n\nJohn Smith\nDirector\n"
)


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "2024-03-12-letter-hostile.txt").write_text(HOSTILE)
    build(corpus, root / "index")
    return make_app(root / "index", corpus)


def test_document_text_is_escaped_and_only_matches_are_marked(hostile_app):
    client = hostile_app.test_client()
    html = client.get("/search?q=intelligence+alert").get_data(as_text=True)
    assert "<script>alert" not in html and "<img src=x" not in html
    assert (
        "<mark>intelligence</mark> unit logged &lt;script&gt;<mark>alert</mark>"
        '("x")&lt;/script&gt; and &lt;img src=x onerror=<mark>alert</mark>(1)&gt; '
        "as evidence &amp; more"
    ) in html
    snippet = client.get("/api/search?q=intelligence").get_json()["results"][0][
        "snippet"
    ]
    assert set(re.findall(r"</?(\w+)", snippet)) == {"mark"}


def test_highlight_text_is_the_public_helper_for_other_pages(hostile_app):
    with hostile_app.test_request_context():
        handle = get_index()
        marked = highlight_text(
            '<b>Intelligence</b> & "intelligent" analysts', "intelligence", handle
        )
    assert str(marked) == (
        "&lt;b&gt;<mark>Intelligence</mark>&lt;/b&gt; &amp; "
        '"<mark>intelligent</mark>" analysts'
    )


def test_highlight_marks_stems_phrases_and_not_excluded_words(app):
    with app.test_request_context():
        handle = get_index()
        text = "Victims' needs: fraud and cyber crime, serious and organised crime"
        assert str(highlight_text(text, "victim -fraud", handle)) == (
            "<mark>Victims</mark>' needs: fraud and cyber crime, "
            "serious and organised crime"
        )
        soc = str(highlight_text(text, "SOC", handle))
    # The expansion marks the whole long form, not every "and" and "crime".
    assert soc.count("<mark>") == 1
    assert "<mark>serious and organised crime</mark>" in soc


def test_the_page_shows_the_sentence_chips_and_the_literal_link(client):
    html = client.get("/search?q=SOC&force=BTP&year=2023").get_data(as_text=True)
    assert re.search(
        r"\d+ passages matching SOC \(SOC expanded\), in 2023, force BTP", html
    )
    assert "SOC</abbr> = serious and organised crime" in html
    assert f'href="/docs/{REPORT_2023}?hl=SOC#' in html
    assert 'href="/search?q=SOC&amp;year=2023&amp;force=BTP&amp;expand=0"' in html
    assert (
        'aria-label="Remove filter Force: BTP" ' in html
        or 'aria-label="Remove filter Force: BTP"' in html
    )
    assert 'href="/search?q=SOC&amp;force=BTP"' in html  # the year chip's removal


def test_the_page_offers_the_correction_both_ways(client):
    html = client.get("/search?q=inteligence").get_data(as_text=True)
    assert "Showing results for" in html and "<strong>intelligence</strong>" in html
    assert 'href="/search?q=inteligence&amp;correct=0"' in html
    declined = client.get("/search?q=inteligence&correct=0").get_data(as_text=True)
    assert "Did you mean" in declined
    assert 'href="/search?q=intelligence&amp;correct=0"' in declined


def test_a_malformed_query_shows_its_notice(client):
    html = client.get('/search?q="serious+organised').get_data(as_text=True)
    assert "a quotation mark is not closed" in html
    assert "searched as plain words: “serious organised”" in html


def test_the_page_is_labelled_for_assistive_technology(client):
    html = client.get("/search?q=fraud").get_data(as_text=True)
    assert '<label for="q"' in html and 'role="search"' in html
    assert '<nav class="pager" aria-label="Pages">' in html or "pager" not in html
    assert "<legend>Force</legend>" in html
    assert re.search(
        r'<input type="checkbox" id="f-force-0" name="force" value="\w+"', html
    )
    assert '<label for="f-force-0">' in html
    # JavaScript only from static files: a strict CSP forbids inline script.
    assert re.findall(r"<script[^>]*>", html) == [
        '<script src="/static/search.js" defer>'
    ]


def test_bad_input_on_the_page_is_a_friendly_400(client):
    response = client.get("/search?from=2023-99-99")
    assert response.status_code == 400
    assert "from must be a date written YYYY-MM-DD" in response.get_data(as_text=True)


def _help_examples(client) -> dict[str, int]:
    """Return the help page's examples with the counts it shows."""
    html = client.get("/help").get_data(as_text=True)
    rows = re.findall(
        r'<tr><td><a href="[^"]*"><code>([^<]+)</code></a></td><td>[^<]*</td>'
        r'<td class="count">([\d,]+)</td>',
        html,
    )
    return {unescape(q): int(n.replace(",", "")) for q, n in rows}


def test_the_help_page_teaches_the_language_with_live_counts(client):
    shown = _help_examples(client)
    assert len(shown) >= 20 and all(shown.values()), shown
    for syntax in (" AND ", " OR ", " NOT ", " -", "*", "?", "=", "/", '"'):
        assert any(syntax in q for q in shown), syntax
    for field in ("author:", "recipient:", "force:", "year:", "type:"):
        assert any(q.startswith(field) for q in shown), field
    html = client.get("/help").get_data(as_text=True)
    assert ">CHIS</a></td><td>covert human intelligence source</td>" in html


@pytest.fixture(scope="module")
def other_client(tmp_path_factory):
    """A portal over tests/corpus/documents: letters and reports that are no seed."""
    root = tmp_path_factory.mktemp("other")
    shutil.copytree(OTHER_CORPUS, root / "corpus")
    build(root / "corpus", root / "index")
    return make_app(root / "index", root / "corpus").test_client()


def test_the_help_examples_come_from_the_served_corpus_and_all_find_something(
    client, other_client
):
    seed, other = _help_examples(client), _help_examples(other_client)
    assert len(other) >= 20 and all(other.values()), other
    # The same lesson, taught with each corpus's own words and names.
    assert set(seed) != set(other)
    documents = other_client.get("/api/documents").get_json()["documents"]
    authors = {d["author"].split()[-1].lower() for d in documents if d["author"]}
    assert any(q.removeprefix("author:") in authors for q in other)
    references = {d["reference"] for d in documents if d.get("reference")}
    assert references & set(other)


def test_each_of_several_recipients_counts_for_the_recipient_example():
    documents = {
        "a": {"id": "a", "recipient": "Ann Smith and Bob Jones"},
        "b": {"id": "b", "recipient": "Ann Smith"},
    }
    spec = find_specimens(documents, Lexicon())
    assert spec.recipient == "smith"


def test_a_typo_example_is_no_word_of_the_corpus():
    counts = {"intelligence": 5, "policing": 3}
    assert typo("intelligence", counts) == "inteligence"
    assert typo("policing", {"policing": 3, "poicing": 1}) not in {"", "poicing"}
    assert one_letter("victim") == "vict?m"
    assert one_letter("crwth") == "crwt?"


def test_static_script_is_served(client):
    response = client.get("/static/search.js")
    assert response.status_code == 200
    assert b'event.key !== "/"' in response.data
    response.close()


def test_the_seed_corpus_is_never_written_by_these_tests():
    assert not list(SEED_CORPUS.glob("*.json"))


def test_a_snippet_never_repeats_text_when_matches_are_close():
    from portal.search.highlight import highlight

    # The second match lies past the first fragment but within reach of its
    # lead-in, so the two fragments overlap and must be joined, not repeated.
    filler = " ".join(f"word{i}" for i in range(100))
    gap = " ".join(f"gap{i}" for i in range(45))
    text = f"{filler} alpha {gap} alpha {filler.replace('word', 'tail')}"
    snippet = str(highlight(text, frozenset({"alpha"})))
    assert snippet.count("<mark>alpha</mark>") == 2
    assert all(snippet.count(f"gap{i} ") <= 1 for i in range(45))
