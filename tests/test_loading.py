"""The article loader against its contract, docs/annotation-format.md (`visit-report/1`).

Fixture articles are real files in tests/data/: `lind-norland` (with a url)
and `norland-talks` (without one), two reports of the same visit. A test that
needs a broken file copies one of them into `tmp_path` and changes exactly one
thing, so each rule is checked on its own and every expected line is exact.
"""

import datetime
import io
from collections import namedtuple
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

import visits.loading
from visits.loading import load_file
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
    VisitTopic,
)

DATA = Path(__file__).parent / "data"
# The two test articles (tests/data also holds the drafting corpus, tests/data/articles, which these tests leave out).
ARTICLES = (DATA / "lind-norland.yaml", DATA / "norland-talks.yaml")
SEEDS = Path(__file__).resolve().parent.parent / "seeds"
LIND = DATA / "lind-norland.yaml"
TALKS = DATA / "norland-talks.yaml"
LIND_URL = "https://example.org/news/lind-norland"
VISIT = "lind-norland-2031-05"
FAILED = "1 file(s) not loaded; nothing of them was written."

pytestmark = pytest.mark.django_db

Run = namedtuple("Run", "out err error")


def copy_article(folder, stem="lind-norland", *, name=None, yaml=None, text=None, source=DATA):
    """Copy an article from `source` into `folder` as NAME.yaml + NAME.txt, applying replacements.

    Each key of `yaml` / `text` must occur exactly once in its file, so a
    replacement that silently misses cannot turn a test into one that passes
    for the wrong reason.
    """
    target = folder / (name or stem)
    for suffix, replacements in ((".yaml", yaml), (".txt", text)):
        content = (source / stem).with_suffix(suffix).read_text(encoding="utf-8")
        for old, new in (replacements or {}).items():
            assert content.count(old) == 1, f"{old!r} occurs {content.count(old)} times in {stem}{suffix}"
            content = content.replace(old, new)
        target.with_suffix(suffix).write_text(content, encoding="utf-8")
    return target.with_suffix(".yaml")


