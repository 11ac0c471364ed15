"""The invariants the database itself keeps (named constraints in visits/models.py), and `__str__`.

Each bad row is written with the ORM's plainest call (no `full_clean()`), so
only the database can refuse it: that is what protects data written by the
admin, a shell or a future import.
"""

import datetime
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction
from django.db.models import UniqueConstraint

from visits.models import (
    Article,
    ArticleOfficial,
    ArticleTopic,
    DuplicateCandidate,
    IdentityJudgement,
    Meeting,
    Mention,
    Official,
    OfficialName,
    Statement,
    Topic,
    Visit,
    VisitCountry,
    VisitOffice,
    VisitOfficial,
    VisitReport,
    VisitTopic,
)

from .test_hsg import RECORD_VIOLATIONS

START = datetime.date(2031, 5, 4)
END = datetime.date(2031, 5, 5)


@pytest.fixture
def rows(db):
    """One valid row of each model the constraints below refer to."""
    article = Article.objects.create(
        slug="lind-norland",
        url="https://example.org/news/lind-norland",
        title="Foreign Minister Lind opens two-day visit to Norland",
        published=START,
        text="Foreign Minister Maria Lind opens a two-day visit to Norland.",
    )
    lind = Official.objects.create(slug="maria-lind", name="Maria Lind", country="SE")
    berg = Official.objects.create(slug="ola-berg", name="Ola Berg", country="NO")
    arctic = Topic.objects.create(slug="arctic", name="The Arctic")
    visit = Visit.objects.create(slug="lind-norland-2031-05", host_country="NO", start=START, end=END)
    return SimpleNamespace(article=article, lind=lind, berg=berg, arctic=arctic, visit=visit)


def new_article(slug="norland-talks", url=None):
    return Article.objects.create(slug=slug, url=url, title="Lind meets Holm", published=END, text="Lind met Holm.")


def new_statement(rows, **fields):
    values = {"article": rows.article, "visit": rows.visit, "speaker": rows.lind, "quote": "opens", "start": 28}
    values.update(fields)
    values.setdefault("end", values["start"] + 5)
    return Statement.objects.create(**values)


