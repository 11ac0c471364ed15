"""Bulk inserts of rows nothing refers to back, without a model instance per row."""

from django.db import connection
from django.db.models import Model


def insert_rows(model, columns, rows):
    """Insert `rows` (tuples of `columns`; model instances stand for their ids) in bulk."""
    if not rows:
        return
    fields = [model._meta.get_field(name) for name in columns]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    # Only JSON columns need their values adapted; ids, text and numbers go as they are.
    adapt = [
        (lambda value, f=f: f.get_db_prep_save(value, connection)) if f.get_internal_type() == "JSONField" else None
        for f in fields
    ]
    values = (
        [
            value.pk if isinstance(value, Model) else (convert(value) if convert else value)
            for value, convert in zip(row, adapt, strict=True)
        ]
        for row in rows
    )
    columns_sql = ", ".join(quote(f.column) for f in fields)
    if connection.vendor == "postgresql":
        # COPY: a quarter of the time of multi-row INSERTs, most of which went to parsing them.
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns_sql}) FROM STDIN") as copy:
            for row in values:
                copy.write_row(row)
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
