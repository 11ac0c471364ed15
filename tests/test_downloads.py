"""PostgreSQL's exports (visits.downloads_sql) hold exactly the rows and values of the Python path.

The Python path (visits.downloads, what SQLite uses) is the reference: on
demo data with hostile text, every filter below is exported both ways, as CSV
and as JSON, and the parsed results must be equal value for value, in order.
"""

import csv
import io
import json

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from visits import demo, downloads, downloads_sql
from visits.filters import StatementFilterSet, VisitFilterSet
from visits.models import Article, Official, Statement, Visit

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")

FILTERS = ["", "country={country}", "sort=date", "q=cooperation", "date_from=2020-01-01&date_to=2021-12-31"]


@pytest.fixture
def world(db):
    demo.generate(120, seed=5)
    # Text a spreadsheet would run, quotes, commas and newlines: each must come out as the Python path writes it.
    Official.objects.filter(pk=Official.objects.order_by("pk").first().pk).update(name='=HYPERLINK("x")')
    Visit.objects.filter(pk=Visit.objects.order_by("pk").first().pk).update(
        places=["@home", "\tTab", "+Plus", 'Tel "Aviv", Jaffa'], summary="-1\nsecond line"
    )
    Article.objects.filter(pk=Article.objects.order_by("pk").first().pk).update(title="=1+1")
    Statement.objects.filter(pk=Statement.objects.order_by("pk").first().pk).update(quote='+cmd, "quoted"\r\nnext')


def exported(pieces, fmt):
    text = "".join(piece.decode() if isinstance(piece, bytes) else piece for piece in pieces)
    return list(csv.reader(io.StringIO(text))) if fmt == "csv" else json.loads(text)


def both_ways(kind, query, fmt):
    request = RequestFactory().get(f"/{kind}.{fmt}?{query}")
    if kind == "visits":
        queryset = VisitFilterSet(request.GET, queryset=Visit.objects.all()).qs
        python = downloads.python_pieces(downloads.visit_rows(request, queryset), downloads.VISIT_COLUMNS, fmt)
        sql = downloads.sql_pieces(queryset, downloads_sql.visit_columns(request), downloads.VISIT_COLUMNS, fmt)
    else:
        queryset = StatementFilterSet(request.GET, queryset=Statement.objects.all()).qs
        python = downloads.python_pieces(downloads.statement_rows(request, queryset), downloads.STATEMENT_COLUMNS, fmt)
        sql = downloads.sql_pieces(queryset, downloads_sql.statement_columns(request), downloads.STATEMENT_COLUMNS, fmt)
    return exported(python, fmt), exported(sql, fmt)


@pytest.mark.parametrize("fmt", ["csv", "json"])
@pytest.mark.parametrize("kind", ["visits", "statements"])
@pytest.mark.parametrize("query", FILTERS)
def test_the_database_writes_what_the_python_path_writes(world, kind, query, fmt):
    query = query.format(country=Visit.objects.order_by("pk").values_list("host_country", flat=True).first())
    python, sql = both_ways(kind, query, fmt)
    assert len(python) > (1 if fmt == "csv" else 0), (kind, query)
    assert sql == python


def test_hostile_text_is_neutralised_in_csv_and_kept_in_json(world):
    (_, rows), (_, objects) = both_ways("visits", "", "csv"), both_ways("visits", "", "json")
    first = Visit.objects.order_by("pk").first().slug
    row = next(row for row in rows if row[0] == first)
    obj = next(obj for obj in objects if obj["slug"] == first)
    assert row[rows[0].index("places")] == '\'@home; \tTab; +Plus; Tel "Aviv", Jaffa'
    assert row[rows[0].index("summary")] == "'-1\nsecond line"
    assert obj["places"] == ["@home", "\tTab", "+Plus", 'Tel "Aviv", Jaffa']
    assert obj["summary"] == "-1\nsecond line"


@pytest.mark.parametrize("url", ["/statements.csv?sort=date", "/visits.csv"])
def test_the_view_streams_the_database_rows_with_debug_on_too(client, world, url):
    with CaptureQueriesContext(connection):  # Django's debug cursor, as with DEBUG on (make run)
        response = client.get(url)
        rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    assert len(rows) == (Statement if "statements" in url else Visit).objects.count() + 1


def test_the_view_streams_the_database_rows(client, world):
    response = client.get("/statements.csv?sort=date")
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == downloads.STATEMENT_COLUMNS
    assert len(rows) == Statement.objects.count() + 1
