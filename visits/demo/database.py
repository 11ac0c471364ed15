"""The demo's fast database path: planned articles written as rows, in bulk, with explicit ids.

Each article's rows are what the loader and `visits.refresh` would write
for it: the same lookup rows and search document (`visits.indexing`'s
`lookup_rows` and `search_document`), written with the same bulk insert
(`visits.bulk.insert_rows`, COPY on PostgreSQL). Ids are handed out here
rather than read back, so that rows referring to each other are written in
the same pass. `tests/test_demo.py` checks that loading the demo's files
gives exactly these rows.
"""

import json

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max

from ..bulk import insert_rows
from ..caching import renew_version
from ..indexing import SEARCH_VECTOR_SQL, lookup_rows, office_texts, search_document
from ..models import (
    Article,
    ArticleOfficial,
    ArticleTopic,
    DuplicateCandidate,
    IdentityKey,
    Meeting,
    Mention,
    Official,
    OfficialName,
    Statement,
    Topic,
    Visit,
    VisitCountry,
    VisitOffice,
    VisitOfficial,
    VisitReport,
    VisitTopic,
)
from ..offices import office_slug
from .vocabulary import DEMO_PREFIX


class DemoError(Exception):
    """Generation was refused; the message says why and what to do."""


def m2m(model, name):
    """Return (through model, [its two field names]) of a many-to-many field."""
    field = model._meta.get_field(name)
    return field.remote_field.through, [field.m2m_field_name(), field.m2m_reverse_field_name()]


def table_specs():
    """Return {key: (model, [field names])} for every table the generator writes, in the order it writes them."""
    return {
        # sort_name and review_notes are derived by visits.people.refresh_officials, which generate() calls.
        "officials": (Official, ["id", "slug", "name", "country", "sort_name", "review_notes"]),
        "topics": (Topic, ["id", "slug", "name", "parent", "description"]),
        "articles": (Article, ["id", *Article.LOADED_FIELDS]),
        "article officials": (ArticleOfficial, ["article", "official", "role", "office_slug", "country", "mentions"]),
        "article topics": (ArticleTopic, ["article", "topic", "parent", "mentions"]),
        "visits": (Visit, ["id", "slug", "host_country", "start", "end", "places", "summary", "search_document"]),
        "visit visitors": m2m(Visit, "visitors"),
        "visit hosts": m2m(Visit, "hosts"),
        "visit topics": m2m(Visit, "topics"),
        "visit reports": (
            VisitReport,
            [
                "id",
                "article",
                "visit",
                "host_country",
                "start",
                "end",
                "places",
                "summary",
                "evidence_start",
                "evidence_end",
            ],
        ),
        "report visitors": m2m(VisitReport, "visitors"),
        "report hosts": m2m(VisitReport, "hosts"),
        "report topics": m2m(VisitReport, "topics"),
        "meetings": (
            Meeting,
            ["id", "article", "visit", "position", "date", "place", "evidence_start", "evidence_end"],
        ),
        "meeting participants": m2m(Meeting, "participants"),
        "meeting topics": m2m(Meeting, "topics"),
        "statements": (Statement, ["id", "article", "visit", "meeting", "speaker", "kind", "quote", "start", "end"]),
        "statement topics": m2m(Statement, "topics"),
        "mentions": (Mention, ["article", "official", "topic", "start", "end"]),
        "lookup: visit officials": (VisitOfficial, ["visit", "official"]),
        "lookup: visit topics": (VisitTopic, ["visit", "topic"]),
        "lookup: visit countries": (VisitCountry, ["visit", "country"]),
        "lookup: visit offices": (VisitOffice, ["visit", "office_slug"]),
    }


# Rows given explicit ids, so that the rows referring to them can be written in the same pass.
ID_MODELS = [Official, Topic, Article, Visit, VisitReport, Meeting, Statement]
# The stored search vector, computed by PostgreSQL from the document as `visits.indexing` stores it.
COMPUTED = {Visit: {"search_vector": SEARCH_VECTOR_SQL.format(document="search_document")}}


