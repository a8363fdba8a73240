"""The Cite menu, "Follow this search" and the data page, in a real browser."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot
from tests.conftest import LETTER_2023


@pytest.mark.parametrize("width", [390, 1280])
def test_the_cite_menu_opens_with_four_styles_and_three_files(page, live_server, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server}/docs/{LETTER_2023}")
    first = page.locator("div.passage").first.get_attribute("id")
    page.goto(f"{live_server}/p/{first}")
    menu = page.locator("details.cite-menu")
    assert not menu.locator("#cite-apa").is_visible()
    menu.locator("summary").click()
    assert menu.locator("#cite-apa").is_visible()
    assert "Letter to" in menu.locator("#cite-oscola").inner_text()
    assert menu.locator(".cite-files a").count() == 3
    # Nothing sideways at phone width: the menu wraps long URLs.
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width
    screenshot(page, f"cite-menu-{width}")


def test_a_results_page_offers_to_follow_the_search(page, live_server):
    page.goto(f"{live_server}/search?q=county+lines")
    follow = page.get_by_role("link", name="Follow this search (Atom feed)")
    assert follow.get_attribute("href").startswith("/search.atom?q=county")
    feed = page.locator('link[rel="alternate"][type="application/atom+xml"]')
    assert feed.count() == 1
    screenshot(page, "search-follow")


def test_the_about_the_data_page_is_linked_from_home(page, live_server):
    page.goto(live_server + "/")
    page.get_by_role("link", name="About the data and downloads").click()
    page.wait_for_url("**/data")
    assert page.locator("ul.downloads a").count() == 4
    screenshot(page, "about-data")
