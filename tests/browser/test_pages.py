"""Every page type in a real browser: accessibility (axe-core), keyboard access, and no script errors."""

import re
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ARTICLE = "/articles/austin-israel-2021-04/"
PAGES = [
    "/",
    "/visits/",
    "/visits/?map=visitor&date_from=2021-01-01&date_to=2021-12-31",  # the map's other side, the timeline by month
    "/visits/?country=FR",  # pictures with no data
    "/visits/lloyd-austin-israel-2021-04/",
    "/officials/",
    "/officials/?q=au",
    "/officials/lloyd-austin/",
    "/visits/facets/official/?country=IL",
    "/topics/",
    "/topics/iran/",
    "/countries/",
    "/countries/IL/",
    "/statements/",
    "/articles/",
    ARTICLE,
]
BLOCKING = {"serious", "critical"}
PHONE = {"width": 375, "height": 812}


def contrast(first, second):
    """WCAG contrast ratio of two opaque CSS colours given as `rgb(r, g, b)`."""

    def luminance(css):
        channels = [int(c) / 255 for c in re.fullmatch(r"rgba?\((\d+), (\d+), (\d+)(, 1)?\)", css).groups()[:3]]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def open_page(page, live_server, path):
    response = page.goto(live_server.url + path)
    assert response.status == 200, f"{path} answered {response.status}"
    return response


def blocking_violations(page):
    """axe-core's serious and critical violations on `page`, one readable line per failing node."""
    violations = Axe().run(page).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {node['target']}: {node.get('failureSummary', '')}"
        for v in violations
        if v["impact"] in BLOCKING
        for node in v["nodes"]
    ]


@pytest.mark.parametrize("path", PAGES)
def test_axe_reports_no_serious_or_critical_violation_on_the_page(live_server, page, seeded, path):
    open_page(page, live_server, path)
    assert blocking_violations(page) == []


@pytest.mark.browser_context_args(viewport=PHONE)
@pytest.mark.parametrize(
    "path",
    [
        "/visits/",
        ARTICLE,
        "/officials/",
        "/countries/",
        "/visits/lloyd-austin-israel-2021-04/",
        "/officials/lloyd-austin/",
        "/countries/IL/",
        "/topics/iran/",
    ],
)
def test_axe_reports_no_serious_or_critical_violation_on_a_375_px_wide_screen(live_server, page, seeded, path):
    open_page(page, live_server, path)
    assert page.viewport_size["width"] == 375
    assert blocking_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, "the page scrolls sideways"


def test_tab_from_the_top_reaches_the_skip_link_first_and_enter_on_it_moves_focus_to_main(live_server, page, seeded):
    open_page(page, live_server, "/visits/")
    skip_link = page.get_by_role("link", name="Skip to content")
    expect(skip_link).not_to_be_in_viewport()

    page.keyboard.press("Tab")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    # Its focus ring is visible: a solid outline with 3:1 contrast against the header it sits on (WCAG 1.4.11).
    ring = skip_link.evaluate(
        "el => { const s = getComputedStyle(el); return [s.outlineStyle, s.outlineWidth, s.outlineColor,"
        " getComputedStyle(document.querySelector('.site-header')).backgroundColor]; }"
    )
    assert ring[:2] == ["solid", "3px"]
    assert contrast(ring[2], ring[3]) >= 3, ring

    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    assert urlsplit(page.url).fragment == "main"
    expect(skip_link).not_to_be_in_viewport()

    # The next Tab continues inside main: the first field of the filter form, not the site header.
    page.keyboard.press("Tab")
    expect(page.locator("#id_q")).to_be_focused()


def test_no_page_type_has_javascript_or_console_errors(live_server, page, page_errors, seeded):
    """One browser tab walks through every page type, as a reader would; errors are kept per page."""
    errors_by_page = {}
    for path in PAGES:
        open_page(page, live_server, path)
        page.wait_for_load_state("load")
        if page_errors:
            errors_by_page[path] = page_errors.copy()
            page_errors.clear()
    assert errors_by_page == {}
