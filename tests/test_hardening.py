"""Hostile and careless use: no write without permission, no lost edit, no traceback from any file or query.

Each section is one finding of the hostile-use review (see the README's
"Security" section); each test failed before its fix.
"""

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import DataError, OperationalError
from django.test import override_settings
from django.urls import URLPattern, URLResolver, reverse
from django.utils import timezone

import visits.loading
from visits.admin_forms import CHANGED_SINCE_OPENED
from visits.curation import merging
from visits.loading import load_file
from visits.models import (
    Article,
    DuplicateCandidate,
    Meeting,
    Merge,
    Official,
    SourceRecord,
    Statement,
    Topic,
    Visit,
    VisitCountry,
)

from .browser_form import form_data
from .helpers import ADMIN, staff_in

DATA = settings.BASE_DIR / "tests" / "data"
SEEDS = settings.BASE_DIR / "seeds"
HSG = DATA / "hsg"
SEED_VISIT = "lloyd-austin-israel-2021-04"


def database_state():
    """Every row of the data, history, users and admin log, by model: a write of any kind changes it."""
    models = [*apps.get_app_config("visits").get_models(include_auto_created=True)]
    models += [apps.get_model("auth", "User"), apps.get_model("auth", "Group"), apps.get_model("admin", "LogEntry")]
    return {model._meta.label: list(model._default_manager.order_by("pk").values()) for model in models}


def data_state():
    """Every row of the records themselves: what an unchanged save must leave as it was.

    Left out: the audit log (history, admin log), the cache version and the
    log of visits the bitmap index must re-read, which any save renews.
    """
    models = [
        model
        for model in apps.get_app_config("visits").get_models(include_auto_created=True)
        if not hasattr(model, "instance_type") and "history" not in model._meta.db_table
    ]
    # Rebuilt by every refresh: what they say counts, not their ids.
    derived = {
        "visits.VisitOfficial",
        "visits.VisitTopic",
        "visits.VisitCountry",
        "visits.VisitOffice",
        "visits.OfficialName",
    }
    state = {}
    for model in models:
        label = model._meta.label
        if label in ("visits.DataVersion", "visits.IndexChange"):
            continue
        rows = list(model._default_manager.order_by("pk").values())
        if label in derived:
            rows = sorted(tuple(sorted((k, str(v)) for k, v in row.items() if k != "id")) for row in rows)
        state[label] = rows
    return state


@pytest.fixture
def archive(db):
    """The glossary, the seed article, the two test articles and the Office of the Historian fixtures."""
    call_command("loaddata", str(settings.BASE_DIR / "fixtures" / "topic_glossary.json"), verbosity=0)
    articles = [SEEDS, DATA / "lind-norland.yaml", DATA / "norland-talks.yaml"]
    call_command("load_articles", *map(str, articles), stdout=io.StringIO())
    call_command("import_hsg", str(HSG), stdout=io.StringIO(), stderr=io.StringIO())


@pytest.fixture
def superuser_client(client, db):
    client.force_login(User.objects.create_superuser("root", password="x"))
    return client


def client_of(client, user):
    client.logout()
    client.force_login(user)
    return client


# 1. Permissions on every write path ---------------------------------------------


def admin_url_patterns():
    """Yield (url name, pattern) of every admin URL of the visits models, as the admin site defines them."""

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern) and pattern.name and pattern.name.startswith("visits_"):
                yield pattern.name, pattern

    yield from walk(admin.site.get_urls())


# A change each model's form can make (the enumeration is generic; a new model admin must say what to change).
EDITS = {
    "visit": {"summary": "Changed by a viewer"},
    "official": {"name": "Changed by a viewer"},
    "topic": {"description": "Changed by a viewer"},
    "meeting": {"place": "Changed by a viewer"},
    "statement": {"kind": "indirect"},
    "article": {"title": "Changed by a viewer"},
    "sourcerecord": {},
    "duplicatecandidate": {},
    "merge": {},
}
# The admin actions of identity curation, each a write (the changelist's own delete action is not offered there).
CURATION_ACTIONS = {"duplicatecandidate": ["same_keep_left", "different"], "merge": ["undo"]}


