"""The synthetic demo data set (`visits.demo`, `manage.py generate_demo_data`).

Small data sets (a few dozen visits) written to the test database, on
SQLite and on PostgreSQL (where it is written with COPY): the same size and
seed give the same rows, every span points into its text, the lookup tables
and search documents are what `reindex_visits` builds, and the article files
load with `load_articles` into exactly the rows the generator writes.
"""

import datetime
import hashlib
import io
import re
from collections import Counter

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from visits import demo
from visits.indexing import reindex_visits
from visits.models import (
    Article,
    ArticleOfficial,
    ArticleTopic,
    Meeting,
    Mention,
    Official,
    Statement,
    Topic,
    Visit,
    VisitCountry,
    VisitOfficial,
    VisitReport,
    VisitTopic,
)
from visits.spans import find_mentions, mention_occurs

pytestmark = pytest.mark.django_db

VISITS = 20
DEMO = demo.DEMO_PREFIX


def rows(queryset, *fields):
    return sorted(queryset.values_list(*fields), key=repr)  # repr: rows may hold None beside numbers


def snapshot(referenced_only=False):
    """Return what the demo rows say, by slug instead of id, in a stable order.

    With `referenced_only`, officials and topics no article names are left
    out (the loader creates only those its files name), and so are the
    fields only the loader sets (source path, digest, load time) or only the
    generator sets (topic descriptions: the file format has none).
    """
    article = {"article__slug__startswith": DEMO}
    visit = {"visit__slug__startswith": DEMO}
    officials = Official.objects.filter(slug__startswith=DEMO)
    topics = Topic.objects.filter(slug__startswith=DEMO)
    if referenced_only:
        officials = officials.filter(article_entries__isnull=False).distinct()
        topics = topics.filter(article_entries__isnull=False).distinct()
    topic_fields = ["slug", "name", "parent__slug"] + ([] if referenced_only else ["description"])
    return {
        "officials": rows(officials, "slug", "name", "country"),
        "topics": rows(topics, *topic_fields),
        "articles": rows(
            Article.objects.filter(slug__startswith=DEMO),
            "slug",
            "url",
            "title",
            "publisher",
            "author",
            "published",
            "language",
            "text",
        ),
        "article officials": rows(
            ArticleOfficial.objects.filter(**article), "article__slug", "official__slug", "role", "mentions"
        ),
        "article topics": rows(
            ArticleTopic.objects.filter(**article), "article__slug", "topic__slug", "parent__slug", "mentions"
        ),
        "visits": rows(
            Visit.objects.filter(slug__startswith=DEMO),
            "slug",
            "host_country",
            "start",
            "end",
            "places",
            "summary",
            "search_document",
        ),
        "visitors": rows(Visit.visitors.through.objects.filter(**visit), "visit__slug", "official__slug"),
        "hosts": rows(Visit.hosts.through.objects.filter(**visit), "visit__slug", "official__slug"),
        "visit topics": rows(Visit.topics.through.objects.filter(**visit), "visit__slug", "topic__slug"),
        "reports": rows(
            VisitReport.objects.filter(**article),
            "article__slug",
            "visit__slug",
            "start",
            "end",
            "places",
            "summary",
            "evidence_start",
            "evidence_end",
        ),
        "report people": rows(
            VisitReport.visitors.through.objects.filter(visitreport__article__slug__startswith=DEMO),
            "visitreport__article__slug",
            "official__slug",
        )
        + rows(
            VisitReport.hosts.through.objects.filter(visitreport__article__slug__startswith=DEMO),
            "visitreport__article__slug",
            "official__slug",
        ),
        "report topics": rows(
            VisitReport.topics.through.objects.filter(visitreport__article__slug__startswith=DEMO),
            "visitreport__article__slug",
            "topic__slug",
        ),
        "meetings": rows(
            Meeting.objects.filter(**article),
            "article__slug",
            "visit__slug",
            "position",
            "date",
            "place",
            "evidence_start",
            "evidence_end",
        ),
        "participants": rows(
            Meeting.participants.through.objects.filter(meeting__article__slug__startswith=DEMO),
            "meeting__article__slug",
            "meeting__position",
            "official__slug",
        ),
        "meeting topics": rows(
            Meeting.topics.through.objects.filter(meeting__article__slug__startswith=DEMO),
            "meeting__article__slug",
            "meeting__position",
            "topic__slug",
        ),
        "statements": rows(
            Statement.objects.filter(**article),
            "article__slug",
            "visit__slug",
            "meeting__position",
            "speaker__slug",
            "kind",
            "quote",
            "start",
            "end",
        ),
        "statement topics": rows(
            Statement.topics.through.objects.filter(statement__article__slug__startswith=DEMO),
            "statement__article__slug",
            "statement__start",
            "topic__slug",
        ),
        "mentions": rows(
            Mention.objects.filter(**article), "article__slug", "start", "end", "official__slug", "topic__slug"
        ),
        **lookups(),
    }