class Rows:
    """Rows waiting to be written, per table, with the ids they were given."""

    def __init__(self, specs, next_ids):
        self.specs = specs
        self.next_ids = next_ids  # model -> next free id
        self.pending = {key: [] for key in specs}
        self.counts = dict.fromkeys(specs, 0)

    def new_id(self, model):
        value = self.next_ids[model]
        self.next_ids[model] = value + 1
        return value

    def add(self, key, row):
        self.pending[key].append(row)

    def flush(self):
        for key, rows in self.pending.items():
            if rows:
                model, fields = self.specs[key]
                insert_rows(model, fields, rows, computed=COMPUTED.get(model), plain=True)
                self.counts[key] += len(rows)
                self.pending[key] = []


def add_world_rows(rows, world):
    """Queue the officials and topics; return {official index: id} and {topic number: id}."""
    official_ids, topic_ids = {}, {}
    for index, official in enumerate(world.officials):
        official_ids[index] = rows.new_id(Official)
        rows.add("officials", (official_ids[index], official.slug, official.name, official.country, "", "[]"))
    for topic in world.topics:
        topic_ids[topic.number] = rows.new_id(Topic)
        parent = topic_ids[topic.parent] if topic.parent else None
        rows.add("topics", (topic_ids[topic.number], topic.slug, topic.name, parent, "Synthetic demo topic."))
    return official_ids, topic_ids


def topic_ancestor_ids(world, topic_ids):
    """Return {topic id: [its id and its ancestors' ids]}, as `indexing.topic_ancestors` gives it."""
    return {topic_ids[number]: [topic_ids[n] for n in line] for number, line in world.lines.items()}


def add_article_rows(rows, world, article, official_ids, topic_ids, ancestors):
    """Queue every row one article contributes, as the loader and `visits.refresh` would write them.

    `ancestors`: `topic_ancestor_ids(world, topic_ids)`.
    """
    oid, tid = official_ids.__getitem__, topic_ids.__getitem__
    article_id, visit_id, report_id = rows.new_id(Article), rows.new_id(Visit), rows.new_id(VisitReport)
    start, end = article.start.isoformat(), article.end.isoformat()
    places = json.dumps(article.places)
    rows.add(
        "articles",
        (
            article_id,
            article.slug,
            article.url,
            article.title,
            article.publisher,
            article.author,
            start,
            "en",
            article.text,
            "",
            "",
        ),
    )
    for index, role in article.roles.items():
        official = world.officials[index]
        entry = (article_id, oid(index), role, office_slug(role), official.country, json.dumps([official.name]))
        rows.add("article officials", entry)
    # What the visitors held on this visit: the office each has on the article's date, in their country.
    held = {
        oid(index): [(office_slug(article.roles[index]), world.officials[index].country, article.roles[index])]
        for index in article.visitors
    }
    for number in article.article_topics:
        topic = world.topic(number)
        parent = tid(topic.parent) if topic.parent else None
        rows.add("article topics", (article_id, tid(number), parent, json.dumps([topic.phrase])))

    document = search_document(
        article.summary,
        article.places,
        reports=[(article.title, article.text)],
        meeting_places=[meeting.place for meeting in article.meetings],
        offices=office_texts(held),
    )
    rows.add(
        "visits",
        (visit_id, article.visit_slug, article.host_country, start, end, places, article.summary, document),
    )
    rows.add(
        "visit reports",
        (report_id, article_id, visit_id, article.host_country, start, end, places, article.summary, *article.evidence),
    )
    for key, owner in (("visit", visit_id), ("report", report_id)):
        for index in article.visitors:
            rows.add(f"{key} visitors", (owner, oid(index)))
        for index in article.hosts:
            rows.add(f"{key} hosts", (owner, oid(index)))
        for number in article.topics:
            rows.add(f"{key} topics", (owner, tid(number)))

    involved, touched = set(article.visitors) | set(article.hosts), set(article.topics)
    for position, meeting in enumerate(article.meetings):
        meeting_id = rows.new_id(Meeting)
        rows.add(
            "meetings",
            (meeting_id, article_id, visit_id, position, meeting.date.isoformat(), meeting.place, *meeting.evidence),
        )
        for index in meeting.participants:
            rows.add("meeting participants", (meeting_id, oid(index)))
        for number in meeting.topics:
            rows.add("meeting topics", (meeting_id, tid(number)))
        involved.update(meeting.participants)
        touched.update(meeting.topics)
        for statement in meeting.statements:
            add_statement_rows(rows, statement, article_id, visit_id, meeting_id, oid, tid)
    for statement in article.statements:
        add_statement_rows(rows, statement, article_id, visit_id, None, oid, tid)
    for statement in article.all_statements():
        involved.add(statement.speaker)
        touched.update(statement.topics)

    for start_, end_, kind, key in article.mentions:
        if kind == "official":
            rows.add("mentions", (article_id, oid(key), None, start_, end_))
        else:
            rows.add("mentions", (article_id, None, tid(key), start_, end_))

    lookups = lookup_rows(
        visit_id,
        host_country=article.host_country,
        visitor_countries=[world.officials[index].country for index in article.visitors],
        officials=map(oid, involved),
        topics=map(tid, touched),
        ancestors=ancestors,
        offices=[office for entries in held.values() for office, _, _ in entries],
    )
    for key in ("officials", "topics", "countries", "offices"):
        for row in sorted(getattr(lookups, key)):
            rows.add(f"lookup: visit {key}", row)


