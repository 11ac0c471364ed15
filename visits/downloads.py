"""Streamed CSV and JSON exports of filtered visits and statements.

On PostgreSQL the database builds the rows (visits.downloads_sql: CSV by
COPY, JSON as text) and this module only streams them; elsewhere rows are
read in chunks with `.iterator()` and written here as they are made. Either
way an export of every row never holds the whole result in memory.

Safe to open: a CSV cell that a spreadsheet would run as a formula (one
that begins with `=`, `+`, `-`, `@`, a tab or a carriage return) is written
with a leading `'`, as OWASP recommends; JSON keeps every value exactly. The
first rows are read before the response starts, so a database that is down
answers 503 like the pages, not a 200 with a header row; a failure later in
the stream aborts the response, so that no client takes a cut file for a
whole one.
"""

import csv
import json
from collections import defaultdict
from itertools import chain, islice

from django.db.models import Prefetch
from django.http import HttpResponse, StreamingHttpResponse
from django.urls import reverse

from . import downloads_sql
from .models import Official, SourceRecord, Statement, VisitReport
from .queries import is_postgresql

CHUNK_SIZE = 2000

VISIT_COLUMNS = [
    "slug",
    "url",
    "start",
    "end",
    "host_country",
    "host_country_name",
    "visitors",
    "visitor_slugs",
    "visitor_countries",
    "hosts",
    "host_slugs",
    "topics",
    "places",
    "summary",
    "sources",
]
STATEMENT_COLUMNS = [
    "id",
    "speaker",
    "speaker_slug",
    "speaker_country",
    "kind",
    "quote",
    "topics",
    "published",
    "visit",
    "article",
    "article_title",
    "source_url",
    "start",
    "end",
]


class Echo:
    """A file-like object whose write() returns the line, for csv.writer."""

    def write(self, value):
        return value


def invalid(filterset):
    """Return a 400 listing the parameters that are wrong."""
    lines = [f"{name}: {' '.join(errors)}" for name, errors in filterset.errors.items()]
    return HttpResponse("Invalid parameters:\n" + "\n".join(lines) + "\n", status=400, content_type="text/plain")


def visit_rows(request, queryset):
    people = Official.objects.only("slug", "name", "country")
    queryset = queryset.defer("search_document", "search_vector").prefetch_related(
        Prefetch("visitors", queryset=people),
        Prefetch("hosts", queryset=people),
        "topics",
        Prefetch("reports", queryset=VisitReport.objects.select_related("article").only("visit_id", "article__slug")),
        Prefetch("records", queryset=SourceRecord.objects.only("visit_id", "dataset", "record_id")),
    )
    for visit in queryset.iterator(chunk_size=CHUNK_SIZE):
        visitors, hosts = list(visit.visitors.all()), list(visit.hosts.all())
        yield {
            "slug": visit.slug,
            "url": request.build_absolute_uri(visit.get_absolute_url()),
            "start": visit.start.isoformat(),
            "end": visit.end.isoformat(),
            "host_country": str(visit.host_country),
            "host_country_name": visit.host_country.name,
            "visitors": [o.name for o in visitors],
            "visitor_slugs": [o.slug for o in visitors],
            "visitor_countries": sorted({str(o.country) for o in visitors}),
            "hosts": [o.name for o in hosts],
            "host_slugs": [o.slug for o in hosts],
            "topics": [t.slug for t in visit.topics.all()],
            "places": list(visit.places),
            "summary": visit.summary,
            # Articles by address; data set records as office-of-the-historian:<dataset>:<record id>.
            "sources": [request.build_absolute_uri(r.article.get_absolute_url()) for r in visit.reports.all()]
            + [f"office-of-the-historian:{r.dataset}:{r.record_id}" for r in visit.records.all()],
        }


