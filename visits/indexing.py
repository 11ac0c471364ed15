"""Keep the filter lookup tables (VisitOfficial, VisitTopic, VisitCountry) and search text true.

What a visit's lookup rows and search document are is said once, by the pure
functions `lookup_rows` and `search_document`; `reindex_visits` reads a
visit's rows from the database and stores what they give, and the demo
generator calls the same functions on the rows it plans. Every write path
reaches `reindex_visits` through `visits.refresh`, inside its transaction.
"""

from dataclasses import dataclass, field
from itertools import islice

from django.db import connection

from . import topic_tree
from .bulk import insert_rows
from .models import (
    ArticleOfficial,
    Meeting,
    Official,
    SourceRecord,
    SourceRecordOfficial,
    Statement,
    Topic,
    Visit,
    VisitCountry,
    VisitOffice,
    VisitOfficial,
    VisitReport,
    VisitTopic,
)
from .offices import VOCABULARY

CHUNK = 2000


def topic_ancestors():
    """Return {topic id: [its id and every ancestor id]} from one query."""
    return topic_tree.ancestor_lines(Topic.objects.parent_map())


@dataclass
class LookupRows:
    """The lookup rows of visits, as sets of (visit id, value) per table."""

    officials: set = field(default_factory=set)
    topics: set = field(default_factory=set)
    countries: set = field(default_factory=set)
    offices: set = field(default_factory=set)

    def add(self, other):
        for name in ("officials", "topics", "countries", "offices"):
            getattr(self, name).update(getattr(other, name))


def lookup_rows(visit_id, *, host_country, visitor_countries, officials, topics, ancestors, offices=()):
    """Return the LookupRows of one visit.

    `officials`: everyone the visit involves (visitors, hosts, meeting
    participants, speakers); `topics`: the visit's, its meetings' and its
    statements' topics, each counted with its ancestors (`ancestors` is
    `topic_ancestors()`); countries: the host country and the visitors' (the
    countries whose offices they held on this visit); `offices`: the slugs
    of the offices the visitors held on it.
    """
    return LookupRows(
        officials={(visit_id, official) for official in officials},
        topics={(visit_id, ancestor) for topic in topics for ancestor in ancestors.get(topic, [topic])},
        countries={(visit_id, code) for code in {host_country, *visitor_countries} if code},
        offices={(visit_id, slug) for slug in offices if slug},
    )


def visitor_positions(ids):
    """Return {visit id: {official id: [(office slug, country, office as written)]}} of the visits' visitors.

    An office held on a visit is what its sources say: the role each
    reporting article gives a visitor, and the office each dataset record
    gives the person it names.
    """
    positions = {}
    entries = {
        (article_id, official_id): (office, str(country), role)
        for article_id, official_id, office, country, role in ArticleOfficial.objects.filter(
            article__visit_reports__visit_id__in=ids
        ).values_list("article_id", "official_id", "office_slug", "country", "role")
    }
    for visit_id, article_id, official_id in VisitReport.visitors.through.objects.filter(
        visitreport__visit_id__in=ids
    ).values_list("visitreport__visit_id", "visitreport__article_id", "official_id"):
        if (article_id, official_id) in entries:
            positions.setdefault(visit_id, {}).setdefault(official_id, []).append(entries[(article_id, official_id)])
    for visit_id, official_id, office, country, written in SourceRecordOfficial.objects.filter(
        record__visit_id__in=ids
    ).values_list("record__visit_id", "official_id", "office_slug", "country", "office"):
        positions.setdefault(visit_id, {}).setdefault(official_id, []).append((office, str(country), written))
    return positions


def search_document(summary, places, reports=(), meeting_places=(), records=(), offices=()):
    """Return the text free-text search matches a visit by.

    Its summary and places, each reporting article's title and text
    [(title, text)], its meetings' places, what its dataset records say
    [(who as written, locale, remarks)] unless already there, and the
    offices its visitors held (as written and in the vocabulary), so that
    "Secretary of State" finds the visits of secretaries of state.
    """
    parts = [summary, " ".join(places or []), " · ".join(sorted({office for office in offices if office}))]
    for title, text in reports:
        parts += [title, text]
    parts += [place for place in meeting_places if place]
    for texts in records:
        parts += [text for text in texts if text not in parts]
    return "\n".join(part for part in parts if part)


def office_texts(held):
    """Return the offices visitors held, as written and as the vocabulary names them, for search."""
    texts = []
    for entries in held.values():
        for slug, _, written in entries:
            texts += [written, VOCABULARY.get(slug, "")]
    return texts


def chunks(values, size=CHUNK):
    iterator = iter(values)
    while batch := list(islice(iterator, size)):
        yield batch


def grouped(rows):
    """Return {visit id: [values]} of (visit id, value) rows."""
    groups = {}
    for visit_id, value in rows:
        groups.setdefault(visit_id, []).append(value)
    return groups


