"""Each value rule says the same words wherever it is broken: in a file for the loader or in an admin form.

Every case breaks one rule of the seed article twice, with the same bad
value: once in a copy of its annotation file (the loader's message is the
part after `file:line: key: `), once through the admin form of the loaded
record. Both must be the one message of `visits.rules`.
"""

import shutil

import pytest
from django.conf import settings

from visits.loading import load_file
from visits.models import Meeting, Statement, Topic, Visit

from .helpers import ADMIN, opened_state, statement_form_data, visit_form_data

SEEDS = settings.BASE_DIR / "seeds"
STEM = "austin-israel-2021-04"


def loader_messages(tmp_path, old, new):
    """Return the messages the loader gives for the seed article with `old` replaced by `new` (once)."""
    shutil.copy(SEEDS / f"{STEM}.txt", tmp_path / f"{STEM}.txt")
    text = (SEEDS / f"{STEM}.yaml").read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    (tmp_path / f"{STEM}.yaml").write_text(text.replace(old, new), encoding="utf-8")
    return [problem.message for problem in load_file(tmp_path / f"{STEM}.yaml").errors]


def inline_management(*prefixes):
    return {
        f"{prefix}-{name}": value
        for prefix in prefixes
        for name, value in (("TOTAL_FORMS", 0), ("INITIAL_FORMS", 0), ("MIN_NUM_FORMS", 0), ("MAX_NUM_FORMS", 1000))
    }


def admin_errors(client, url, data, field):
    response = client.post(ADMIN + url, data)
    assert response.status_code == 200, "the admin accepted the bad value"
    return response.context["adminform"].form.errors[field]


def visit_admin(client, **changes):
    visit = Visit.objects.get()
    return f"visits/visit/{visit.pk}/change/", visit_form_data(visit, **changes)


def meeting_admin(client, date):
    meeting = Meeting.objects.get()
    data = {
        "visit": meeting.visit_id,
        "article": meeting.article_id,
        "date": date,
        "place": meeting.place,
        "participants": [o.pk for o in meeting.participants.all()],
        "topics": [t.pk for t in meeting.topics.all()],
        "opened_state": opened_state(meeting),
    } | inline_management("statements")
    return f"visits/meeting/{meeting.pk}/change/", data


def topic_admin(client, parent_slug):
    topic = Topic.objects.get(slug="iran")
    data = {
        "slug": topic.slug,
        "name": topic.name,
        "parent": Topic.objects.get(slug=parent_slug).pk,
        "description": topic.description,
        "opened_state": opened_state(topic),
    }
    return f"visits/topic/{topic.pk}/change/", data


def statement_admin(client, quote):
    statement = Statement.objects.get(quote__startswith="I was tremendously pleased")
    return f"visits/statement/{statement.pk}/change/", statement_form_data(statement, quote=quote)


# (what the file says, what it says instead), (the admin form and its bad value), the field, the message.
CASES = {
    "a visit that ends before it starts": (
        ("    end: 2021-04-12", "    end: 2021-04-01"),
        lambda client: visit_admin(client, end="2021-04-01"),
        "end",
        "the visit ends (2021-04-01) before it starts (2021-04-11)",
    ),
    "a meeting outside its visit": (
        ("      - date: 2021-04-11", "      - date: 2021-04-20"),
        lambda client: meeting_admin(client, "2021-04-20"),
        "date",
        "2021-04-20 is outside the visit (2021-04-11 to 2021-04-12)",
    ),
    "topic parents that form a cycle": (
        ("  iran:\n    name: Iran\n", "  iran:\n    name: Iran\n    parent: jcpoa\n"),
        lambda client: topic_admin(client, "jcpoa"),
        "parent",
        "topic parents form a cycle: iran -> jcpoa -> iran-nuclear-program -> iran",
    ),
    "a quote that is not in the text": (
        ('"I was tremendously pleased on our', '"I was enormously pleased on our'),
        lambda client: statement_admin(
            client,
            "I was enormously pleased on our discussion of a number of security issues which are important "
            "to our two countries",
        ),
        "quote",
        "not found in the text; closest passage: 'was tremendously pleased on our discussion of a number of "
        "security issues which are important to our two countries,”'",
    ),
    "a quote that occurs more than once": (
        (
            '"I was tremendously pleased on our discussion of a number of security issues which are important to '
            'our two countries"',
            '"Gantz"',
        ),
        lambda client: statement_admin(client, "Gantz"),
        "quote",
        "occurs 6 times in the text (lines 1, 2, 4, 6, 8, 11); add `occurrence:` (1 to 6)",
    ),
    "a slug that is not one": (
        ("  - slug: lloyd-austin-israel-2021-04", "  - slug: Lloyd_Austin"),
        lambda client: visit_admin(client, slug="Lloyd_Austin"),
        "slug",
        "'Lloyd_Austin' is not a slug: use lowercase ASCII words joined by hyphens",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_loader_and_the_admin_give_the_same_message_for_the_same_bad_value(editor_client, seeded, tmp_path, case):  # noqa: F811
    (old, new), admin_form, field, message = CASES[case]

    assert message in loader_messages(tmp_path, old, new)
    url, data = admin_form(editor_client)
    assert admin_errors(editor_client, url, data, field) == [message]


def test_the_messages_come_from_the_rules_module_only():
    """No other module spells a rule's message: each is written once, in visits/rules.py."""
    phrases = [
        "the visit ends (",
        "is outside the visit (",
        "parents form a cycle",
        "is not a slug",
        "is not an ISO 3166-1 alpha-2 country code",
    ]
    sources = {path: path.read_text() for path in (settings.BASE_DIR / "visits").rglob("*.py")}
    for phrase in phrases:
        holders = sorted(str(path.relative_to(settings.BASE_DIR)) for path, text in sources.items() if phrase in text)
        assert holders == ["visits/rules.py"], (phrase, holders)