def statement_rows(request, queryset):
    """Yield export rows from plain values, a chunk at a time.

    No model instances and no reverse() per row: an export of 100,000
    statements is mostly this loop, so each row costs a tuple and a dict.
    """
    fields = (
        "pk",
        "speaker__name",
        "speaker__slug",
        "speaker__country",
        "kind",
        "quote",
        "article__published",
        "visit__slug",
        "article__slug",
        "article__title",
        "start",
        "end",
    )
    article_url = request.build_absolute_uri(reverse("visits:article-detail", kwargs={"slug": "SLUG"}))
    rows = queryset.values_list(*fields).iterator(chunk_size=CHUNK_SIZE)
    while chunk := list(islice(rows, CHUNK_SIZE)):
        topics = defaultdict(list)
        links = Statement.topics.through.objects.filter(statement_id__in=[row[0] for row in chunk])
        for statement_id, slug in links.values_list("statement_id", "topic__slug").order_by("topic__slug"):
            topics[statement_id].append(slug)
        for pk, name, slug, country, kind, quote, published, visit, article, title, start, end in chunk:
            yield {
                "id": pk,
                "speaker": name,
                "speaker_slug": slug,
                "speaker_country": country,
                "kind": kind,
                "quote": quote,
                "topics": topics.get(pk, []),
                "published": published.isoformat(),
                "visit": visit,
                "article": article,
                "article_title": title,
                "source_url": f"{article_url.replace('SLUG', article)}#statement-{pk}",
                "start": start,
                "end": end,
            }


# What a spreadsheet reads as the start of a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """Return a CSV cell's text with a leading `'` if a spreadsheet would take it for a formula."""
    if isinstance(value, list):
        value = "; ".join(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def stream_csv(rows, fields):
    writer = csv.writer(Echo())
    yield writer.writerow(fields)
    for row in rows:
        yield writer.writerow([spreadsheet_safe(row[field]) for field in fields])


def stream_json(rows, encoded=False):
    """A JSON array of `rows` (dicts, or each one object's JSON text if `encoded`), one row per line."""
    yield "["
    for index, row in enumerate(rows):
        yield ("," if index else "") + "\n" + (row if encoded else json.dumps(row, ensure_ascii=False))
    yield "\n]\n"


def python_pieces(rows, fields, fmt):
    return stream_csv(rows, fields) if fmt == "csv" else stream_json(rows)


def sql_pieces(queryset, columns, fields, fmt):
    """The export's text from PostgreSQL (visits.downloads_sql): the header, then what the database wrote."""
    if fmt == "csv":
        yield csv.writer(Echo()).writerow(fields)
        yield from downloads_sql.csv_blocks(queryset, columns, fields)
    else:
        yield from stream_json(downloads_sql.json_rows(queryset, columns, fields, CHUNK_SIZE), encoded=True)


def visit_pieces(request, queryset, fmt):
    if is_postgresql():
        return sql_pieces(queryset, downloads_sql.visit_columns(request), VISIT_COLUMNS, fmt)
    return python_pieces(visit_rows(request, queryset), VISIT_COLUMNS, fmt)


def statement_pieces(request, queryset, fmt):
    if is_postgresql():
        return sql_pieces(queryset, downloads_sql.statement_columns(request), STATEMENT_COLUMNS, fmt)
    return python_pieces(statement_rows(request, queryset), STATEMENT_COLUMNS, fmt)


def respond(pieces, fmt, name):
    pieces = iter(pieces)
    # The first rows' queries run now, before the response starts: a database that is down raises
    # here, and the pages' middleware answers 503, instead of a 200 that breaks off after its header.
    # (The CSV header is made without the database, so the first two pieces are read.)
    first = list(islice(pieces, 2))
    content_type = "text/csv; charset=utf-8" if fmt == "csv" else "application/json"
    response = StreamingHttpResponse(chain(first, pieces), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def visits(request, queryset, fmt):
    return respond(visit_pieces(request, queryset, fmt), fmt, "visits")


def statements(request, queryset, fmt):
    return respond(statement_pieces(request, queryset, fmt), fmt, "statements")