def add_statement_rows(rows, statement, article_id, visit_id, meeting_id, oid, tid):
    statement_id = rows.new_id(Statement)
    rows.add(
        "statements",
        (
            statement_id,
            article_id,
            visit_id,
            meeting_id,
            oid(statement.speaker),
            statement.kind,
            statement.quote,
            statement.start,
            statement.end,
        ),
    )
    for number in statement.topics:
        rows.add("statement topics", (statement_id, tid(number)))


# Refusals and removal ---------------------------------------------------------------


def demo_querysets():
    """Return the demo rows of the four slugged models, by label."""
    return {
        "visits": Visit.objects.filter(slug__startswith=DEMO_PREFIX),
        "articles": Article.objects.filter(slug__startswith=DEMO_PREFIX),
        "officials": Official.objects.filter(slug__startswith=DEMO_PREFIX),
        "topics": Topic.objects.filter(slug__startswith=DEMO_PREFIX),
    }


def demo_counts():
    """Return {label: how many demo rows} for visits, articles, officials and topics."""
    return {label: qs.count() for label, qs in demo_querysets().items()}


def delete_demo_data():
    """Delete every demo row and what hangs off it; return {label: rows deleted}.

    Raw deletes, children first: `QuerySet.delete()` would load every row to
    follow cascades and write a history record per object, hours at 1M
    statements. A non-demo row that refers to a demo one makes the
    transaction fail instead of being deleted with it.
    """
    demo = {"article__slug__startswith": DEMO_PREFIX}
    visit = {"visit__slug__startswith": DEMO_PREFIX}
    steps = [
        ("mentions", Mention, demo),
        ("statement topics", Statement.topics.through, {"statement__article__slug__startswith": DEMO_PREFIX}),
        ("statements", Statement, demo),
        ("meeting participants", Meeting.participants.through, {"meeting__article__slug__startswith": DEMO_PREFIX}),
        ("meeting topics", Meeting.topics.through, {"meeting__article__slug__startswith": DEMO_PREFIX}),
        ("meetings", Meeting, demo),
        ("report visitors", VisitReport.visitors.through, {"visitreport__article__slug__startswith": DEMO_PREFIX}),
        ("report hosts", VisitReport.hosts.through, {"visitreport__article__slug__startswith": DEMO_PREFIX}),
        ("report topics", VisitReport.topics.through, {"visitreport__article__slug__startswith": DEMO_PREFIX}),
        ("visit reports", VisitReport, demo),
        ("article officials", ArticleOfficial, demo),
        ("article topics", ArticleTopic, demo),
        ("articles", Article, {"slug__startswith": DEMO_PREFIX}),
        ("visit visitors", Visit.visitors.through, visit),
        ("visit hosts", Visit.hosts.through, visit),
        ("visit topics", Visit.topics.through, visit),
        ("lookup: visit officials", VisitOfficial, visit),
        ("lookup: visit topics", VisitTopic, visit),
        ("lookup: visit countries", VisitCountry, visit),
        ("lookup: visit offices", VisitOffice, visit),
        ("visits", Visit, {"slug__startswith": DEMO_PREFIX}),
        ("topics", Topic, {"slug__startswith": DEMO_PREFIX}),
        ("official names", OfficialName, {"official__slug__startswith": DEMO_PREFIX}),
        ("identity keys", IdentityKey, {"official__slug__startswith": DEMO_PREFIX}),
        ("duplicate candidates", DuplicateCandidate, {"left__slug__startswith": DEMO_PREFIX}),
        ("duplicate candidates (right)", DuplicateCandidate, {"right__slug__startswith": DEMO_PREFIX}),
        ("officials", Official, {"slug__startswith": DEMO_PREFIX}),
    ]
    deleted = {}
    with transaction.atomic():
        for label, model, condition in steps:
            queryset = model._base_manager.filter(**condition)
            deleted[label] = queryset._raw_delete(queryset.db)
        renew_version()
    return deleted


