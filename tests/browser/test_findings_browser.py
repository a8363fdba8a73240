"""The findings pages in a real browser, on a desktop and on a phone."""

from __future__ import annotations

import threading

import pytest
from werkzeug.serving import make_server

from indexer.store.build import build
from tests.browser.conftest import screenshot
from tests.conftest import make_app
from tests.findings.helpers import PCC_LETTER, PEEL_2024, copy_corpus

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def findings_server(tmp_path_factory):
    """Serve the findings fixture corpus; yield its URL."""
    root = tmp_path_factory.mktemp("findings-browser")
    corpus = copy_corpus(root / "corpus")
    build(corpus, root / "index")
    server = make_server("127.0.0.1", 0, make_app(root / "index", corpus))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


def _page(browser, viewport):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


def _no_sideways_scroll(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth + 1"
    )


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_listing_filters_to_the_unanswered_findings(browser, findings_server, viewport):
    context, page = _page(browser, viewport)
    page.goto(findings_server + "/findings")
    total = page.locator(".finding-item").count()
    assert total > 10
    screenshot(page, f"findings-list-{viewport['width']}")
    assert _no_sideways_scroll(page)
    page.locator("#facet-answered").get_by_role("link", name="no").click()
    page.wait_for_url("**answered=no**")
    items = page.locator(".finding-item")
    assert 0 < items.count() < total
    assert items.locator(".answered.no").count() == items.count()
    assert "unanswered" in page.locator(".description").inner_text()
    context.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_a_finding_shows_its_answer_and_opens_the_word_diff(
    browser, findings_server, viewport
):
    context, page = _page(browser, viewport)
    page.goto(findings_server + f"/findings?report={PEEL_2024}&answered=yes")
    page.get_by_role("link", name="vulnerability of callers").click()
    page.wait_for_url("**/findings/*")
    side = page.locator(".response-side").first
    assert "call handlers record the vulnerability" in side.inner_text()
    screenshot(page, f"findings-detail-{viewport['width']}")
    assert _no_sideways_scroll(page)
    side.get_by_role("link", name="Word diff").click()
    page.wait_for_url("**/diff?**")
    assert page.locator("h1").count() == 1
    context.close()


def test_the_reader_links_a_letters_paragraph_to_the_finding_it_answers(
    browser, findings_server
):
    context, page = _page(browser, DESKTOP)
    page.goto(findings_server + f"/docs/{PCC_LETTER}")
    mark = page.locator(".finding-marks .answers").first
    assert "Answers the" in mark.inner_text()
    mark.get_by_role("link").click()
    page.wait_for_url("**/findings/*")
    assert page.locator(".response-side").count() >= 1
    context.close()
