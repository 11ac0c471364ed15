"""Keep the filter lookup tables (VisitOfficial, VisitTopic, VisitCountry) true.

Every code path that changes a visit's people, topics or countries calls
`reindex_visits` with the affected visit ids, inside its transaction.
"""

from itertools import islice

from django.db import connection

from .bulk import insert_rows
from .caching import renew_version
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
    parents = dict(Topic.objects.values_list("pk", "parent_id"))
    lines = {}
    for topic_id in parents:
        line, current = [], topic_id
        while current is not None and current not in line:
            line.append(current)
            current = parents.get(current)
        lines[topic_id] = line
    return lines


def chunks(values, size=CHUNK):
    iterator = iter(values)
    while batch := list(islice(iterator, size)):
        yield batch


def reindex_visits(visit_ids):
    """Rebuild the lookup rows of the given visits from their current data."""
    # Every writer comes through here, so this is where cached counts go stale.
    renew_version()
    ancestors = None
    for ids in chunks(sorted(set(visit_ids))):
        ancestors = ancestors or topic_ancestors()
        officials, topics, countries = set(), set(), set()
        for visit_id, host_country in Visit.objects.filter(pk__in=ids).values_list("pk", "host_country"):
            countries.add((visit_id, host_country))
        for visit_id, official_id, country in Visit.visitors.through.objects.filter(visit_id__in=ids).values_list(
            "visit_id", "official_id", "official__country"
        ):
            officials.add((visit_id, official_id))
            countries.add((visit_id, country))
        officials.update(Visit.hosts.through.objects.filter(visit_id__in=ids).values_list("visit_id", "official_id"))
        officials.update(
            Meeting.participants.through.objects.filter(meeting__visit_id__in=ids).values_list(
                "meeting__visit_id", "official_id"
            )
        )
        officials.update(Statement.objects.filter(visit_id__in=ids).values_list("visit_id", "speaker_id"))
        direct_topics = set(Visit.topics.through.objects.filter(visit_id__in=ids).values_list("visit_id", "topic_id"))
        direct_topics.update(
            Meeting.topics.through.objects.filter(meeting__visit_id__in=ids).values_list(
                "meeting__visit_id", "topic_id"
            )
        )
        direct_topics.update(
            Statement.topics.through.objects.filter(statement__visit_id__in=ids).values_list(
                "statement__visit_id", "topic_id"
            )
        )
        for visit_id, topic_id in direct_topics:
            topics.update((visit_id, ancestor) for ancestor in ancestors.get(topic_id, [topic_id]))
        update_search_documents(ids)
        VisitOfficial.objects.filter(visit_id__in=ids).delete()
        VisitTopic.objects.filter(visit_id__in=ids).delete()
        VisitCountry.objects.filter(visit_id__in=ids).delete()
        insert_rows(VisitOfficial, ("visit", "official"), list(officials))
        insert_rows(VisitTopic, ("visit", "topic"), list(topics))
        insert_rows(VisitCountry, ("visit", "country"), [(v, c) for v, c in countries if c])


def update_search_documents(ids):
    """Gather the text free-text search matches a visit by: summary, places, articles, meetings, records."""
    parts = {
        pk: [summary, " ".join(places or [])]
        for pk, summary, places in Visit.objects.filter(pk__in=ids).values_list("pk", "summary", "places")
    }
    reports = VisitReport.objects.filter(visit_id__in=ids).values_list("visit_id", "article__title", "article__text")
    for visit_id, title, text in reports:
        parts[visit_id] += [title, text]
    for visit_id, place in Meeting.objects.filter(visit_id__in=ids).exclude(place="").values_list("visit_id", "place"):
        parts[visit_id].append(place)
    # Dataset records: who (as written, with the office), where and what happened.
    for visit_id, *texts in SourceRecord.objects.filter(visit_id__in=ids).values_list(
        "visit_id", "name", "locale", "remarks"
    ):
        parts[visit_id] += [text for text in texts if text not in parts[visit_id]]
    documents = [(pk, "\n".join(p for p in texts if p)) for pk, texts in parts.items()]
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
            # What SearchVector("search_document", config="english") compiles to, as search queries expect.
            cursor.execute(
                f"UPDATE {table} SET search_document = v.document, "
                "search_vector = to_tsvector('english'::regconfig, COALESCE(v.document, '')) "
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
