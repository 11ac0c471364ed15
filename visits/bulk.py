"""Bulk inserts without bulk_create's per-object work: COPY on PostgreSQL, multi-row INSERT elsewhere."""

import datetime

from django.db import connection
from django.db.models import Model
from django.utils import timezone

# Values both drivers take as they are. Anything else (a JSON list, a django-countries
# Country, an aware datetime) is prepared by its field, as the ORM would; a date
# passes, but not a datetime, which is a date too (hence exact types).
PASS_THROUGH = {str, int, float, bool, type(None), datetime.date}


def insert_rows(model, columns, rows, *, computed=None, plain=False):
    """Insert `rows` (tuples of `columns`; model instances stand for their ids) in bulk.

    `plain`: every value is already what the column takes (text, numbers,
    ISO dates, JSON as text, None), so none is looked at: the demo writes
    millions of such rows, and checking each value cost a tenth of its time.
    `computed`: {field name: SQL over the row's columns} for columns that
    PostgreSQL computes from the others (the stored search vector); COPY
    cannot compute, so such rows are copied into a scratch twin of the table
    and inserted from there, still written once. Elsewhere they are left out.
    """
    if not rows:
        return
    fields = [model._meta.get_field(name) for name in columns]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    prepare = [lambda value, f=f: f.get_db_prep_save(value, connection) for f in fields]
    values = (
        rows
        if plain
        else (
            [
                value if type(value) in PASS_THROUGH else (value.pk if isinstance(value, Model) else convert(value))
                for value, convert in zip(row, prepare, strict=True)
            ]
            for row in rows
        )
    )
    columns_sql = ", ".join(quote(f.column) for f in fields)
    if connection.vendor == "postgresql":
        target = quote(f"staging_{model._meta.db_table}") if computed else table
        with connection.cursor() as cursor:
            if computed:
                cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS {target} (LIKE {table}) ON COMMIT DROP")
                cursor.execute(f"TRUNCATE {target}")
            # COPY: a quarter of the time of multi-row INSERTs, most of which went to parsing them.
            with cursor.cursor.copy(f"COPY {target} ({columns_sql}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
            if computed:
                names = ", ".join(quote(model._meta.get_field(name).column) for name in computed)
                cursor.execute(
                    f"INSERT INTO {table} ({columns_sql}, {names}) "
                    f"SELECT {columns_sql}, {', '.join(computed.values())} FROM {target}"
                )
        return
    size = max(1, min(1000, connection.ops.bulk_batch_size(fields, rows)))
    placeholder = f"({', '.join(['%s'] * len(fields))})"
    values = list(values)
    with connection.cursor() as cursor:
        for first in range(0, len(values), size):
            batch = values[first : first + size]
            cursor.execute(
                f"INSERT INTO {table} ({columns_sql}) VALUES {', '.join([placeholder] * len(batch))}",
                [value for row in batch for value in row],
            )


def insert_instances(model, instances):
    """Insert unsaved `instances` and set their ids, as bulk_create would, with COPY on PostgreSQL.

    The ids are drawn from the table's sequence first, so that rows referring
    to these (statement topics, meeting participants) can be written the
    same way. Elsewhere this is bulk_create, which reads the ids back.
    """
    if not instances:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(instances, batch_size=5000)
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, model._meta.pk.column, len(instances)],
        )
        for instance, (pk,) in zip(instances, cursor.fetchall(), strict=True):
            instance.pk = pk
            instance._state.adding = False
    fields = model._meta.concrete_fields
    insert_rows(
        model,
        [f.name for f in fields],
        [tuple(column_value(instance, f) for f in fields) for instance in instances],
    )


def column_value(instance, field):
    """The value to write: a related instance assigned while unsaved stands for the id it has by now."""
    if field.is_relation:
        related = field.get_cached_value(instance, None)
        if related is not None:
            return related
    return getattr(instance, field.attname)


def insert_history(model, instances, history_type, reason=""):
    """Write one django-simple-history record per instance, as its save() would have ("+" or "~").

    The one way bulk writers (loader, importer, uniting) keep history; a
    single save() in the admin records its own, with the editor's name.
    """
    if not instances:
        return []
    history = model.history.model
    now = timezone.now()
    rows = [
        history(
            history_date=now,
            history_type=history_type,
            history_change_reason=reason,
            **{field.attname: getattr(instance, field.attname) for field in history.tracked_fields},
        )
        for instance in instances
    ]
    insert_instances(history, rows)
    return rows


# The tables other rows refer to: their foreign key checks look rows up in these.
REFERENCED = ["visits_visit", "visits_official", "visits_sourcerecord", "visits_article", "visits_topic",
              "visits_meeting", "visits_statement", "visits_visitreport"]  # fmt: skip


class StatisticsWhileGrowing:
    """ANALYZE the referenced tables after writes 1, 2, 4, 8, ... of a run that fills them (PostgreSQL).

    PostgreSQL checks each foreign key with a plan made from the referenced
    table's statistics; a run that starts on empty tables keeps plans made
    for empty tables (sequential scans) while they grow to thousands of rows.
    The whole Office of the Historian import spent 20 of its 40 s in those
    checks; with the statistics renewed at each doubling, 1.4 s (measured on
    this machine). A run costs a dozen ANALYZEs at most, of small tables.
    """

    def __init__(self):
        self.writes = 0
        self.next = 1

    def wrote(self):
        self.writes += 1
        if self.writes == self.next and connection.vendor == "postgresql":
            self.next *= 2
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {', '.join(REFERENCED)}")