def people_with_pages():
    return list(Official.objects.with_pages().filter(visit_links__isnull=False).distinct().order_by("pk"))


def target(model):
    """The record each write is tried on: one that can be deleted (no protected children) where there is one."""
    if model is Topic:
        return Topic.objects.filter(children__isnull=True).order_by("slug").first()
    if model is Statement:  # EDITS makes it indirect
        return Statement.objects.filter(kind="direct").order_by("pk").first()
    if model is DuplicateCandidate:  # the queue of the fixtures' people is empty: one pair to judge
        left, right = people_with_pages()[-2:]
        return DuplicateCandidate.objects.order_by("pk").first() or DuplicateCandidate.objects.create(
            left=left, right=right, score=80, reasons=["made by the test"]
        )
    if model is Merge:
        kept, merged = people_with_pages()[-4:-2]
        return Merge.objects.filter(undone_at=None).order_by("pk").first() or merging.merge(merged, kept)
    return model.objects.order_by("pk").first()


def write_requests(superuser_client):
    """Return [(description, url, data, writes)] for every admin URL of the visits models that accepts POST.

    The data is what a browser would send (read from the page the superuser
    sees), changed as EDITS says; `writes` is True where the superuser's own
    POST must change the record, which proves the request is one that writes.
    """
    requests = []
    for name, _ in admin_url_patterns():
        model_name = name.removeprefix("visits_").rsplit("_", 1)[0]
        kind = name.rsplit("_", 1)[1]
        if kind == "history" and "simple" in name:
            model_name, kind = name.removeprefix("visits_").removesuffix("_simple_history"), "revert"
        model = apps.get_model("visits", model_name)
        obj = target(model)
        if kind == "changelist":
            data = {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"}
            requests.append((f"{model_name} bulk delete", reverse(f"admin:{name}"), data, False))
            for action in CURATION_ACTIONS.get(model_name, []):
                data = {"action": action, "_selected_action": [obj.pk]}
                requests.append((f"{model_name} {action}", reverse(f"admin:{name}"), data, True))
        elif kind == "split":
            official = people_with_pages()[0]
            visit = official.visit_links.order_by("visit_id").first().visit_id
            data = {"name": "Split by a viewer", "visits": [visit]}
            requests.append(("official split", reverse(f"admin:{name}", args=[official.pk]), data, True))
        elif kind in ("add", "change"):
            url = reverse(f"admin:{name}", args=[] if kind == "add" else [obj.pk])
            source = reverse(f"admin:visits_{model_name}_change", args=[obj.pk])
            page = superuser_client.get(source)
            data = form_data(page.content.decode(), f"{model_name}_form") if page.status_code == 200 else {}
            for field, value in EDITS[model_name].items():
                data[field] = value.replace("a viewer", f"a viewer ({kind})")
            if kind == "add" and "slug" in data:
                data["slug"] = "made-by-a-viewer"
            requests.append((f"{model_name} {kind}", url, data, kind == "change" and bool(EDITS[model_name])))
        elif kind == "delete":
            url = reverse(f"admin:{name}", args=[obj.pk])
            requests.append((f"{model_name} delete", url, {"post": "yes"}, False))
        elif kind == "history":
            url = reverse(f"admin:{name}", args=[obj.pk])
            requests.append((f"{model_name} history", url, {}, False))
        elif kind == "revert":
            version = obj.history.order_by("history_id").first() if hasattr(obj, "history") else None
            if version is None:
                continue
            url = reverse(f"admin:{name}", args=[obj.pk, version.history_id])
            page = superuser_client.get(url).content.decode()
            data = form_data(page, f"historical{model_name}_form")  # the revert form is the historical model's
            for field, value in EDITS[model_name].items():
                data[field] = value.replace("a viewer", "a viewer (revert)")
            requests.append((f"{model_name} history revert", url, data, bool(EDITS[model_name])))
    return requests


def test_no_admin_url_writes_for_a_viewer_or_a_staff_user_in_no_group(client, archive):
    superuser = User.objects.create_superuser("root", password="x")
    viewer, nobody = staff_in("Viewers"), staff_in(None)
    requests = write_requests(client_of(client, superuser))
    kinds = {description.rsplit(" ", 1)[1] for description, *_ in requests}
    assert {"delete", "change", "add", "history", "revert", "split", "same_keep_left", "different", "undo"} <= kinds

    for user in (viewer, nobody):
        client_of(client, user)  # logging in writes the user's last login: before the state is taken
        for description, url, data, _ in requests:
            before = database_state()
            response = client.post(url, data)
            assert response.status_code in (200, 302, 403), (user.username, description, response.status_code)
            assert database_state() == before, (user.username, description)


def test_the_requests_a_viewer_is_refused_do_write_for_a_superuser(client, archive):
    """The positive control: each change and revert the viewer test sends is a real write.

    Each request is read afresh before it is sent, as an editor opens a form
    before saving it: a form read before an earlier write is (rightly) refused as stale.
    """
    superuser = User.objects.create_superuser("root", password="x")
    client_of(client, superuser)
    descriptions = [description for description, *_, writes in write_requests(client) if writes]
    assert set(descriptions) >= {
        "visit change",
        "visit history revert",
        "official split",
        "duplicatecandidate same_keep_left",
        "duplicatecandidate different",
        "merge undo",
    }
    for description in descriptions:
        url, data = next((u, d) for text, u, d, _ in write_requests(client) if text == description)
        before = data_state()
        response = client.post(url, data)
        assert response.status_code == 302, (description, response.context and response.context.get("errors"))
        assert data_state() != before, description


def test_editors_may_not_delete_dataset_records(editor_client, archive):
    record = SourceRecord.objects.order_by("pk").first()
    response = editor_client.post(ADMIN + f"visits/sourcerecord/{record.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert SourceRecord.objects.filter(pk=record.pk).exists()


# 2. Saves from every path refresh what depends on them ------------------------------


def test_a_revert_through_the_history_form_refreshes_the_filter_lookups(editor_client, seeded):
    visit = Visit.objects.get()
    first = visit.history.order_by("history_id").last()  # the newest before the edit
    assert (
        editor_client.post(
            ADMIN + f"visits/visit/{visit.pk}/change/",
            form_data(editor_client.get(ADMIN + f"visits/visit/{visit.pk}/change/").content.decode(), "visit_form")
            | {"host_country": "JO"},
        ).status_code
        == 302
    )
    assert set(VisitCountry.objects.values_list("country", flat=True)) == {"JO", "US"}

    revert_url = ADMIN + f"visits/visit/{visit.pk}/history/{first.history_id}/"
    response = editor_client.post(
        revert_url, form_data(editor_client.get(revert_url).content.decode(), "historicalvisit_form")
    )

    assert response.status_code == 302
    assert Visit.objects.get().host_country == "IL"
    assert set(VisitCountry.objects.values_list("country", flat=True)) == {"IL", "US"}
    assert [v.slug for v in editor_client.get("/visits/?host_country=IL").context["page"]] == [SEED_VISIT]


# 3. No lost update -------------------------------------------------------------------


def open_form(client, url, form_id):
    return form_data(client.get(url).content.decode(), form_id)


def test_the_second_of_two_editors_is_refused_instead_of_undoing_the_first(client, seeded):
    first, second = staff_in("Editors"), User.objects.create_user("second", password="x", is_staff=True)
    second.groups.set(first.groups.all())
    visit = Visit.objects.get()
    url = ADMIN + f"visits/visit/{visit.pk}/change/"
    first_form = open_form(client_of(client, first), url, "visit_form")
    second_form = open_form(client_of(client, second), url, "visit_form")

    assert client_of(client, first).post(url, first_form | {"end": "2021-04-13"}).status_code == 302
    response = client_of(client, second).post(url, second_form | {"summary": "The second editor's summary."})

    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [CHANGED_SINCE_OPENED]
    visit.refresh_from_db()
    assert (visit.end.isoformat(), visit.summary.startswith("US Defense Secretary")) == ("2021-04-13", True)


def test_an_inline_changed_since_the_form_was_opened_refuses_the_save(client, seeded):
    editor = staff_in("Editors")
    visit, meeting = Visit.objects.get(), Meeting.objects.get()
    visit_url = ADMIN + f"visits/visit/{visit.pk}/change/"
    stale = open_form(client_of(client, editor), visit_url, "visit_form")
    meeting_url = ADMIN + f"visits/meeting/{meeting.pk}/change/"
    meeting_form = open_form(client, meeting_url, "meeting_form")
    assert client.post(meeting_url, meeting_form | {"place": "Jerusalem"}).status_code == 302

    response = client.post(visit_url, stale | {"summary": "A new summary."})

    assert response.status_code == 200
    errors = [form.non_field_errors() for form in response.context["inline_admin_formsets"][0].formset.forms]
    assert errors == [[CHANGED_SINCE_OPENED]]
    assert (Meeting.objects.get().place, Visit.objects.get().summary != "A new summary.") == ("Jerusalem", True)


# 4. Every loaded record can be saved unchanged -----------------------------------------


def test_every_loaded_record_saved_unchanged_in_the_admin_changes_nothing(superuser_client, archive):
    before = data_state()
    saved = 0
    for model in admin.site._registry:
        if model._meta.app_label != "visits":
            continue
        for obj in model.objects.order_by("pk"):
            url = reverse(f"admin:visits_{model._meta.model_name}_change", args=[obj.pk])
            page = superuser_client.get(url)
            assert page.status_code == 200, url
            if not page.context["has_change_permission"]:
                continue  # read-only records (dataset records): nothing to save
            data = form_data(page.content.decode(), f"{model._meta.model_name}_form")
            response = superuser_client.post(url, data)
            errors = response.context and response.context.get("errors")
            assert response.status_code == 302, (url, errors)
            saved += 1
    assert saved > 40
    assert data_state() == before


# 5. Deleting never ends in a 500 -----------------------------------------------------


def test_deleting_an_official_others_refer_to_is_refused_naming_them_single_and_bulk(editor_client, seeded):
    austin = Official.objects.get(slug="lloyd-austin")
    before = data_state()

    single = editor_client.post(ADMIN + f"visits/official/{austin.pk}/delete/", {"post": "yes"})
    bulk = editor_client.post(
        ADMIN + "visits/official/",
        {"action": "delete_selected", "_selected_action": [austin.pk, Official.objects.get(slug="benny-gantz").pk]},
    )

    for response in (single, bulk):
        assert response.status_code == 200
        page = response.content.decode()
        assert "Lloyd Austin: 1 visit as visitor (lloyd-austin-israel-2021-04)" in page
        assert "Lloyd Austin: 1 meeting as participant, during (lloyd-austin-israel-2021-04)" in page
        assert "Lloyd Austin: 1 article naming them (austin-israel-2021-04)" in page
        assert "Lloyd Austin: I was tremendously pleased" in page  # a protected statement, as Django lists it
    assert data_state() == before


def test_an_official_nothing_names_is_deleted_single_and_bulk(editor_client, seeded):
    lone = [Official.objects.create(slug=f"nobody-{n}", name=f"Nobody {n}", country="FR") for n in range(3)]
    assert editor_client.post(ADMIN + f"visits/official/{lone[0].pk}/delete/", {"post": "yes"}).status_code == 302
    response = editor_client.post(
        ADMIN + "visits/official/",
        {"action": "delete_selected", "_selected_action": [o.pk for o in lone[1:]], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Official.objects.filter(slug__startswith="nobody-").exists()


# 6. CSV exports are safe to open in a spreadsheet ---------------------------------------

FORMULA = '=HYPERLINK("https://evil.example/","click")'


def test_no_csv_cell_begins_as_a_formula_and_json_keeps_the_value(client, seeded):
    from visits.refresh import refresh

    Official.objects.filter(slug="lloyd-austin").update(name=FORMULA)
    # As an editor would (edited: uniting keeps what the reports do not say).
    Visit.objects.update(summary="-1 is how many", places=["@home", "\tTab", "+Plus"], edited_at=timezone.now())
    Article.objects.update(title="=1+1")
    Statement.objects.update(quote="=cmd|' /C calc'!A0")
    refresh(Visit.objects.values_list("pk", flat=True))

    for url in ("/visits.csv", "/statements.csv"):
        rows = list(csv.reader(io.StringIO(b"".join(client.get(url).streaming_content).decode())))
        cells = [cell for row in rows for cell in row]
        assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))], url
        assert any(cell.startswith("'=") for cell in cells), url
    visits = json.loads(b"".join(client.get("/visits.json").streaming_content))
    assert visits[0]["visitors"] == [FORMULA] and visits[0]["places"] == ["@home", "\tTab", "+Plus", "Tel Aviv"]


# 7. Exports when the database is down ------------------------------------------------------


@pytest.mark.parametrize("url", ["/visits.csv", "/visits.json", "/statements.csv", "/statements.json"])
def test_an_export_answers_503_when_the_database_is_down_before_the_first_byte(client, seeded, monkeypatch, url):
    def down(*args, **kwargs):
        raise OperationalError("connection refused")
        yield  # a generator, like the real rows

    monkeypatch.setattr("visits.downloads.visit_pieces", down)
    monkeypatch.setattr("visits.downloads.statement_pieces", down)
    response = client.get(url)
    assert response.status_code == 503
    assert "The database is not answering right now." in response.content.decode()


def test_an_export_that_fails_midway_breaks_off_instead_of_looking_whole(client, seeded, monkeypatch):
    import visits.downloads

    real = visits.downloads.statement_pieces

    def failing(*args, **kwargs):
        pieces = real(*args, **kwargs)
        yield next(pieces)  # the header
        yield next(pieces)  # the first rows
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(visits.downloads, "statement_pieces", failing)
    response = client.get("/statements.csv")
    assert response.status_code == 200
    with pytest.raises(OperationalError):
        b"".join(response.streaming_content)


# 8. The loader never reads outside what it was given --------------------------------------


def copy_seed(folder, stem="austin-israel-2021-04"):
    folder.mkdir(parents=True, exist_ok=True)
    for suffix in (".yaml", ".txt"):
        (folder / f"{stem}{suffix}").write_bytes((SEEDS / f"austin-israel-2021-04{suffix}").read_bytes())
    return folder / f"{stem}.yaml"


def variant(folder, number):
    """A copy of the seed article as another article (its own stem and url) of another visit."""
    path = copy_seed(folder, f"variant-{number}")
    text = path.read_text().replace(SEED_VISIT, f"{SEED_VISIT}-{number}")
    path.write_text(
        text.replace("  published: 2021-04-11", f"  published: 2021-04-11\n  url: https://example.org/{number}")
    )
    return path


def run_loader(*paths):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("load_articles", *map(str, paths), stdout=out, stderr=err)
    except Exception as error:  # noqa: BLE001 - the command's failure is part of what is checked
        return out.getvalue(), err.getvalue(), str(error)
    return out.getvalue(), err.getvalue(), None


@pytest.mark.parametrize("linked", [".txt", ".yaml"])
def test_a_file_that_links_outside_the_folders_named_is_refused(db, tmp_path, linked):
    secret = tmp_path / "elsewhere" / "secret"
    secret.parent.mkdir()
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n")
    path = copy_seed(tmp_path / "articles")
    member = path.with_suffix(linked)
    member.unlink()
    member.symlink_to(secret)

    _, err, error = run_loader(tmp_path / "articles")

    assert err == (
        f"{path}: (file): {member.name} is a link to {secret}, outside the folders and files named to the loader: "
        "not read\n"
    )
    assert error == "1 file(s) not loaded; nothing of them was written."
    assert not Article.objects.exists()


def test_a_link_inside_the_folder_named_is_read(db, tmp_path):
    real = copy_seed(tmp_path / "articles" / "real")
    (tmp_path / "articles" / "linked").symlink_to(real.parent)
    _, err, error = run_loader(tmp_path / "articles")
    assert (err, error) == ("", None)


# 9. Bounded work per file --------------------------------------------------------------------

ALIAS_BOMB = """format: visit-report/1
article: {title: Bomb, published: 2031-05-04}
officials:
  a: {name: A, country: "NO", role: R}
  b: {name: B, country: "NO", role: R}
x0: &x0 [{speaker: a, quote: A}]
x1: &x1 [*x0, *x0, *x0, *x0, *x0, *x0, *x0, *x0, *x0, *x0]
x2: &x2 [*x1, *x1, *x1, *x1, *x1, *x1, *x1, *x1, *x1, *x1]
x3: &x3 [*x2, *x2, *x2, *x2, *x2, *x2, *x2, *x2, *x2, *x2]
x4: &x4 [*x3, *x3, *x3, *x3, *x3, *x3, *x3, *x3, *x3, *x3]
x5: &x5 [*x4, *x4, *x4, *x4, *x4, *x4, *x4, *x4, *x4, *x4]
x6: &x6 [*x5, *x5, *x5, *x5, *x5, *x5, *x5, *x5, *x5, *x5]
visits:
  - {slug: v, visitors: [a], host_country: "NO", start: 2031-05-04, statements: *x6}
"""


def hostile_pair(folder, stem, yaml_text, text="A B"):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{stem}.yaml").write_text(yaml_text)
    (folder / f"{stem}.txt").write_text(text)
    return folder / f"{stem}.yaml"


def test_nested_aliases_are_refused_by_the_number_of_nodes_they_stand_for(db, tmp_path):
    path = hostile_pair(tmp_path, "bomb", ALIAS_BOMB)
    assert [p.format(str(path)) for p in load_file(path).errors] == [
        f"{path}:11: (yaml): the number of YAML nodes, aliases expanded, is 129,045, more than the limit of "
        "100,000 (set LOADER_MAX_YAML_NODES to raise it)"
    ]


def test_deep_nesting_is_refused_by_its_depth(db, tmp_path):
    path = hostile_pair(tmp_path, "deep", "format: visit-report/1\narticle: " + "[" * 1000 + "]" * 1000 + "\n")
    assert [p.format(str(path)) for p in load_file(path).errors] == [
        f"{path}:2: (yaml): the nesting depth is 41, more than the limit of 40 (set LOADER_MAX_YAML_DEPTH to raise it)"
    ]


def test_a_text_larger_than_the_limit_is_refused_unread(db, tmp_path):
    path = copy_seed(tmp_path)
    path.with_suffix(".txt").write_bytes(b"x" * (settings.LOADER_LIMITS["text_bytes"] + 1))
    size = settings.LOADER_LIMITS["text_bytes"] + 1
    assert [p.format(str(path)) for p in load_file(path).errors] == [
        f"{path}: (file): the size of austin-israel-2021-04.txt in bytes is {size:,}, more than the limit of "
        f"{size - 1:,} (set LOADER_MAX_TEXT_BYTES to raise it)"
    ]


def test_more_statements_or_meetings_than_the_limits_allow_are_refused(db, tmp_path, settings):
    settings.LOADER_LIMITS = settings.LOADER_LIMITS | {"statements": 10, "meetings": 0}
    path = copy_seed(tmp_path)
    assert [p.format(str(path)) for p in load_file(path).errors] == [
        f"{path}: visits: the number of meetings in the article is 1, more than the limit of 0 "
        "(set LOADER_MAX_MEETINGS to raise it)",
        f"{path}: visits: the number of statements in the article is 11, more than the limit of 10 "
        "(set LOADER_MAX_STATEMENTS to raise it)",
    ]


def test_loading_hostile_files_stays_under_500_mb_of_memory(tmp_path):
    folder = tmp_path / "hostile"
    hostile_pair(folder, "bomb", ALIAS_BOMB)
    hostile_pair(folder, "deep", "format: visit-report/1\narticle: " + "[" * 100_000 + "]" * 100_000 + "\n")
    hostile_pair(folder, "big", "format: visit-report/1\n")
    with (folder / "big.txt").open("w") as text:  # 200 MB, written without holding it
        for _ in range(200):
            text.write("x" * 1024 * 1024)
    # The peak resident size of the child's own address space (VmHWM): ru_maxrss would count the
    # pytest process the child was forked from.
    script = (
        "import re, sys, django\n"
        "django.setup()\n"
        "from django.core.management import call_command\n"
        "try:\n"
        f"    call_command('load_articles', '--dry-run', {str(folder)!r})\n"
        "except Exception as error:\n"
        "    print(error, file=sys.stderr)\n"
        "print(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1))\n"
    )
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings")
    run = subprocess.run(
        [sys.executable, "-c", script], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )
    peak_mb = int(run.stdout.strip().splitlines()[-1]) / 1024
    assert "3 file(s) not loaded" in run.stderr
    assert peak_mb < 500, peak_mb


# 10. One bad file never takes its batch down -------------------------------------------------------


def test_a_nul_in_the_text_is_refused_with_the_file_named(db, tmp_path):
    path = copy_seed(tmp_path)
    text = path.with_suffix(".txt")
    text.write_text(text.read_text().replace("Tel Aviv.", "Tel\x00Aviv.", 1))
    assert [p.format(str(path)) for p in load_file(path).errors] == [
        f"{path}: (file): austin-israel-2021-04.txt contains the control character U+0000 on line 1: "
        "only tabs and line breaks may be used"
    ]


def test_an_escaped_nul_in_the_yaml_is_refused_at_its_line_and_key(db, tmp_path):
    path = copy_seed(tmp_path)
    path.write_text(path.read_text().replace('  title: "US Defense', '  title: "\\0US Defense', 1))
    assert [p.format(str(path)) for p in load_file(path).errors] == [
        f"{path}:4: article.title: contains the control character U+0000: only tabs and line breaks may be used"
    ]


def test_a_bad_file_fails_alone_and_the_rest_of_its_batch_loads(db, tmp_path):
    good = [variant(tmp_path, n) for n in range(2)]
    bad = variant(tmp_path, 2)
    bad.with_suffix(".txt").write_text("A text with a \x00 NUL.")

    _, err, error = run_loader(tmp_path)

    assert err.startswith(f"{bad}: (file): variant-2.txt contains the control character U+0000")
    assert error == "1 file(s) not loaded; nothing of them was written."
    assert sorted(Article.objects.values_list("slug", flat=True)) == [p.stem for p in good]


def test_an_unexpected_database_error_is_retried_file_by_file(db, tmp_path, monkeypatch):
    paths = [variant(tmp_path, n) for n in range(3)]
    real = visits.loading.write_batch

    def write_batch(batch):
        if any(article.slug == "variant-1" for article in batch.pending[Article]):
            raise DataError('invalid byte sequence for encoding "UTF8" (simulated)')
        return real(batch)

    monkeypatch.setattr(visits.loading, "write_batch", write_batch)
    monkeypatch.setattr(visits.loading.time, "sleep", lambda seconds: None)

    _, err, _ = run_loader(tmp_path)

    assert err == (
        f"{paths[1]}: (database): not written after 3 attempts; the database said: "
        'invalid byte sequence for encoding "UTF8" (simulated)\n'
    )
    assert sorted(Article.objects.values_list("slug", flat=True)) == ["variant-0", "variant-2"]


# 11. Login throttling behind a proxy ---------------------------------------------------------------


@override_settings(
    AXES_ENABLED=True,
    AXES_FAILURE_LIMIT=3,
    AXES_IPWARE_META_PRECEDENCE_ORDER=("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"),
    AXES_IPWARE_PROXY_ORDER="right-most",
    AXES_IPWARE_PROXY_COUNT=0,  # what DJANGO_BEHIND_PROXY=1 sets for one proxy
)
@pytest.mark.parametrize(
    "attacker_header",
    ["203.0.113.9", "198.51.100.7, 203.0.113.9"],  # its own address; the editor's prepended to it
)
def test_behind_a_proxy_a_lockout_is_per_client_address_not_the_proxys(client, django_user_model, db, attacker_header):
    django_user_model.objects.create_user("editor", password="right-password", is_staff=True)
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    attacker = proxy | {"HTTP_X_FORWARDED_FOR": attacker_header}
    editor = proxy | {"HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    for _ in range(3):
        client.post(ADMIN + "login/", {"username": "editor", "password": "wrong"}, **attacker)
    locked = client.post(ADMIN + "login/", {"username": "editor", "password": "right-password"}, **attacker)
    assert locked.status_code == 429

    response = client.post(ADMIN + "login/", {"username": "editor", "password": "right-password"}, **editor)
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_behind_a_proxy_the_settings_trust_the_forwarded_address():
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings as s; "
            "print(s.AXES_IPWARE_META_PRECEDENCE_ORDER, s.AXES_IPWARE_PROXY_COUNT, s.AXES_LOCKOUT_PARAMETERS)",
        ],
        cwd=settings.BASE_DIR,
        env=dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings", DJANGO_BEHIND_PROXY="1", DJANGO_PROXY_COUNT="2"),
        capture_output=True,
        text=True,
    )
    assert run.stdout.strip() == "('HTTP_X_FORWARDED_FOR', 'REMOTE_ADDR') 1 [['username', 'ip_address']]"


