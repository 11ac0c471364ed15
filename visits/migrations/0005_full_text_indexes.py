"""GIN indexes for PostgreSQL full-text search (visits and statements).

The expressions are exactly what `SearchVector(<field>, config="english")`
compiles to, so the planner uses them for `@@` matches. SQLite has no such
index type and searches with LIKE instead, so there this migration does nothing.
"""

from django.db import migrations

INDEXES = {
    "visit_search_idx": ("visits_visit", "search_document"),  # replaced by a stored vector in 0009
    "statement_search_idx": ("visits_statement", "quote"),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, (table, column) in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
            f"USING gin (to_tsvector('english'::regconfig, COALESCE({column}, '')))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("visits", "0004_spans_need_both_ends")]

    operations = [migrations.RunPython(create, drop)]
