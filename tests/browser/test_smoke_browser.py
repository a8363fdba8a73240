from tests.browser.conftest import screenshot


def test_home_page_lists_the_five_documents_and_searches(page, live_server):
    page.goto(live_server + "/")
    assert page.locator("table.documents tbody tr").count() == 5
    page.get_by_label("Search passages").first.fill("financial investigators")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=financial+investigators*")
    assert (
        "matching financial investigators" in page.locator(".description").inner_text()
    )
    assert page.locator(".result mark").count() > 0
    screenshot(page, "search-results")
