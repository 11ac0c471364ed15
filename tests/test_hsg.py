"""The Office of the Historian import (visits.hsg, `manage.py import_hsg`) against its contract.

The fixtures in tests/data/hsg/ are laid out like ../shared/hsg/: a president
file (Biden, one record without a name), two secretary files (Blinken, with
the duplicate Tokyo records 3992 and 4019 and his May 2021 Israel trip;
Seward, made up, with partial dates and four records to skip), the
presidents list, a code table and a visits decade file (Netanyahu twice,
once spelt "Binyamin", and Duda and Tusk in one record). Counts are exact.

The full-data test (`-m hsg_full`) imports ../shared/hsg (or $HSG_DATA); it
runs in .ci/run on PostgreSQL and is skipped, with its reason, elsewhere.
"""

import datetime
import io
import os
import shutil
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, UniqueConstraint
from django_countries import countries

from visits.hsg.countries import COMMON_NAMES, EXCEPTIONS, HISTORICAL_STATES, PERIODS, country_code
from visits.hsg.importer import import_paths
from visits.hsg.people import Person, parse_visitors, same_person
from visits.hsg.reader import date_bounds, split_places
from visits.models import (
    Official,
    OfficialIdentifier,
    SourceRecord,
    SourceRecordOfficial,
    Visit,
    VisitCountry,
    VisitOfficial,
)

DATA = Path(__file__).parent / "data" / "hsg"
SEEDS = settings.BASE_DIR / "seeds"
FULL_DATA = Path(os.environ.get("HSG_DATA") or settings.BASE_DIR.parent / "shared" / "hsg")
SECRETARY = SourceRecord.Dataset.SECRETARY_TRAVELS
PRESIDENT = SourceRecord.Dataset.PRESIDENT_TRAVELS
VISITS = SourceRecord.Dataset.FOREIGN_VISITS

FIXTURE_SUMMARY = [
    "Imported 4 file(s), 0 failed.",
    "  Travels of the President: 3 created, 0 updated, 0 unchanged, 0 skipped",
    "  Travels of the Secretary of State: 6 created, 0 updated, 0 unchanged, 4 skipped",
    "  Visits by foreign leaders: 3 created, 0 updated, 0 unchanged, 0 skipped",
    "  officials: 6 created, 0 already known",
    "  visits: 11 created, 0 updated, 0 unchanged",
    "  1 duplicate record(s), shown once: secretary-travels 4019 = 3992",
    "  skipped, country id not mapped: 1: 5005 (atlantis)",
    "  skipped, ends before it starts: 1: 5006 (1869-03-10 to 1869-03-01)",
    "  skipped, no usable start date: 2: 5003 (1866-13), 5004 (empty)",
    "  unmapped country ids: atlantis (1 record(s))",
    f"  ignored {DATA / 'travels/code-tables/travel-role-codes.xml'}: <code-table> holds no records",
]


def import_hsg(*paths):
    """Run the command; return (stdout lines without the timing line, stderr text)."""
    out, err = io.StringIO(), io.StringIO()
    call_command("import_hsg", *(str(p) for p in paths or [DATA]), stdout=out, stderr=err)
    lines = out.getvalue().splitlines()
    assert lines[-1].startswith("Finished in ") and lines[-1].endswith(" s.")
    return lines[:-1], err.getvalue()


def table_counts():
    return {
        model.__name__: model.objects.count()
        for model in (Official, OfficialIdentifier, Visit, SourceRecord, SourceRecordOfficial, VisitOfficial)
    } | {"visitors": Visit.visitors.through.objects.count(), "countries": VisitCountry.objects.count()}


def record(dataset, record_id):
    return SourceRecord.objects.select_related("visit", "duplicate_of").get(dataset=dataset, record_id=record_id)


def seed():
    call_command("load_articles", str(SEEDS), stdout=io.StringIO())


def listed_visit_slugs(response):
    return [visit.slug for visit in response.context["page"].object_list]


@pytest.fixture
def imported(db):
    return import_hsg()


# The import ------------------------------------------------------------------


def test_importing_the_fixtures_creates_exactly_their_records_and_says_what_it_skipped(db):
    lines, errors = import_hsg()

    assert lines == FIXTURE_SUMMARY
    assert errors == ""
    assert table_counts() == {
        "Official": 6,
        "OfficialIdentifier": 3,
        "Visit": 11,
        "SourceRecord": 12,
        "SourceRecordOfficial": 13,
        "VisitOfficial": 12,
        "visitors": 12,
        "countries": 22,
    }
    assert sorted(Visit.objects.values_list("slug", flat=True)) == [
        "hsg-president-4107",
        "hsg-president-4108",
        "hsg-president-4113",
        "hsg-secretary-3992",
        "hsg-secretary-3993",
        "hsg-secretary-4003",
        "hsg-secretary-5001",
        "hsg-secretary-5002",
        "hsg-visit-2992",
        "hsg-visit-3225",
        "hsg-visit-3246",
    ]


