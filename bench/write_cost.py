#!/usr/bin/env python
"""What the bitmap index costs: a build from scratch, and the first list page after a write.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/visits_bench .venv/bin/python bench/write_cost.py [FILE.yaml]

Run it on a data set `bench/run.py --keep` left (or any PostgreSQL database
of visits). It times `Index.build()` (five times, the median), then, in one
warm process: the visit list's first request (the median of 5), a write, and the
first request after it, which must show the write (it is checked) and pays
for catching the index up, against the same page's first request (cache
emptied, index current) before the write. The write is an admin-like save of one visit
(its host country changed and `refresh` run, as every admin save ends), or,
given FILE.yaml, `load_articles FILE.yaml`; each is done three times.
Prints a Markdown table for bench/results.md.
"""

import io
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
URL = "/visits/"


def setup():
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False


def ms(seconds):
    return 1000 * seconds


def timed(call):
    began = time.perf_counter()
    result = call()
    return ms(time.perf_counter() - began), result


def main():
    setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client

    from visits import bitmaps
    from visits.models import Visit
    from visits.refresh import refresh

    if not bitmaps.enabled():
        sys.exit("the bitmap index serves PostgreSQL: set DATABASE_URL=postgres://...")
    builds = [timed(bitmaps.Index.build)[0] for _ in range(5)]
    visits = Visit.objects.count()

    client = Client()
    client.get(URL)  # the index, as a running worker holds it
    rows = []
    for attempt in range(3):
        first = []
        for _ in range(5):  # the page computed afresh with the index current: a first request's cost
            cache.clear()
            first.append(timed(lambda: client.get(URL))[0])
        if len(sys.argv) > 1:
            label = f"`load_articles {Path(sys.argv[1]).name}`"
            write_ms, _ = timed(lambda: call_command("load_articles", sys.argv[1], stdout=io.StringIO()))
            visit = None
        else:
            label = "an admin-like save of one visit (host country changed, then `refresh`)"
            visit = Visit.objects.order_by("pk")[attempt]
            country = "IS" if visit.host_country != "IS" else "NO"

            def save(visit=visit, country=country):
                visit.reports.update(host_country=country)
                visit.records.update(country=country)
                refresh([visit.pk])

            write_ms, _ = timed(save)
        after_ms, _ = timed(lambda: client.get(URL))  # catches the index up, then computes the page
        if visit is not None:  # the write shows: the visit is counted in its new country
            response = client.get(f"{URL}?host_country={country}&date_from={visit.start}&date_to={visit.end}")
            assert f"/visits/{visit.slug}/" in response.content.decode(), "the write is not shown"
        rows.append((label, write_ms, statistics.median(first), after_ms))

    print(f"Bitmap index at {visits:,} visits.\n")
    print(
        f"- Build from scratch (`Index.build`, median of 5): **{statistics.median(builds):,.0f} ms** "
        f"({', '.join(f'{b:,.0f}' for b in builds)})."
    )
    print(
        "\n| write | write ms | list page, first request (median of 5) ms | first list page after the write ms "
        "| extra ms |"
    )
    print("| --- | ---: | ---: | ---: | ---: |")
    for label, write_ms, repeated, after_ms in rows:
        print(f"| {label} | {write_ms:,.0f} | {repeated:,.1f} | {after_ms:,.1f} | {after_ms - repeated:,.1f} |")


if __name__ == "__main__":
    main()
