"""The exports' rows built by PostgreSQL: CSV through `COPY ... TO STDOUT`, JSON as text.

The Python path (visits.downloads) builds a dict and a row per visit or
statement and looks up lists per chunk: about 28,000 rows/s. Here the same
columns are SQL expressions over the filtered QuerySet (so filters and order
are exactly the list's), PostgreSQL formats every row, and psycopg streams
the bytes: the process only copies blocks, so memory stays flat and the rate
is the database's. tests/test_downloads.py holds both paths to the same
rows, value for value, on random data.

Lists (people, topics, places, sources) are arrays in JSON and joined with
"; " in CSV, as the Python path does; every CSV text cell that a spreadsheet
would run as a formula gets a leading `'` in SQL (`safe`), JSON keeps values.
"""

import json

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import F, Func, OuterRef, TextField, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django_countries import countries
from psycopg import ClientCursor

from .models import Official, SourceRecord, Topic, VisitReport
from .queries import byte_order

# A cell beginning with one of `= + - @` tab or carriage return (OWASP, "CSV Injection") gets a `'` first;
# the characters are the same as visits.downloads.FORMULA_STARTS (tests/test_hardening.py checks both).
FORMULA_PATTERN = "^([-=+@\t\r])"
CHUNK_BYTES = 64 * 1024


def safe(expression):
    """A text expression that a spreadsheet will show as text, never run as a formula."""
    return Func(expression, Value(FORMULA_PATTERN), Value("'\\1"), function="regexp_replace", output_field=TextField())


def joined(array):
    """A text[] expression joined with "; " (what a CSV cell holds for a list)."""
    return Func(array, Value("; "), function="array_to_string", output_field=TextField())


def iso_date(field):
    return Func(F(field), Value("YYYY-MM-DD"), function="to_char", output_field=TextField())


def text(expression):
    return Cast(expression, TextField())


def address(request, name, slug_field, suffix=""):
    """The absolute address of the page `name` for the row's `slug_field`, as build_absolute_uri would give."""
    before, after = request.build_absolute_uri(reverse(name, kwargs={"slug": "SLUG"})).split("SLUG")
    return Concat(Value(before), F(slug_field), Value(after + suffix), output_field=TextField())


def slugs_of(queryset, field):
    return ArraySubquery(queryset.values(field))


class JSONText(Func):
    """A JSON array of a jsonb array's elements as text, for a CSV cell: ["a", "b"] -> a; b."""

    template = "array_to_string(ARRAY(SELECT jsonb_array_elements_text(%(expressions)s)), '; ')"
    output_field = TextField()


def country_name(field):
    """A country code's display name, from the names django-countries gives (the overrides included)."""
    names = json.dumps({code: str(name) for code, name in countries})
    lookup = {"template": "(%(expressions)s)", "arg_joiner": "::jsonb ->> "}
    return Func(Value(names), F(field), **lookup, output_field=TextField())


def json_object(columns):
    """One JSON object's text with the columns' keys in order (jsonb would sort them)."""
    arguments = [part for name, expression in columns.items() for part in (Value(name), expression)]
    return Cast(Func(*arguments, function="json_build_object"), TextField())


