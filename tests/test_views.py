"""Browse pages: what they list, how they treat bad input, and their query counts."""

import datetime
import io

import pytest
from django.core.management import call_command

from visits import bitmaps
from visits.caching import current_version
from visits.indexing import reindex_all
from visits.models import Article, Mention, Statement, Topic, Visit

from .factories import (
    ArticleFactory,
    OfficialFactory,
    StatementFactory,
    TopicFactory,
    VisitFactory,
    build_archive,
)

SEED_VISIT = "lloyd-austin-israel-2021-04"


def listed_visit_slugs(response):
    return (
        [visit.slug for visit in response.context["page"].object_list] if response.context["page"] is not None else None
    )


@pytest.mark.parametrize(
    "query",
    [
        "official=lloyd-austin",
        "topic=qme",
        "country=IL",
        "country=il",
        "topic=iran",
        "host_country=IL",
        "visitor_country=US",
        "official=benny-gantz",
        "q=Kirya",
        "q=Kirya&sort=relevance",
        "date_from=2021-04-12",
        "date_to=2021-04-11",
    ],
)
def test_the_seed_visit_is_found_by_each_of_its_facts(client, seeded, query):
    response = client.get(f"/visits/?{query}")
    assert response.status_code == 200
    assert listed_visit_slugs(response) == [SEED_VISIT]


@pytest.mark.parametrize(
    "query",
    [
        "country=FR",
        "official=joe-biden",
        "topic=iran-sanctions",
        "date_from=2021-04-13",
        "q=zebra",
        "visitor_country=IL",
    ],
)
def test_filters_the_seed_visit_does_not_match_list_nothing_and_say_so(client, seeded, query):
    response = client.get(f"/visits/?{query}")
    assert listed_visit_slugs(response) == []
    assert "No visits match these filters." in response.content.decode()


def test_a_topic_filter_includes_visits_tagged_only_with_a_sub_topic(client, db):
    parent = TopicFactory(slug="iran", name="Iran")
    child = TopicFactory(slug="iran-nuclear-program", name="Iran's nuclear program", parent=parent)
    grandchild = TopicFactory(slug="jcpoa", name="JCPOA", parent=child)
    tagged = VisitFactory(slug="tagged", visitors=[OfficialFactory()], topics=[grandchild])
    VisitFactory(slug="other", visitors=[OfficialFactory()], topics=[TopicFactory()])
    reindex_all()
    assert listed_visit_slugs(client.get("/visits/?topic=iran")) == [tagged.slug]


def test_a_repeated_parameter_is_or_and_different_parameters_are_and(client, db):
    a, b, c = OfficialFactory(slug="a"), OfficialFactory(slug="b"), OfficialFactory(slug="c")
    VisitFactory(slug="with-a", visitors=[a], host_country="IL", start=datetime.date(2021, 1, 1))
    VisitFactory(slug="with-b", visitors=[b], host_country="FR", start=datetime.date(2021, 2, 1))
    VisitFactory(slug="with-c", visitors=[c], host_country="IL", start=datetime.date(2021, 3, 1))
    reindex_all()
    assert listed_visit_slugs(client.get("/visits/?official=a&official=b")) == ["with-b", "with-a"]
    assert listed_visit_slugs(client.get("/visits/?official=a&official=b&country=IL")) == ["with-a"]
    assert listed_visit_slugs(client.get("/visits/?country=IL&sort=date")) == ["with-a", "with-c"]


def test_an_official_filter_matches_hosts_participants_and_speakers_too(client, db):
    host, speaker = OfficialFactory(slug="host"), OfficialFactory(slug="speaker")
    hosted = VisitFactory(slug="hosted", visitors=[OfficialFactory()], hosts=[host], start=datetime.date(2021, 1, 1))
    spoken = VisitFactory(slug="spoken", visitors=[OfficialFactory()], start=datetime.date(2021, 2, 1))
    StatementFactory(visit=spoken, speaker=speaker)
    reindex_all()
    assert listed_visit_slugs(client.get("/visits/?official=host")) == [hosted.slug]
    assert listed_visit_slugs(client.get("/visits/?official=speaker")) == [spoken.slug]