def test_a_trip_becomes_a_visit_by_the_traveller_to_the_mapped_country(imported):
    israel = Visit.objects.get(slug="hsg-secretary-4003")
    trip = record(SECRETARY, 4003)

    assert (str(israel.host_country), israel.start, israel.end) == (
        "IL",
        datetime.date(2021, 5, 25),
        datetime.date(2021, 5, 26),
    )
    assert israel.places == ["Jerusalem"]
    assert israel.summary == (
        "Met with Prime Minister Benjamin Netanyahu and other senior Israeli officials following the Gaza ceasefire."
    )
    assert [(o.slug, str(o.country)) for o in israel.visitors.all()] == [("antony-john-blinken", "US")]
    assert (trip.name, trip.country_id, trip.country_name, trip.person_key) == (
        "Antony John Blinken",
        "israel",
        "Israel",
        "blinken-antony-j",
    )
    assert list(trip.person_entries.values_list("office", "name")) == [("Secretary of State", "Antony John Blinken")]
    assert str(trip) == "Travels of the Secretary of State 4003"
    assert trip.get_absolute_url() == f"/visits/hsg-secretary-4003/#record-{trip.pk}"
    assert sorted(VisitCountry.objects.filter(visit=israel).values_list("country", flat=True)) == ["IL", "US"]


def test_a_foreign_leader_visit_becomes_a_visit_to_the_united_states_by_each_person_named(imported):
    poland = Visit.objects.get(slug="hsg-visit-3246")

    assert str(poland.host_country) == "US"
    assert [(o.name, str(o.country)) for o in poland.visitors.order_by("name")] == [
        ("Andrzej Duda", "PL"),
        ("Donald Tusk", "PL"),
    ]
    assert list(record(VISITS, 3246).person_entries.values_list("office", "name")) == [
        ("President", "Andrzej Duda"),
        ("Prime Minister", "Donald Tusk"),
    ]


def test_a_president_record_without_a_name_takes_it_from_the_presidents_list(imported):
    assert record(PRESIDENT, 4108).name == "Joseph R. Biden"
    assert [o.slug for o in Visit.objects.get(slug="hsg-president-4108").visitors.all()] == ["joseph-r-biden"]
    assert str(Visit.objects.get(slug="hsg-president-4108").host_country) == "PS"


def test_importing_twice_equals_importing_once(imported):
    before = table_counts()
    visits_before = list(Visit.objects.order_by("slug").values())

    lines, errors = import_hsg()

    assert lines[:7] == [
        "Imported 4 file(s), 0 failed.",
        "  Travels of the President: 0 created, 0 updated, 3 unchanged, 0 skipped",
        "  Travels of the Secretary of State: 0 created, 0 updated, 6 unchanged, 4 skipped",
        "  Visits by foreign leaders: 0 created, 0 updated, 3 unchanged, 0 skipped",
        "  officials: 0 created, 6 already known",
        "  visits: 0 created, 0 updated, 11 unchanged",
        "  1 duplicate record(s), shown once: secretary-travels 4019 = 3992",
    ]
    assert errors == ""
    assert table_counts() == before
    assert list(Visit.objects.order_by("slug").values()) == visits_before


def test_a_changed_record_is_updated_and_its_visit_with_it(imported, tmp_path):
    data = shutil.copytree(DATA, tmp_path / "hsg")
    blinken = data / "travels/secretary-travels/blinken-antony-j.xml"
    blinken.write_text(blinken.read_text().replace("following the Gaza ceasefire", "after the Gaza ceasefire"))

    lines, _ = import_hsg(data)

    assert lines[2] == "  Travels of the Secretary of State: 0 created, 1 updated, 5 unchanged, 4 skipped"
    assert lines[5] == "  visits: 0 created, 1 updated, 10 unchanged"
    visit = Visit.objects.get(slug="hsg-secretary-4003")
    assert visit.summary.endswith("after the Gaza ceasefire.")
    assert "after the Gaza ceasefire" in visit.search_document


