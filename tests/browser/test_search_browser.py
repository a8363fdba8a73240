"""The search page in a real browser: facets, chips, acronyms, corrections, links."""

from __future__ import annotations

import re

from tests.browser.conftest import screenshot
from tests.conftest import REPORT_2023


def facet_count(page, facet: str, value: str) -> int:
    """Return the count shown beside a facet value."""
    item = page.locator(f"#facet-{facet} li").filter(
        has=page.locator(f"input[value='{value}']")
    )
    return int(item.locator(".count").inner_text().replace(",", ""))


def description_total(page) -> int:
    return int(page.locator(".description").inner_text().split()[0].replace(",", ""))


def test_ticking_two_forces_and_a_type_filters_counts_and_shows_chips(
    page, live_server
):
    page.goto(live_server + "/search?q=intelligence")
    total = description_total(page)
    btp, colp = facet_count(page, "force", "BTP"), facet_count(page, "force", "CoLP")
    page.locator("#facet-force input[value='BTP']").check()
    page.wait_for_url(re.compile(r"force=BTP"))
    assert description_total(page) == btp < total
    # Ticking a force does not change the force counts: they ignore their own facet.
    assert facet_count(page, "force", "CoLP") == colp
    page.locator("#facet-force input[value='CoLP']").check()
    page.wait_for_url(re.compile(r"force=\w+&force=\w+"))
    both = description_total(page)
    assert max(btp, colp) <= both <= btp + colp
    report = facet_count(page, "type", "report")
    page.locator("#facet-type input[value='report']").check()
    page.wait_for_url(re.compile(r"type=report"))
    assert description_total(page) == report
    chips = page.locator(".chips .chip").all_inner_texts()
    assert sorted(c.split("\n")[0].rstrip(" ×") for c in chips) == [
        "Force: BTP",
        "Force: CoLP",
        "Type: report",
    ]
    assert re.search(
        r"force (BTP or CoLP|CoLP or BTP)", page.locator(".description").inner_text()
    )
    screenshot(page, "search-facets-desktop")


def test_removing_a_chip_drops_only_that_filter(page, live_server):
    page.goto(live_server + "/search?q=intelligence&force=BTP&force=CoLP&type=report")
    page.get_by_role("link", name="Remove filter Force: BTP").click()
    page.wait_for_url(re.compile(r"force=CoLP"))
    assert "force=BTP" not in page.url
    assert page.locator("#facet-force input[value='BTP']").is_checked() is False
    assert page.locator("#facet-force input[value='CoLP']").is_checked()
    assert page.locator(".chips .chip").count() == 2


def test_following_a_result_opens_its_document_at_the_passage(page, live_server):
    page.goto(live_server + "/search?q=financial+investigators")
    first = page.locator(".result").first
    passage_id = first.get_attribute("id").removeprefix("r-")
    link = first.get_by_role("link", name="Read in document")
    href = link.get_attribute("href")
    assert href.endswith(f"#{passage_id}") and "hl=financial%20investigators" in href
    assert first.locator(".permalink").get_attribute("href") == f"/p/{passage_id}"
    response = page.goto(live_server + href)
    assert response.status == 200
    assert page.locator(f"[id='{passage_id}']").count() == 1
    assert page.locator(f"[id='{passage_id}'] mark").count() > 0


def test_acronym_chip_explains_and_offers_a_literal_search(page, live_server):
    page.goto(live_server + "/search?q=SOC")
    chip = page.locator(".expansions .chip").first
    assert "SOC = serious and organised crime" in chip.inner_text()
    assert "defined in" in chip.inner_text()
    assert (
        chip.get_by_role("link")
        .get_attribute("href")
        .startswith(f"/docs/{REPORT_2023}?hl=SOC#")
    )
    expanded = description_total(page)
    screenshot(page, "search-acronym")
    page.get_by_role("link", name="Search literally, without expanding").click()
    page.wait_for_url(re.compile(r"expand=0"))
    assert page.locator(".expansions").count() == 0
    assert description_total(page) < expanded
    assert "(SOC expanded)" not in page.locator(".description").inner_text()


def test_did_you_mean_and_automatic_correction_are_links(page, live_server):
    page.goto(live_server + "/search?q=inteligence")
    correction = page.locator(".correction")
    assert "Showing results for intelligence" in correction.inner_text()
    assert page.locator(".result mark").first.inner_text().lower() == "intelligence"
    page.get_by_role("link", name="inteligence").click()
    page.wait_for_url(re.compile(r"correct=0"))
    assert description_total(page) == 0
    page.locator(".correction a.suggestion").click()
    page.wait_for_url(re.compile(r"q=intelligence"))
    assert description_total(page) > 0
    screenshot(page, "search-did-you-mean")


def test_slash_focuses_the_search_box_and_copy_buttons_appear(page, live_server):
    page.goto(live_server + "/search?q=fraud")
    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "q"
    button = page.locator(".result button.copy").first
    assert button.is_visible()
    button.click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/p/[a-z0-9]+", copied)


def test_search_page_reads_on_a_phone(browser, live_server):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True
    )
    page = context.new_page()
    try:
        page.goto(live_server + "/search?q=serious+organised+crime&force=CoLP")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390
        assert page.locator(".result").first.is_visible()
        screenshot(page, "search-phone")
    finally:
        context.close()


def test_search_page_works_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server + "/search?q=intelligence")
        page.locator("#facet-force input[value='BTP']").check()
        page.get_by_role("button", name="Apply filters").click()
        page.wait_for_url(re.compile(r"force=BTP"))
        assert page.locator(".chips .chip").count() == 1
        assert page.locator("button.copy").first.is_hidden()
    finally:
        context.close()