def load(*paths, dry_run=False):
    """Run `load_articles`; return its stdout, stderr and CommandError message (None when it succeeded)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("load_articles", *map(str, paths), dry_run=dry_run, stdout=out, stderr=err)
    except CommandError as exc:
        return Run(out.getvalue(), err.getvalue(), str(exc))
    return Run(out.getvalue(), err.getvalue(), None)


def unload(*keys):
    """Run `unload_articles`; return its stdout."""
    out = io.StringIO()
    call_command("unload_articles", *keys, stdout=out)
    return out.getvalue()


def errors(path):
    """Return the error lines `load_file` reports for one file, formatted as the command prints them."""
    result = load_file(path)
    return [problem.format(result.path) for problem in result.errors]


def table_counts():
    """Return {model label: row count} for every data table of the visits app, M2M through tables included.

    The django-simple-history tables (`Historical*`, recognised by their
    `instance_type`) are left out: an audit log is meant to grow with each write.
    So are DataVersion, the single row whose token every write renews, and
    IndexChange, the log of visits each write touched (for the bitmap index).
    """
    models = apps.get_app_config("visits").get_models(include_auto_created=True)
    return {
        model._meta.label: model._default_manager.count()
        for model in models
        if not hasattr(model, "instance_type") and model._meta.label not in ("visits.DataVersion", "visits.IndexChange")
    }


def slugs(queryset):
    return sorted(queryset.values_list("slug", flat=True))


# Rule 1: text anchoring ------------------------------------------------------


def test_every_stored_span_is_the_exact_slice_of_the_article_text():
    assert load(SEEDS, *ARTICLES).error is None

    statements = Statement.objects.select_related("article")
    assert statements.count() == 14
    for statement in statements:
        assert statement.article.text[statement.start : statement.end] == statement.quote
    reports = VisitReport.objects.select_related("article").exclude(evidence_start=None).order_by("article__slug")
    assert [r.article.text[r.evidence_start : r.evidence_end] for r in reports] == [
        "kicks off his two-day visit in Israel",
        "opens a two-day visit",
    ]
    meetings = Meeting.objects.select_related("article").order_by("article__slug")
    assert [m.article.text[m.evidence_start : m.evidence_end] for m in meetings] == [
        "a meeting with his Israeli counterpart, Defense Minister Benny Gantz, at military headquarters in Tel Aviv",
        "met her Norwegian counterpart",
        "Prime Minister Erik Holm received her",
    ]


def test_offsets_are_python_string_indices_so_characters_outside_ascii_count_once():
    assert load(LIND).error is None

    article = Article.objects.get(slug="lind-norland")
    statement = Statement.objects.get(speaker__slug="ola-berg")
    # The text before this quote holds "ø" and "“": one index each, not their UTF-8 byte lengths.
    assert (statement.start, statement.end) == (214, 265)
    assert article.text.index("Our waters are shared") == 214
    report = VisitReport.objects.get(article=article)
    assert (report.evidence_start, report.evidence_end) == (28, 49)


def test_a_quote_not_in_the_text_is_refused_with_the_closest_passage(tmp_path):
    path = copy_article(tmp_path, yaml={"had discussed shipping routes\n": "had talked about shipping routes\n"})

    assert errors(path) == [
        f"{path}:54: visits[0].statements[0].quote: not found in the text; "
        "closest passage: 'Lind said the two had discussed shipping routes, and'"
    ]


def test_evidence_is_matched_case_sensitively(tmp_path):
    path = copy_article(tmp_path, yaml={"evidence: met her": "evidence: Met her"})

    assert errors(path) == [
        f"{path}:46: visits[0].meetings[0].evidence: not found in the text; "
        "closest passage: 'met her Norwegian counterpart,'"
    ]


def test_a_quote_with_a_straight_quotation_mark_where_the_text_has_a_curly_one_gets_a_hint(tmp_path):
    path = copy_article(
        tmp_path,
        yaml={'quote: "Our waters are shared, and so is our responsibility"': "quote: '\"Our waters are shared'"},
    )

    assert errors(path) == [
        f"{path}:49: visits[0].meetings[0].statements[0].quote: not found in the text verbatim; it differs only "
        "in quotation marks, dashes or spacing from the passage: '“Our waters are shared,'"
    ]


def test_a_quote_with_a_straight_apostrophe_where_the_text_has_a_curly_one_gets_a_hint(tmp_path):
    path = copy_article(
        tmp_path, "austin-israel-2021-04", source=SEEDS, yaml={"hearing Minister Gantz’s": "hearing Minister Gantz's"}
    )

    assert errors(path) == [
        f"{path}:106: visits[0].meetings[0].statements[7].quote: not found in the text verbatim; it differs only "
        "in quotation marks, dashes or spacing from the passage: "
        "'“I appreciated hearing Minister Gantz’s perspectives about the challenges in this region,”'"
    ]


def test_a_span_found_more_than_once_without_occurrence_is_refused(tmp_path):
    path = copy_article(
        tmp_path,
        yaml={"quote: Lind said the two had discussed shipping routes\n        occurrence: 1\n": "quote: Lind said\n"},
    )

    assert errors(path) == [
        f"{path}:54: visits[0].statements[0].quote: occurs 2 times in the text (lines 4, 5); add `occurrence:` (1 to 2)"
    ]


def test_occurrence_picks_that_match_counting_from_one(tmp_path):
    path = copy_article(
        tmp_path,
        yaml={
            "quote: Lind said the two had discussed shipping routes\n": "quote: Lind said\n",
            "occurrence: 1": "occurrence: 2",
        },
    )

    assert load_file(path).ok
    article = Article.objects.get()
    statement = Statement.objects.get(speaker__slug="maria-lind")
    fifth_line = article.text.index("Lind said she would return")
    assert (statement.start, statement.end) == (fifth_line, fifth_line + len("Lind said"))


def test_an_occurrence_beyond_the_number_of_matches_is_refused(tmp_path):
    path = copy_article(
        tmp_path,
        yaml={
            "quote: Lind said the two had discussed shipping routes\n        occurrence: 1": (
                "quote: Lind said\n        occurrence: 3"
            )
        },
    )

    assert errors(path) == [
        f"{path}:54: visits[0].statements[0].quote: occurrence 3 asked for, but it occurs only 2 times in the text"
    ]


@pytest.mark.parametrize(
    ("occurrence", "message"),
    [
        ("0", "counts from 1"),
        ("first", "expected a whole number from 1, got first"),
    ],
    ids=["zero", "a-word"],
)
def test_an_occurrence_that_is_not_a_whole_number_from_one_is_refused(tmp_path, occurrence, message):
    path = copy_article(tmp_path, yaml={"occurrence: 1": f"occurrence: {occurrence}"})

    assert errors(path) == [f"{path}:55: visits[0].statements[0].occurrence: {message}"]


def test_an_occurrence_without_evidence_is_refused(tmp_path):
    path = copy_article(tmp_path, yaml={"    evidence: opens a two-day visit\n": "    occurrence: 1\n"})

    assert errors(path) == [f"{path}:40: visits[0].occurrence: occurrence without evidence"]


# Rule 2: mentions ------------------------------------------------------------


def test_mentions_are_whole_words_case_sensitive_longest_first_and_never_overlap():
    assert load(LIND).error is None

    article = Article.objects.get()
    mentions = Mention.objects.filter(article=article).select_related("official", "topic").order_by("start")
    found = [(article.text[m.start : m.end], (m.official or m.topic).slug) for m in mentions]
    # "Foreign Minister Ola Berg" holds no extra "Berg", "Arctic shipping" no extra "Arctic";
    # "Lindqvist" is not "Lind" and "arctic" is not "Arctic".
    assert found == [
        ("Foreign Minister Maria Lind", "maria-lind"),
        ("Lind", "maria-lind"),
        ("Foreign Minister Ola Berg", "ola-berg"),
        ("Berg", "ola-berg"),
        ("fisheries", "fisheries"),
        ("fishing quotas", "fisheries"),
        ("Lind", "maria-lind"),
        ("Arctic shipping", "arctic-shipping"),
        ("Arctic", "arctic"),
        ("Lind", "maria-lind"),
    ]
    spans = [(m.start, m.end) for m in mentions]
    assert all(end <= next_start for (_, end), (next_start, _) in zip(spans, spans[1:], strict=False))


def test_an_official_without_mentions_is_found_by_name(tmp_path):
    path = copy_article(tmp_path, yaml={"    mentions: [Foreign Minister Ola Berg, Berg]\n": ""})

    assert load(path).error is None
    texts = [Article.objects.get().text[m.start : m.end] for m in Mention.objects.filter(official__slug="ola-berg")]
    assert texts == ["Ola Berg"]


def test_a_mention_that_never_occurs_is_a_warning_and_the_article_still_loads(tmp_path):
    path = copy_article(
        tmp_path, yaml={"mentions: [fisheries, fishing quotas]": "mentions: [fisheries, fishing rights]"}
    )

    run = load(path)

    assert run.error is None
    assert run.err == f"warning: {path}:24: topics.fisheries.mentions: 'fishing rights' does not occur in the text\n"
    assert Article.objects.count() == 1
    assert Mention.objects.count() == 9


def test_a_mention_that_names_two_entities_is_refused(tmp_path):
    path = copy_article(tmp_path, yaml={"mentions: [fisheries, fishing quotas]": "mentions: [fisheries, Berg]"})

    assert errors(path) == [
        f"{path}:24: topics.fisheries.mentions: 'Berg' is also a mention of official ola-berg; "
        "a mention must name one entity"
    ]


# Rule 3: references ----------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "line", "key_path", "kind", "slug"),
    [
        (
            "speaker: ola-berg",
            "speaker: ola-borg",
            48,
            "visits[0].meetings[0].statements[0].speaker",
            "official",
            "ola-borg",
        ),
        ("visitors: [maria-lind]", "visitors: [maria-lindh]", 32, "visits[0].visitors[0]", "official", "maria-lindh"),
        ("hosts: [ola-berg]", "hosts: [ola-borg]", 33, "visits[0].hosts[0]", "official", "ola-borg"),
        (
            "participants: [maria-lind, ola-berg]",
            "participants: [maria-lind, ola-borg]",
            44,
            "visits[0].meetings[0].participants[1]",
            "official",
            "ola-borg",
        ),
        ("topics: [arctic]\n", "topics: [antarctic]\n", 39, "visits[0].topics[0]", "topic", "antarctic"),
        (
            "topics: [fisheries]\n",
            "topics: [fishing]\n",
            50,
            "visits[0].meetings[0].statements[0].topics[0]",
            "topic",
            "fishing",
        ),
        ("parent: arctic}", "parent: polar}", 28, "topics.arctic-shipping.parent", "topic", "polar"),
    ],
    ids=["speaker", "visitor", "host", "participant", "visit-topic", "statement-topic", "parent"],
)
def test_a_slug_not_defined_in_the_file_is_refused_naming_its_key_path(tmp_path, old, new, line, key_path, kind, slug):
    path = copy_article(tmp_path, yaml={old: new})
    section = "officials" if kind == "official" else "topics"

    assert errors(path) == [
        f"{path}:{line}: {key_path}: unknown {kind} '{slug}': define it under `{section}:` in this file"
    ]


def test_a_slug_defined_only_by_another_article_is_still_unknown(tmp_path):
    assert load(LIND).error is None
    path = copy_article(tmp_path, "norland-talks", yaml={"hosts: [erik-holm]": "hosts: [erik-holm, ola-berg]"})

    assert errors(path) == [
        f"{path}:31: visits[0].hosts[1]: unknown official 'ola-berg': define it under `officials:` in this file"
    ]


def test_topic_parents_that_form_a_cycle_are_refused(tmp_path):
    path = copy_article(
        tmp_path,
        yaml={
            "arctic: {name: The Arctic, mentions: [Arctic]}": (
                "arctic: {name: The Arctic, mentions: [Arctic], parent: arctic-shipping}"
            )
        },
    )

    assert errors(path) == [
        f"{path}:27: topics.arctic.parent: topic parents form a cycle: arctic -> arctic-shipping -> arctic"
    ]


def test_a_topic_that_is_its_own_parent_is_refused_once(tmp_path):
    path = copy_article(tmp_path, yaml={"parent: arctic}": "parent: arctic-shipping}"})

    assert errors(path) == [f"{path}:28: topics.arctic-shipping.parent: a topic cannot be its own parent"]


def test_a_parent_that_closes_a_cycle_with_topics_already_loaded_is_refused(tmp_path):
    assert load(LIND).error is None
    path = copy_article(
        tmp_path,
        name="arctic-turn",
        # In the file alone there is no cycle: arctic -> fisheries -> arctic-shipping, whose known parent is arctic.
        yaml={
            LIND_URL: "https://example.org/news/arctic-turn",
            "    name: Fisheries\n": "    name: Fisheries\n    parent: arctic-shipping\n",
            "mentions: [Arctic]}": "mentions: [Arctic], parent: fisheries}",
            "arctic-shipping: {name: Arctic shipping, parent: arctic}": "arctic-shipping: {name: Arctic shipping}",
        },
    )
    before = table_counts()

    assert errors(path) == [
        f"{path}:26: topics.fisheries.parent: with the topics already in the database, topic parents form a cycle: "
        "fisheries -> arctic-shipping -> arctic -> fisheries",
    ]
    assert table_counts() == before


# Rule 4: values --------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("published: 2031-05-04", "published: 2021-02-31", "5: article.published: 2021-02-31 is not a real date"),
        ("start: 2031-05-04", "start: 2031-04-31", "35: visits[0].start: 2031-04-31 is not a real date"),
        (
            "published: 2031-05-04",
            "published: 2031-5-4",
            "5: article.published: expected a date (YYYY-MM-DD), got '2031-5-4'",
        ),
        (
            "end: 2031-05-05",
            "end: 2031-05-03",
            "36: visits[0].end: the visit ends (2031-05-03) before it starts (2031-05-04)",
        ),
        (
            "date: 2031-05-04",
            "date: 2031-05-06",
            "42: visits[0].meetings[0].date: 2031-05-06 is outside the visit (2031-05-04 to 2031-05-05)",
        ),
        (
            "date: 2031-05-04",
            "date: 2031-05-03",
            "42: visits[0].meetings[0].date: 2031-05-03 is outside the visit (2031-05-04 to 2031-05-05)",
        ),
        (
            "country: SE",
            "country: XX",
            "14: officials.maria-lind.country: 'XX' is not an ISO 3166-1 alpha-2 country code",
        ),
        (
            "country: SE",
            "country: SWE",
            "14: officials.maria-lind.country: 'SWE' is not an ISO 3166-1 alpha-2 country code",
        ),
        (
            '    country: "NO"',
            "    country: NO",
            '19: officials.ola-berg.country: expected text, but YAML reads NO as a boolean; put it in quotes: "NO"',
        ),
        (
            'host_country: "NO"',
            "host_country: NO",
            '34: visits[0].host_country: expected text, but YAML reads NO as a boolean; put it in quotes: "NO"',
        ),
        (
            "kind: indirect",
            "kind: reported",
            "53: visits[0].statements[0].kind: 'reported' is not one of: direct, indirect",
        ),
        (
            "    summary:",
            "    sumary:",
            "38: visits[0].sumary: unknown key (allowed here: end, evidence, host_country, hosts, meetings, "
            "occurrence, places, slug, start, statements, summary, topics, visitors)",
        ),
        ("  author: A. Writer", "  title: A. Writer", "8: article.title: duplicate key"),
        ("    name: Ola Berg\n", "", "18: officials.ola-berg.name: required key is missing"),
        ("    start: 2031-05-04\n", "", "31: visits[0].start: required key is missing"),
        (
            "format: visit-report/1",
            "format: visit-report/2",
            "1: format: expected 'visit-report/1', got 'visit-report/2'",
        ),
        (
            "title: Foreign Minister Lind opens two-day visit to Norland",
            "title: 2031",
            '4: article.title: expected text, but YAML reads 2031 as a number; put it in quotes: "2031"',
        ),
        (
            "url: https://example.org/news/lind-norland",
            "url: example.org/news/lind-norland",
            "7: article.url: 'example.org/news/lind-norland' is not a web address (http:// or https://)",
        ),
        ("visitors: [maria-lind]", "visitors: []", "32: visits[0].visitors: needs at least one official"),
        (
            "participants: [maria-lind, ola-berg]",
            "participants: [maria-lind]",
            "44: visits[0].meetings[0].participants: needs at least 2 officials",
        ),
        (
            "hosts: [ola-berg]",
            "hosts: [ola-berg, maria-lind]",
            "33: visits[0].hosts: maria-lind cannot be both visitor and host",
        ),
        (
            "slug: lind-norland-2031-05",
            "slug: Lind-Norland",
            "31: visits[0].slug: 'Lind-Norland' is not a slug: use lowercase ASCII words joined by hyphens",
        ),
    ],
    ids=[
        "published-on-a-day-that-does-not-exist",
        "starting-on-a-day-that-does-not-exist",
        "a-date-not-written-yyyy-mm-dd",
        "an-end-before-the-start",
        "a-meeting-after-the-visit",
        "a-meeting-before-the-visit",
        "an-unknown-country-code",
        "an-alpha-3-country-code",
        "a-bare-no-country",
        "a-bare-no-host-country",
        "a-kind-neither-direct-nor-indirect",
        "an-unknown-key",
        "a-duplicate-key",
        "a-missing-official-name",
        "a-missing-visit-start",
        "another-format",
        "a-number-for-a-title",
        "a-url-that-is-not-a-web-address",
        "a-visit-without-visitors",
        "a-meeting-of-one",
        "a-visitor-who-also-hosts",
        "a-slug-with-capitals",
    ],
)
def test_a_broken_value_is_refused_with_its_line_and_key_path(tmp_path, old, new, expected):
    path = copy_article(tmp_path, yaml={old: new})

    assert errors(path) == [f"{path}:{expected}"]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "title: Foreign Minister Lind opens two-day visit to Norland",
            "title: " + "T" * 501,
            "4: article.title: longer than 500 characters",
        ),
        ("name: Ola Berg", "name: " + "O" * 201, "18: officials.ola-berg.name: longer than 200 characters"),
        (
            "role: Foreign Minister\n    mentions: [Foreign Minister Ola",
            "role: " + "R" * 201 + "\n    mentions: [Foreign Minister Ola",
            "20: officials.ola-berg.role: longer than 200 characters",
        ),
        (
            "place: Foreign ministry, Tromsø",
            "place: " + "P" * 301,
            "43: visits[0].meetings[0].place: longer than 300 characters",
        ),
    ],
    ids=["title", "official-name", "role", "meeting-place"],
)
def test_a_value_longer_than_its_column_is_refused_on_every_database(tmp_path, old, new, expected):
    """SQLite would store it, PostgreSQL would stop the whole run with a DataError traceback."""
    path = copy_article(tmp_path, yaml={old: new})

    assert errors(path) == [f"{path}:{expected}"]


def test_without_an_end_a_visit_lasts_one_day_so_a_meeting_on_the_next_is_refused():
    assert errors(TALKS) == [
        f"{TALKS}:37: visits[0].meetings[0].date: 2031-05-05 is outside the visit (2031-05-04 to 2031-05-04)"
    ]


def test_a_file_without_format_and_article_is_refused_for_both(tmp_path):
    path = tmp_path / "bare.yaml"
    path.write_text("officials: {}\n", encoding="utf-8")
    path.with_suffix(".txt").write_text("Nothing.\n", encoding="utf-8")

    assert errors(path) == [
        f"{path}:1: format: required key is missing",
        f"{path}:1: article: required key is missing",
    ]


# Files and YAML syntax -------------------------------------------------------


def test_a_yaml_syntax_error_is_one_line_with_file_and_line_and_no_traceback(tmp_path):
    path = copy_article(
        tmp_path,
        yaml={'quote: "Our waters are shared, and so is our responsibility"': "quote: Our waters: shared by all"},
    )

    run = load(path)

    assert run.err == f"{path}:49: (yaml): not valid YAML: mapping values are not allowed here\n"
    assert run.error == FAILED


def test_an_unclosed_bracket_is_reported_at_its_line(tmp_path):
    path = copy_article(tmp_path, yaml={"mentions: [Arctic]}": "mentions: [Arctic}"})

    assert errors(path) == [
        f"{path}:27: (yaml): not valid YAML: while parsing a flow sequence expected ',' or ']', but got '}}'"
    ]


@pytest.mark.parametrize("content", ["", "\n# nothing yet\n"], ids=["no-bytes", "only-a-comment"])
def test_an_empty_yaml_file_is_refused(tmp_path, content):
    path = tmp_path / "empty.yaml"
    path.write_text(content, encoding="utf-8")
    path.with_suffix(".txt").write_text("Some text.\n", encoding="utf-8")

    run = load(path)

    assert run.err == f"{path}: (document): the file is empty\n"
    assert run.error == FAILED


def test_a_yaml_file_that_is_not_a_mapping_is_refused(tmp_path):
    path = tmp_path / "list.yaml"
    path.write_text("- format: visit-report/1\n", encoding="utf-8")
    path.with_suffix(".txt").write_text("Some text.\n", encoding="utf-8")

    assert errors(path) == [f"{path}:1: (document): expected a mapping of keys, got a list"]


def test_a_yaml_file_without_its_text_is_an_error(tmp_path):
    path = copy_article(tmp_path)
    path.with_suffix(".txt").unlink()

    run = load(tmp_path)

    assert run.err == f"{path}: (file): the article text lind-norland.txt is missing beside it\n"
    assert run.out == "Loaded: 0 file(s) ok, 1 failed.\n"
    assert run.error == FAILED


def test_a_text_file_without_yaml_is_reported_as_skipped(tmp_path):
    path = copy_article(tmp_path)
    path.unlink()

    run = load(tmp_path)

    assert run == (
        f"skipped {path.with_suffix('.txt')}: no annotation file beside it\nLoaded: 0 file(s) ok, 0 failed.\n",
        "",
        None,
    )


def test_a_path_that_does_not_exist_is_an_error(tmp_path):
    run = load(tmp_path / "missing.yaml")

    assert run.err == f"{tmp_path / 'missing.yaml'}: (file): no such file or folder\n"
    assert run.error == FAILED


def test_a_text_file_that_is_not_utf8_is_refused(tmp_path):
    path = copy_article(tmp_path)
    path.with_suffix(".txt").write_bytes("Tromsø".encode("latin-1"))

    assert errors(path) == [f"{path}: (file): lind-norland.txt is not UTF-8 (bad byte at offset 5)"]


def test_a_file_name_that_is_not_a_slug_is_refused_before_anything_is_written(tmp_path):
    path = copy_article(tmp_path, name="Lind_Norland")

    run = load(path)

    assert run.err == (
        f"{path}: (file): the file name 'Lind_Norland' is not a slug: use lowercase ASCII words joined by hyphens\n"
    )
    assert run.error == FAILED
    assert set(table_counts().values()) == {0}


def test_a_folder_is_searched_recursively(tmp_path):
    (tmp_path / "2031" / "05").mkdir(parents=True)
    copy_article(tmp_path / "2031" / "05")
    copy_article(tmp_path / "2031", "norland-talks")

    assert load(tmp_path).error is None
    assert slugs(Article.objects) == ["lind-norland", "norland-talks"]


def test_a_text_file_given_by_name_loads_its_yaml_twin():
    assert load(LIND.with_suffix(".txt")).error is None
    assert slugs(Article.objects) == ["lind-norland"]


# Every error of a file --------------------------------------------------------


def test_every_error_in_a_file_is_reported_not_only_the_first(tmp_path):
    path = copy_article(
        tmp_path,
        yaml={
            "published: 2031-05-04": "published: 2021-02-31",
            "visitors: [maria-lind]": "visitors: [maria-lindh]",
            "had discussed shipping routes\n": "had talked about shipping routes\n",
        },
    )

    run = load(path)

    assert run.err.splitlines() == [
        f"{path}:5: article.published: 2021-02-31 is not a real date",
        f"{path}:54: visits[0].statements[0].quote: not found in the text; "
        "closest passage: 'Lind said the two had discussed shipping routes, and'",
        f"{path}:32: visits[0].visitors[0]: unknown official 'maria-lindh': define it under `officials:` in this file",
    ]
    assert run.error == FAILED


def test_every_contradiction_with_the_database_is_reported_not_only_the_first(tmp_path):
    assert load(LIND).error is None
    path = copy_article(
        tmp_path,
        "norland-talks",
        yaml={
            "country: SE": "country: DK",
            "name: The Arctic": "name: Arctic",
            "start: 2031-05-04": "start: 2031-05-03",
        },
    )

    assert errors(path) == [
        f"{path}:9: officials.maria-lind.country: 'DK' contradicts 'SE' set by {LIND}",
        f"{path}:24: topics.arctic.name: 'Arctic' contradicts 'The Arctic' set by {LIND}",
        f"{path}:33: visits[0].start: 2031-05-03 contradicts the start 2031-05-04 set by {LIND}",
    ]


# Rule 5: one transaction per file ---------------------------------------------


def test_a_file_with_an_error_changes_nothing_while_a_valid_file_in_the_same_run_loads(tmp_path):
    broken = copy_article(tmp_path, yaml={"visitors: [maria-lind]": "visitors: [maria-lindh]"})
    # What loading the valid file alone writes, measured and rolled back.
    with transaction.atomic():
        assert load(SEEDS).error is None
        expected = table_counts()
        transaction.set_rollback(True)
    assert set(table_counts().values()) == {0}

    run = load(broken, SEEDS)

    assert run.error == FAILED
    assert run.err == (
        f"{broken}:32: visits[0].visitors[0]: unknown official 'maria-lindh': "
        "define it under `officials:` in this file\n"
    )
    assert run.out.splitlines()[0] == "Loaded: 1 file(s) ok, 1 failed."
    assert table_counts() == expected
    assert slugs(Article.objects) == ["austin-israel-2021-04"]


def test_a_reload_refused_by_the_database_keeps_everything_the_article_had(tmp_path):
    """The writer deletes the article's old rows before it finds the contradiction: all of it rolls back."""
    assert load(*ARTICLES).error is None
    before = table_counts()
    statements = list(Statement.objects.values_list("article__slug", "quote", "start", "end").order_by("pk"))
    path = copy_article(
        tmp_path,
        "norland-talks",
        yaml={"country: SE": "country: DK", "our shared neighbourhood": "our common neighbourhood"},
        text={"our shared neighbourhood": "our common neighbourhood"},
    )

    run = load(path)

    assert run.err == f"{path}:9: officials.maria-lind.country: 'DK' contradicts 'SE' set by {LIND}\n"
    assert run.error == FAILED
    assert table_counts() == before
    assert list(Statement.objects.values_list("article__slug", "quote", "start", "end").order_by("pk")) == statements