def test_facet_counts_keep_the_other_filters_and_ignore_their_own(client, db):
    us = OfficialFactory(slug="us-official", name="Amy Adams", country="US")
    de = OfficialFactory(slug="de-official", name="Bert Brandt", country="DE")
    t1, t2 = TopicFactory(slug="t1", name="T1"), TopicFactory(slug="t2", name="T2")
    VisitFactory(slug="v1", visitors=[us], host_country="IL", topics=[t1])
    VisitFactory(slug="v2", visitors=[us], host_country="FR", topics=[t1, t2])
    VisitFactory(slug="v3", visitors=[de], host_country="IL", topics=[t2], start=datetime.date(2019, 5, 1))
    reindex_all()
    facets = {f.name: f for f in client.get("/visits/?country=IL").context["facets"]}
    # Country ignores its own filter: all three visits count.
    assert [(o.value, o.count, o.selected) for o in facets["country"].options] == [
        ("IL", 2, True),
        ("US", 2, False),
        ("DE", 1, False),
        ("FR", 1, False),
    ]
    # The others count only Israeli visits (v1, v3).
    assert [(o.value, o.count) for o in facets["official"].options] == [("us-official", 1), ("de-official", 1)]
    assert [(o.value, o.count) for o in facets["topic"].options] == [("t1", 1), ("t2", 1)]
    assert [(o.value, o.count) for o in facets["year"].options] == [("2021", 1), ("2019", 1)]


def test_facet_links_toggle_one_value_keep_the_others_and_drop_the_page(client, db):
    official = OfficialFactory(slug="o1")
    VisitFactory(slug="v1", visitors=[official], host_country="IL")
    reindex_all()
    facets = {f.name: f for f in client.get("/visits/?country=IL&q=visit&page=1").context["facets"]}
    official_option = facets["official"].options[0]
    assert official_option.url == "?country=IL&q=visit&official=o1"
    assert facets["country"].options[0].url == "?q=visit"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("date_from=2021-02-31", "Enter a valid date."),
        ("page=abc", "Enter a number."),
        ("page=0", "Ensure this value is greater than or equal to 1."),
        ("country=XX", "XX is not a known country code."),
        ("official=nobody", "Select a valid choice. nobody is not one of the available choices."),
        ("topic=" + "x" * 5000, "is not one of the available choices."),
        ("q=" + "x" * 5000, "Ensure this value has at most 200 characters (it has 5000)."),
        ("q=%00", "Null characters are not allowed."),
        ("sort=sideways", "Select a valid choice. sideways is not one of the available choices."),
        ("date_from=2021-05-01&date_to=2021-04-01", "The end of the range is before its start."),
    ],
)
def test_malformed_parameters_render_the_page_with_the_error_and_no_results(client, seeded, query, message):
    response = client.get(f"/visits/?{query}")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["page"] is None


def test_a_page_past_the_end_says_which_is_the_last(client, seeded):
    response = client.get("/visits/?page=99")
    assert response.status_code == 200
    assert "There is no page 99; the last page is 1." in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/visits/nope/",
        "/officials/nobody/",
        "/topics/nothing/",
        "/countries/XX/",
        "/articles/missing/",
        "/countries/ZZZ/",
    ],
)
def test_unknown_slugs_and_codes_are_404(client, seeded, url):
    assert client.get(url).status_code == 404


def test_country_codes_in_addresses_are_case_insensitive(client, seeded):
    response = client.get("/countries/il/")
    assert response.status_code == 200
    assert [v.slug for v in response.context["visits_hosted"]["rows"]] == [SEED_VISIT]


def test_the_visit_page_shows_people_with_their_office_and_links_each_fact_to_its_sentence(client, seeded):
    response = client.get(f"/visits/{SEED_VISIT}/")
    html = response.content.decode()
    assert [(o.name, o.role) for o in response.context["visitors"]] == [("Lloyd Austin", "Secretary of Defense")]
    assert [(o.name, o.role) for o in response.context["hosts"]] == [("Benny Gantz", "Defense Minister")]
    article = Article.objects.get()
    for statement in Statement.objects.all():
        assert f'href="/articles/{article.slug}/#statement-{statement.pk}"' in html
    report = Visit.objects.get().reports.get()
    assert f'href="/articles/{article.slug}/#report-{report.pk}"' in html


