"""The reader in a real browser: permalinks copied, opened afresh, read on a phone."""

from __future__ import annotations

import threading

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from tests.browser.conftest import screenshot
from tests.conftest import LETTER_2023, REPORT_2023, make_app
from tests.edits import passages_of

PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def revised_server(revised_index):
    """Serve an index rebuilt after a correction and a deletion; yield URL and ids."""
    corpus, index, before = revised_index
    app = make_app(index, corpus)
    server = make_server("127.0.0.1", 0, app)
    app.config["BASE_URL"] = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", before
    server.shutdown()
    thread.join(timeout=5)


def _fresh_page(browser, **options):
    context = browser.new_context(**options)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


def test_a_permalink_copied_from_a_result_opens_the_passage_in_a_fresh_page(
    page, browser, live_server
):
    page.goto(live_server + "/search?q=financial+investigators")
    first = page.locator(".result").first
    passage_text = first.locator(".snippet").inner_text()[:40].replace("…", "").strip()
    permalink = first.get_by_role("link", name="Permalink").evaluate("a => a.href")
    assert permalink.startswith(live_server + "/p/")

    context, fresh = _fresh_page(browser, viewport={"width": 1280, "height": 900})
    fresh.goto(permalink)
    quote = fresh.locator("blockquote.the-passage").inner_text()
    assert passage_text.split()[0] in quote
    fresh.get_by_role("button", name="Copy link").click()
    # The clipboard write is a promise: wait for the page to say it is done.
    expect(fresh.locator(".copy-status")).to_have_text("Copied link.")
    copied = fresh.evaluate("navigator.clipboard.readText()")
    assert copied == permalink
    fresh.get_by_role("button", name="Copy citation").click()
    expect(fresh.locator(".copy-status")).to_have_text("Copied citation.")
    citation = fresh.evaluate("navigator.clipboard.readText()")
    assert citation.endswith(", " + permalink)
    assert citation.startswith("HMICFRS, An inspection of the London regional")
    screenshot(fresh, "reader-passage-desktop")
    context.close()

    context, again = _fresh_page(browser, viewport={"width": 1280, "height": 900})
    again.goto(copied)
    assert again.locator("blockquote.the-passage").inner_text() == quote
    context.close()


def test_arriving_from_a_search_scrolls_to_the_passage_with_the_words_marked(
    page, live_server
):
    page.goto(live_server + "/search?q=financial+investigators")
    target = page.locator(".result").first.get_attribute("id").removeprefix("r-")
    # The search results link to the reader in this shape.
    page.goto(f"{live_server}/docs/{REPORT_2023}?hl=financial+investigators#{target}")
    passage = page.locator(f"[id='{target}']")
    assert passage.locator("mark").count() >= 2
    box = passage.bounding_box()
    assert 0 <= box["y"] < 900  # scrolled into view
    screenshot(page, "reader-document-desktop")


def test_the_passage_page_reads_well_on_a_phone_and_without_javascript(
    browser, live_server, corpus_dir
):
    passage = passages_of(corpus_dir, LETTER_2023)[2]
    context, phone = _fresh_page(browser, viewport=PHONE, java_script_enabled=False)
    phone.goto(f"{live_server}/p/{passage.id}")
    assert phone.locator("button[data-copy]").first.is_hidden()
    assert "para 3" in phone.locator("#citation").inner_text()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    screenshot(phone, "reader-passage-phone-nojs")
    phone.goto(f"{live_server}/docs/{REPORT_2023}?hl=county+lines")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(phone, "reader-document-phone")
    context.close()


def test_an_old_link_lands_on_the_revised_passage_and_a_removed_one_says_gone(
    browser, revised_server
):
    base, before = revised_server
    context, page = _fresh_page(browser, viewport={"width": 1280, "height": 900})
    page.goto(f"{base}/p/{before[0].id}")
    assert f"from={before[0].id}" in page.url
    assert page.get_by_role("heading", name="This passage was revised").is_visible()
    assert page.locator(".changes del").inner_text() == "19"
    assert page.locator(".changes ins").inner_text() == "18"
    screenshot(page, "reader-revised-desktop")
    response = page.goto(f"{base}/p/{before[3].id}")
    assert response.status == 410
    assert (
        "The Mayor and I will continue" in page.locator(".previous-text").inner_text()
    )
    screenshot(page, "reader-gone-desktop")
    context.close()