# Batches: files written together, judged as if one at a time ----------------


def test_a_file_contradicting_an_earlier_file_of_its_batch_names_it_and_changes_nothing(tmp_path):
    first = copy_article(tmp_path, name="a-first")
    contradicting = copy_article(
        tmp_path,
        "norland-talks",
        name="b-contradicting",
        yaml={"country: SE": "country: DK", "start: 2031-05-04": "start: 2031-05-03"},
    )
    agreeing = copy_article(tmp_path, "norland-talks", name="c-agreeing")

    run = load(first, contradicting, agreeing)

    assert run.err == (
        f"{contradicting}:9: officials.maria-lind.country: 'DK' contradicts 'SE' set by {first}\n"
        f"{contradicting}:33: visits[0].start: 2031-05-03 contradicts the start 2031-05-04 set by {first}\n"
    )
    assert run.out.splitlines()[0] == "Loaded: 2 file(s) ok, 1 failed."
    # The refused file's changes, planned in memory, did not leak into the files after it.
    assert Official.objects.get(slug="maria-lind").country == "SE"
    assert Visit.objects.get(slug=VISIT).start == datetime.date(2031, 5, 4)
    assert slugs(Article.objects) == ["a-first", "c-agreeing"]


def test_a_run_in_one_batch_writes_what_a_run_file_by_file_writes(tmp_path):
    files = [SEEDS / "austin-israel-2021-04.yaml", LIND, TALKS]

    def contents():
        return {
            "visits": list(
                Visit.objects.order_by("slug").values_list("slug", "host_country", "start", "end", "places", "summary")
            ),
            "visitors": sorted(Visit.visitors.through.objects.values_list("visit__slug", "official__slug")),
            "topics": sorted(VisitTopic.objects.values_list("visit__slug", "topic__slug")),
            "statements": sorted(Statement.objects.values_list("article__slug", "speaker__slug", "start", "end")),
            "mentions": Mention.objects.count(),
            "tables": table_counts(),
        }

    with transaction.atomic():
        for path in files:
            assert load(path).error is None
        one_at_a_time = contents()
        transaction.set_rollback(True)

    run = load(*files)

    assert run.error is None
    assert contents() == one_at_a_time


