"""An editor at work in the admin, in a real browser, under the strict CSP."""

import importlib
import io

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from playwright.sync_api import expect

from visits.models import Statement, Visit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ADMIN = "/" + settings.ADMIN_URL


def log_in(page, live_server, username, password):
    page.goto(live_server.url + ADMIN)
    expect(page).to_have_url(f"{live_server.url}{ADMIN}login/?next={ADMIN}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


@pytest.fixture(autouse=True)
def roles():
    """The Editors and Viewers groups, as their migration makes them (transactional tests flush them)."""
    from django.apps import apps

    migration = importlib.import_module("visits.migrations.0003_editor_and_viewer_groups")
    migration.create_groups(apps, None)


@pytest.fixture
def editor():
    user = User.objects.create_user("eve", password="a-long-editor-password", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def test_an_editor_changes_a_visit_and_a_statement_and_the_changes_survive_a_reload(
    live_server, page, page_errors, seeded, editor
):
    log_in(page, live_server, "eve", "a-long-editor-password")
    expect(page.get_by_role("heading", name="Records")).to_be_visible()

    visit = Visit.objects.get()
    page.goto(f"{live_server.url}{ADMIN}visits/visit/{visit.pk}/change/")
    page.get_by_label("End").fill("2021-04-13")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    statement = Statement.objects.get(quote__startswith="I appreciated hearing")
    page.goto(f"{live_server.url}{ADMIN}visits/statement/{statement.pk}/change/")
    page.locator(".field-topics .select2-selection").click()
    page.locator(".select2-search__field").last.fill("Sanctions")
    page.locator(".select2-results__option", has_text="Sanctions on Iran").click()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    call_command("load_articles", str(settings.BASE_DIR / "seeds"), stdout=io.StringIO())

    page.goto(f"{live_server.url}/visits/{visit.slug}/")
    expect(page.locator("header .meta time").last).to_have_attribute("datetime", "2021-04-13")
    page.goto(f"{live_server.url}/visits/?topic=iran-sanctions")
    expect(page.locator(".visit-row h3")).to_have_text(["Lloyd Austin in Israel"])
    assert page_errors == []  # no script error and no CSP violation on any admin page visited


def test_a_viewer_sees_records_but_no_save_button(live_server, page, seeded):
    user = User.objects.create_user("vic", password="a-long-viewer-password", is_staff=True)
    user.groups.add(Group.objects.get(name="Viewers"))
    log_in(page, live_server, "vic", "a-long-viewer-password")
    visit = Visit.objects.get()
    page.goto(f"{live_server.url}{ADMIN}visits/visit/{visit.pk}/change/")
    expect(page.get_by_role("heading", name="View visit")).to_be_visible()
    expect(page.get_by_role("button", name="Save", exact=True)).to_have_count(0)