# Each constraint name -> a write that breaks it (one or more, by label).
VIOLATIONS = {
    "article_slug_format": {"underscore": lambda r: new_article(slug="lind_norland")},
    "article_url_unique": {"same-url": lambda r: new_article(url=r.article.url)},
    "official_slug_format": {
        "capitals": lambda r: Official.objects.create(slug="Ola-Berg", name="Ola Berg", country="NO")
    },
    "topic_slug_format": {"trailing-hyphen": lambda r: Topic.objects.create(slug="arctic-", name="Arctic")},
    "visit_slug_format": {
        "space": lambda r: Visit.objects.create(slug="lind norland", host_country="NO", start=START, end=END)
    },
    "topic_not_own_parent": {"self": lambda r: Topic.objects.filter(pk=r.arctic.pk).update(parent=r.arctic.pk)},
    "article_official_unique": {
        "twice": lambda r: [
            ArticleOfficial.objects.create(article=r.article, official=r.lind, role=role)
            for role in ("Foreign Minister", "Minister for Foreign Affairs")
        ]
    },
    "article_topic_unique": {
        "twice": lambda r: [ArticleTopic.objects.create(article=r.article, topic=r.arctic) for _ in range(2)]
    },
    "visit_end_not_before_start": {
        "end-before-start": lambda r: Visit.objects.create(slug="early-end", host_country="NO", start=END, end=START)
    },
    "visit_report_unique": {
        "twice": lambda r: [VisitReport.objects.create(article=r.article, visit=r.visit, start=START) for _ in range(2)]
    },
    "visit_report_end_not_before_start": {
        "end-before-start": lambda r: VisitReport.objects.create(article=r.article, visit=r.visit, start=END, end=START)
    },
    "visit_report_evidence_span_valid": {
        "start-without-end": lambda r: VisitReport.objects.create(
            article=r.article, visit=r.visit, start=START, evidence_start=28
        ),
    },
    "meeting_evidence_span_valid": {
        "empty": lambda r: Meeting.objects.create(article=r.article, visit=r.visit, evidence_start=28, evidence_end=28),
        "end-without-start": lambda r: Meeting.objects.create(article=r.article, visit=r.visit, evidence_end=49),
    },
    "statement_span_valid": {
        "empty": lambda r: new_statement(r, end=28),
        "reversed": lambda r: new_statement(r, start=49, end=28),
    },
    "statement_kind_valid": {"quoted": lambda r: new_statement(r, kind="quoted")},
    "mention_span_valid": {
        "empty": lambda r: Mention.objects.create(article=r.article, official=r.lind, start=17, end=17)
    },
    "mention_names_one_entity": {
        "nobody": lambda r: Mention.objects.create(article=r.article, start=17, end=27),
        "two-entities": lambda r: Mention.objects.create(
            article=r.article, official=r.lind, topic=r.arctic, start=17, end=27
        ),
    },
    "mention_start_unique": {
        "two-at-one-start": lambda r: [
            Mention.objects.create(article=r.article, official=r.lind, start=0, end=end) for end in (16, 27)
        ]
    },
    "visit_official_unique": {
        "twice": lambda r: [VisitOfficial.objects.create(visit=r.visit, official=r.lind) for _ in range(2)]
    },
    "visit_topic_unique": {
        "twice": lambda r: [VisitTopic.objects.create(visit=r.visit, topic=r.arctic) for _ in range(2)]
    },
    "visit_country_unique": {
        "twice": lambda r: [VisitCountry.objects.create(visit=r.visit, country="NO") for _ in range(2)]
    },
    "visit_office_unique": {
        "twice": lambda r: [VisitOffice.objects.create(visit=r.visit, office_slug="president") for _ in range(2)]
    },
    "official_not_merged_into_itself": {
        "self": lambda r: Official.objects.filter(pk=r.lind.pk).update(merged_into=r.lind.pk)
    },
    "official_name_unique": {
        "twice": lambda r: [
            OfficialName.objects.create(official=r.lind, name=name, folded="maria lind", slug="maria-lind")
            for name in ("Maria Lind", "María Lind")
        ]
    },
    "identity_judgement_unique": {
        "twice": lambda r: [
            IdentityJudgement.objects.create(verdict=verdict, left="official:maria-lind", right="official:ola-berg")
            for verdict in ("same", "different")
        ]
    },
    "identity_verdict_valid": {
        "maybe": lambda r: IdentityJudgement.objects.create(
            verdict="maybe", left="official:maria-lind", right="official:ola-berg"
        )
    },
    "duplicate_candidate_unique": {
        "twice": lambda r: [DuplicateCandidate.objects.create(left=r.lind, right=r.berg, score=s) for s in (80, 90)]
    },
    "duplicate_candidate_two_people": {
        "self": lambda r: DuplicateCandidate.objects.create(left=r.lind, right=r.lind, score=100)
    },
}
VIOLATIONS |= RECORD_VIOLATIONS


def named_constraints():
    """Return {name: (model, constraint)} for every named constraint of the visits app."""
    return {
        constraint.name: (model, constraint)
        for model in apps.get_app_config("visits").get_models()
        for constraint in model._meta.constraints
    }


def refusal_text(name):
    """Return what the database's error says for a row breaking `name`.

    PostgreSQL names every constraint; SQLite names CHECK constraints but
    reports a unique one by its columns.
    """
    model, constraint = named_constraints()[name]
    if connection.vendor == "sqlite" and isinstance(constraint, UniqueConstraint):
        table = model._meta.db_table
        columns = ", ".join(f"{table}.{model._meta.get_field(field).column}" for field in constraint.fields)
        return f"UNIQUE constraint failed: {columns}"
    return name


