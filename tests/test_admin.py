"""The admin: roles, validation shared with the loader, edit marks, history, query counts."""

import io

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.utils import timezone

from visits.models import Article, Statement, Topic, Visit, VisitTopic

from .factories import build_archive
from .helpers import ADMIN, opened_state, staff_in, statement_form_data, visit_form_data

SEED_VISIT = "lloyd-austin-israel-2021-04"


def test_the_migration_creates_editors_who_change_records_and_viewers_who_only_read(db):
    editors = set(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True))
    viewers = set(Group.objects.get(name="Viewers").permissions.values_list("codename", flat=True))
    assert {"change_visit", "add_statement", "delete_meeting", "view_article"} <= editors
    assert not any(codename.endswith("_user") for codename in editors)
    assert {"view_visit", "view_statement"} <= viewers
    assert {codename.split("_", 1)[0] for codename in viewers} == {"view"}


def test_an_anonymous_user_is_sent_to_the_login_page(client, db):
    response = client.get(ADMIN + "visits/visit/")
    assert response.status_code == 302
    assert response["Location"] == f"{ADMIN}login/?next={ADMIN}visits/visit/"


def test_staff_without_a_group_see_nothing(client, seeded):
    client.force_login(staff_in(None))
    assert client.get(ADMIN + "visits/visit/").status_code == 403


def test_a_viewer_can_read_but_not_change(client, seeded):
    client.force_login(staff_in("Viewers"))
    visit = Visit.objects.get()
    assert client.get(ADMIN + f"visits/visit/{visit.pk}/change/").status_code == 200
    response = client.post(ADMIN + f"visits/visit/{visit.pk}/change/", visit_form_data(visit, end="2021-04-13"))
    assert response.status_code == 403
    assert Visit.objects.get().end.isoformat() == "2021-04-12"


def test_an_editor_changes_a_visit_end_date_and_the_public_page_shows_it(editor_client, seeded):
    visit = Visit.objects.get()
    response = editor_client.post(ADMIN + f"visits/visit/{visit.pk}/change/", visit_form_data(visit, end="2021-04-13"))
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    visit.refresh_from_db()
    assert visit.end.isoformat() == "2021-04-13"
    assert visit.edited_at is not None
    assert (
        '<time datetime="2021-04-13">13 April 2021</time>'
        in editor_client.get(f"/visits/{SEED_VISIT}/").content.decode()
    )


def test_an_end_before_the_start_is_refused_on_the_field_and_changes_nothing(editor_client, seeded):
    visit = Visit.objects.get()
    response = editor_client.post(ADMIN + f"visits/visit/{visit.pk}/change/", visit_form_data(visit, end="2021-04-01"))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["end"] == [
        "the visit ends (2021-04-01) before it starts (2021-04-11)"
    ]
    visit.refresh_from_db()
    assert (visit.end.isoformat(), visit.edited_at) == ("2021-04-12", None)


def test_an_editor_tags_a_statement_with_a_topic_and_the_visit_filter_finds_it(editor_client, seeded):
    statement = Statement.objects.get(quote__startswith="I appreciated hearing")
    sanctions = Topic.objects.get(slug="iran-sanctions")
    assert editor_client.get("/visits/?topic=iran-sanctions").context["page"].paginator.count == 0
    topics = [t.pk for t in statement.topics.all()] + [sanctions.pk]
    response = editor_client.post(
        ADMIN + f"visits/statement/{statement.pk}/change/", statement_form_data(statement, topics=topics)
    )
    assert response.status_code == 302
    assert VisitTopic.objects.filter(topic=sanctions).count() == 1
    assert [v.slug for v in editor_client.get("/visits/?topic=iran-sanctions").context["page"]] == [SEED_VISIT]
    assert Statement.objects.get(pk=statement.pk).edited_at is not None


def test_a_quote_not_in_the_text_is_refused_with_the_closest_passage(editor_client, seeded):
    statement = Statement.objects.get(quote__startswith="I appreciated hearing")
    response = editor_client.post(
        ADMIN + f"visits/statement/{statement.pk}/change/",
        statement_form_data(statement, quote="I appreciated hearing Minister Gantz's views"),
    )
    assert response.status_code == 200
    [error] = response.context["adminform"].form.errors["quote"]
    assert error == "not found in the text; closest passage: '“I appreciated hearing Minister Gantz’s perspectives'"
    assert Statement.objects.get(pk=statement.pk).quote.startswith(
        "I appreciated hearing Minister Gantz’s perspectives"
    )