def test_a_batch_costs_the_same_queries_whatever_its_number_of_files(tmp_path):
    def queries_to_load(count):
        folder = tmp_path / f"n{count}"
        folder.mkdir()
        for n in range(count):
            copy_article(
                folder,
                name=f"copy-{n}",
                yaml={VISIT: f"{VISIT}-{n}", LIND_URL: f"{LIND_URL}-{n}"},
            )
        with transaction.atomic(), CaptureQueriesContext(connection) as queries:
            assert load(folder).error is None
            transaction.set_rollback(True)
        return len(queries)

    assert queries_to_load(2) == queries_to_load(12)


def test_two_files_for_one_article_in_a_batch_load_as_they_would_one_after_the_other(tmp_path):
    first = copy_article(tmp_path, name="a-first")
    second = copy_article(tmp_path, name="a-first-again", yaml={"places: [Tromsø]": "places: [Tromsø, Bodø]"})

    run = load(first, second)

    # Same url: the second file re-loads the first one's article, as it would in a later run.
    assert run.error is None
    assert slugs(Article.objects) == ["a-first-again"]
    assert Visit.objects.get(slug=VISIT).places == ["Tromsø", "Bodø"]


def test_a_dry_run_over_many_batches_judges_each_file_as_a_real_run_would_and_writes_nothing():
    real, dry = io.StringIO(), io.StringIO()
    with transaction.atomic():
        call_command("load_articles", str(SEEDS), *map(str, ARTICLES), batch_size=1, stdout=real)
        transaction.set_rollback(True)

    call_command("load_articles", str(SEEDS), *map(str, ARTICLES), batch_size=1, dry_run=True, stdout=dry)

    assert dry.getvalue() == real.getvalue().replace("Loaded:", "Checked (dry run, nothing written):")
    assert set(table_counts().values()) == {0}


