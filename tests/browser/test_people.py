"""Finding a person in a real browser: suggestions as one types (static/visits/suggest.js), and the same
search without JavaScript through the plain form and the facet's page of all officials."""

import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import expect

from .test_pages import blocking_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def two_visits(seeded):
    """The seed visit (Austin to Israel) and Lind's visit to Norway."""
    call_command("load_articles", str(settings.BASE_DIR / "tests" / "data" / "lind-norland.yaml"), stdout=io.StringIO())


def query(page):
    return parse_qs(urlsplit(page.url).query)


def suggestions(page):
    return page.get_by_role("listbox", name="Suggested officials").get_by_role("option")


def visit_titles(page):
    return page.locator("ul.visit-list > li.visit-row h3")


def test_two_letters_suggest_the_person_and_choosing_them_filters_the_list(live_server, page, page_errors, two_visits):
    page.goto(f"{live_server.url}/visits/?date_from=2020-01-01")
    box = page.get_by_role("combobox", name="Find an official")
    box.press_sequentially("ga", delay=50)

    options = suggestions(page)
    expect(options).to_have_count(1)
    expect(options.first).to_contain_text("Benny Gantz")
    expect(options.first).to_contain_text("Israel · Defense Minister · 2021 · 1 visit")
    expect(box).to_have_attribute("aria-expanded", "true")

    box.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", options.first.get_attribute("id"))
    box.press("Enter")

    page.wait_for_url(re.compile(r"[?&]official=benny-gantz(&|$)"))
    assert query(page) == {"date_from": ["2020-01-01"], "official": ["benny-gantz"]}
    expect(page.get_by_label(re.compile(r"^Benny Gantz\b"))).to_be_checked()
    expect(visit_titles(page)).to_have_text(["Lloyd Austin in Israel"], use_inner_text=True)
    assert page_errors == []


def test_a_suggestion_is_chosen_with_the_mouse_and_escape_closes_the_list(live_server, page, two_visits):
    page.goto(f"{live_server.url}/visits/")
    box = page.get_by_role("combobox", name="Find an official")
    box.press_sequentially("lin", delay=50)
    expect(suggestions(page)).to_have_count(1)
    box.press("Escape")
    expect(page.get_by_role("listbox")).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")

    box.press_sequentially("d", delay=50)
    suggestions(page).filter(has_text="Maria Lind").click()
    page.wait_for_url(re.compile(r"[?&]official=maria-lind(&|$)"))
    expect(visit_titles(page)).to_have_text(["Maria Lind in Norway"], use_inner_text=True)


def test_the_open_suggestions_are_accessible(live_server, page, two_visits):
    page.goto(f"{live_server.url}/visits/")
    page.get_by_role("combobox", name="Find an official").press_sequentially("li", delay=50)
    expect(suggestions(page).first).to_be_visible()
    assert blocking_violations(page) == []


def test_the_officials_list_suggests_people_and_opens_their_page(live_server, page, two_visits):
    page.goto(f"{live_server.url}/officials/")
    box = page.get_by_role("combobox", name="Name or office")
    box.press_sequentially("aus", delay=50)
    expect(suggestions(page)).to_have_text([re.compile(r"^Lloyd Austin")])
    box.press("ArrowDown")
    box.press("Enter")
    page.wait_for_url(f"{live_server.url}/officials/lloyd-austin/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lloyd Austin")


@pytest.mark.browser_context_args(java_script_enabled=False)
def test_without_javascript_the_search_lists_the_matches_and_a_match_filters_the_list(live_server, page, two_visits):
    page.goto(f"{live_server.url}/visits/?date_from=2020-01-01")
    page.get_by_label("Find an official").fill("gantz")
    page.get_by_label("Find an official").press("Enter")

    page.wait_for_url(re.compile(r"/visits/facets/official/\?"))
    assert query(page) == {"date_from": ["2020-01-01"], "fq": ["gantz"]}
    expect(page.get_by_role("heading", level=2)).to_have_text("1 of 4 officials match “gantz”")
    page.get_by_role("link", name="Benny Gantz").click()

    page.wait_for_url(re.compile(r"/visits/\?"))
    assert query(page) == {"date_from": ["2020-01-01"], "official": ["benny-gantz"]}
    expect(visit_titles(page)).to_have_text(["Lloyd Austin in Israel"], use_inner_text=True)


@pytest.mark.browser_context_args(java_script_enabled=False)
def test_without_javascript_the_officials_list_searches_by_name(live_server, page, two_visits):
    page.goto(f"{live_server.url}/officials/")
    page.get_by_label("Name or office").fill("lind")
    page.get_by_role("button", name="Find").click()
    page.wait_for_url(re.compile(r"/officials/\?"))
    expect(page.locator("table.people tbody tr")).to_have_count(1)
    expect(page.locator("table.people tbody td").first).to_have_text("Maria Lind")