def test_a_record_removed_from_the_data_is_deleted_with_the_visit_only_it_reported(imported, tmp_path):
    data = shutil.copytree(DATA, tmp_path / "hsg")
    blinken = data / "travels/secretary-travels/blinken-antony-j.xml"
    text = blinken.read_text()
    korea = text.index('    <trip role="secretary" who="blinken-antony-j">\n        <id>3993</id>')
    blinken.write_text(text[:korea] + text[text.index("</trip>", korea) + len("</trip>\n") :])
    # The duplicate pair 3992/4019 stays: only the Seoul trip is gone.
    before = table_counts()

    lines, errors = import_hsg(data)

    assert errors == ""
    assert lines[2] == (
        "  Travels of the Secretary of State: 0 created, 0 updated, 5 unchanged, 4 skipped, "
        "1 deleted (gone from the data)"
    )
    assert lines[5] == "  visits: 0 created, 0 updated, 10 unchanged, 1 deleted"
    assert not SourceRecord.objects.filter(dataset=SECRETARY, record_id=3993).exists()
    assert not Visit.objects.filter(slug="hsg-secretary-3993").exists()
    assert table_counts() == before | {
        "Visit": before["Visit"] - 1,
        "SourceRecord": before["SourceRecord"] - 1,
        "SourceRecordOfficial": before["SourceRecordOfficial"] - 1,
        "VisitOfficial": before["VisitOfficial"] - 1,
        "visitors": before["visitors"] - 1,
        "countries": before["countries"] - 2,
    }
    # Importing the same data again deletes nothing more.
    assert import_hsg(data)[0][2] == "  Travels of the Secretary of State: 0 created, 0 updated, 5 unchanged, 4 skipped"


def test_a_record_removed_from_the_data_leaves_a_visit_an_article_also_reports(db, tmp_path):
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "blinken-jerusalem.yaml").write_text(BLINKEN_ARTICLE)
    (articles / "blinken-jerusalem.txt").write_text(BLINKEN_TEXT)
    call_command("load_articles", str(articles), stdout=io.StringIO())
    data = shutil.copytree(DATA, tmp_path / "hsg")
    import_hsg(data)
    assert record(SECRETARY, 4003).visit.slug == "antony-blinken-israel-2021-05"
    blinken = data / "travels/secretary-travels/blinken-antony-j.xml"
    text = blinken.read_text()
    israel = text.index('    <trip role="secretary" who="blinken-antony-j">\n        <id>4003</id>')
    blinken.write_text(text[:israel] + text[text.index("</trip>", israel) + len("</trip>\n") :])

    lines, _ = import_hsg(data)

    visit = Visit.objects.get(slug="antony-blinken-israel-2021-05")  # the article still reports it
    assert not visit.records.exists()
    assert visit.end == visit.start  # the record gave the end; the article gives none
    assert lines[5] == "  visits: 0 created, 1 updated, 10 unchanged"


def test_a_file_that_is_not_well_formed_is_reported_by_line_and_changes_nothing(db, tmp_path):
    broken = tmp_path / "visits" / "data" / "2020.xml"
    broken.parent.mkdir(parents=True)
    broken.write_text((DATA / "visits/data/2020.xml").read_text().replace("</visitor>", "</visiter>", 1))

    with pytest.raises(CommandError, match=r"^1 file\(s\) not imported; nothing of them was written\.$"):
        import_hsg(broken, DATA / "travels/secretary-travels/blinken-antony-j.xml")

    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_hsg", str(broken), stdout=io.StringIO(), stderr=err)
    assert err.getvalue() == f"{broken}:7: not well-formed XML: mismatched tag (column 53)\n"
    # The good file of the first run was imported; nothing of the broken one was.
    assert SourceRecord.objects.filter(dataset=VISITS).count() == 0
    assert SourceRecord.objects.filter(dataset=SECRETARY).count() == 4


def test_a_path_that_does_not_exist_fails_the_run(db, tmp_path):
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_hsg", str(tmp_path / "nowhere"), stdout=io.StringIO(), stderr=err)
    assert err.getvalue() == f"{tmp_path / 'nowhere'}: no such file or folder\n"


# Dates and places -----------------------------------------------------------


def test_partial_dates_keep_their_text_and_span_every_day_they_allow(imported):
    month = record(SECRETARY, 5001)
    year_to_month = record(SECRETARY, 5002)

    assert (month.start_text, month.end_text, month.start, month.end) == (
        "1866-08",
        "",
        datetime.date(1866, 8, 1),
        datetime.date(1866, 8, 31),
    )
    assert (year_to_month.start_text, year_to_month.end_text, year_to_month.start, year_to_month.end) == (
        "1867",
        "1868-02",
        datetime.date(1867, 1, 1),
        datetime.date(1868, 2, 29),
    )
    assert not SourceRecord.objects.filter(record_id__in=[5003, 5004, 5005, 5006]).exists()


@pytest.mark.parametrize(
    ("text", "bounds"),
    [
        ("2021-03-15", ("2021-03-15", "2021-03-15")),
        ("1866-08", ("1866-08-01", "1866-08-31")),
        ("1905", ("1905-01-01", "1905-12-31")),
        ("1905-00-00", ("1905-01-01", "1905-12-31")),
        ("1900-02", ("1900-02-01", "1900-02-28")),
        ("1866-13", None),
        ("2021-02-30", None),
        ("1905-00-12", None),
        ("15 March 2021", None),
        ("", None),
    ],
)
def test_a_date_allows_every_day_its_precision_leaves_open(text, bounds):
    expected = tuple(datetime.date.fromisoformat(d) for d in bounds) if bounds else None
    assert date_bounds(text) == expected


