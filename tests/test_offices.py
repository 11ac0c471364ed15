"""Offices as a dimension: the vocabulary, the office= filter and facet, offices in search and on people's pages."""

import io

import pytest
from django.conf import settings
from django.core.management import call_command

from visits.models import ArticleOfficial, SourceRecordOfficial, VisitOffice
from visits.offices import Office, office_of

HSG = settings.BASE_DIR / "tests" / "data" / "hsg"


@pytest.mark.parametrize(
    ("written", "slug", "name"),
    [
        ("President", "president", "President"),
        ("Acting President", "president", "President"),
        ("President-elect", "president-elect", "President-elect"),
        ("Prime Minister", "prime-minister", "Prime Minister"),
        ("Interim Prime Minister", "prime-minister", "Prime Minister"),
        ("Taoiseach", "prime-minister", "Prime Minister"),
        ("President of the Council of Ministers", "prime-minister", "Prime Minister"),
        ("Premier and Prince", "premier", "Premier"),
        ("Prime Minister-Prince", "prime-minister", "Prime Minister"),
        ("Federal Chancellor", "chancellor", "Chancellor"),
        ("Amir", "emir", "Emir"),
        ("Grand Duchess", "grand-duke", "Grand Duke or Duchess"),
        ("Brigadier General", "general", "General"),
        ("Secretary of State", "secretary-of-state", "Secretary of State"),
        ("Secretary of Defense", "secretary-of-defense", "Secretary of Defense"),
        ("Defense Minister", "defense-minister", "Defense Minister"),
        ("Minister of Defence", "defense-minister", "Defense Minister"),
        ("Minister of Foreign Affairs", "foreign-minister", "Foreign Minister"),
        ("Foreign Secretary", "foreign-minister", "Foreign Minister"),
        ("Minister for Trade", "trade-minister", "Trade Minister"),
        ("Trade Minister", "trade-minister", "Trade Minister"),
        ("Minister of Energy and Water", "energy-and-water-minister", "Energy and Water Minister"),
        ("Head of the Federal Department of Home Affairs", "head-of-the-federal-department-of-home-affairs",
         "Head of the Federal Department of Home Affairs"),
    ],
)  # fmt: skip
def test_every_way_of_writing_an_office_is_one_office_of_the_vocabulary(written, slug, name):
    assert office_of(written) == Office(slug, name)


def test_no_office_written_is_no_office():
    assert (office_of(""), office_of(None), office_of("  ")) == (None, None, None)


@pytest.fixture
def archive(db):
    call_command("loaddata", str(settings.BASE_DIR / "fixtures" / "topic_glossary.json"), verbosity=0)
    call_command("load_articles", str(settings.BASE_DIR / "seeds"), stdout=io.StringIO())
    call_command("import_hsg", str(HSG), stdout=io.StringIO(), stderr=io.StringIO())


def listed(client, query):
    response = client.get(f"/visits/?{query}")
    assert response.status_code == 200
    return [visit.slug for visit in response.context["page"].object_list]


def test_sources_positions_carry_the_office_and_its_country(archive):
    assert list(
        ArticleOfficial.objects.filter(official__slug="lloyd-austin").values_list("role", "office_slug", "country")
    ) == [("Secretary of Defense", "secretary-of-defense", "US")]
    assert sorted(
        SourceRecordOfficial.objects.filter(record__record_id=3246).values_list("office", "office_slug", "country")
    ) == [("President", "president", "PL"), ("Prime Minister", "prime-minister", "PL")]


def test_visits_are_filtered_by_the_office_the_visitor_held_then(client, archive):
    assert listed(client, "office=secretary-of-state&host_country=IL") == ["hsg-secretary-4003"]
    assert listed(client, "office=secretary-of-defense") == ["lloyd-austin-israel-2021-04"]
    assert listed(client, "office=secretary-of-state&date_from=2010-01-01&date_to=2019-12-31") == []
    # Repeated means OR; different parameters AND.
    both = listed(client, "office=secretary-of-defense&office=prime-minister&sort=date")
    assert both == ["hsg-visit-2992", "lloyd-austin-israel-2021-04", "hsg-visit-3225", "hsg-visit-3246"]


def test_the_office_facet_counts_visits_per_office_with_the_other_filters(client, archive):
    facets = {facet.name: facet for facet in client.get("/visits/?host_country=US").context["facets"]}
    assert [(o.value, o.label, o.count) for o in facets["office"].options] == [
        ("prime-minister", "Prime Minister", 3),
        ("president", "President", 1),
    ]
    response = client.get("/visits/?office=president&host_country=US")
    chips = [label for label, _ in response.context["chips"]]
    assert "Office: President" in chips


def test_an_office_no_visitor_held_is_a_filter_error(client, archive):
    response = client.get("/visits/?office=grand-vizier")
    assert response.context["page"] is None
    assert "grand-vizier is not an office any visitor held." in response.content.decode()


def test_offices_are_searchable(client, archive):
    # Every trip of a secretary of state, though no record's text says the office.
    assert set(listed(client, "q=Secretary+of+State")) >= {
        "hsg-secretary-3992",
        "hsg-secretary-3993",
        "hsg-secretary-4003",
    }
    # The secretary of defense; and the 2021 Seoul trip, whose remarks name a "Defense Ministerial".
    assert set(listed(client, "q=Secretary+of+Defense")) == {"lloyd-austin-israel-2021-04", "hsg-secretary-3993"}


def test_the_lookup_of_offices_is_rebuilt_with_the_visit(archive):
    assert set(VisitOffice.objects.filter(visit__slug="hsg-visit-3246").values_list("office_slug", flat=True)) == {
        "president",
        "prime-minister",
    }
