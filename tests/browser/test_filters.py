"""Filtering visits in a real browser, with and without JavaScript, down to the quoted sentence."""

import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import expect

from visits.models import Statement

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AUSTIN = re.compile(r"^Lloyd Austin\b")
QME = re.compile(r"^Qualitative military edge \(QME\)")


@pytest.fixture
def two_visits(seeded):
    """The seed visit plus one by other officials to another country, so a filter has something to drop."""
    call_command("load_articles", str(settings.BASE_DIR / "tests" / "data" / "lind-norland.yaml"), stdout=io.StringIO())


def query(page):
    return parse_qs(urlsplit(page.url).query)


def visit_titles(page):
    return page.locator("ul.visit-list > li.visit-row h3")


def test_a_user_filters_visits_by_official_and_topic_then_reads_the_quote_in_its_source(live_server, page, two_visits):
    page.goto(f"{live_server.url}/visits/")
    expect(visit_titles(page)).to_have_text(["Maria Lind in Norway", "Lloyd Austin in Israel"], use_inner_text=True)

    # site.js submits the form as soon as a facet box changes.
    page.get_by_label(AUSTIN).click()
    page.wait_for_url(re.compile(r"[?&]official=lloyd-austin(&|$)"))
    assert query(page)["official"] == ["lloyd-austin"]
    assert "topic" not in query(page)
    expect(page.get_by_label(AUSTIN)).to_be_checked()
    expect(page.locator("#results-h")).to_have_text("1 visit")
    expect(visit_titles(page)).to_have_text(["Lloyd Austin in Israel"], use_inner_text=True)

    page.get_by_label(QME).click()
    page.wait_for_url(re.compile(r"[?&]topic=qme(&|$)"))
    assert query(page)["official"] == ["lloyd-austin"]
    assert query(page)["topic"] == ["qme"]
    expect(page.get_by_label(AUSTIN)).to_be_checked()
    expect(page.get_by_label(QME)).to_be_checked()
    expect(visit_titles(page)).to_have_text(["Lloyd Austin in Israel"], use_inner_text=True)

    page.get_by_role("link", name="Lloyd Austin in Israel").click()
    page.wait_for_url(f"{live_server.url}/visits/lloyd-austin-israel-2021-04/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lloyd Austin in Israel")

    source_link = page.get_by_role("link", name="in the source", exact=True).first
    href = source_link.get_attribute("href")
    match = re.fullmatch(r"/articles/austin-israel-2021-04/#statement-(\d+)", href)
    assert match, href
    statement = Statement.objects.get(pk=int(match[1]))
    target = f"statement-{statement.pk}"

    source_link.click()
    page.wait_for_url(f"{live_server.url}/articles/austin-israel-2021-04/#{target}")
    assert urlsplit(page.url).fragment == target

    anchor = page.locator(f"[id='{target}']")
    expect(anchor).to_have_count(1)
    assert anchor.evaluate("el => el.tagName") == "MARK"
    anchor_text = anchor.text_content()
    assert anchor_text
    assert statement.quote.startswith(anchor_text)
    expect(anchor).to_have_class(re.compile(r"(^|\s)is-target(\s|$)"))

    # The statement is cut into several marks around linked names; site.js outlines every one, and only them.
    segments = page.locator(f"mark[data-span='{target}']")
    assert "".join(segments.all_text_contents()) == statement.quote
    assert segments.count() > 1
    expect(page.locator("mark.is-target")).to_have_count(segments.count())
    for segment in segments.all():
        expect(segment).to_have_class(re.compile(r"(^|\s)is-target(\s|$)"))


@pytest.mark.browser_context_args(java_script_enabled=False)
def test_the_official_filter_works_without_javascript(live_server, page, two_visits):
    page.goto(f"{live_server.url}/visits/")
    page.get_by_label(AUSTIN).check()
    page.wait_for_timeout(300)
    assert page.url == f"{live_server.url}/visits/", "the box submitted the form although JavaScript is off"

    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"[?&]official=lloyd-austin(&|$)"))
    assert query(page)["official"] == ["lloyd-austin"]
    expect(page.get_by_label(AUSTIN)).to_be_checked()
    expect(page.locator("#results-h")).to_have_text("1 visit")
    expect(visit_titles(page)).to_have_text(["Lloyd Austin in Israel"], use_inner_text=True)


def test_a_country_with_no_visits_shows_that_no_visit_matches(live_server, page, seeded):
    page.goto(f"{live_server.url}/visits/?country=FR")
    expect(page.locator("p.empty")).to_have_text("No visits match these filters.")
    expect(visit_titles(page)).to_have_count(0)
    expect(page.locator("#results-h")).to_have_text("0 visits")