@pytest.mark.parametrize(
    ("locale", "places"),
    [
        ("London, Cornwall", ["London", "Cornwall"]),
        ("Mexico, D.F., Puerto Vallarta", ["Mexico, D.F.", "Puerto Vallarta"]),
        (
            "Sydney (Nova Scotia), Campobello Island (New Brunswick)",
            ["Sydney (Nova Scotia)", "Campobello Island (New Brunswick)"],
        ),
        ("St. Thomas, St. Croix (Virgin Islands)", ["St. Thomas", "St. Croix (Virgin Islands)"]),
        ("London; Chequers", ["London", "Chequers"]),
        ("", []),
    ],
)
def test_a_locale_is_split_into_places_at_commas_outside_parentheses(locale, places):
    assert split_places(locale) == places


# Countries ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("country_id", "code"),
    [
        ("japan", "JP"),
        ("korea-south", "KR"),
        ("korea-north", "KP"),
        ("united-kingdom", "GB"),
        ("swaziland", "SZ"),
        ("burma", "MM"),
        ("holy-see", "VA"),
        ("west-bank", "PS"),
        ("somoa", "WS"),
        ("turkiye", "TR"),
        ("atlantis", None),
    ],
)
def test_a_country_id_maps_by_django_countries_or_the_exceptions(country_id, code):
    assert country_code(country_id, datetime.date(2021, 1, 1)) == code


@pytest.mark.parametrize(
    ("country_id", "date", "code"),
    [
        ("russia", "1945-02-04", "SU"),
        ("russia", "1991-12-25", "SU"),
        ("russia", "1992-01-27", "RU"),
        ("russia", "1905-01-01", "RU"),
        ("ussr", "1975-01-01", "SU"),
        ("yugoslavia", "1955-11-06", "YU"),
        ("yugoslavia", "2001-05-09", "YU"),
        ("serbia", "1997-05-31", "YU"),
        ("serbia", "2003-04-02", "XS"),
        ("serbia", "2010-10-12", "RS"),
        ("kosovo", "1999-11-23", "YU"),
        ("kosovo", "2020-01-01", "XK"),
        ("czechoslovakia", "1990-11-17", "XC"),
        ("czechoslovakia", "1994-01-01", None),
        ("german-democratic-republic", "1990-06-20", "DD"),
        ("netherlands-antilles", "1970-02-22", "AN"),
        ("hawaii", "1874-12-12", "XH"),
        ("hawaii", "1960-01-01", "US"),
        ("china", "1945-04-26", "CN"),
        ("china", "1972-02-21", "CN"),
        ("taiwan", "1972-02-21", "TW"),
        ("zimbabwe", "1978-04-17", "RH"),
        ("zimbabwe", "1979-07-11", "RH"),
        ("zimbabwe", "1980-08-27", "ZW"),
        ("korea", "1900-01-01", None),
        ("korea", "2017-06-29", "KR"),
    ],
)
def test_a_historical_state_gets_the_code_of_the_state_as_it_was_on_the_date(country_id, date, code):
    assert country_code(country_id, datetime.date.fromisoformat(date)) == code


def test_every_code_the_mapping_can_give_is_a_country_the_site_knows():
    codes = set(HISTORICAL_STATES) | set(EXCEPTIONS.values())
    codes |= {code for periods in PERIODS.values() for _, code in periods if code}

    assert sorted(code for code in codes if code not in countries) == []
    assert settings.COUNTRIES_OVERRIDE == HISTORICAL_STATES | COMMON_NAMES
    assert countries.name("SU") == "Soviet Union"


@pytest.mark.parametrize(
    ("code", "name"), [("NR", "Nauru"), ("BS", "Bahamas"), ("US", "United States"), ("RH", "Rhodesia")]
)
def test_countries_have_their_common_english_names(code, name):
    assert countries.name(code) == name


def real_country_ids():
    """Return {(country id, start date)} of every record in the real data, or skip."""
    import xml.etree.ElementTree as ET

    if not FULL_DATA.is_dir():
        pytest.skip(f"the Office of the Historian data is not at {FULL_DATA} (set HSG_DATA to test every id)")
    found = set()
    for path in sorted(FULL_DATA.rglob("*.xml")):
        for element in ET.parse(path).getroot():
            country = element.find("country") if element.find("country") is not None else element.find("from")
            if country is not None:
                start = date_bounds((element.findtext("start-date") or "").strip())
                found.add((country.get("id"), start[0] if start else None))
    return found


