"""axe-core on every page: no serious or critical accessibility violation.

axe-core comes from the npm registry (``package.json``; ``make test`` installs it)
and is injected into each page; the page's Content-Security-Policy, which forbids
injected scripts, is bypassed for this test's browser context only.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import screenshot
from tests.conftest import LETTER_2016, LETTER_2023, REPORT_2023

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
SEVERE = {"serious", "critical"}


@pytest.fixture
def axe_page(browser):
    """A page whose CSP lets axe-core be injected."""
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `make test` (it runs npm install)")
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def _first_paragraph(page, live_server: str, doc_id: str) -> str:
    page.goto(f"{live_server}/docs/{doc_id}")
    return page.locator("div.passage").first.get_attribute("id")


PAGES = [
    ("home", "/"),
    ("search", "/search?q=ROCU"),
    ("search-grouped", "/search?q=ROCU&group=doc"),
    ("search-empty", "/search?q=zzzzqqq"),
    ("help", "/help"),
    ("reader", f"/docs/{REPORT_2023}?hl=financial+investigators"),
    ("letter", f"/docs/{LETTER_2016}"),
    ("passage", "PASSAGE"),
    ("compare-themes", "/compare"),
    ("compare", "/compare?theme=serious-organised-crime"),
    ("trend", "/compare/trend?theme=serious-organised-crime&theme=workforce"),
    ("diff", "DIFF"),
    ("align-list", "/align"),
    ("align", f"/align?letter={LETTER_2023}"),
    ("data", "/data"),
    ("findings", "/findings"),
    ("finding", "FINDING"),
    ("not-found", "/docs/no-such-document"),
]


@pytest.mark.parametrize(("name", "path"), PAGES, ids=[p[0] for p in PAGES])
def test_no_page_has_a_serious_or_critical_axe_violation(
    axe_page, live_server, name, path
):
    if path == "PASSAGE":
        path = "/p/" + _first_paragraph(axe_page, live_server, LETTER_2023)
    elif path == "FINDING":
        axe_page.goto(f"{live_server}/findings")
        path = axe_page.locator("a[href^='/findings/']").first.get_attribute("href")
    elif path == "DIFF":
        a = _first_paragraph(axe_page, live_server, LETTER_2023)
        b = _first_paragraph(axe_page, live_server, LETTER_2016)
        path = f"/diff?a={a}&b={b}"
    axe_page.goto(live_server + path)
    axe_page.add_script_tag(path=str(AXE))
    results = axe_page.evaluate("async () => await axe.run(document)")
    severe = [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(str(n["target"]) for n in v["nodes"][:3])
        for v in results["violations"]
        if v["impact"] in SEVERE
    ]
    assert severe == [], f"{name}: " + "; ".join(severe)
    assert results["passes"], "axe ran no check at all"


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("home", "/"),
        ("search-grouped", "/search?q=ROCU&group=doc"),
        ("reader-matches", f"/docs/{REPORT_2023}?hl=financial+investigators"),
        ("trend", "/compare/trend?theme=serious-organised-crime&type=letter"),
        ("compare", "/compare?theme=workforce"),
        ("align", f"/align?letter={LETTER_2023}"),
    ],
)
def test_pages_fit_the_screen_from_phone_to_desktop(
    page, live_server, width, name, path
):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server + path)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"{name}-{width}")