def test_a_changed_quote_gets_its_offsets_recomputed(editor_client, seeded):
    statement = Statement.objects.get(quote__startswith="I appreciated hearing")
    response = editor_client.post(
        ADMIN + f"visits/statement/{statement.pk}/change/",
        statement_form_data(statement, quote="I appreciated hearing Minister Gantz’s perspectives"),
    )
    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.article.text[statement.start : statement.end] == statement.quote


def test_a_topic_cannot_become_its_own_ancestor(editor_client, seeded):
    iran = Topic.objects.get(slug="iran")
    jcpoa = Topic.objects.get(slug="jcpoa")
    response = editor_client.post(
        ADMIN + f"visits/topic/{iran.pk}/change/",
        {
            "slug": "iran",
            "name": "Iran",
            "parent": jcpoa.pk,
            "description": iran.description,
            "opened_state": opened_state(iran),
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["parent"] == [
        "topic parents form a cycle: iran -> jcpoa -> iran-nuclear-program -> iran"
    ]


def test_editing_an_article_text_moves_its_spans_or_refuses_when_a_quote_would_be_lost(editor_client, seeded):
    article = Article.objects.get()
    data = {f: getattr(article, f) or "" for f in ("slug", "title", "url", "publisher", "author", "language")}
    data |= {"published": article.published.isoformat(), "opened_state": opened_state(article)}
    for prefix in ("statements", "mentions"):
        data |= {
            f"{prefix}-TOTAL_FORMS": 0,
            f"{prefix}-INITIAL_FORMS": 0,
            f"{prefix}-MIN_NUM_FORMS": 0,
            f"{prefix}-MAX_NUM_FORMS": 1000,
        }
    url = ADMIN + f"visits/article/{article.pk}/change/"
    response = editor_client.post(url, data | {"text": "Breaking: " + article.text})
    assert response.status_code == 302
    for statement in Statement.objects.all():
        assert statement.article.text[statement.start : statement.end] == statement.quote
    response = editor_client.post(url, data | {"text": article.text.replace("tremendously", "very")})
    assert response.status_code == 200
    assert "is no longer in the text." in response.context["adminform"].form.errors["text"][0]


def test_history_records_who_changed_what(editor_client, seeded):
    visit = Visit.objects.get()
    editor_client.post(ADMIN + f"visits/visit/{visit.pk}/change/", visit_form_data(visit, end="2021-04-13"))
    latest = visit.history.latest()
    assert latest.history_user.username == "Editors-user"
    delta = latest.diff_against(latest.prev_record)
    assert [(c.field, str(c.old), str(c.new)) for c in delta.changes if c.field == "end"] == [
        ("end", "2021-04-12", "2021-04-13")
    ]
    response = editor_client.get(ADMIN + f"visits/visit/{visit.pk}/history/")
    assert response.status_code == 200


ADMIN_LISTS = {"visit": 12, "statement": 11, "meeting": 11, "official": 8, "topic": 8, "article": 11}


@pytest.mark.parametrize("visits", [2, 5])
@pytest.mark.parametrize("model", list(ADMIN_LISTS))
def test_admin_changelists_run_a_fixed_number_of_queries(editor_client, django_assert_num_queries, model, visits):
    build_archive(visits=visits)
    with django_assert_num_queries(ADMIN_LISTS[model]):
        assert editor_client.get(ADMIN + f"visits/{model}/").status_code == 200


@pytest.mark.parametrize("model", ["visit", "statement", "meeting", "official", "topic", "article"])
def test_every_admin_add_and_change_page_renders(editor_client, seeded, model):
    assert editor_client.get(ADMIN + f"visits/{model}/add/").status_code == 200
    from django.apps import apps

    obj = apps.get_model("visits", model).objects.first()
    assert editor_client.get(ADMIN + f"visits/{model}/{obj.pk}/change/").status_code == 200


# Editors and the loader ------------------------------------------------------


def load(*paths, **options):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("load_articles", *map(str, paths), stdout=out, stderr=err, **options)
        failed = None
    except CommandError as exc:
        failed = str(exc)
    return out.getvalue(), err.getvalue(), failed


@pytest.fixture
def seed_copy(tmp_path):
    """A writable copy of the seed article, to change the annotation after an edit."""
    for suffix in (".txt", ".yaml"):
        source = settings.BASE_DIR / "seeds" / f"austin-israel-2021-04{suffix}"
        (tmp_path / source.name).write_bytes(source.read_bytes())
    return tmp_path / "austin-israel-2021-04.yaml"


def test_admin_edits_survive_reloading_the_seeds(editor_client, seeded):
    visit = Visit.objects.get()
    editor_client.post(ADMIN + f"visits/visit/{visit.pk}/change/", visit_form_data(visit, end="2021-04-13"))
    statement = Statement.objects.get(quote__startswith="I appreciated hearing")
    sanctions = Topic.objects.get(slug="iran-sanctions")
    editor_client.post(
        ADMIN + f"visits/statement/{statement.pk}/change/", statement_form_data(statement, topics=[sanctions.pk])
    )
    out, err, failed = load(settings.BASE_DIR / "seeds")
    assert failed is None
    assert Visit.objects.get().end.isoformat() == "2021-04-13"
    assert [t.slug for t in Statement.objects.get(pk=statement.pk).topics.all()] == ["iran-sanctions"]


def test_a_changed_file_does_not_replace_an_edited_statement_but_says_so(editor_client, db, seed_copy):
    assert load(seed_copy)[2] is None
    statement = Statement.objects.get(quote__startswith="I appreciated hearing")
    sanctions = Topic.objects.get(slug="iran-sanctions") if Topic.objects.filter(slug="iran-sanctions") else None
    topics = [sanctions.pk] if sanctions else []
    editor_client.post(
        ADMIN + f"visits/statement/{statement.pk}/change/", statement_form_data(statement, topics=topics)
    )
    seed_copy.write_text(seed_copy.read_text().replace("language: en", "language: en\n  author: A. Writer"))

    out, err, failed = load(seed_copy)

    assert failed == "1 file(s) not loaded; nothing of them was written."
    assert err == (
        f"{seed_copy}: (edits): not re-loaded: changed in the admin since it was loaded (statement {statement.pk} "
        "by Lloyd Austin); re-loading would replace those changes. Copy them into the file, or run with "
        "--overwrite-edits.\n"
    )
    assert Article.objects.get().author == ""
    assert Statement.objects.get(pk=statement.pk).edited_at is not None

    out, err, failed = load(seed_copy, overwrite_edits=True)
    assert failed is None
    assert Article.objects.get().author == "A. Writer"
    assert not Statement.objects.exclude(edited_at=None).exists()


def test_overwriting_an_edited_article_clears_its_mark_so_the_next_reload_is_not_refused(editor_client, db, seed_copy):
    assert load(seed_copy)[2] is None
    Article.objects.update(edited_at=timezone.now())  # as the admin marks an article it saved
    seed_copy.write_text(seed_copy.read_text().replace("language: en", "language: en\n  author: A. Writer"))
    assert load(seed_copy, overwrite_edits=True)[2] is None
    assert Article.objects.get().edited_at is None

    seed_copy.write_text(seed_copy.read_text().replace("author: A. Writer", "author: B. Writer"))
    out, err, failed = load(seed_copy)

    assert (failed, err) == (None, "")
    assert Article.objects.get().author == "B. Writer"


def test_a_changed_file_keeps_an_edited_visit_and_warns(editor_client, db, seed_copy):
    assert load(seed_copy)[2] is None
    visit = Visit.objects.get()
    editor_client.post(ADMIN + f"visits/visit/{visit.pk}/change/", visit_form_data(visit, end="2021-04-13"))
    seed_copy.write_text(seed_copy.read_text().replace("places: [Tel Aviv]", "places: [Tel Aviv, Jerusalem]"))

    out, err, failed = load(seed_copy)

    assert failed is None
    assert err.startswith(f"warning: {seed_copy}:")
    assert "kept the admin's edit of visit lloyd-austin-israel-2021-04" in err
    visit.refresh_from_db()
    assert (visit.end.isoformat(), visit.places) == ("2021-04-13", ["Tel Aviv", "Jerusalem"])

    assert load(seed_copy, overwrite_edits=True)[2] is None
    seed_copy.write_text(seed_copy.read_text().replace("Jerusalem", "Haifa"))
    assert load(seed_copy, overwrite_edits=True)[2] is None
    visit.refresh_from_db()
    assert (visit.end.isoformat(), visit.places, visit.edited_at) == ("2021-04-12", ["Tel Aviv", "Haifa"], None)