def test_the_article_page_marks_every_statement_and_links_every_mention(client, seeded):
    article = Article.objects.get()
    html = client.get(f"/articles/{article.slug}/").content.decode()
    for statement in Statement.objects.all():
        assert f'id="statement-{statement.pk}"' in html
    assert html.count('class="mention"') == Mention.objects.count() + 1  # + the legend's sample
    assert (
        '<a class="mention" href="/officials/lloyd-austin/" title="Lloyd Austin">US Defense Secretary Lloyd Austin</a>'
        in html
    )


def test_article_text_and_annotations_are_escaped(client, db):
    text = 'He said "<script>alert(1)</script>" & left.'
    article = ArticleFactory(slug="hostile", title="<b>Title</b>", text=text)
    speaker = OfficialFactory(name="<img src=x onerror=alert(1)>")
    visit = VisitFactory(visitors=[speaker])
    StatementFactory(article=article, visit=visit, speaker=speaker, quote=text[9:34], start=9, end=34)
    html = client.get("/articles/hostile/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>Title</b>" not in html
    assert "<img src=x" not in html


def test_the_official_page_filters_statements_by_topic(client, seeded):
    response = client.get("/officials/lloyd-austin/?topic=qme")
    quotes = [s.quote[:30] for s in response.context["statements"]["rows"]]
    assert quotes == ["The two defense chiefs say the", "I reaffirmed to Minister Gantz"]
    all_quotes = client.get("/officials/lloyd-austin/").context["statements"]["rows"]
    assert len(all_quotes) == 7


def test_detail_page_html_is_cached_until_the_next_write_and_per_topic_filter(client, db):
    [visit, _] = build_archive(visits=2)
    official = visit.visitors.order_by("slug").first()
    url = f"/officials/{official.slug}/"
    quote = "A statement made after the page was first cached"
    assert quote not in client.get(url).content.decode()
    assert quote not in client.get("/topics/parent-topic/").content.decode()

    StatementFactory(
        article=visit.reports.get().article,
        visit=visit,
        speaker=official,
        quote=quote,
        topics=[Topic.objects.get(slug="topic-0-0")],
    )
    # No writer ran: the cached HTML is still what is shown...
    assert quote not in client.get(url).content.decode()
    from visits.refresh import refresh

    refresh([visit.pk])  # ...until one does: every writer ends in it
    assert quote in client.get(url).content.decode()
    assert quote in client.get("/topics/parent-topic/").content.decode()
    # A topic filter is part of the key: the filtered page is not the unfiltered one's HTML.
    assert quote not in client.get(url + "?topic=topic-1-0").content.decode()


def test_the_official_page_lists_each_meeting_with_the_others_who_met(client, seeded):
    html = client.get("/officials/lloyd-austin/").content.decode()
    assert "Tel Aviv</a>: with Benny Gantz</li>" in html
    assert "Benny Gantz,</li>" not in html


def test_the_topic_page_shows_the_glossary_and_includes_sub_topics(client, seeded):
    response = client.get("/topics/iran/")
    assert "Iran" in response.context["topic"].description or response.context["topic"].description
    assert [v.slug for v in response.context["visits"]["rows"]] == [SEED_VISIT]
    speakers = {s.speaker.slug for s in response.context["statements"]["rows"]}
    assert speakers == {"benny-gantz", "lloyd-austin"}


def test_statements_filter_by_speaker_topic_and_speaker_country(client, seeded):
    by_speaker = client.get("/statements/?official=benny-gantz").context["page"].object_list
    assert {s.speaker.slug for s in by_speaker} == {"benny-gantz"}
    assert len(by_speaker) == 4
    by_country = client.get("/statements/?country=us").context["page"].object_list
    assert {s.speaker.slug for s in by_country} == {"lloyd-austin"}
    by_topic = client.get("/statements/?topic=jcpoa").context["page"].object_list
    assert [s.quote[:20] for s in by_topic] == ["We will work closely"]


# Exports ------------------------------------------------------------------


def test_visits_csv_exports_every_matching_row_streamed(client, seeded):
    response = client.get("/visits.csv?country=IL")
    assert response.streaming
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0] == (
        "slug,url,start,end,host_country,host_country_name,visitors,visitor_slugs,visitor_countries,hosts,"
        "host_slugs,topics,places,summary,sources"
    )
    assert len(lines) == 2
    assert lines[1].startswith(
        "lloyd-austin-israel-2021-04,http://testserver/visits/lloyd-austin-israel-2021-04/,2021-04-11,2021-04-12,"
        "IL,Israel,Lloyd Austin,lloyd-austin,US,Benny Gantz,benny-gantz,"
    )
    assert lines[1].endswith(",http://testserver/articles/austin-israel-2021-04/")