# 12. Bounded query strings ----------------------------------------------------------------------------


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("url", ["/visits/", "/statements/", "/visits.csv", "/officials/lloyd-austin/"])
def test_more_parameters_than_django_parses_answer_400_with_a_message(client, seeded, url, debug):
    with override_settings(DEBUG=debug):
        response = client.get(url + "?" + "&".join(f"country=IL&n{i}=1" for i in range(600)))
    assert response.status_code == 400
    assert "This address has more than 1,000 parameters; no page takes that many." in response.content.decode()


def test_more_than_fifty_values_of_one_filter_are_refused_with_a_message(client, seeded):
    query = "&".join(["country=IL"] * 51)
    page = client.get(f"/visits/?{query}")
    export = client.get(f"/visits.csv?{query}")
    message = "at most 50 values of one filter at once (this address gives 51)"
    assert page.status_code == 200 and message in page.content.decode()
    assert page.context["page"] is None
    assert (export.status_code, export.content.decode()) == (400, f"Invalid parameters:\ncountry: {message}\n")


# Also: one URL rule, plain-HTTP health checks, gunicorn's control socket --------------------------------


@override_settings(SECURE_SSL_REDIRECT=True)
def test_health_checks_over_plain_http_are_answered_while_pages_redirect(client, db):
    assert client.get("/healthz").status_code == 200
    assert client.get("/visits/").status_code == 301