def test_a_batch_the_database_refuses_is_retried_file_by_file_and_only_the_bad_file_fails(tmp_path, monkeypatch):
    files = [
        copy_article(tmp_path, name=f"copy-{n}", yaml={VISIT: f"{VISIT}-{n}", LIND_URL: f"{LIND_URL}-{n}"})
        for n in range(3)
    ]
    real_write = visits.loading.write_batch

    def write_batch(batch):
        if any(article.slug == "copy-1" for article in batch.pending[Article]):
            raise IntegrityError("duplicate key value violates unique constraint (simulated)")
        return real_write(batch)

    monkeypatch.setattr(visits.loading, "write_batch", write_batch)
    monkeypatch.setattr(visits.loading.time, "sleep", lambda seconds: None)

    run = load(*files)

    assert run.err == (
        f"{files[1]}: (database): not written after 3 attempts; the database said: "
        "duplicate key value violates unique constraint (simulated)\n"
    )
    assert slugs(Article.objects) == ["copy-0", "copy-2"]


def test_a_dry_run_reports_what_it_would_write_and_writes_nothing():
    run = load(DATA / "lind-norland.yaml", dry_run=True)

    assert run == (
        "Checked (dry run, nothing written): 1 file(s) ok, 0 failed.\n"
        "  articles: 1 created\n"
        "  officials: 2 created\n"
        "  topics: 3 created\n"
        "  visits: 1 created\n"
        "  meetings: 1 created\n"
        "  statements: 2 created\n"
        "  mentions: 10 created\n",
        "",
        None,
    )
    assert set(table_counts().values()) == {0}