def test_every_country_id_in_the_real_data_maps_to_a_code():
    found = real_country_ids()

    assert len({country_id for country_id, _ in found}) == 210
    assert sorted({country_id for country_id, date in found if country_code(country_id, date) is None}) == []


# People ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Antony John Blinken", "Antony Blinken", True),
        ("Antony J. Blinken", "Antony John Blinken", True),
        ("Antony Blinken", "Tony Blinken", True),
        ("Joseph R. Biden", "Joe Biden", True),
        ("Benjamin Netanyahu", "Binyamin Netanyahu", True),
        ("Shinzō Abe", "Shinzo Abe", True),
        ("Henry A. (Heinz Alfred) Kissinger", "Henry Kissinger", True),
        ("Benigno S. Aquino, 3rd", "Benigno Aquino III", True),
        ("Sheikh Tamim bin Hamad al-Thani", "Tamim bin Hamad Al Thani", True),
        ("George H.W. Bush", "George W. Bush", False),
        ("Ferdinand Marcos Jr.", "Ferdinand Marcos", False),
        ("Hillary Rodham Clinton", "William J. Clinton", False),
        ("Macmillan", "Harold Macmillan", False),
        ("Amata Kabua", "Imata Kabua", False),
        ("Antony Blinken", "Antony Blinkin", False),
    ],
)
def test_the_person_rule(a, b, same):
    assert same_person(a, b) is same
    assert same_person(b, a) is same


@pytest.mark.parametrize(
    ("text", "people"),
    [
        ("Prime Minister Benjamin Netanyahu", [("Prime Minister", "Benjamin Netanyahu")]),
        ("Interim President Juan Guaidó", [("Interim President", "Juan Guaidó")]),
        ("President- elect Ernesto Zedillo", [("President-elect", "Ernesto Zedillo")]),
        ("Prime Minster Adrian Nastase", [("Prime Minister", "Adrian Nastase")]),
        ("Prime MinisterHaidar al-Abadi", [("Prime Minister", "Haidar al-Abadi")]),
        ("Prime Minister Shah Mahmud", [("Prime Minister", "Shah Mahmud")]),
        ("Amir Sheikh Tamim bin Hamad al-Thani", [("Amir", "Sheikh Tamim bin Hamad al-Thani")]),
        ("Chairman of the Presidency Bakir Izetbegovic", [("Chairman of the Presidency", "Bakir Izetbegovic")]),
        ("President of the Council of Ministers Hussain Mohammad Ershad", [
            ("President of the Council of Ministers", "Hussain Mohammad Ershad")
        ]),
        ("Governor General Earl of Athlone", [("Governor General", "Earl of Athlone")]),
        ("Premier and Prince Sihanouk", [("Premier and Prince", "Sihanouk")]),
        ("President Benigno S. Aquino, 3rd", [("President", "Benigno S. Aquino, 3rd")]),
        ("Valdas Adamkus", [("", "Valdas Adamkus")]),
        ("King Abdullah and Crown Prince Hussein", [("King", "Abdullah"), ("Crown Prince", "Hussein")]),
        ("President Anwar Sadat, Prime Minister Mustafa Khalil", [
            ("President", "Anwar Sadat"), ("Prime Minister", "Mustafa Khalil")
        ]),
        ("  ", []),
    ],
)  # fmt: skip
def test_a_visitor_text_is_split_into_office_and_name(text, people):
    assert parse_visitors(text) == [Person(office, name) for office, name in people]


def test_a_traveller_known_from_an_article_is_recognised_not_duplicated(db):
    blinken = Official.objects.create(slug="antony-blinken", name="Antony Blinken", country="US")

    lines, _ = import_hsg()

    assert lines[4] == "  officials: 5 created, 1 already known"
    assert list(Official.objects.filter(name__contains="Blinken").values_list("slug", flat=True)) == ["antony-blinken"]
    assert OfficialIdentifier.objects.get(value="blinken-antony-j").official == blinken
    assert sorted(blinken.visits_made.values_list("slug", flat=True)) == [
        "hsg-secretary-3992",
        "hsg-secretary-3993",
        "hsg-secretary-4003",
    ]


def test_a_re_import_finds_a_traveller_by_id_when_the_data_renames_them(imported, tmp_path):
    data = shutil.copytree(DATA, tmp_path / "hsg")
    blinken = data / "travels/secretary-travels/blinken-antony-j.xml"
    blinken.write_text(blinken.read_text().replace("Antony John Blinken", "Tony Blinken-Smith"))

    lines, _ = import_hsg(data)

    assert lines[2] == "  Travels of the Secretary of State: 0 created, 4 updated, 2 unchanged, 4 skipped"
    assert lines[4] == "  officials: 0 created, 6 already known"
    assert record(SECRETARY, 4003).name == "Tony Blinken-Smith"
    # The import never renames an official: articles and editors own names.
    assert [o.name for o in Visit.objects.get(slug="hsg-secretary-4003").visitors.all()] == ["Antony John Blinken"]


