"""Keep the filter lookup tables (VisitOfficial, VisitTopic, VisitCountry) and search text true.

What a visit's lookup rows and search document are is said once, by the pure
functions `lookup_rows` and `search_document`; `reindex_visits` reads a
visit's rows from the database and stores what they give, and the demo
generator calls the same functions on the rows it plans. Every write path
reaches `reindex_visits` through `visits.refresh`, inside its transaction.
"""

from itertools import islice

from django.db import connection

from . import topic_tree
from .bulk import insert_rows
from .models import (
    Meeting,
    SourceRecord,
    Statement,
    Topic,
    Visit,
    VisitCountry,
    VisitOfficial,
    VisitReport,
    VisitTopic,
)

CHUNK = 2000


def topic_ancestors():
    """Return {topic id: [its id and every ancestor id]} from one query."""
    return topic_tree.ancestor_lines(Topic.objects.parent_map())


def lookup_rows(visit_id, *, host_country, visitor_countries, officials, topics, ancestors):
    """Return the (VisitOfficial, VisitTopic, VisitCountry) rows of one visit, as sets of (visit id, value).

    `officials`: everyone the visit involves (visitors, hosts, meeting
    participants, speakers); `topics`: the visit's, its meetings' and its
    statements' topics, each counted with its ancestors (`ancestors` is
    `topic_ancestors()`); countries: the host country and the visitors'.
    """
    official_rows = {(visit_id, official) for official in officials}
    topic_rows = {(visit_id, ancestor) for topic in topics for ancestor in ancestors.get(topic, [topic])}
    country_rows = {(visit_id, code) for code in {host_country, *visitor_countries} if code}
    return official_rows, topic_rows, country_rows


def search_document(summary, places, reports=(), meeting_places=(), records=()):
    """Return the text free-text search matches a visit by.

    Its summary and places, each reporting article's title and text
    [(title, text)], its meetings' places, and what its dataset records say
    [(who as written, locale, remarks)] unless already there.
    """
    parts = [summary, " ".join(places or [])]
    for title, text in reports:
        parts += [title, text]
    parts += [place for place in meeting_places if place]
    for texts in records:
        parts += [text for text in texts if text not in parts]
    return "\n".join(part for part in parts if part)


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
        visitors = Visit.visitors.through.objects.filter(visit_id__in=ids)
        visitor_countries = grouped(visitors.values_list("visit_id", "official__country"))
        officials = grouped(visitors.values_list("visit_id", "official_id"))
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
        official_rows, topic_rows, country_rows = set(), set(), set()
        for visit_id, host_country in Visit.objects.filter(pk__in=ids).values_list("pk", "host_country"):
            rows = lookup_rows(
                visit_id,
                host_country=host_country,
                visitor_countries=visitor_countries.get(visit_id, []),
                officials=officials.get(visit_id, []),
                topics=topics.get(visit_id, []),
                ancestors=ancestors,
            )
            official_rows |= rows[0]
            topic_rows |= rows[1]
            country_rows |= rows[2]
        update_search_documents(ids)
        VisitOfficial.objects.filter(visit_id__in=ids).delete()
        VisitTopic.objects.filter(visit_id__in=ids).delete()
        VisitCountry.objects.filter(visit_id__in=ids).delete()
        insert_rows(VisitOfficial, ("visit", "official"), list(official_rows))
        insert_rows(VisitTopic, ("visit", "topic"), list(topic_rows))
        insert_rows(VisitCountry, ("visit", "country"), list(country_rows))


def update_search_documents(ids):
    """Store the search documents of the visits `ids` (see `search_document`)."""
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
            search_document(summary, places, reports.get(pk, ()), meeting_places.get(pk, ()), records.get(pk, ())),
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