def lookups():
    """Return what `reindex_visits` derives: lookup rows, search documents and (on PostgreSQL) vectors."""
    visit = {"visit__slug__startswith": DEMO}
    return {
        "visit officials": rows(VisitOfficial.objects.filter(**visit), "visit__slug", "official__slug"),
        "visit topics (lookup)": rows(VisitTopic.objects.filter(**visit), "visit__slug", "topic__slug"),
        "visit countries": rows(VisitCountry.objects.filter(**visit), "visit__slug", "country"),
        "search documents": rows(
            Visit.objects.filter(slug__startswith=DEMO), "slug", "search_document", "search_vector"
        ),
    }


def digest(data):
    return hashlib.sha256(repr(data).encode()).hexdigest()


def generate(*args, **kwargs):
    """Run the command; return its output."""
    out = io.StringIO()
    call_command("generate_demo_data", *args, stdout=out, stderr=io.StringIO(), **kwargs)
    return out.getvalue()


def test_the_same_size_and_seed_give_the_same_rows_whatever_the_batch_size():
    demo.generate(VISITS, seed=3)
    first = snapshot()
    demo.delete_demo_data()
    demo.generate(VISITS, seed=3, batch_visits=7)
    assert digest(snapshot()) == digest(first)
    demo.delete_demo_data()
    demo.generate(VISITS, seed=4)
    assert snapshot()["articles"] != first["articles"]


def test_the_data_set_has_the_promised_shape():
    result = demo.generate(VISITS, seed=1)

    assert result.counts["visits"] == result.counts["articles"] == result.counts["visit reports"] == VISITS
    assert Official.objects.count() == demo.official_count(VISITS) == VISITS // 2 + 10
    assert Topic.objects.count() == 500
    depth = {}
    for topic in Topic.objects.order_by("pk"):  # parents come first
        depth[topic.pk] = depth[topic.parent_id] + 1 if topic.parent_id else 1
    assert Counter(depth.values()) == {1: 10, 2: 70, 3: 420}
    for model in (Visit, Article, Official, Topic):
        assert not model.objects.exclude(slug__startswith=DEMO).exists()
    assert not Article.objects.exclude(title__startswith="[Synthetic] ").exists()

    for visit in Visit.objects.prefetch_related("visitors", "hosts", "meetings__participants", "statements"):
        assert 1 <= visit.visitors.count() <= 3
        assert 0 <= visit.hosts.count() <= 2
        meetings = list(visit.meetings.all())
        assert 1 <= len(meetings) <= 5
        assert 6 <= len(visit.statements.all()) <= 14
        for meeting in meetings:
            assert 2 <= len(meeting.participants.all()) <= 4
            assert visit.start <= meeting.date <= visit.end
            assert meeting.topics.exists()
        people = {o.pk for o in visit.visitors.all()} | {o.pk for o in visit.hosts.all()}
        for statement in visit.statements.all():
            speakers = {p.pk for m in meetings if m.pk == statement.meeting_id for p in m.participants.all()}
            assert statement.speaker_id in (speakers if statement.meeting_id else people)
            assert statement.topics.exists()
    for article in Article.objects.all():
        assert 3000 <= len(article.text) <= 6000


def test_offices_change_over_time_and_each_article_gives_the_office_held_on_its_date():
    world, plans = demo.plan(VISITS, seed=1)
    changing = [o for o in world.officials if len(o.offices) > 1]
    assert changing
    official = changing[0]
    (_, first), (since, second) = official.offices[:2]
    assert official.role_on(since - datetime.timedelta(days=1)) == first
    assert official.role_on(since) == second

    demo.generate(VISITS, seed=1)
    by_slug = {o.slug: o for o in world.officials}
    for entry in ArticleOfficial.objects.select_related("article", "official"):
        assert entry.role == by_slug[entry.official.slug].role_on(entry.article.published)