def test_visitors_known_from_the_seed_article_are_recognised_whatever_the_spelling(db):
    seed()
    officials_before = Official.objects.count()

    lines, _ = import_hsg()

    assert lines[4] == "  officials: 4 created, 2 already known"
    assert Official.objects.count() == officials_before + 4
    netanyahu = Official.objects.get(slug="benjamin-netanyahu")
    assert sorted(netanyahu.visits_made.values_list("slug", flat=True)) == ["hsg-visit-2992", "hsg-visit-3225"]
    assert sorted(Official.objects.get(slug="joe-biden").visits_made.values_list("slug", flat=True)) == [
        "hsg-president-4107",
        "hsg-president-4108",
        "hsg-president-4113",
    ]
    assert not Official.objects.filter(slug__in=["joseph-r-biden", "binyamin-netanyahu"]).exists()


# Duplicates -----------------------------------------------------------------


def test_the_same_trip_under_two_ids_is_kept_twice_and_shown_once(imported, client):
    first, second = record(SECRETARY, 3992), record(SECRETARY, 4019)

    assert (first.duplicate_of, second.duplicate_of) == (None, first)
    assert first.visit == second.visit
    assert first.visit.slug == "hsg-secretary-3992"
    assert not Visit.objects.filter(slug="hsg-secretary-4019").exists()
    assert listed_visit_slugs(client.get("/visits/?country=JP")) == ["hsg-secretary-3992"]


# Shared with articles -------------------------------------------------------

BLINKEN_ARTICLE = """\
format: visit-report/1

article:
  title: Blinken arrives in Jerusalem after the ceasefire
  published: 2021-05-25
  publisher: Test Wire

officials:
  antony-blinken:
    name: Antony Blinken
    country: US
    role: Secretary of State
    mentions: [Secretary of State Antony Blinken]
  benjamin-netanyahu:
    name: Benjamin Netanyahu
    country: IL
    role: Prime Minister
    mentions: [Prime Minister Benjamin Netanyahu]

visits:
  - slug: antony-blinken-israel-2021-05
    visitors: [antony-blinken]
    hosts: [benjamin-netanyahu]
    host_country: IL
    start: 2021-05-25
    places: [Jerusalem]
    evidence: arrived in Jerusalem
"""
BLINKEN_TEXT = "Secretary of State Antony Blinken arrived in Jerusalem and met Prime Minister Benjamin Netanyahu.\n"


def test_a_record_of_a_visit_an_article_reports_joins_that_visit_which_outlives_the_article(db, tmp_path):
    (tmp_path / "blinken-jerusalem.yaml").write_text(BLINKEN_ARTICLE)
    (tmp_path / "blinken-jerusalem.txt").write_text(BLINKEN_TEXT)
    call_command("load_articles", str(tmp_path), stdout=io.StringIO())

    import_hsg()

    visit = Visit.objects.get(slug="antony-blinken-israel-2021-05")
    assert record(SECRETARY, 4003).visit == visit
    assert not Visit.objects.filter(slug="hsg-secretary-4003").exists()
    assert [o.slug for o in visit.visitors.all()] == ["antony-blinken"]
    assert [o.slug for o in visit.hosts.all()] == ["benjamin-netanyahu"]
    assert visit.end == datetime.date(2021, 5, 26)  # the article gives no end; the record does

    call_command("unload_articles", "blinken-jerusalem", stdout=io.StringIO())

    visit = Visit.objects.get(slug="antony-blinken-israel-2021-05")  # a record still reports it
    assert (str(visit.host_country), visit.start, visit.end) == (
        "IL",
        datetime.date(2021, 5, 25),
        datetime.date(2021, 5, 26),
    )
    assert visit.summary.startswith("Met with Prime Minister Benjamin Netanyahu")
    assert [o.slug for o in visit.visitors.all()] == ["antony-blinken"]
    assert list(visit.hosts.all()) == []
    assert list(VisitOfficial.objects.filter(visit=visit).values_list("official__slug", flat=True)) == [
        "antony-blinken"
    ]


# Pages ----------------------------------------------------------------------