def test_a_dry_run_reports_the_same_errors_as_a_real_run(tmp_path):
    path = copy_article(tmp_path, yaml={"kind: indirect": "kind: reported"})

    dry = load(path, dry_run=True)

    assert dry.err == f"{path}:53: visits[0].statements[0].kind: 'reported' is not one of: direct, indirect\n"
    assert dry.out == "Checked (dry run, nothing written): 0 file(s) ok, 1 failed.\n"
    assert dry.error == FAILED
    assert load(path).err == dry.err


def test_a_dry_run_of_a_folder_judges_each_file_as_a_real_run_would():
    assert load(DATA, dry_run=True).error is None


# Rule 6: identity and re-loading ----------------------------------------------


def test_loading_the_seeds_twice_leaves_every_table_count_unchanged():
    assert load(SEEDS).error is None
    once = table_counts()

    assert load(SEEDS).error is None

    assert table_counts() == once
    assert once["visits.Statement"] == 11
    assert once["visits.Statement_topics"] == 21


def test_rewriting_every_file_on_reload_leaves_every_table_count_unchanged(monkeypatch):
    """With a new loader version no file is skipped as unchanged: the replace path itself must be idempotent."""
    assert load(SEEDS, *ARTICLES).error is None
    once = table_counts()
    monkeypatch.setattr(visits.loading, "LOADER_VERSION", "test-rewrite")

    run = load(SEEDS, *ARTICLES)

    assert run.out.splitlines()[:2] == ["Loaded: 3 file(s) ok, 0 failed.", "  articles: 3 updated"]
    assert table_counts() == once


def test_reloading_an_edited_file_replaces_its_statements_meetings_and_mentions(tmp_path):
    path = copy_article(tmp_path, yaml={"Our waters": "Our seas"}, text={"Our waters": "Our seas"})
    assert load(DATA / "lind-norland.yaml").error is None
    before = table_counts()

    run = load(path)

    assert run.error is None
    assert run.out.splitlines()[1:5] == [
        "  articles: 1 updated",
        "  officials: 2 unchanged",
        "  topics: 3 unchanged",
        "  visits: 1 unchanged",
    ]
    assert table_counts() == before
    quotes = sorted(Statement.objects.values_list("quote", flat=True))
    assert quotes == [
        "Lind said the two had discussed shipping routes",
        "Our seas are shared, and so is our responsibility",
    ]
    article = Article.objects.get()
    assert (article.slug, article.source_path) == ("lind-norland", str(path))
    statement = Statement.objects.get(speaker__slug="ola-berg")
    assert article.text[statement.start : statement.end] == "Our seas are shared, and so is our responsibility"
    assert [article.text[m.start : m.end] for m in Mention.objects.filter(topic__slug="fisheries")] == [
        "fisheries",
        "fishing quotas",
    ]


def test_reloading_a_file_that_drops_a_meeting_removes_it(tmp_path):
    assert load(LIND).error is None
    yaml = LIND.read_text(encoding="utf-8")
    start, end = yaml.index("    meetings:\n"), yaml.index("    statements:\n      - speaker: maria-lind")
    path = copy_article(tmp_path, yaml={yaml[start:end]: ""})

    assert load(path).error is None
    assert Meeting.objects.count() == 0
    assert list(Statement.objects.values_list("quote", flat=True)) == [
        "Lind said the two had discussed shipping routes"
    ]