# Opening and finishing the bulk load ----------------------------------------------


def open_database(replace, result, report):
    """Clear or refuse earlier demo data, lock the tables given explicit ids; return (Rows, statements to rebuild)."""
    if replace:
        report("deleting earlier demo data", 0, 1)
        result.deleted = delete_demo_data()
    else:
        existing = demo_counts()
        if any(existing.values()):
            found = ", ".join(f"{n} {label}" for label, n in existing.items() if n)
            raise DemoError(f"the database already holds demo data ({found}); run with --replace to delete it first")
    specs = table_specs()
    rebuild = []
    if connection.vendor == "postgresql":
        qn = connection.ops.quote_name
        tables = [model._meta.db_table for model, _ in specs.values()]
        with connection.cursor() as cursor:
            # Ids are handed out from max(id) + 1: keep other writers out until the sequences are reset.
            cursor.execute(f"LOCK TABLE {', '.join(map(qn, tables))} IN SHARE ROW EXCLUSIVE MODE")
            # Foreign keys are checked row by row as written (parents first) instead of queued to the
            # commit: millions of queued checks cost the server hundreds of megabytes. This also runs
            # the checks the deletes of --replace queued, which would keep ALTER TABLE from running.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"SELECT {' OR '.join(f'EXISTS (SELECT 1 FROM {qn(t)})' for t in tables)}")
            if not cursor.fetchone()[0]:
                rebuild = drop_indexes_and_foreign_keys(cursor, tables)
    next_ids = {model: (model._base_manager.aggregate(top=Max("pk"))["top"] or 0) + 1 for model in ID_MODELS}
    result.rebuilt = len(rebuild)
    return Rows(specs, next_ids), rebuild


def drop_indexes_and_foreign_keys(cursor, tables):
    """Drop the secondary indexes and foreign keys of `tables`; return the statements that recreate them.

    Only used when the tables are empty, inside the generator's transaction,
    as pg_restore does: building an index once over all rows, and checking a
    foreign key with one join, is several times faster than keeping them up
    to date row by row. Unique indexes and primary keys stay, and so do the
    full-text GIN indexes: their cost is parsing the text, which a rebuild
    pays again, while their pending list already batches the inserts. Any
    failure rolls the drops back with everything else.
    """
    cursor.execute(
        "SELECT pg_get_indexdef(i.indexrelid), format('DROP INDEX %%s', i.indexrelid::regclass) "
        "FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam "
        "WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisunique AND NOT i.indisprimary "
        "AND am.amname = 'btree' ORDER BY 1",
        [tables],
    )
    indexes = cursor.fetchall()
    cursor.execute(
        "SELECT format('ALTER TABLE %%s ADD CONSTRAINT %%I %%s', conrelid::regclass, conname, "
        "pg_get_constraintdef(oid)), format('ALTER TABLE %%s DROP CONSTRAINT %%I', conrelid::regclass, conname) "
        "FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) ORDER BY 1",
        [tables],
    )
    foreign_keys = cursor.fetchall()
    for _, drop in indexes + foreign_keys:
        cursor.execute(drop)
    return [create for create, _ in indexes + foreign_keys]


def finish_database(specs, rebuild):
    """Recreate what was dropped, move the id sequences past the new rows, refresh the planner's statistics."""
    with connection.cursor() as cursor:
        if rebuild:
            # Per transaction; plenty for sorting a few million keys at once.
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for statement in rebuild:
            cursor.execute(statement)
        for statement in connection.ops.sequence_reset_sql(no_style(), ID_MODELS):
            cursor.execute(statement)
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            qn = connection.ops.quote_name
            for model, _ in specs.values():
                cursor.execute(f"ANALYZE {qn(model._meta.db_table)}")