def test_the_visit_page_shows_each_record_with_its_provenance(imported, client):
    html = client.get("/visits/hsg-secretary-3992/").content.decode()
    first, second = record(SECRETARY, 3992), record(SECRETARY, 4019)

    assert "Antony John Blinken</a>, Secretary of State" in html
    assert f'<li id="record-{first.pk}" class="record">Travels of the Secretary of State, record 3992' in html
    assert f'<li id="record-{second.pk}" class="record">Travels of the Secretary of State, record 4019' in html
    assert "the same trip as record 3992, listed twice in the source" in html
    assert html.count("Attended the U.S.-Japan Security Consultative Committee meeting and met with") == 3
    assert "Antony John Blinken; Japan; 2021-03-15 to 2021-03-17; Tokyo" in html
    assert 'href="https://github.com/HistoryAtState/travels"' in html
    assert "No source article." not in html


def test_the_visits_list_filters_dataset_visits_by_country_and_official(imported, client):
    response = client.get("/visits/?country=IL&official=antony-john-blinken")

    assert listed_visit_slugs(response) == ["hsg-secretary-4003"]
    assert listed_visit_slugs(client.get("/visits/?country=IL")) == [
        "hsg-visit-3225",
        "hsg-president-4107",
        "hsg-secretary-4003",
        "hsg-visit-2992",
    ]
    assert listed_visit_slugs(client.get("/visits/?q=Motegi")) == ["hsg-secretary-3992"]


def test_netanyahus_page_shows_his_visits_to_the_united_states_and_the_seed_article(db, client):
    seed()
    import_hsg()

    response = client.get("/officials/benjamin-netanyahu/")
    html = response.content.decode()

    assert [v.slug for v in response.context["visits_made"]["rows"]] == ["hsg-visit-3225", "hsg-visit-2992"]
    assert 'href="/visits/hsg-visit-3225/"' in html and 'href="/visits/hsg-visit-2992/"' in html
    assert '<a href="/articles/austin-israel-2021-04/">US Defense Secretary Lloyd Austin begins' in html
    # One office in one country, however many sources give it: the seed article (2021) and two records.
    assert [
        (p["office"], p["country"].code, p["first"].year, p["last"].year, p["articles"], p["records"])
        for p in response.context["positions"]
    ] == [("Prime Minister", "IL", 2020, 2023, 1, 2)]
    assert "in 1 article and in 2 records of the Office of the Historian" in html


@pytest.mark.parametrize(("url", "queries"), [("/visits/hsg-secretary-3993/", 10), ("/visits/hsg-secretary-3992/", 10)])
def test_a_visit_page_with_records_runs_a_fixed_number_of_queries(
    imported, client, django_assert_num_queries, url, queries
):
    """Guards against N+1 queries over records: one record (3993) and two (3992 and its duplicate) cost the same."""
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("slug", ["andrzej-duda", "antony-john-blinken"])
def test_an_official_page_with_records_runs_a_fixed_number_of_queries(
    imported, client, django_assert_num_queries, slug
):
    """Guards against N+1 queries over records: Duda has one record, Blinken four.

    22: the page's lists as in tests/test_views.py's pin, and the timeline's months (one query).
    """
    with django_assert_num_queries(22):
        assert client.get(f"/officials/{slug}/").status_code == 200


# Constraints ----------------------------------------------------------------
#
# Bad rows for the named constraints of SourceRecord, SourceRecordOfficial and
# OfficialIdentifier, in the shape of tests/test_models.py's VIOLATIONS (each
# takes that module's `rows`: an object with `.visit` and `.lind`), so that
# it can list them too: `VIOLATIONS |= RECORD_VIOLATIONS`.

START, END = datetime.date(2031, 5, 4), datetime.date(2031, 5, 5)


def new_record(r, **fields):
    values = {
        "dataset": SECRETARY,
        "record_id": 1,
        "visit": r.visit,
        "name": "Maria Lind",
        "country_id": "norway",
        "country": "NO",
        "start_text": "2031-05-04",
        "start": START,
        "end": END,
    }
    return SourceRecord.objects.create(**(values | fields))


RECORD_VIOLATIONS = {
    "source_record_unique": {"twice": lambda r: [new_record(r) for _ in range(2)]},
    "source_record_end_not_before_start": {"reversed": lambda r: new_record(r, start=END, end=START)},
    "source_record_not_own_duplicate": {
        "itself": lambda r: SourceRecord.objects.filter(pk=new_record(r).pk).update(duplicate_of=F("pk"))
    },
    "source_record_dataset_valid": {"unknown": lambda r: new_record(r, dataset="press-releases")},
    "source_record_official_unique": {
        "twice": lambda r: [
            SourceRecordOfficial.objects.create(record=rec, official=r.lind, name="Maria Lind")
            for rec in [new_record(r)] * 2
        ]
    },
    "official_identifier_unique": {
        "twice": lambda r: [
            OfficialIdentifier.objects.create(official=r.lind, scheme="hsg-traveller", value="lind-maria")
            for _ in range(2)
        ]
    },
}


