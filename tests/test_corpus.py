"""The drafting corpus (issue 16): tests/data/articles/dev/ loads cleanly and holds what it should.

The dev articles are the hand annotations the drafter is measured against,
so a file that stops loading, or a warning (a mention that no longer occurs),
would silently change the measurement. The counts pin the corpus: editing an
annotation changes them on purpose, and the commit says why.
"""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import Count

from visits.models import Article, Meeting, Official, Statement, Visit

ARTICLES = Path(__file__).parent / "data" / "articles"
DEV = ARTICLES / "dev"

pytestmark = pytest.mark.django_db


def load(*paths):
    """Run `load_articles` on `paths`; return (stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    call_command("load_articles", *map(str, paths), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_dev_set_loads_with_the_glossary_and_the_seed_without_an_error_or_a_warning():
    call_command("loaddata", str(settings.BASE_DIR / "fixtures" / "topic_glossary.json"), verbosity=0)

    out, err = load(settings.BASE_DIR / "seeds", DEV)

    assert err == ""
    assert out.startswith("Loaded: 25 file(s) ok, 0 failed.\n")


def test_the_dev_set_holds_twenty_four_articles_and_their_statements():
    out, err = load(DEV)

    assert err == ""
    assert Article.objects.count() == 24
    assert Statement.objects.count() == 191
    kinds = dict(Statement.objects.order_by().values_list("kind").annotate(n=Count("pk")))
    assert kinds == {"direct": 112, "indirect": 79}
    assert Meeting.objects.count() == 53
    assert Official.objects.count() == 89
    # Two articles report President Han's visit to Vietnam (one visit); one
    # article reports a tour of Fiji and Tonga (two visits).
    assert Visit.objects.count() == 24


def test_exactly_one_dev_article_has_no_statement():
    load(DEV)

    silent = Article.objects.annotate(n=Count("statements")).filter(n=0)

    assert [article.slug for article in silent] == ["king-sverre-chile"]


def test_every_dev_article_is_described_in_the_corpus_readme():
    readme = (ARTICLES / "README.md").read_text(encoding="utf-8")
    stems = sorted(path.stem for path in DEV.glob("*.yaml"))

    assert len(stems) == 24
    assert [stem for stem in stems if f"| `{stem}` |" not in readme] == []
    assert sorted(path.stem for path in DEV.glob("*.txt")) == stems