def test_reloading_a_file_that_renames_its_visit_replaces_the_old_visit(tmp_path):
    assert load(LIND).error is None
    path = copy_article(tmp_path, yaml={"slug: lind-norland-2031-05": "slug: maria-lind-norland-2031-05"})

    assert load(path).error is None
    assert slugs(Visit.objects) == ["maria-lind-norland-2031-05"]
    assert Meeting.objects.get().visit.slug == "maria-lind-norland-2031-05"


def test_an_article_with_a_url_keeps_its_identity_when_its_file_is_renamed(tmp_path):
    assert load(LIND).error is None
    before = table_counts()
    path = copy_article(tmp_path, name="lind-opens-visit")

    assert load(path).error is None
    assert table_counts() == before
    article = Article.objects.get()
    assert (article.slug, article.url) == ("lind-opens-visit", LIND_URL)


def test_an_article_without_a_url_is_identified_by_its_file_stem(tmp_path):
    assert load(*ARTICLES).error is None
    copy = copy_article(tmp_path, "norland-talks", name="norland-talks-again")
    copy_article(tmp_path, "norland-talks")

    assert load(tmp_path).error is None

    assert slugs(Article.objects) == ["lind-norland", "norland-talks", "norland-talks-again"]
    assert Article.objects.get(slug="norland-talks").source_path == str(tmp_path / "norland-talks.yaml")
    assert Article.objects.get(slug="norland-talks-again").source_path == str(copy)
    assert Statement.objects.filter(quote="The Arctic is our shared neighbourhood").count() == 2


def test_a_url_already_loaded_under_another_stem_that_is_taken_is_refused(tmp_path):
    assert load(*ARTICLES).error is None
    path = copy_article(tmp_path, "norland-talks", yaml={"publisher: Norland Daily": f"url: {LIND_URL}"})

    assert errors(path) == [
        f"{path}: article.url: {LIND_URL} is already loaded from {LIND}, and the stem 'norland-talks' "
        f"belongs to another article ({TALKS})"
    ]


def test_a_stem_already_used_by_an_article_at_another_url_is_refused(tmp_path):
    assert load(LIND).error is None
    path = copy_article(tmp_path, yaml={LIND_URL: "https://example.org/news/another"})

    assert errors(path) == [
        f"{path}: article.url: the stem 'lind-norland' is already used by the article at {LIND_URL} ({LIND}); "
        "rename one of the files"
    ]


# Rule 7: shared entities -------------------------------------------------------


def test_two_articles_about_one_visit_merge_into_one_visit_with_united_lists():
    assert load(*ARTICLES).error is None

    assert slugs(Official.objects) == ["erik-holm", "maria-lind", "ola-berg"]
    assert slugs(Topic.objects) == ["arctic", "arctic-shipping", "fisheries"]
    visit = Visit.objects.get()
    assert visit.slug == VISIT
    assert (str(visit.host_country), visit.start, visit.end) == (
        "NO",
        datetime.date(2031, 5, 4),
        datetime.date(2031, 5, 5),
    )
    assert visit.places == ["Tromsø", "Oslo"]
    assert visit.summary == "First visit by a Swedish foreign minister since 2027."
    assert slugs(visit.visitors) == ["maria-lind"]
    assert slugs(visit.hosts) == ["erik-holm", "ola-berg"]
    assert slugs(visit.topics) == ["arctic", "fisheries"]
    assert sorted(visit.reports.values_list("article__slug", flat=True)) == ["lind-norland", "norland-talks"]


def test_an_omitted_end_on_a_known_visit_keeps_the_known_end():
    assert load(LIND).error is None

    assert load(TALKS).error is None

    assert Visit.objects.get().end == datetime.date(2031, 5, 5)
    assert VisitReport.objects.get(article__slug="norland-talks").end is None
    assert Meeting.objects.get(article__slug="norland-talks").date == datetime.date(2031, 5, 5)


def test_an_omitted_parent_on_a_known_topic_keeps_the_known_parent(tmp_path):
    assert load(LIND).error is None
    path = copy_article(
        tmp_path, "norland-talks", yaml={"  arctic:\n": "  arctic-shipping:\n    name: Arctic shipping\n  arctic:\n"}
    )

    run = load(path)

    assert run.error is None
    assert (
        run.err
        == f"warning: {path}:24: topics.arctic-shipping.mentions: 'Arctic shipping' does not occur in the text\n"
    )
    assert Topic.objects.get(slug="arctic-shipping").parent.slug == "arctic"


def test_each_article_keeps_its_own_role_for_a_shared_official():
    assert load(*ARTICLES).error is None

    roles = ArticleOfficial.objects.filter(official__slug="maria-lind").order_by("article__slug")
    assert [(entry.article.slug, entry.role) for entry in roles] == [
        ("lind-norland", "Foreign Minister"),
        ("norland-talks", "Minister for Foreign Affairs"),
    ]
    assert ArticleOfficial.objects.get(article__slug="norland-talks", official__slug="maria-lind").mentions == [
        "Maria Lind",
        "Lind",
    ]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "name: Maria Lind",
            "name: Maria Lindh",
            "9: officials.maria-lind.name: 'Maria Lindh' contradicts 'Maria Lind'",
        ),
        ("country: SE", "country: FI", "9: officials.maria-lind.country: 'FI' contradicts 'SE'"),
        ("name: The Arctic", "name: Arctic Region", "24: topics.arctic.name: 'Arctic Region' contradicts 'The Arctic'"),
        ('host_country: "NO"', "host_country: SE", "32: visits[0].host_country: SE contradicts NO"),
        (
            "start: 2031-05-04",
            "start: 2031-05-03\n    end: 2031-05-05",
            "33: visits[0].start: 2031-05-03 contradicts the start 2031-05-04",
        ),
        (
            "start: 2031-05-04",
            "start: 2031-05-04\n    end: 2031-05-06",
            "34: visits[0].end: 2031-05-06 contradicts the end 2031-05-05",
        ),
    ],
    ids=["official-name", "official-country", "topic-name", "host-country", "start", "end"],
)
def test_a_value_contradicting_another_article_is_refused_naming_that_file(tmp_path, old, new, expected):
    assert load(LIND).error is None
    before = table_counts()
    path = copy_article(tmp_path, "norland-talks", yaml={old: new})

    assert errors(path) == [f"{path}:{expected} set by {LIND}"]
    assert table_counts() == before