def test_visits_json_has_the_same_rows_as_the_list(client, seeded):
    import json

    response = client.get("/visits.json?topic=iran")
    rows = json.loads(b"".join(response.streaming_content))
    assert [row["slug"] for row in rows] == [SEED_VISIT]
    assert rows[0]["visitor_slugs"] == ["lloyd-austin"]
    assert json.loads(b"".join(client.get("/visits.json?country=FR").streaming_content)) == []


def test_statements_exports_follow_the_filters(client, seeded):
    import csv
    import io
    import json

    rows = list(
        csv.DictReader(
            io.StringIO(b"".join(client.get("/statements.csv?official=benny-gantz").streaming_content).decode())
        )
    )
    assert len(rows) == 4
    assert {row["speaker_slug"] for row in rows} == {"benny-gantz"}
    statement = Statement.objects.get(pk=rows[0]["id"])
    assert rows[0]["source_url"] == f"http://testserver/articles/austin-israel-2021-04/#statement-{statement.pk}"
    data = json.loads(b"".join(client.get("/statements.json?topic=jcpoa").streaming_content))
    assert [row["speaker_slug"] for row in data] == ["benny-gantz"]


def test_an_export_with_bad_parameters_answers_400_naming_them(client, seeded):
    response = client.get("/visits.csv?date_from=2021-13-01")
    assert response.status_code == 400
    assert response.content.decode() == "Invalid parameters:\ndate_from: Enter a valid date.\n"


def test_list_pages_link_to_exports_of_every_matching_row(client, seeded):
    html = client.get("/visits/?country=IL&page=1").content.decode()
    assert 'href="/visits.csv?country=IL"' in html
    assert 'href="/visits.json?country=IL"' in html


# Query counts ---------------------------------------------------------------

PAGE_QUERIES = {
    # page: queries, whatever the number of rows (each visit has 2 visitors,
    # 2 hosts, 2 topics, 2 meetings and 3 statements, so an N+1 would show).
    "/": 13,
    # The visit list: the data version, count, page, 3 prefetches, 5 facets (the dates' by month, which gives
    # the years and the timeline), the map's countries (count, facets and map cached until the next write).
    # Home: the version, then 12 summary queries (cached likewise).
    "/visits/": 12,
    "/visits/?official=visitor-0-0&topic=parent-topic&country=IL": 14,
    "/visits/?q=visit": 12,
    # The officials list: the version, the country and office choices (3, cached), visit counts (cached), the
    # count and the page, the offices held from articles and from records.
    "/officials/": 9,
    # A search: the offices anyone held (2, cached), the names matching, their sort names, the page's people.
    "/officials/?q=official&country=IL": 12,
    "/officials/?sort=visits": 9,
    # Suggestions (cached): the version, visit counts, offices held (2), names, sort names, the 8 people and
    # their offices (2).
    "/officials/suggest?q=of": 9,
    # A facet's page: the version and the facet (cached); a search of people adds the offices anyone held (2,
    # cached), the names matching and their slugs.
    "/visits/facets/official/?country=IL": 2,
    "/visits/facets/official/?fq=official": 6,
    "/visits/facets/topic/?fq=parent": 2,
    # Offices held come from articles and from records: one query each. The counterparts (met or visited) are
    # two (their counts, then the people); the timeline of an official, topic or country one; a country's map one.
    "/officials/visitor-0-0/": 25,
    "/topics/": 3,
    "/topics/parent-topic/": 20,
    "/countries/": 3,
    "/countries/IL/": 12,
    "/statements/": 4,
    "/statements/?topic=parent-topic&official=visitor-0-0": 8,
    "/articles/": 4,
    "/articles/article-0/": 6,
    "/visits/visit-0/": 12,
}