def refusal_text(name):
    """Return what the database's error names for a row breaking `name` (SQLite names a unique one by columns)."""
    for model in (SourceRecord, SourceRecordOfficial, OfficialIdentifier):
        for constraint in model._meta.constraints:
            if constraint.name == name and connection.vendor == "sqlite" and isinstance(constraint, UniqueConstraint):
                table = model._meta.db_table
                columns = (model._meta.get_field(field).column for field in constraint.fields)
                return "UNIQUE constraint failed: " + ", ".join(f"{table}.{column}" for column in columns)
    return name


@pytest.fixture
def rows(db):
    lind = Official.objects.create(slug="maria-lind", name="Maria Lind", country="SE")
    visit = Visit.objects.create(slug="lind-norland-2031-05", host_country="NO", start=START, end=END)
    return SimpleNamespace(lind=lind, visit=visit)


@pytest.mark.parametrize(
    ("name", "write"),
    [
        pytest.param(name, write, id=f"{name}-{label}")
        for name, cases in RECORD_VIOLATIONS.items()
        for label, write in cases.items()
    ],
)
def test_the_database_refuses_a_record_that_breaks_a_named_constraint(rows, name, write):
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        write(rows)

    assert refusal_text(name) in str(refused.value)


# The whole data -------------------------------------------------------------

FULL_COUNTS = {PRESIDENT: 832, SECRETARY: 3439, VISITS: 3264}
FULL_DUPLICATES = [  # sorted: (dataset, duplicate id, the id it repeats)
    # Same person, dates and place but other remarks are two events: visits 2044/2064 (two summits),
    # presidential trips 4118/4119 and secretary trips 2121/2123 are not listed here.
    (SECRETARY, 4019, 3992),
    (SECRETARY, 4020, 3993),
]


@pytest.mark.hsg_full
def test_the_whole_office_of_the_historian_data_imports_in_under_30_seconds(db, request):
    if "hsg_full" not in (request.config.getoption("markexpr") or "") and not os.environ.get("HSG_DATA"):
        pytest.skip("the full-data import runs in .ci/run; select it with `pytest -m hsg_full` (or set HSG_DATA)")
    if not FULL_DATA.is_dir():
        message = f"the Office of the Historian data is not at {FULL_DATA} (set HSG_DATA)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true and {message}")
        pytest.skip(message)
    seed()

    started = time.perf_counter()
    run = import_paths([FULL_DATA])
    seconds = time.perf_counter() - started

    assert [r.error for r in run.failures] == []
    skipped = [(s.dataset, s.record_id, s.reason, s.detail) for r in run.results for s in r.skipped]
    assert skipped == []
    created = {dataset: sum(r.counts[dataset]["created"] for r in run.results) for dataset in FULL_COUNTS}
    assert created == {dataset: n - sum(1 for s in skipped if s[0] == dataset) for dataset, n in FULL_COUNTS.items()}
    assert sorted(d for r in run.results for d in r.duplicates) == FULL_DUPLICATES
    assert SourceRecord.objects.count() == 7535
    assert Visit.objects.count() == 1 + 7535 - len(FULL_DUPLICATES)  # the seed's visit, and one per trip
    assert Official.objects.get(slug="benjamin-netanyahu").visits_made.count() == 29
    assert OfficialIdentifier.objects.get(value="biden-joseph-r").official.slug == "joe-biden"
    # The shipped identity judgements (fixtures/identity_judgements.yaml): one page per person.
    assert Official.objects.filter(merged_into__isnull=True).count() == 1311  # 1309 of the data, 2 only the seed names
    visits_of = {
        official.slug: official.visits_made.count()
        for official in Official.objects.filter(name__iregex=r"abdullah ii|hussein|karamanlis|havel")
    }
    assert visits_of == {
        "abdullah-ii": 45,  # four spellings, one king
        "al-hussein-bin-abdullah-ii": 1,  # the crown prince of 2023, not his great-grandfather
        "hussein-of-jordan": 39,
        "hussein-bin-onn": 1,
        "konstantinos-karamanlis": 3,  # 1956-1978, the uncle
        "kostas-karamanlis": 2,  # 2004-2005, the nephew
        "vaclav-havel": 8,
    }
    havel = SourceRecordOfficial.objects.filter(official__slug="vaclav-havel")
    assert sorted(set(havel.values_list("country", flat=True))) == ["CZ", "XC"]  # Czechoslovakia, then Czechia
    if connection.vendor == "postgresql":
        assert seconds < 30, f"the full import took {seconds:.1f} s on PostgreSQL"

    again = import_paths([FULL_DATA])
    assert {dataset: sum(r.counts[dataset]["unchanged"] for r in again.results) for dataset in FULL_COUNTS} == (
        FULL_COUNTS
    )
    print(f"\nfull Office of the Historian import on {connection.vendor}: {seconds:.1f} s")