def test_every_named_constraint_has_a_bad_row_here():
    assert sorted(VIOLATIONS) == sorted(named_constraints())


@pytest.mark.parametrize(
    ("name", "write"),
    [
        pytest.param(name, write, id=f"{name}-{label}")
        for name, cases in VIOLATIONS.items()
        for label, write in cases.items()
    ],
)
def test_the_database_refuses_a_row_that_breaks_a_named_constraint(rows, name, write):
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        write(rows)

    assert refusal_text(name) in str(refused.value)


def test_articles_without_a_url_do_not_collide(rows):
    new_article(slug="no-url-1")
    new_article(slug="no-url-2")
    new_article(slug="empty-url-1", url="")
    new_article(slug="empty-url-2", url="")

    assert Article.objects.filter(url=None).count() == 2
    assert Article.objects.filter(url="").count() == 2


def test_the_boundaries_the_constraints_allow_are_accepted(rows):
    Visit.objects.create(slug="one-day", host_country="NO", start=START, end=START)
    VisitReport.objects.create(article=rows.article, visit=rows.visit, start=START, end=None)
    Meeting.objects.create(article=rows.article, visit=rows.visit, evidence_start=None, evidence_end=None)
    new_statement(rows, start=0, end=1, kind=Statement.Kind.INDIRECT)
    Mention.objects.create(article=rows.article, topic=rows.arctic, start=0, end=1)
    child = Topic.objects.create(slug="arctic-shipping", name="Arctic shipping", parent=rows.arctic)

    assert child.parent == rows.arctic
    assert Statement.objects.get().kind == "indirect"


# __str__ ---------------------------------------------------------------------


def test_each_model_reads_as_what_it_is_in_the_admin_and_the_shell(rows):
    entry = ArticleOfficial.objects.create(article=rows.article, official=rows.lind, role="Foreign Minister")
    article_topic = ArticleTopic.objects.create(article=rows.article, topic=rows.arctic)
    report = VisitReport.objects.create(article=rows.article, visit=rows.visit, start=START)
    meeting = Meeting.objects.create(article=rows.article, visit=rows.visit, date=END, place="Foreign ministry, Tromsø")
    undated = Meeting.objects.create(article=rows.article, visit=rows.visit)
    statement = new_statement(rows, quote="Our waters are shared, and so is our responsibility, and our future too")
    mention = Mention.objects.create(article=rows.article, official=rows.lind, start=17, end=27)
    topic_mention = Mention.objects.create(article=rows.article, topic=rows.arctic, start=30, end=36)
    title = "Foreign Minister Lind opens two-day visit to Norland"

    assert [str(row) for row in (rows.article, rows.lind, rows.arctic, rows.visit)] == [
        title,
        "Maria Lind",
        "The Arctic",
        "lind-norland-2031-05",
    ]
    assert str(entry) == f"Maria Lind (Foreign Minister) in {title}"
    assert str(article_topic) == f"The Arctic in {title}"
    assert str(report) == f"lind-norland-2031-05 in {title}"
    assert str(meeting) == "Meeting at Foreign ministry, Tromsø (2031-05-05)"
    assert str(undated) == "Meeting (2031-05-04)"
    assert str(statement) == "Maria Lind: Our waters are shared, and so is our responsibility, and our"
    assert str(mention) == "Maria Lind at 17-27"
    assert str(topic_mention) == "The Arctic at 30-36"
    assert str(VisitOfficial.objects.create(visit=rows.visit, official=rows.berg)) == "Ola Berg in lind-norland-2031-05"
    assert str(VisitTopic.objects.create(visit=rows.visit, topic=rows.arctic)) == "The Arctic in lind-norland-2031-05"
    assert str(VisitCountry.objects.create(visit=rows.visit, country="NO")) == "NO in lind-norland-2031-05"