# On PostgreSQL the visit list's total, page ids and facet counts come from the bitmap index (visits.bitmaps),
# which a running worker already holds: the count and the five facet queries are gone, and the official and
# topic facets read their top options' names (2). A search reads its ids in a transaction (savepoint, SET LOCAL
# steering the planner to the GIN index, the ids, SET back, release: 5). A facet's page runs as many as before.
PAGE_QUERIES_POSTGRESQL = {
    "/visits/": 7,
    "/visits/?official=visitor-0-0&topic=parent-topic&country=IL": 9,
    "/visits/?q=visit": 12,
    "/visits/facets/official/?country=IL": 2,
    "/visits/facets/official/?fq=official": 6,
    "/visits/facets/topic/?fq=parent": 2,
}


@pytest.mark.parametrize("visits", [2, 5])
@pytest.mark.parametrize("url", list(PAGE_QUERIES))
def test_each_page_runs_a_fixed_number_of_queries_whatever_the_rows(client, db, django_assert_num_queries, url, visits):
    """Guards against N+1 queries: the count is the same with 2 and with 5 visits."""
    build_archive(visits=visits)
    expected = PAGE_QUERIES[url]
    if bitmaps.enabled():
        bitmaps.current(current_version())  # as a running worker holds it
        expected = PAGE_QUERIES_POSTGRESQL.get(url, expected)
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200


def test_reindexing_after_a_topic_moves_in_the_tree_updates_the_topic_filter(client, seeded):
    from visits.models import Topic

    sanctions = Topic.objects.get(slug="iran-sanctions")
    Topic.objects.filter(slug="qme").update(parent=sanctions)  # as loaddata or SQL would, bypassing the loader
    assert listed_visit_slugs(client.get("/visits/?topic=iran-sanctions")) == []
    call_command("reindex_visits", stdout=io.StringIO())
    assert listed_visit_slugs(client.get("/visits/?topic=iran-sanctions")) == [SEED_VISIT]


def test_facet_counts_are_cached_until_the_next_write(client, db, django_assert_num_queries):
    build_archive(visits=2)
    client.get("/visits/?country=IL")
    with django_assert_num_queries(5):  # the same page again: no count or facet query, one version check
        facets = {f.name: f for f in client.get("/visits/?country=IL").context["facets"]}
    assert [(o.value, o.count) for o in facets["country"].options] == [("IL", 2), ("US", 2)]
    visit = VisitFactory(slug="new", visitors=[OfficialFactory(country="FR")], host_country="IL")
    from visits.refresh import refresh

    refresh([visit.pk])  # what every writer ends in
    facets = {f.name: f for f in client.get("/visits/?country=IL").context["facets"]}
    assert [(o.value, o.count) for o in facets["country"].options] == [("IL", 3), ("US", 2), ("FR", 1)]


def test_a_page_read_by_its_ids_has_the_rows_and_order_of_a_slice(db, django_assert_num_queries):
    from visits.listing import CountedPaginator

    build_archive(visits=5)
    queryset = Visit.objects.for_list()
    expected = [visit.slug for visit in queryset]
    paginator = CountedPaginator(queryset, 2, len(expected))

    pages = [[visit.slug for visit in paginator.page(number)] for number in (1, 2, 3)]

    assert pages == [expected[0:2], expected[2:4], expected[4:5]]
    with django_assert_num_queries(4):  # the rows (ids in a subquery), then visitors, hosts and topics
        list(paginator.page(2))
