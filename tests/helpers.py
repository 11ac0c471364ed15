"""Helpers shared by the admin tests: users in a role, and a visit's change form data."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.test import RequestFactory

ADMIN = "/" + settings.ADMIN_URL


def opened_state(obj):
    """The `opened_state` the admin's change form of `obj` sends (visits.admin_forms.GuardedForm), as now."""
    request = RequestFactory().get("/")
    request.user = User(is_staff=True, is_superuser=True, is_active=True)
    form_class = admin.site._registry[type(obj)].get_form(request, obj, change=True)
    return form_class(instance=obj).fields["opened_state"].initial


def staff_in(group_name):
    user = User.objects.create_user(f"{group_name or 'nobody'}-user", password="x", is_staff=True)
    if group_name:
        user.groups.add(Group.objects.get(name=group_name))
    return user


def visit_form_data(visit, **changes):
    data = {
        "slug": visit.slug,
        "host_country": str(visit.host_country),
        "start": visit.start.isoformat(),
        "end": visit.end.isoformat(),
        "places": "\n".join(visit.places),
        "summary": visit.summary,
        "visitors": [o.pk for o in visit.visitors.all()],
        "hosts": [o.pk for o in visit.hosts.all()],
        "topics": [t.pk for t in visit.topics.all()],
        "opened_state": opened_state(visit),
    }
    for prefix in ("meetings", "reports", "records"):
        data |= {
            f"{prefix}-TOTAL_FORMS": 0,
            f"{prefix}-INITIAL_FORMS": 0,
            f"{prefix}-MIN_NUM_FORMS": 0,
            f"{prefix}-MAX_NUM_FORMS": 1000,
        }
    return data | changes


def statement_form_data(statement, **changes):
    data = {
        "article": statement.article_id,
        "visit": statement.visit_id,
        "meeting": statement.meeting_id or "",
        "speaker": statement.speaker_id,
        "kind": statement.kind,
        "quote": statement.quote,
        "occurrence": "",
        "topics": [t.pk for t in statement.topics.all()],
        "opened_state": opened_state(statement),
    }
    return data | changes