def visit_columns(request):
    """{column: (CSV expression, JSON expression)} for visits.downloads.VISIT_COLUMNS."""
    people = Official.objects.order_by(*Official._meta.ordering)
    visitors = people.filter(visits_made=OuterRef("pk"))
    hosts = people.filter(visits_hosted=OuterRef("pk"))
    # Distinct and sorted as Python sorts strings (byte order), as the Python path's sorted(set(...)).
    visitor_countries = (
        Official.objects.filter(visits_made=OuterRef("pk"))
        .values(code=byte_order("country"))
        .distinct()
        .order_by("code")
    )
    topics = Topic.objects.filter(visits=OuterRef("pk")).order_by(*Topic._meta.ordering)
    article_base, article_after = request.build_absolute_uri(
        reverse("visits:article-detail", kwargs={"slug": "SLUG"})
    ).split("SLUG")
    articles = ArraySubquery(
        VisitReport.objects.filter(visit=OuterRef("pk"))
        .order_by("article")
        .values(url=Concat(Value(article_base), F("article__slug"), Value(article_after), output_field=TextField()))
    )
    records = ArraySubquery(
        SourceRecord.objects.filter(visit=OuterRef("pk"))
        .order_by("dataset", "record_id")
        .values(
            source=Concat(
                Value("office-of-the-historian:"), F("dataset"), Value(":"), F("record_id"), output_field=TextField()
            )
        )
    )
    sources = Func(articles, records, function="array_cat")
    lists = {
        "visitors": slugs_of(visitors, "name"),
        "visitor_slugs": slugs_of(visitors, "slug"),
        "visitor_countries": ArraySubquery(visitor_countries),
        "hosts": slugs_of(hosts, "name"),
        "host_slugs": slugs_of(hosts, "slug"),
        "topics": slugs_of(topics, "slug"),
        "sources": sources,
    }
    scalars = {
        "slug": F("slug"),
        "url": address(request, "visits:visit-detail", "slug"),
        "start": iso_date("start"),
        "end": iso_date("end"),
        "host_country": text(F("host_country")),
        "host_country_name": country_name("host_country"),
        "summary": F("summary"),
    }
    columns = {name: (safe(value), value) for name, value in scalars.items()}
    columns |= {name: (safe(joined(value)), value) for name, value in lists.items()}
    columns["places"] = (safe(JSONText(F("places"))), F("places"))
    return columns


def statement_columns(request):
    """{column: (CSV expression, JSON expression)} for visits.downloads.STATEMENT_COLUMNS."""
    topics = Topic.objects.filter(statements=OuterRef("pk")).order_by("slug")
    article_url = address(request, "visits:article-detail", "article__slug", "#statement-")
    texts = {
        "speaker": F("speaker__name"),
        "speaker_slug": F("speaker__slug"),
        "speaker_country": text(F("speaker__country")),
        "kind": F("kind"),
        "quote": F("quote"),
        "published": iso_date("article__published"),
        "visit": F("visit__slug"),
        "article": F("article__slug"),
        "article_title": F("article__title"),
        "source_url": Concat(article_url, text(F("pk")), output_field=TextField()),
    }
    columns = {name: (safe(value), value) for name, value in texts.items()}
    columns["topics"] = (safe(joined(slugs_of(topics, "slug"))), slugs_of(topics, "slug"))
    for number in ("id", "start", "end"):
        field = "pk" if number == "id" else number
        columns[number] = (F(field), F(field))
    return columns


def csv_blocks(queryset, columns, names):
    """The CSV rows (no header) of `queryset`, as PostgreSQL's COPY writes them, block by block."""
    aliases = {f"export_{index}": columns[name][0] for index, name in enumerate(names)}
    sql, params = queryset.annotate(**aliases).values_list(*aliases).query.sql_with_params()
    # COPY takes no bound parameters, so psycopg's client-side cursor merges them into the statement;
    # Django's own cursor (its debug wrapper, with DEBUG on) would not pass them.
    connection.ensure_connection()
    with (
        ClientCursor(connection.connection) as cursor,
        cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv)", params) as copy,
    ):
        # psycopg hands over one row per block; the response sends about 64 KB at a time instead.
        pending, size = [], 0
        for block in copy:
            pending.append(bytes(block))
            size += len(block)
            if size >= CHUNK_BYTES:
                yield b"".join(pending)
                pending, size = [], 0
        if pending:
            yield b"".join(pending)


def json_rows(queryset, columns, names, chunk_size):
    """Each row of `queryset` as one JSON object's text, its keys in the order of `names`."""
    document = json_object({name: columns[name][1] for name in names})
    yield from queryset.annotate(export_json=document).values_list("export_json", flat=True).iterator(chunk_size)
