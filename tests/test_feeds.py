"""The Atom feeds: valid, newest first, the list's filters respected, ids that survive a re-load."""

import datetime
import io

import feedparser
import pytest
from django.core.management import call_command

from visits.indexing import reindex_all

from .factories import ArticleFactory, OfficialFactory, StatementFactory, TopicFactory, VisitFactory

SEED_VISIT = "lloyd-austin-israel-2021-04"


def parsed(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


@pytest.fixture
def visits(db):
    """Four visits: three to Israel (one by a French official, on the topic Iran), one to France."""
    us = OfficialFactory(slug="us-one", name="Una States", country="US")
    fr = OfficialFactory(slug="fr-one", name="Francois Republique", country="FR")
    host = OfficialFactory(slug="il-host", name="Ilan Host", country="IL")
    iran = TopicFactory(slug="iran", name="Iran")
    VisitFactory(slug="old", host_country="IL", start=datetime.date(2019, 5, 2), visitors=[us])
    VisitFactory(
        slug="newest",
        host_country="IL",
        start=datetime.date(2023, 1, 9),
        visitors=[fr],
        hosts=[host],
        topics=[iran],
        summary="Talks on Iran.",
        places=["Jerusalem", "Tel Aviv"],
    )
    VisitFactory(slug="middle", host_country="IL", start=datetime.date(2021, 7, 1), visitors=[us])
    VisitFactory(slug="paris", host_country="FR", start=datetime.date(2022, 3, 3), visitors=[us])
    reindex_all()


def test_the_visit_feed_lists_visits_newest_first_with_their_dates_people_places_and_stable_ids(client, visits):
    feed = parsed(client, "/visits.atom")

    assert feed.feed.title == "Diplomatic visits: visits"
    assert [entry.link for entry in feed.entries] == [
        "http://testserver/visits/newest/",
        "http://testserver/visits/paris/",
        "http://testserver/visits/middle/",
        "http://testserver/visits/old/",
    ]
    newest = feed.entries[0]
    assert newest.id == "tag:diplomatic-visits,2026:visit/newest"
    assert newest.title == "Francois Republique in Israel"
    assert (
        newest.summary == "2023-01-09 to 2023-01-10. Places: Jerusalem, Tel Aviv. Hosted by Ilan Host. Talks on Iran."
    )
    assert newest.published == "2023-01-09T00:00:00+00:00"
    assert newest.updated == "2023-01-10T00:00:00+00:00"
    assert newest.author == "Francois Republique"
    assert [tag.term for tag in newest.tags] == ["Iran"]


def test_the_visit_feed_takes_every_filter_of_the_visit_list(client, visits):
    feed = parsed(client, "/visits.atom?host_country=IL&visitor_country=US&sort=date&page=2")

    assert [entry.id.rsplit("/", 1)[1] for entry in feed.entries] == ["middle", "old"]  # sort and page ignored
    assert feed.feed.title == "Diplomatic visits: visits (Host: Israel, Visitor from: United States)"
    assert feed.feed.link == "http://testserver/visits/?host_country=IL&visitor_country=US"

    for query, expected in [
        ("topic=iran", ["newest"]),
        ("official=us-one&date_from=2020-01-01", ["paris", "middle"]),
        ("country=FR", ["newest", "paris"]),  # either side: a French visitor, or France hosting
        ("q=Iran", ["newest"]),
    ]:
        feed = parsed(client, f"/visits.atom?{query}")
        assert [entry.id.rsplit("/", 1)[1] for entry in feed.entries] == expected, query


def test_a_feed_with_a_bad_filter_is_valid_and_empty(client, visits):
    feed = parsed(client, "/visits.atom?date_from=2021-13-01")
    assert feed.entries == []
    feed = parsed(client, "/statements.atom?official=nobody")
    assert feed.entries == []


def test_a_search_with_control_characters_gives_a_valid_feed_without_them(client, visits):
    feed = parsed(client, "/visits.atom?q=Iran%01%1b")
    assert feed.feed.title == "Diplomatic visits: visits (Search: Iran)"


def test_the_visit_feed_holds_the_latest_50(client, db):
    official = OfficialFactory()
    for day in range(55):
        VisitFactory(
            slug=f"v-{day:02d}", start=datetime.date(2020, 1, 1) + datetime.timedelta(days=day), visitors=[official]
        )
    reindex_all()

    feed = parsed(client, "/visits.atom")

    assert len(feed.entries) == 50
    assert (feed.entries[0].id, feed.entries[-1].id) == (
        "tag:diplomatic-visits,2026:visit/v-54",
        "tag:diplomatic-visits,2026:visit/v-05",
    )


def test_the_statement_feed_follows_the_statement_filters_newest_article_first(client, db):
    gantz = OfficialFactory(slug="benny-gantz", name="Benny Gantz", country="IL")
    austin = OfficialFactory(slug="lloyd-austin", name="Lloyd Austin", country="US")
    older = ArticleFactory(slug="older", title="Older", published=datetime.date(2020, 1, 2))
    newer = ArticleFactory(slug="newer", title="Newer", published=datetime.date(2021, 4, 11))
    StatementFactory(article=older, speaker=gantz)
    StatementFactory(article=newer, speaker=gantz, kind="indirect")
    StatementFactory(article=newer, speaker=austin, quote="The minister said", start=0, end=17)

    feed = parsed(client, "/statements.atom?official=benny-gantz")

    assert feed.feed.title == "Diplomatic visits: statements (Official: Benny Gantz)"
    assert [(entry.id, entry.published[:10]) for entry in feed.entries] == [
        ("tag:diplomatic-visits,2026:statement/newer/17-36", "2021-04-11"),
        ("tag:diplomatic-visits,2026:statement/older/17-36", "2020-01-02"),
    ]
    assert feed.entries[0].title == "Benny Gantz: the talks went well"
    assert feed.entries[0].summary == "Benny Gantz said, in reported speech: the talks went well (Newer, 2021-04-11)"
    assert feed.entries[0].link.startswith("http://testserver/articles/newer/#statement-")
    assert [e.id for e in parsed(client, "/statements.atom?country=US").entries] == [
        "tag:diplomatic-visits,2026:statement/newer/0-17"
    ]


def test_entry_ids_and_dates_are_the_same_after_unloading_and_loading_the_article_again(client, seeded):
    def entries():
        return [(e.id, e.published, e.updated) for e in parsed(client, "/visits.atom").entries] + [
            (e.id, e.published, e.updated) for e in parsed(client, "/statements.atom").entries
        ]

    before = entries()
    call_command("unload_articles", "austin-israel-2021-04", stdout=io.StringIO())
    call_command("load_articles", "seeds/", stdout=io.StringIO())

    assert entries() == before
    assert before[0][0] == f"tag:diplomatic-visits,2026:visit/{SEED_VISIT}"


@pytest.mark.parametrize(
    ("url", "feeds"),
    [
        ("/visits/?country=IL&page=1", ["/visits.atom?country=IL"]),
        ("/officials/lloyd-austin/", ["/visits.atom?official=lloyd-austin", "/statements.atom?official=lloyd-austin"]),
        ("/countries/IL/", ["/visits.atom?country=IL", "/statements.atom?country=IL"]),
        ("/topics/iran/", ["/visits.atom?topic=iran", "/statements.atom?topic=iran"]),
        ("/statements/?topic=iran", ["/statements.atom?topic=iran"]),
    ],
)
def test_pages_announce_their_feeds_in_the_head_and_link_them_visibly(client, seeded, url, feeds):
    html = client.get(url).content.decode()
    for feed in feeds:
        href = feed.replace("&", "&amp;")
        assert '<link rel="alternate" type="application/atom+xml"' in html
        assert f'href="{href}">' in html.split("</head>")[0], feed
        assert f'<a class="feed-link" href="{href}">' in html.split("</head>")[1], feed