def test_countries_officials_and_topics_are_skewed_like_real_news():
    world, plans = demo.plan(5000, seed=0, count=2000)
    plans = list(plans)
    hosts = Counter(p.host_country for p in plans).most_common()
    assert len(world.countries) == 200
    assert len(hosts) > 100
    assert hosts[0][1] > 10 * hosts[len(hosts) // 2][1]
    visitors = Counter(i for p in plans for i in p.visitors).most_common()
    assert visitors[0][1] > 20 * visitors[len(visitors) // 2][1]
    assert len(world.officials) == 2510


def test_every_span_points_at_its_text_and_mentions_are_what_the_loader_would_find():
    demo.generate(VISITS, seed=2)

    for article in Article.objects.prefetch_related(
        "statements", "mentions__official", "mentions__topic", "meetings", "visit_reports"
    ):
        text = article.text
        for statement in article.statements.all():
            assert text[statement.start : statement.end] == statement.quote
        for span in [*article.meetings.all(), *article.visit_reports.all()]:
            assert 0 <= span.evidence_start < span.evidence_end <= len(text)
        mentions = sorted(article.mentions.all(), key=lambda m: m.start)
        for before, after in zip(mentions, mentions[1:], strict=False):
            assert before.end <= after.start
        names = {("official", e.official.slug): e.mentions for e in article.official_entries.select_related("official")}
        names |= {("topic", e.topic.slug): e.mentions for e in article.topic_entries.select_related("topic")}
        expected = find_mentions(text, names)
        assert [
            (m.start, m.end, ("official", m.official.slug) if m.official else ("topic", m.topic.slug)) for m in mentions
        ] == expected
        for start, end, key in expected:
            assert text[start:end] in names[key]


def test_no_topic_phrase_hides_in_the_fixed_text():
    """Mentions are recorded where the planner writes names; a topic phrase in fixed text would be missed."""
    phrases = [topic.phrase for topic in demo.build_topics()]
    assert len(set(phrases)) == 500
    for fragment in demo.fixed_phrases():
        plain = re.sub(r"\{\w+\}", "X", fragment)
        assert not [p for p in phrases if mention_occurs(plain, p)], fragment


def test_lookup_tables_and_search_documents_are_what_reindex_visits_builds():
    demo.generate(VISITS, seed=5)
    generated = lookups()
    assert all(generated.values())

    reindex_visits(Visit.objects.values_list("pk", flat=True))

    assert lookups() == generated


def test_article_files_load_without_errors_or_warnings_into_the_rows_the_generator_writes(tmp_path):
    result = demo.generate(8, seed=6, articles_dir=tmp_path, database=False)
    assert result.files == 8 and not result.counts
    assert sorted(p.name for p in tmp_path.iterdir())[:2] == ["demo-article-000001.txt", "demo-article-000001.yaml"]
    assert not Visit.objects.exists()

    out, err = io.StringIO(), io.StringIO()
    call_command("load_articles", str(tmp_path), stdout=out, stderr=err)
    assert err.getvalue() == ""
    assert "Loaded: 8 file(s) ok, 0 failed." in out.getvalue()
    loaded = snapshot(referenced_only=True)

    demo.delete_demo_data()
    demo.generate(8, seed=6)
    assert snapshot(referenced_only=True) == loaded


def test_the_command_prints_a_summary_and_refuses_to_write_into_seeds(tmp_path):
    seeds = settings.BASE_DIR / "seeds"
    for folder in (seeds, seeds / "demo"):
        with pytest.raises(CommandError, match="refusing to write synthetic articles into .*seeds"):
            generate(visits=3, articles_dir=str(folder))
    assert not (seeds / "demo").exists()
    assert not Visit.objects.exists()

    output = generate(visits=3, seed=9, articles_dir=str(tmp_path / "files"), articles=2)
    assert "Generated 3 demo visits (seed 9) in " in output
    assert re.search(r"statements +\d+", output)
    assert "Wrote 2 annotated article pairs to " in output
    assert len(list((tmp_path / "files").glob("*.yaml"))) == 2


def test_earlier_demo_data_is_refused_and_replace_deletes_demo_rows_only():
    call_command("load_articles", str(settings.BASE_DIR / "seeds"), stdout=io.StringIO())
    real = {
        model.__name__: rows(model.objects.all(), "pk")
        for model in (Article, Official, Topic, Visit, Meeting, Statement, Mention, VisitOfficial, VisitTopic)
    }
    generate(visits=4)

    with pytest.raises(CommandError, match=r"already holds demo data \(4 visits, 4 articles, 12 officials, 500 topics"):
        generate(visits=4)
    output = generate(visits=5, replace=True)

    assert "Deleted " in output
    assert Visit.objects.filter(slug__startswith=DEMO).count() == 5
    for model in (Article, Official, Topic, Visit, Meeting, Statement, Mention, VisitOfficial, VisitTopic):
        kept = model.objects.filter(pk__in=[pk for (pk,) in real[model.__name__]]).count()
        assert kept == len(real[model.__name__]), model.__name__
    demo.delete_demo_data()
    assert {model.__name__: rows(model.objects.all(), "pk") for model in (Article, Official, Visit)} == {
        name: real[name] for name in ("Article", "Official", "Visit")
    }


def test_generating_and_deleting_mark_cached_counts_stale():
    from visits.caching import current_version

    before = current_version()
    demo.generate(3)
    generated = current_version()
    demo.delete_demo_data()

    assert len({before, generated, current_version()}) == 3
