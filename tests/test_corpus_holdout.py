"""The hold-out articles of issue 16 (tests/data/articles/holdout/) load cleanly and stay what they are.

The hold-out is only for measuring the drafter, so its size is pinned here:
an article, an official or a statement that appears or disappears changes
every number measured on it, and should be a deliberate, visible edit.
"""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from visits.models import Article, Meeting, Official, Statement, Visit, VisitReport

HOLDOUT = Path(__file__).parent / "data" / "articles" / "holdout"

STEMS = [
    "abenov-mongolia-2026-07",
    "danjuma-argentina-2026-11",
    "de-montigny-congo-2026-05",
    "hafiz-uae-2026-03",
    "kuroda-iran-2026-02",
    "ruiz-echeverria-canada-2026-09",
    "van-der-hoeven-israel-2026-03",
    "whitfield-israel-bahrain-2026-06",
    "wroblewska-moldova-2026-10",
    "zhao-indonesia-2026-04",
]

pytestmark = pytest.mark.django_db


def load(*paths, dry_run=False):
    """Run `load_articles`; return everything it printed, stdout and stderr together."""
    out, err = io.StringIO(), io.StringIO()
    call_command("load_articles", *map(str, paths), dry_run=dry_run, stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def holdout_articles():
    return Article.objects.filter(slug__in=STEMS)


def test_the_folder_holds_exactly_the_ten_article_pairs():
    assert sorted(p.stem for p in HOLDOUT.glob("*.yaml")) == STEMS
    assert sorted(p.stem for p in HOLDOUT.glob("*.txt")) == STEMS


def test_a_dry_run_of_the_holdout_reports_no_error_and_no_warning(seeded):
    printed = load(HOLDOUT, dry_run=True)

    assert printed.splitlines()[0] == "Checked (dry run, nothing written): 10 file(s) ok, 0 failed."
    assert "warning" not in printed
    assert not Article.objects.filter(slug__in=STEMS).exists()


def test_the_holdout_loads_beside_the_seed_with_no_warning_and_exact_counts(seeded):
    printed = load(HOLDOUT)

    assert printed.splitlines()[0] == "Loaded: 10 file(s) ok, 0 failed."
    assert "warning" not in printed
    articles = holdout_articles()
    assert sorted(articles.values_list("slug", flat=True)) == STEMS
    # Two Israeli ministers appear in two articles each: 45 named people, 43 officials.
    assert Official.objects.filter(article_entries__article__in=articles).distinct().count() == 43
    assert Statement.objects.filter(article__in=articles).count() == 98
    assert Statement.objects.filter(article__in=articles, kind=Statement.Kind.DIRECT).count() == 53
    assert Statement.objects.filter(article__in=articles, kind=Statement.Kind.INDIRECT).count() == 45
    assert Meeting.objects.filter(article__in=articles).count() == 27
    assert Visit.objects.filter(reports__article__in=articles).distinct().count() == 11
    # The seed article is untouched: its four officials and eleven statements.
    assert Official.objects.count() == 47
    assert Statement.objects.count() == 109


def test_the_article_without_a_quote_has_no_statement_and_its_visit_still_loads(seeded):
    load(HOLDOUT)

    article = Article.objects.get(slug="abenov-mongolia-2026-07")
    assert article.statements.count() == 0
    assert article.meetings.count() == 4
    report = VisitReport.objects.get(article=article)
    assert (report.visit.slug, str(report.host_country), report.start.isoformat(), report.end.isoformat()) == (
        "nurlan-abenov-mongolia-2026-07",
        "MN",
        "2026-07-01",
        "2026-07-02",
    )


def test_loading_the_holdout_twice_changes_nothing(seeded):
    load(HOLDOUT)
    counts = (Official.objects.count(), Statement.objects.count(), Meeting.objects.count(), Visit.objects.count())

    printed = load(HOLDOUT)

    assert "articles: 10 unchanged" in printed
    assert (Official.objects.count(), Statement.objects.count(), Meeting.objects.count(), Visit.objects.count()) == (
        counts
    )