def test_a_parent_contradicting_another_article_is_refused_naming_that_file(tmp_path):
    assert load(LIND).error is None
    path = copy_article(
        tmp_path,
        "norland-talks",
        yaml={"  arctic:\n": "  arctic-shipping:\n    name: Arctic shipping\n    parent: fisheries\n  arctic:\n"},
    )

    assert errors(path) == [
        f"{path}:26: topics.arctic-shipping.parent: 'fisheries' contradicts the parent 'arctic' set by {LIND}"
    ]


def test_a_reload_may_change_a_value_that_only_this_article_set(tmp_path):
    assert load(LIND).error is None
    path = copy_article(
        tmp_path,
        yaml={
            "name: Maria Lind": "name: Maria Lindh",
            "parent: arctic}": "parent: fisheries}",
            "start: 2031-05-04": "start: 2031-05-03",
        },
    )

    run = load(path)

    assert run.err == ""
    assert run.out.splitlines()[2:5] == [
        "  officials: 1 updated, 1 unchanged",
        "  topics: 1 updated, 2 unchanged",
        "  visits: 1 updated",
    ]
    assert Official.objects.get(slug="maria-lind").name == "Maria Lindh"
    assert Topic.objects.get(slug="arctic-shipping").parent.slug == "fisheries"
    assert Visit.objects.get().start == datetime.date(2031, 5, 3)


def test_a_name_no_article_has_stated_yet_is_taken_from_the_first_article_that_does():
    Official.objects.create(slug="maria-lind", name="M. Lind", country="SE")

    run = load(LIND)

    assert run.out.splitlines()[2] == "  officials: 1 created, 1 updated"
    assert Official.objects.get(slug="maria-lind").name == "Maria Lind"


# Rule 8: removal ---------------------------------------------------------------


def test_unloading_by_stem_removes_what_the_article_contributed_and_recomputes_the_shared_visit():
    assert load(*ARTICLES).error is None

    out = unload("norland-talks")

    assert out == "Removed norland-talks: 1 meetings, 1 statements, 7 mentions, 0 visits no other source reports.\n"
    assert slugs(Article.objects) == ["lind-norland"]
    visit = Visit.objects.get()
    assert visit.places == ["Tromsø"]
    assert slugs(visit.hosts) == ["ola-berg"]
    assert slugs(visit.topics) == ["arctic"]
    assert visit.end == datetime.date(2031, 5, 5)
    assert (Meeting.objects.count(), Statement.objects.count(), Mention.objects.count()) == (1, 2, 10)
    # Officials and topics stay, even erik-holm whom only the removed article named.
    assert slugs(Official.objects) == ["erik-holm", "maria-lind", "ola-berg"]
    assert slugs(Topic.objects) == ["arctic", "arctic-shipping", "fisheries"]


def test_unloading_by_url_removes_the_visits_no_other_article_reports():
    assert load(SEEDS, LIND).error is None

    out = unload(LIND_URL)

    assert out == "Removed lind-norland: 1 meetings, 2 statements, 10 mentions, 1 visits no other source reports.\n"
    assert slugs(Visit.objects) == ["lloyd-austin-israel-2021-04"]
    assert Meeting.objects.filter(visit__slug=VISIT).count() == 0
    assert slugs(Official.objects) == [
        "benjamin-netanyahu",
        "benny-gantz",
        "joe-biden",
        "lloyd-austin",
        "maria-lind",
        "ola-berg",
    ]
    assert Topic.objects.count() == 11


def test_unloading_every_article_leaves_only_officials_and_topics():
    assert load(SEEDS, *ARTICLES).error is None

    unload("austin-israel-2021-04", LIND_URL, "norland-talks")

    # An official keeps their name (for search) and their identity key, so
    # that a later article naming the same slug finds the same person.
    assert {label: count for label, count in table_counts().items() if count} == {
        "visits.Official": 7,
        "visits.OfficialName": 7,
        "visits.IdentityKey": 7,
        "visits.Topic": 11,
    }


def test_unloading_an_unknown_article_fails_naming_it():
    with pytest.raises(CommandError, match="^no article has the url or stem 'nowhere'$"):
        unload("nowhere")


# What the command prints -----------------------------------------------------


def test_the_summary_of_a_first_load_counts_what_was_created():
    run = load(*ARTICLES)

    assert run == (
        "Loaded: 2 file(s) ok, 0 failed.\n"
        "  articles: 2 created\n"
        "  officials: 3 created, 1 unchanged\n"
        "  topics: 3 created, 2 unchanged\n"
        "  visits: 1 created, 1 updated\n"
        "  meetings: 2 created\n"
        "  statements: 3 created\n"
        "  mentions: 17 created\n",
        "",
        None,
    )


def test_the_summary_of_a_reload_of_unchanged_files_counts_everything_unchanged():
    assert load(*ARTICLES).error is None

    run = load(*ARTICLES)

    assert run == (
        "Loaded: 2 file(s) ok, 0 failed.\n"
        "  articles: 2 unchanged\n"
        "  officials: 4 unchanged\n"
        "  topics: 5 unchanged\n"
        "  visits: 2 unchanged\n",
        "",
        None,
    )


def test_the_summary_of_a_reload_of_an_edited_file_counts_its_contributions_as_written_anew(tmp_path):
    path = copy_article(tmp_path, yaml={"places: [Tromsø]": "places: [Tromsø, Bodø]"})
    assert load(LIND).error is None

    run = load(path)

    assert run == (
        "Loaded: 1 file(s) ok, 0 failed.\n"
        "  articles: 1 updated\n"
        "  officials: 2 unchanged\n"
        "  topics: 3 unchanged\n"
        "  visits: 1 updated\n"
        "  meetings: 1 created\n"
        "  statements: 2 created\n"
        "  mentions: 10 created\n",
        "",
        None,
    )
    assert Visit.objects.get().places == ["Tromsø", "Bodø"]


def test_the_seed_article_loads_without_warnings():
    run = load(SEEDS)

    assert run == (
        "Loaded: 1 file(s) ok, 0 failed.\n"
        "  articles: 1 created\n"
        "  officials: 4 created\n"
        "  topics: 8 created\n"
        "  visits: 1 created\n"
        "  meetings: 1 created\n"
        "  statements: 11 created\n"
        "  mentions: 34 created\n",
        "",
        None,
    )
