"""An editor pastes an article, reviews its draft and saves it, in a real browser, under the strict CSP."""

import importlib

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from visits.models import Article

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ADMIN = "/" + settings.ADMIN_URL
LIND = (settings.BASE_DIR / "tests" / "data" / "lind-norland.txt").read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def roles():
    """The Editors and Viewers groups, as their migration makes them (transactional tests flush them)."""
    from django.apps import apps

    importlib.import_module("visits.migrations.0003_editor_and_viewer_groups").create_groups(apps, None)


@pytest.fixture
def editor():
    user = User.objects.create_user("eve", password="a-long-editor-password", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def test_an_editor_pastes_an_article_accepts_the_draft_saves_it_and_sees_the_visit(
    live_server, page, page_errors, editor, tmp_path, settings
):
    settings.ANNOTATIONS_DIR = tmp_path / "annotations"
    page.goto(f"{live_server.url}/articles/new")
    page.get_by_label("Username").fill("eve")
    page.get_by_label("Password").fill("a-long-editor-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="New article")).to_be_visible()

    page.get_by_label("Article text").fill(LIND)
    page.get_by_label("Title").fill("Lind opens visit to Norland")
    page.get_by_label("Published").fill("2031-05-04")
    page.get_by_role("button", name="Draft").click()

    rows = page.locator(".statement-row")
    expect(rows).to_have_count(3)
    expect(rows.nth(0).locator("blockquote")).to_have_text("Our waters are shared, and so is our responsibility")
    expect(rows.nth(0).get_by_label("Speaker")).to_have_value("ola-berg")
    expect(page.locator(".official-row").get_by_label("Name").nth(0)).to_have_value("Maria Lind")
    expect(page.locator(".official-row").get_by_label("Name").nth(1)).to_have_value("Ola Berg")
    violations = Axe().run(page).response["violations"]
    assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations] == []
    rows.nth(2).get_by_label("Accept").uncheck()  # "Lind said she would return ...": not about this visit
    page.get_by_role("button", name="Save").click()

    expect(page).to_have_url(f"{live_server.url}/visits/maria-lind-norway-2031-05/")
    expect(page.locator("main")).to_contain_text("Our waters are shared, and so is our responsibility")
    assert [s.speaker.slug for s in Article.objects.get().statements.order_by("start")] == ["ola-berg", "maria-lind"]
    assert sorted(p.name for p in (tmp_path / "annotations").iterdir()) == [
        "2031-05-04-lind-opens-visit-to-norland.txt",
        "2031-05-04-lind-opens-visit-to-norland.yaml",
    ]
    assert page_errors == []  # no script error and no CSP violation