def reindex_visits(visit_ids):
    """Rebuild the lookup rows and search documents of the given visits from their current data."""
    ancestors = None
    for ids in chunks(sorted(set(visit_ids))):
        ancestors = ancestors or topic_ancestors()
        positions = visitor_positions(ids)
        visitors = grouped(
            Visit.visitors.through.objects.filter(visit_id__in=ids).values_list("visit_id", "official_id")
        )
        home = dict(Official.objects.filter(visits_made__in=ids).values_list("pk", "country"))
        officials = {visit_id: list(people) for visit_id, people in visitors.items()}
        for rows in (
            Visit.hosts.through.objects.filter(visit_id__in=ids).values_list("visit_id", "official_id"),
            Meeting.participants.through.objects.filter(meeting__visit_id__in=ids).values_list(
                "meeting__visit_id", "official_id"
            ),
            Statement.objects.filter(visit_id__in=ids).values_list("visit_id", "speaker_id"),
        ):
            for visit_id, official_id in rows:
                officials.setdefault(visit_id, []).append(official_id)
        topics = grouped(Visit.topics.through.objects.filter(visit_id__in=ids).values_list("visit_id", "topic_id"))
        for rows in (
            Meeting.topics.through.objects.filter(meeting__visit_id__in=ids).values_list(
                "meeting__visit_id", "topic_id"
            ),
            Statement.topics.through.objects.filter(statement__visit_id__in=ids).values_list(
                "statement__visit_id", "topic_id"
            ),
        ):
            for visit_id, topic_id in rows:
                topics.setdefault(visit_id, []).append(topic_id)
        rows = LookupRows()
        for visit_id, host_country in Visit.objects.filter(pk__in=ids).values_list("pk", "host_country"):
            held = positions.get(visit_id, {})
            # A visitor's country on this visit is the country of the office held on it; one no source
            # gives an office for (added by an editor) counts with their own country.
            countries = [
                country
                for official_id in visitors.get(visit_id, [])
                for country in ({c for _, c, _ in held[official_id]} if official_id in held else {home[official_id]})
            ]
            rows.add(
                lookup_rows(
                    visit_id,
                    host_country=host_country,
                    visitor_countries=countries,
                    officials=officials.get(visit_id, []),
                    topics=topics.get(visit_id, []),
                    ancestors=ancestors,
                    offices=[office for entries in held.values() for office, _, _ in entries],
                )
            )
        update_search_documents(ids, positions)
        for model in (VisitOfficial, VisitTopic, VisitCountry, VisitOffice):
            model.objects.filter(visit_id__in=ids).delete()
        insert_rows(VisitOfficial, ("visit", "official"), list(rows.officials))
        insert_rows(VisitTopic, ("visit", "topic"), list(rows.topics))
        insert_rows(VisitCountry, ("visit", "country"), list(rows.countries))
        insert_rows(VisitOffice, ("visit", "office_slug"), list(rows.offices))


def update_search_documents(ids, positions):
    """Store the search documents of the visits `ids` (see `search_document`); `positions`: `visitor_positions`."""
    reports = grouped(
        (visit_id, (title, text))
        for visit_id, title, text in VisitReport.objects.filter(visit_id__in=ids).values_list(
            "visit_id", "article__title", "article__text"
        )
    )
    meeting_places = grouped(
        Meeting.objects.filter(visit_id__in=ids).exclude(place="").values_list("visit_id", "place")
    )
    records = grouped(
        (visit_id, texts)
        for visit_id, *texts in SourceRecord.objects.filter(visit_id__in=ids).values_list(
            "visit_id", "name", "locale", "remarks"
        )
    )
    documents = [
        (
            pk,
            search_document(
                summary,
                places,
                reports.get(pk, ()),
                meeting_places.get(pk, ()),
                records.get(pk, ()),
                offices=office_texts(positions.get(pk, {})),
            ),
        )
        for pk, summary, places in Visit.objects.filter(pk__in=ids).values_list("pk", "summary", "places")
    ]
    for batch in chunks(documents, 500):
        store_search_documents(batch)


def store_search_documents(documents):
    """Store (visit id, document) pairs, and on PostgreSQL their vectors, in one UPDATE.

    One statement instead of a bulk_update (a CASE per row, slow to build
    and to plan) followed by a second pass for the vectors.
    """
    table = connection.ops.quote_name(Visit._meta.db_table)
    values = ", ".join(["(%s, %s)"] * len(documents))
    params = [value for row in documents for value in row]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            vector = SEARCH_VECTOR_SQL.format(document="v.document")
            cursor.execute(
                f"UPDATE {table} SET search_document = v.document, search_vector = {vector} "
                f"FROM (VALUES {values}) AS v(id, document) WHERE {table}.id = v.id::integer",
                params,
            )
        else:
            cursor.execute(
                f"UPDATE {table} SET search_document = v.column2 FROM (VALUES {values}) AS v "
                f"WHERE {table}.id = v.column1",
                params,
            )


def reindex_all():
    """Rebuild the lookup rows of every visit (after a change to the topic tree)."""
    reindex_visits(Visit.objects.values_list("pk", flat=True))


# What SearchVector("search_document", config="english") compiles to, as the search queries expect;
# `store_search_documents` and the demo's bulk writer fill the stored vector with it.
SEARCH_VECTOR_SQL = "to_tsvector('english'::regconfig, COALESCE({document}, ''))"
