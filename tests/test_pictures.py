"""The pictures: the numbers drawn are the facet counts, every link keeps the other filters, no data draws nothing."""

import datetime
import json
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from django_countries import countries

from visits import bitmaps
from visits.indexing import reindex_all
from visits.models import Visit
from visits.pictures import network, shapes, timeline, worldmap

from .factories import MeetingFactory, OfficialFactory, VisitFactory


class Pictures(HTMLParser):
    """Collect the links of each picture (figure.timeline, figure.world-map, figure.network) of a page."""

    def __init__(self, html):
        super().__init__()
        self.figures = []  # [(classes, [attrs of each <a>])]
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "figure":
            self.figures.append((attrs.get("class", "").split(), []))
        elif tag == "a" and self.figures and "data-count" in attrs:
            self.figures[-1][1].append(attrs)

    def links(self, kind):
        (links,) = [links for classes, links in self.figures if kind in classes]
        return links


def pictures(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response, Pictures(response.content.decode())


def query(url):
    """Return the parameters of a link as {name: [values]}."""
    return parse_qs(urlsplit(url).query)


@pytest.fixture
def archive(db):
    """Seven visits over six years: four hosted by Israel, two by France, one by the Soviet Union."""
    us, fr, il = OfficialFactory(country="US"), OfficialFactory(country="FR"), OfficialFactory(country="IL")
    rows = [
        ("v-1985", "SU", 1985, 3, [us]),
        ("v-2015a", "IL", 2015, 1, [us]),
        ("v-2015b", "IL", 2015, 6, [fr]),
        ("v-2018", "FR", 2018, 2, [us, il]),
        ("v-2020a", "IL", 2020, 3, [us]),
        ("v-2020b", "IL", 2020, 3, [fr]),
        ("v-2020c", "FR", 2020, 11, [il]),
    ]
    for slug, host, year, month, visitors in rows:
        VisitFactory(slug=slug, host_country=host, start=datetime.date(year, month, 10), visitors=visitors)
    reindex_all()
    return {"us": us, "fr": fr, "il": il}


def test_the_timeline_draws_the_year_facet_counts_and_each_bar_keeps_the_other_filters(client, archive):
    response, page = pictures(client, "/visits/?visitor_country=US&sort=date")
    facet = {f.name: f for f in response.context["facets"]}["year"]

    bars = page.links("timeline")

    assert [(bar["data-label"], int(bar["data-count"])) for bar in bars] == [
        ("1985", 1),
        ("2015", 1),
        ("2018", 1),
        ("2020", 1),
    ]
    assert sorted((o.label, o.count) for o in facet.options) == [("1985", 1), ("2015", 1), ("2018", 1), ("2020", 1)]
    assert query(bars[1]["href"]) == {
        "visitor_country": ["US"],
        "sort": ["date"],
        "date_from": ["2015-01-01"],
        "date_to": ["2015-12-31"],
    }


def test_bar_heights_are_proportional_to_the_counts_with_every_year_of_the_span_in_place():
    drawn = timeline.by_year([(2020, 4), (2018, 2), (2017, 1)], lambda year, selected: f"?y={year}")

    assert [(bar.label, bar.count) for bar in drawn.bars] == [("2017", 1), ("2018", 2), ("2019", 0), ("2020", 4)]
    assert [bar.height for bar in drawn.bars] == [39.0, 78.0, 0, 156.0]
    assert [bar.y + bar.height for bar in drawn.bars if bar.count] == [160.0, 160.0, 160.0]
    assert [bar.label for bar in drawn.counted] == ["2017", "2018", "2020"]


def test_a_range_within_two_years_is_drawn_by_month_with_the_month_counts(client, archive):
    response, page = pictures(client, "/visits/?date_from=2020-01-01&date_to=2020-12-31&host_country=IL")

    bars = page.links("timeline")

    assert response.context["timeline"].unit == "month"
    assert len(response.context["timeline"].bars) == 12
    assert [(bar["data-label"], int(bar["data-count"])) for bar in bars] == [("Mar 2020", 2)]
    assert query(bars[0]["href"]) == {"host_country": ["IL"], "date_from": ["2020-03-01"], "date_to": ["2020-03-31"]}
    assert 'href="?host_country=IL">all years</a>' in response.content.decode()


def test_the_map_colours_host_countries_by_their_counts_and_each_country_adds_itself_to_the_filter(client, archive):
    response, page = pictures(client, "/visits/?official=" + archive["us"].slug + "&q=")

    places = {link["data-code"]: link for link in page.links("world-map")}

    # Visits by the US official: hosted by Israel (2015, 2020), France (2018) and the Soviet Union (1985).
    assert {code: int(link["data-count"]) for code, link in places.items()} == {"IL": 2, "FR": 1, "SU": 1}
    assert query(places["FR"]["href"]) == {"official": [archive["us"].slug], "host_country": ["FR"]}
    world_map = response.context["world_map"]
    assert [(place.code, place.count) for place in world_map.historical] == [("SU", 1)]
    assert [(place.code, place.count, place.level) for place in world_map.counted] == [
        ("IL", 2, 5),
        ("FR", 1, 1),
        ("SU", 1, 1),
    ]


def test_the_map_counts_like_a_facet_without_its_own_filter_and_outlines_the_chosen_country(client, archive):
    response, page = pictures(client, "/visits/?host_country=FR")

    places = {link["data-code"]: int(link["data-count"]) for link in page.links("world-map")}

    assert places == {"IL": 4, "FR": 2, "SU": 1}  # what each link would give, the host filter replaced
    assert [p.code for p in response.context["world_map"].drawn if p.selected] == ["FR"]
    assert response.context["page"].paginator.count == 2


def test_the_visitor_side_counts_each_visit_once_per_visitor_country_and_links_to_the_visitor_filter(client, archive):
    response, page = pictures(client, "/visits/?map=visitor&host_country=IL")

    places = {link["data-code"]: link for link in page.links("world-map")}

    assert {code: int(link["data-count"]) for code, link in places.items()} == {"US": 2, "FR": 2}
    assert query(places["US"]["href"]) == {"host_country": ["IL"], "map": ["visitor"], "visitor_country": ["US"]}
    html = response.content.decode()
    assert '<strong aria-current="true">Visitors&#x27; countries</strong>' in html
    assert 'href="?host_country=IL">Host countries</a>' in html


def test_an_unknown_map_side_is_the_host_side(client, archive):
    response = client.get("/visits/?map=sideways")
    assert response.context["world_map"].mode == "host"
    assert response.context["page"].paginator.count == 7


def test_with_no_visits_the_pictures_draw_nothing_and_say_so(client, db):
    response, page = pictures(client, "/visits/?country=FR")

    html = response.content.decode()
    assert page.links("timeline") == []
    assert page.links("world-map") == []
    assert "Visits by the year they began, for these filters: none to draw." in html
    assert "Visits by host country, for these filters: none to draw." in html


def test_an_officials_page_draws_their_visits_by_month_and_their_counterparts(client, archive):
    us, il = archive["us"], archive["il"]
    host = OfficialFactory(slug="the-host", name="The Host", country="IL")
    visit = Visit.objects.get(slug="v-2020a")
    visit.hosts.set([host])
    MeetingFactory(visit=visit, participants=[us, host])
    MeetingFactory(visit=Visit.objects.get(slug="v-2018"), participants=[us, il])
    reindex_all()

    response, page = pictures(client, f"/officials/{us.slug}/")

    bars = page.links("timeline")
    assert [(bar["data-label"], int(bar["data-count"])) for bar in bars] == [
        ("1985", 1),
        ("2015", 1),
        ("2018", 1),
        ("2020", 1),
    ]
    assert query(bars[0]["href"]) == {"official": [us.slug], "date_from": ["1985-01-01"], "date_to": ["1985-12-31"]}
    nodes = page.links("network")
    # The host: one meeting and one visit hosted; the other visitor of 2018: one meeting.
    assert [(node["href"], int(node["data-count"])) for node in nodes] == [
        ("/officials/the-host/", 2),
        (il.get_absolute_url(), 1),
    ]
    assert [(o.slug, o.meeting_count, o.visit_count) for o in response.context["counterparts"]] == [
        ("the-host", 1, 1),
        (il.slug, 1, 0),
    ]


def test_the_radial_layout_is_deterministic_most_first_clockwise_from_the_top():
    drawn = network.radial("Centre", [("A Person", "/a/", 4), ("B", "/b/", 2), ("C", "/c/", 1), ("D", "/d/", 1)])

    assert [(n.label, n.x, n.y, n.stroke, n.anchor) for n in drawn.nodes] == [
        ("A Person", 280.0, 85.0, 9.0, "middle"),
        ("B", 395.0, 200.0, 5.0, "start"),
        ("C", 280.0, 315.0, 3.0, "middle"),
        ("D", 165.0, 200.0, 3.0, "end"),
    ]
    assert network.short_label("Benjamin Netanyahu") == "Netanyahu"
    assert network.short_label("Martin Luther King Jr.") == "King"
    assert network.short_label("Benny Gantz") == "Benny Gantz"


def test_an_official_with_no_counterparts_gets_a_sentence_not_a_picture(client, archive):
    response, page = pictures(client, f"/officials/{archive['fr'].slug}/")
    assert page.links("network") == []
    assert "No counterparts recorded: no meeting, and no visit with a host named." in response.content.decode()


def test_a_countrys_page_maps_where_its_officials_went_or_who_came_with_links_to_the_visit_list(client, archive):
    _, page = pictures(client, "/countries/IL/")
    places = {link["data-code"]: link for link in page.links("world-map")}
    assert {code: int(link["data-count"]) for code, link in places.items()} == {"FR": 2, "IL": 0}  # IL: outlined
    assert query(places["FR"]["href"]) == {"visitor_country": ["IL"], "host_country": ["FR"]}

    _, page = pictures(client, "/countries/IL/?map=visitor")
    places = {link["data-code"]: int(link["data-count"]) for link in page.links("world-map")}
    assert places == {"US": 2, "FR": 2, "IL": 0}


def test_a_topics_page_and_a_countrys_page_draw_a_small_timeline(client, archive):
    _, page = pictures(client, "/countries/FR/")
    assert [(bar["data-label"], int(bar["data-count"])) for bar in page.links("timeline")] == [
        ("2015", 1),
        ("2018", 1),
        ("2020", 2),
    ]


def test_switching_the_map_side_costs_one_query_and_the_same_page_again_none(
    client, archive, django_assert_num_queries
):
    client.get("/visits/?country=IL")
    # The version, the page and its 3 prefetches, and the visitor side's counts: a query, or on PostgreSQL
    # none, from the bitmap index.
    with django_assert_num_queries(5 if bitmaps.enabled() else 6):
        client.get("/visits/?country=IL&map=visitor")
    with django_assert_num_queries(5):
        client.get("/visits/?country=IL&map=visitor")


# The shapes --------------------------------------------------------------------


def test_the_committed_shapes_cover_todays_countries_by_alpha_2_code_without_antarctica():
    data = json.loads(worldmap.SHAPES.read_text())

    assert (data["width"], data["height"], len(data["shapes"])) == (1000, 438, 174)
    assert {"US", "FR", "IL", "RU", "FJ", "XK", "SO", "CY", "TW"} <= set(data["shapes"])
    assert "AQ" not in data["shapes"]
    assert [code for code in data["shapes"] if code not in countries] == []


def test_the_build_decodes_arcs_and_presses_rings_across_the_antimeridian_to_one_side():
    topology = {
        "transform": {"scale": [1, 1], "translate": [0, 0]},
        "arcs": [[[0, 0], [2, 0], [0, 2]], [[2, 2], [-2, 0]]],
    }
    arcs = shapes.decode_arcs(topology)

    assert arcs == [[(0, 0), (2, 0), (2, 2)], [(2, 2), (0, 2)]]
    assert shapes.ring(arcs, [0, 1]) == [(0, 0), (2, 0), (2, 2), (0, 2)]
    assert shapes.ring(arcs, [~1]) == [(0, 2), (2, 2)]
    assert shapes.on_one_side([(170, 60), (179, 60), (-179, 65), (170, 65)]) == [
        (170, 60),
        (179, 60),
        (180.0, 65),
        (170, 65),
    ]
    assert [shapes.fmt(t) for t in (125, -30, 4, -5, 0, 100)] == ["12.5", "-3", ".4", "-.5", "0", "10"]