def test_make_serve_gives_gunicorn_no_shared_control_socket():
    run = subprocess.run(
        ["make", "-n", "serve"],
        cwd=settings.BASE_DIR,
        env=dict(os.environ, DATABASE_URL="postgres://x@localhost/x"),
        capture_output=True,
        text=True,
    )
    command = run.stdout.replace("\\\n", " ")
    gunicorn = next(line for line in command.splitlines() if "gunicorn config.wsgi" in line)
    assert "--no-control-socket" in gunicorn


def test_the_loader_refuses_an_article_url_with_markup_as_the_admin_does(editor_client, seeded, tmp_path):
    url = 'https://example.org/news/"><script>alert(1)</script>'
    path = copy_seed(tmp_path)
    path.write_text(path.read_text().replace("  published: 2021-04-11", f"  published: 2021-04-11\n  url: '{url}'"))
    article = Article.objects.get()
    admin_page = editor_client.get(ADMIN + f"visits/article/{article.pk}/change/")
    data = form_data(admin_page.content.decode(), "article_form") | {"url": url}

    loader = [p.message for p in load_file(path).errors]
    response = editor_client.post(ADMIN + f"visits/article/{article.pk}/change/", data)

    assert loader == [response.context["adminform"].form.errors["url"][0]]
    assert loader == [f"{url!r} is not a valid web address: percent-encode spaces, quotes and angle brackets"]


def test_the_security_section_of_the_readme_says_who_may_do_what():
    readme = Path(settings.BASE_DIR / "README.md").read_text()
    section = readme[readme.index("## Security") :]
    for phrase in ("Viewers", "Editors", "LOADER_MAX_TEXT_BYTES", "DJANGO_BEHIND_PROXY", "formula"):
        assert phrase in section, phrase
