"""The visit list from bitmaps (visits.bitmaps) answers exactly as SQL does, and is never stale after a write.

PostgreSQL only: on SQLite the list is answered by SQL alone. Random filter
combinations (hypothesis) over a demo data set are answered both ways and
compared: every facet's options and counts, the total, and the page's visits
in order, for both date orders and the last page.
"""

import datetime
import io

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import override_settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from visits import bitmaps, demo
from visits.models import IndexChange, Official, Topic, Visit, VisitCountry, VisitOffice

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the bitmap index serves PostgreSQL; SQLite answers with SQL"
)


def answer(client, query, use_bitmaps):
    """What the visit list shows for `query`: page slugs, total, facets, error; computed afresh."""
    cache.clear()
    with override_settings(VISIT_BITMAPS=use_bitmaps):
        response = client.get(f"/visits/?{query}")
    assert response.status_code == 200
    context = response.context
    page = context["page"]
    return {
        "visits": [visit.slug for visit in page.object_list] if page else None,
        "total": page.paginator.count if page else None,
        "facets": [(f.name, [(o.value, o.count, o.selected) for o in f.options]) for f in context["facets"] or []],
        "error": context.get("page_error"),
        # The pictures draw counts of their own: the timeline's bars (by year or month) and the map's countries.
        "timeline": [(bar.label, bar.count, bar.url) for bar in context["timeline"].bars] if page else None,
        "map": sorted((p.code, p.count, p.url) for p in world_map.drawn + world_map.beside if p.count)
        if (world_map := context.get("world_map")) and page
        else None,
    }


@pytest.fixture
def world(db):
    demo.generate(240, seed=3)
    return {
        "officials": list(Official.objects.order_by("slug").values_list("slug", flat=True)),
        "topics": list(Topic.objects.order_by("slug").values_list("slug", flat=True)),
        "countries": sorted(set(VisitCountry.objects.values_list("country", flat=True))),
        "offices": sorted(set(VisitOffice.objects.values_list("office_slug", flat=True))),
        "words": ["cooperation", "trade", "visit", "security talks", "zzzz"],
    }


def combinations(world):
    """A strategy of visit list query strings drawn from the data."""
    dates = st.dates(datetime.date(2014, 1, 1), datetime.date(2026, 12, 31))
    return st.fixed_dictionaries(
        {},
        optional={
            "official": st.lists(st.sampled_from(world["officials"]), min_size=1, max_size=2),
            "topic": st.lists(st.sampled_from(world["topics"]), min_size=1, max_size=2),
            "country": st.lists(st.sampled_from(world["countries"]), min_size=1, max_size=2),
            "host_country": st.lists(st.sampled_from(world["countries"]), min_size=1, max_size=1),
            "visitor_country": st.lists(st.sampled_from(world["countries"]), min_size=1, max_size=1),
            "office": st.lists(st.sampled_from(world["offices"]), min_size=1, max_size=2),
            "date_from": dates.map(lambda d: [d.isoformat()]),
            "date_to": dates.map(lambda d: [d.isoformat()]),
            "q": st.sampled_from(world["words"]).map(lambda w: [w]),
            "sort": st.sampled_from(["-date", "date", "relevance"]).map(lambda s: [s]),
            "page": st.integers(1, 12).map(lambda n: [str(n)]),
            "map": st.sampled_from(["host", "visitor"]).map(lambda m: [m]),
        },
    ).map(lambda params: "&".join(f"{key}={value}" for key, values in params.items() for value in values))


def test_random_filter_combinations_answer_as_sql_does(client, world):
    @hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(combinations(world))
    def check(query):
        assert answer(client, query, True) == answer(client, query, False), query

    check()


@pytest.mark.parametrize("query", ["", "sort=date", "country={country}", "q=cooperation", "sort=date&q=visit"])
def test_every_page_in_both_orders_holds_the_visits_sql_gives(client, world, query):
    query = query.format(country=world["countries"][0])
    total = answer(client, query, False)["total"]
    assert total
    for number in range(1, -(-total // 25) + 1):
        paged = f"{query}&page={number}"
        assert answer(client, paged, True)["visits"] == answer(client, paged, False)["visits"], paged


def test_a_write_is_counted_by_the_next_request_by_patching_not_rebuilding(client, seeded, monkeypatch):
    call_command("load_articles", str(settings.BASE_DIR / "tests" / "data" / "lind-norland.yaml"), stdout=io.StringIO())
    before = answer(client, "country=NO", True)
    builds = []
    real_build = bitmaps.Index.build
    monkeypatch.setattr(bitmaps.Index, "build", classmethod(lambda cls: builds.append(1) or real_build.__func__(cls)))

    # A second report of the same visit: it adds people and topics to it.
    second = settings.BASE_DIR / "tests" / "data" / "norland-talks.yaml"
    call_command("load_articles", str(second), stdout=io.StringIO())

    after = answer(client, "country=NO", True)
    assert after == answer(client, "country=NO", False)
    assert after["facets"] != before["facets"]
    assert builds == []  # the load's few visits were patched in
    Visit.objects.get(slug="lind-norland-2031-05").delete()  # a write that logs nothing: no refresh
    assert IndexChange.objects.filter(visit_ids__isnull=True).count() == 0


def test_an_admin_edit_is_never_stale(admin_client, seeded):
    before = answer(admin_client, "host_country=IL", True)
    assert before["total"] == 1
    visit = Visit.objects.get()
    response = admin_client.post(
        f"/{settings.ADMIN_URL}visits/visit/{visit.pk}/change/",
        __import__("tests.helpers", fromlist=["visit_form_data"]).visit_form_data(visit, host_country="JO"),
    )
    assert response.status_code == 302
    assert answer(admin_client, "host_country=IL", True) == answer(admin_client, "host_country=IL", False)
    assert answer(admin_client, "host_country=IL", True)["visits"] is None  # no visit is in Israel now
    assert answer(admin_client, "host_country=JO", True)["total"] == 1
    assert answer(admin_client, "host_country=JO", True) == answer(admin_client, "host_country=JO", False)


def test_a_change_the_log_cannot_describe_rebuilds(client, seeded):
    assert answer(client, "", True)["total"] == 1
    call_command("reindex_visits", stdout=io.StringIO())  # a topic tree change: every visit
    assert IndexChange.objects.order_by("pk").last().visit_ids is None
    assert answer(client, "", True) == answer(client, "", False)


def test_free_text_reads_the_ids_through_the_gin_index(db):
    demo.generate(60, seed=1)
    from visits.queries import full_text_query

    matching = Visit.objects.filter(search_vector=full_text_query("cooperation")).order_by().values("pk")
    sql, params = matching.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN SELECT array_agg(pk) FROM ({sql}) AS m", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Seq Scan" not in plan
    assert "visit_search_vector" in plan or "Bitmap Index Scan" in plan
    assert sorted(bitmaps.search_ids("cooperation")) == sorted(pk for (pk,) in matching.values_list("pk"))


def test_the_index_travels_through_the_shared_cache_intact(db):
    demo.generate(50, seed=2)
    index = bitmaps.Index.build()
    again = bitmaps.Index.loads(index.dumps())
    assert (again.token, again.applied, again.every) == (index.token, index.applied, index.every)
    assert again.dims == index.dims
    assert list(again.starts) == list(index.starts)
