"""export_articles writes what load_articles reads: a round trip reproduces every record."""

import io

import pytest
from django.conf import settings
from django.core.management import call_command

from visits.models import (
    Article,
    ArticleOfficial,
    Meeting,
    Mention,
    Official,
    Statement,
    Topic,
    Visit,
    VisitReport,
)

DATA = settings.BASE_DIR / "tests" / "data"
# The two test articles (tests/data also holds the drafting corpus, tests/data/articles, which these tests leave out).
ARTICLES = (DATA / "lind-norland.yaml", DATA / "norland-talks.yaml")
SEEDS = settings.BASE_DIR / "seeds"


def snapshot():
    """Every record by its natural keys, without ids, load times or edit marks."""
    return {
        "articles": sorted(
            (a.slug, a.url or "", a.title, a.publisher, a.author, str(a.published), a.language, a.text)
            for a in Article.objects.all()
        ),
        "officials": sorted((o.slug, o.name, str(o.country)) for o in Official.objects.all()),
        # Which article names which official, in which office: a round trip must not make an article
        # name people another article (or an editor) added to a visit they both report.
        "offices": sorted(
            (e.article.slug, e.official.slug, e.role) for e in ArticleOfficial.objects.select_related("article")
        ),
        "reports": sorted(
            (
                r.article.slug,
                r.visit.slug,
                str(r.end),
                tuple(r.places),
                r.summary,
                tuple(sorted(o.slug for o in r.visitors.all())),
                tuple(sorted(o.slug for o in r.hosts.all())),
                tuple(sorted(t.slug for t in r.topics.all())),
            )
            for r in VisitReport.objects.select_related("article", "visit")
        ),
        "topics": sorted(
            (t.slug, t.name, t.parent.slug if t.parent else "", t.description)
            for t in Topic.objects.select_related("parent")
        ),
        "visits": sorted(
            (
                v.slug,
                str(v.host_country),
                str(v.start),
                str(v.end),
                tuple(v.places),
                v.summary,
                tuple(sorted(o.slug for o in v.visitors.all())),
                tuple(sorted(o.slug for o in v.hosts.all())),
                tuple(sorted(t.slug for t in v.topics.all())),
            )
            for v in Visit.objects.all()
        ),
        "meetings": sorted(
            (
                m.article.slug,
                m.visit.slug,
                str(m.date),
                m.place,
                m.evidence_start or -1,
                m.evidence_end or -1,
                tuple(sorted(o.slug for o in m.participants.all())),
                tuple(sorted(t.slug for t in m.topics.all())),
            )
            for m in Meeting.objects.all()
        ),
        "statements": sorted(
            (
                s.article.slug,
                s.visit.slug,
                str(s.meeting.date) if s.meeting else "",
                s.speaker.slug,
                s.kind,
                s.quote,
                s.start,
                s.end,
                tuple(sorted(t.slug for t in s.topics.all())),
            )
            for s in Statement.objects.all()
        ),
        "mentions": sorted(
            (m.article.slug, m.start, m.end, m.official.slug if m.official else "", m.topic.slug if m.topic else "")
            for m in Mention.objects.all()
        ),
    }


def load(*paths):
    call_command("load_articles", *map(str, paths), stdout=io.StringIO(), stderr=io.StringIO())


@pytest.mark.django_db
def test_exporting_and_reloading_into_an_empty_database_reproduces_every_record(tmp_path):
    call_command("loaddata", str(settings.BASE_DIR / "fixtures" / "topic_glossary.json"), verbosity=0)
    load(SEEDS, *ARTICLES)
    # Edits an editor might make in the admin.
    visit = Visit.objects.get(slug="lloyd-austin-israel-2021-04")
    visit.end = visit.end.replace(day=13)
    visit.places = ["Tel Aviv", "Jerusalem"]
    visit.save()
    visit.topics.add(Topic.objects.get(slug="iran-sanctions"))
    statement = Statement.objects.get(quote__startswith="I appreciated hearing")
    statement.topics.set([Topic.objects.get(slug="iran-sanctions")])
    Official.objects.filter(slug="benny-gantz").update(name="Benjamin Gantz")
    before = snapshot()

    call_command("export_articles", str(tmp_path), stdout=io.StringIO())
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "austin-israel-2021-04.txt",
        "austin-israel-2021-04.yaml",
        "lind-norland.txt",
        "lind-norland.yaml",
        "norland-talks.txt",
        "norland-talks.yaml",
    ]
    assert (tmp_path / "austin-israel-2021-04.txt").read_bytes() == (SEEDS / "austin-israel-2021-04.txt").read_bytes()

    for model in (Article, Visit, Official, Topic):
        model.objects.all().delete() if model is not Topic else [t.delete() for t in Topic.objects.order_by("-pk")]
    call_command("loaddata", str(settings.BASE_DIR / "fixtures" / "topic_glossary.json"), verbosity=0)
    load(tmp_path)

    # The editor's changes to the visit are stated by the first article reporting it (its only one here).
    edited = [r for r in before["reports"] if r[0] == "austin-israel-2021-04"]
    [(article, slug, _, _, summary, visitors, hosts, topics)] = edited
    reports = sorted(
        [r for r in before["reports"] if r not in edited]
        + [
            (
                article,
                slug,
                "2021-04-13",
                ("Tel Aviv", "Jerusalem"),
                summary,
                visitors,
                hosts,
                tuple(sorted(topics + ("iran-sanctions",))),
            )
        ]
    )
    assert snapshot() == before | {"reports": reports}


@pytest.mark.django_db
def test_export_refuses_to_overwrite_files_without_force(tmp_path):
    from django.core.management import CommandError

    load(SEEDS)
    call_command("export_articles", str(tmp_path), stdout=io.StringIO())
    with pytest.raises(
        CommandError, match=r"^1 file\(s\) already exist in .* \(e.g. austin-israel-2021-04.yaml\); use --force$"
    ):
        call_command("export_articles", str(tmp_path), stdout=io.StringIO())
    call_command("export_articles", str(tmp_path), "--force", stdout=io.StringIO())
