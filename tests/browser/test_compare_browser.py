from tests.browser.conftest import screenshot


def test_the_compare_page_picks_a_theme_and_shows_year_columns(page, live_server):
    page.goto(live_server + "/compare")
    page.get_by_label("Theme").select_option("workforce")
    page.get_by_role("button", name="Compare").click()
    page.wait_for_url("**/compare?theme=workforce*")
    columns = page.locator(".compare-column")
    assert columns.count() == 4
    assert columns.locator("h2").all_inner_texts() == ["2016", "2017", "2022", "2023"]
    boxes = [columns.nth(i).bounding_box() for i in range(4)]
    assert len({round(b["y"]) for b in boxes}) == 1  # side by side on a wide screen
    assert "19 of 214 passages" in columns.nth(3).inner_text()
    assert columns.nth(3).locator("mark").count() > 0
    screenshot(page, "compare-desktop")


def test_echo_badges_lead_to_the_diff_of_the_openings(page, live_server):
    page.goto(live_server + '/compare?q="write with regard"')
    badge = page.locator(".echo-badge").first
    assert badge.inner_text().startswith("Same wording in 20")
    screenshot(page, "compare-echoes")
    badge.click()
    page.wait_for_url("**/diff?a=*")
    assert page.locator(".diff-side").count() == 2
    assert "I write with regard to" in page.locator(".diff-side").first.inner_text()
    screenshot(page, "diff")


def test_the_compare_columns_stack_on_a_phone(browser, live_server):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(live_server + "/compare?theme=oversight-accountability")
        columns = page.locator(".compare-column")
        boxes = [columns.nth(i).bounding_box() for i in range(columns.count())]
        assert [b["x"] for b in boxes] == [boxes[0]["x"]] * len(boxes)
        assert boxes == sorted(boxes, key=lambda b: b["y"])
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390
        screenshot(page, "compare-phone")
    finally:
        context.close()


def test_the_trend_chart_and_alignment_render(page, live_server):
    page.goto(
        live_server + "/compare/trend?theme=workforce&theme=oversight-accountability"
    )
    assert page.locator("svg polyline").count() == 2
    assert page.locator(".trend-table tbody tr").count() == 2
    screenshot(page, "trend")
    page.goto(
        live_server
        + "/align?letter=2023-07-18-mopac-letter-serious-organised-crime-inspection"
    )
    assert page.locator(".align-pair").count() == 4
    screenshot(page, "align")
