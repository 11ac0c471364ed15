#!/usr/bin/env python
"""Benchmark the pages at scale: build the demo data set in a scratch PostgreSQL database and time requests.

    .venv/bin/python bench/run.py [--visits N] [--seed S] [--keep]

Creates the scratch databases `visits_bench` and `visits_bench_load` on
postgres://postgres@127.0.0.1:5432 (BENCH_POSTGRES to change the server),
fills the first with `manage.py generate_demo_data --visits N`, then measures
whole requests through Django's test client, the streamed CSV export in a
child process (its peak memory), and `load_articles` on 1,000 generated files
in the empty second database. Writes bench/results.md and drops the
databases unless --keep. See bench/README.md.
"""

import argparse
import datetime
import json
import math
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(os.environ.get("BENCH_RESULTS", Path(__file__).resolve().parent / "results.md"))
# Each run's figures: --pages-only reuses them, and a run at another size says how each page's cost grows.
RUN_JSON = str(Path(__file__).resolve().parent / "run-{visits}.json")
SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432").rstrip("/")
# BENCH_DATABASE names the scratch databases, so that two runs on one server do not drop each other's.
DATABASE = os.environ.get("BENCH_DATABASE", "visits_bench")
LOAD_DATABASE = f"{DATABASE}_load"

REQUESTS = 20
COLD_REQUESTS = 7  # first requests of a combination, each with the cache emptied (the "median of 7")
WARM_UP_URL = "/visits/?sort=date&page=2"  # another combination: builds what a running worker holds
# A page slower than this once is timed 3 times (1 time), not 20: the verdict is clear and the run stays short.
SLOW_REQUEST_S = 3.0
SLOW_REQUESTS = 3
VERY_SLOW_REQUEST_S = 30.0
PAGE_TIMEOUT_S = 900
PAGE_MEMORY_LIMIT = 8 * 1024**3
SMALL_VISITS = 500  # query counts are compared with a data set of this size
LOADER_FILES = 1000
CSV_ROWS = 100_000
STATEMENT_TIMEOUT = "60s"  # a runaway query fails its page instead of hanging the run

LIST_P95_MS = 150
LIST_COLD_MEDIAN_MS = 60  # a list page's first request of a new filter combination (issue 14)
LIST_COLD_P95_MS = 100
DETAIL_P95_MS = 50
CSV_PEAK_MB = 150
CSV_ROWS_PER_S = 80_000  # issue 14
LOADER_PER_S = 100
LOADER_RUNS = 3


def database_url(name):
    return f"{SERVER}/{name}"


def environment(name):
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings", DATABASE_URL=database_url(name))
    env.pop("DJANGO_DEBUG", None)  # settings' default: the dev static files storage needs no collectstatic
    return env


def manage(*args, database=DATABASE, capture=True):
    """Run manage.py in a child process against `database`; return (seconds, stdout)."""
    began = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=environment(database),
        cwd=ROOT,
        capture_output=capture,
        text=True,
    )
    seconds = time.perf_counter() - began
    if completed.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{completed.stdout or ''}{completed.stderr or ''}")
    return seconds, completed.stdout or ""


def recreate_databases(*names, drop_only=False):
    import psycopg

    with psycopg.connect(database_url("postgres"), autocommit=True) as conn:
        for name in names:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            if not drop_only:
                conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(name):
    warnings.filterwarnings("ignore", "No directory at", UserWarning)  # whitenoise: collectstatic has not run
    os.environ.update(environment(name))
    sys.path.insert(0, str(ROOT))
    import django
    from django.conf import settings

    django.setup()
    # Timed as in production: DEBUG would keep every query in memory and render debug templates.
    settings.DEBUG = False
    from django.db import connection

    options = connection.settings_dict.setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c statement_timeout={STATEMENT_TIMEOUT}".strip()


def log(message):
    print(f"[{datetime.datetime.now():%H:%M:%S}] {message}", flush=True)


# What to request -------------------------------------------------------------------------


def pick_pages():
    """Return [(label, url, kind)] for the pages to time, chosen from the data (busiest official, ...)."""
    from django.db.models import Count

    from visits.models import Official, Statement, Topic, Visit, VisitCountry, VisitOfficial, VisitTopic

    busy = (
        VisitOfficial.objects.values_list("official_id")
        .annotate(n=Count("visit_id"))
        .order_by("-n", "official_id")
        .first()[0]
    )
    official = Official.objects.get(pk=busy)
    root = (
        VisitTopic.objects.filter(topic__parent__isnull=True)
        .values_list("topic_id")
        .annotate(n=Count("visit_id"))
        .order_by("-n", "topic_id")
        .first()[0]
    )
    topic = Topic.objects.get(pk=root)
    country = (
        VisitCountry.objects.values_list("country").annotate(n=Count("visit_id")).order_by("-n", "country").first()[0]
    )
    rare_country = Visit.objects.values_list("host_country").annotate(n=Count("pk")).order_by("n", "host_country")[0][0]
    rare_word = Visit.objects.filter(host_country=rare_country).values_list("places", flat=True).first()[0]
    pages = math.ceil(Visit.objects.count() / 25)
    year = Visit.objects.order_by("-start").values_list("start", flat=True).first().year
    letters = official.name[:2].lower()
    visit = (
        Statement.objects.values_list("visit__slug").annotate(n=Count("pk")).order_by("-n", "visit__slug").first()[0]
    )
    return [
        ("home", "/", "list"),
        ("visits, no filter", "/visits/", "list"),
        ("visits by official (busiest)", f"/visits/?official={official.slug}", "list"),
        ("visits by parent topic", f"/visits/?topic={topic.slug}", "list"),
        ("visits by country (busiest)", f"/visits/?country={country}", "list"),
        (
            "visits, three filters",
            f"/visits/?official={official.slug}&topic={topic.slug}&country={official.country}",
            "list",
        ),
        ("visits, common word", "/visits/?q=cooperation", "list"),
        ("visits, rare word", f"/visits/?q={rare_word}", "list"),
        ("visits, deep page", f"/visits/?page={max(1, pages * 9 // 10)}", "list"),
        ("statements by parent topic", f"/statements/?topic={topic.slug}", "list"),
        ("visit (most statements)", f"/visits/{visit}/", "detail"),
        ("official (busiest)", f"/officials/{official.slug}/", "detail"),
        ("parent topic", f"/topics/{topic.slug}/", "detail"),
        # Not named in the issue, but list pages too: timed so nothing slow hides.
        ("statements, no filter", "/statements/", "list"),
        ("officials", "/officials/", "list"),
        # Finding people (issue 13): two letters of the busiest official's name, an office, the facet's page.
        ("officials, two letters", f"/officials/?q={letters}", "list"),
        ("officials, an office", "/officials/?q=prime+minister", "list"),
        ("suggestions, two letters", f"/officials/suggest?q={letters}", "list"),
        ("official facet page, busiest country", f"/visits/facets/official/?country={country}", "list"),
        ("official facet page, search", f"/visits/facets/official/?country={country}&fq={letters}", "list"),
        ("topics", "/topics/", "list"),
        ("countries", "/countries/", "list"),
        ("articles", "/articles/", "list"),
        # Pictures and feeds (issue 15): the map's visitor side, the timeline by month, a country's map, the feeds.
        ("visits, map by visitor country", "/visits/?map=visitor", "list"),
        ("visits, one year (timeline by month)", f"/visits/?date_from={year}-01-01&date_to={year}-12-31", "list"),
        ("country (busiest)", f"/countries/{country}/", "detail"),
        ("country (busiest), map by visitor", f"/countries/{country}/?map=visitor", "detail"),
        ("visits feed, no filter", "/visits.atom", "list"),
        ("visits feed by country (busiest)", f"/visits.atom?country={country}", "list"),
        ("statements feed by parent topic", f"/statements.atom?topic={topic.slug}", "list"),
    ]


def export_url():
    """Return the /statements.csv address of the newest ~100,000 statements."""
    from visits.models import Statement

    published = Statement.objects.order_by("-article__published").values_list("article__published", flat=True)
    oldest = published[min(CSV_ROWS, Statement.objects.count()) - 1]
    return f"/statements.csv?date_from={oldest.isoformat()}"


# Measuring -------------------------------------------------------------------------------------


def consume(response):
    if response.streaming:
        for _ in response.streaming_content:
            pass


def measure_page(label, url, kind):
    """Return a result dict for one page, measured in a child process that a runaway page cannot take down."""
    row = {"label": label, "url": url, "kind": kind}
    try:
        completed = subprocess.run(
            [sys.executable, __file__, "--child-page", url],
            env=environment(DATABASE),
            capture_output=True,
            text=True,
            timeout=PAGE_TIMEOUT_S,
        )
    except subprocess.TimeoutExpired:
        return row | {"error": f"no answer within {PAGE_TIMEOUT_S} s"}
    if completed.returncode:
        last = completed.stderr.strip().splitlines()[-1] if completed.stderr.strip() else "killed"
        return row | {"error": last[:200]}
    measured = json.loads(completed.stdout.strip().splitlines()[-1])
    if "error" in measured:
        return row | measured
    times, cold = sorted(measured.pop("times")), sorted(measured.pop("cold"))
    return (
        row
        | measured
        | {
            "n": len(times),
            "median": statistics.median(times),
            "p95": percentile(times, 0.95),
            "cold_n": len(cold),
            "cold_median": statistics.median(cold),
            "cold_p95": percentile(cold, 0.95),
        }
    )


def percentile(values, fraction):
    """The nearest-rank percentile of sorted `values`."""
    return values[math.ceil(fraction * len(values)) - 1]


def child_page(url):
    """In a child process: time one page's first requests and repeated requests; print the figures as JSON.

    A warm-up request of another combination first builds what a running
    worker already holds (the bitmap index, the version token): its time is
    reported as `start_ms`. Then each "first request" runs with the cache
    emptied, so that this combination's counts, totals and search ids are
    computed afresh, as on a user's first click; the repeated requests find
    them cached.
    """
    # A page that renders every row of a big table fails here instead of swapping the machine.
    resource.setrlimit(resource.RLIMIT_AS, (PAGE_MEMORY_LIMIT, PAGE_MEMORY_LIMIT))
    setup_django(DATABASE)
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    try:
        began = time.perf_counter()
        consume(client.get(WARM_UP_URL))
        start = time.perf_counter() - began
        cache.clear()
        began = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
            consume(response)
        first = time.perf_counter() - began
        queries = captured.captured_queries
        count = REQUESTS if first < SLOW_REQUEST_S else SLOW_REQUESTS if first < VERY_SLOW_REQUEST_S else 1
        cold, times = [1000 * first], []
        for _ in range(min(count, COLD_REQUESTS) - 1):
            cache.clear()
            began = time.perf_counter()
            consume(client.get(url))
            cold.append(1000 * (time.perf_counter() - began))
        for _ in range(count):
            began = time.perf_counter()
            consume(client.get(url))
            times.append(1000 * (time.perf_counter() - began))
    except Exception as exc:  # a query over the statement timeout, or out of memory
        print(json.dumps({"error": f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"}))
        return
    slowest = sorted(queries, key=lambda q: -float(q["time"]))[:3]
    print(
        json.dumps(
            {
                "status": response.status_code,
                "queries": len(queries),
                "sql_ms": 1000 * sum(float(q["time"]) for q in queries),
                "slowest": [{"sql": q["sql"], "ms": 1000 * float(q["time"])} for q in slowest],
                "times": times,
                "cold": cold,
                "start_ms": 1000 * start,
                "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


def query_counts(client, pages):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    consume(client.get(WARM_UP_URL))  # as each page's own process does: the bitmap index is built once, first
    for label, url, _ in pages:
        cache.clear()  # cold, as in the page's own process at full size
        with CaptureQueriesContext(connection) as captured:
            consume(client.get(url))
        counts[label] = len(captured.captured_queries)
    return counts


def child_export(url):
    """In a child process: stream `url` through the test client; print rows, seconds and peak RSS as JSON."""
    setup_django(DATABASE)
    from django.test import Client

    client = Client()
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    began = time.perf_counter()
    response = client.get(url)
    lines = size = 0
    for chunk in response.streaming_content:
        lines += chunk.count(b"\n")
        size += len(chunk)
    seconds = time.perf_counter() - began
    response.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(
        json.dumps(
            {
                "status": response.status_code,
                "streaming": response.streaming,
                "rows": lines - 1,
                "bytes": size,
                "seconds": seconds,
                "peak_mb": peak / 1024,
                "baseline_mb": baseline / 1024,
            }
        )
    )


def measure_export(url):
    completed = subprocess.run(
        [sys.executable, __file__, "--child-export", url], env=environment(DATABASE), capture_output=True, text=True
    )
    if completed.returncode:
        return {"error": completed.stderr.strip().splitlines()[-1] if completed.stderr else "failed"}
    return json.loads(completed.stdout.strip().splitlines()[-1])


def explain(sql):
    """Return EXPLAIN (ANALYZE, BUFFERS) of one captured query, or what went wrong."""
    from django.db import connection

    if sql.startswith("DECLARE"):  # a server-side cursor: explain the query it runs
        sql = sql.split(" FOR ", 1)[1]
    try:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            return "\n".join(line for (line,) in cursor.fetchall())
    except Exception as exc:
        connection.close()
        failure = str(exc).splitlines()[0]
    with connection.cursor() as cursor:  # over the statement timeout: the plan without running it
        cursor.execute("EXPLAIN " + sql)
        plan = "\n".join(line for (line,) in cursor.fetchall())
    return f"EXPLAIN ANALYZE failed ({failure}); the plan without running it:\n{plan}"


# Reporting ---------------------------------------------------------------------------------------


def target_ms(row):
    return LIST_P95_MS if row["kind"] == "list" else DETAIL_P95_MS


def first_request_target(row):
    """Visit list pages (issue 14): a new filter combination's first request has its own target."""
    return row["url"].startswith("/visits/") and row["url"].split("?")[0] == "/visits/"


def target_text(row):
    text = f"p95 < {target_ms(row)} ms"
    if first_request_target(row):
        text += f"; first: median < {LIST_COLD_MEDIAN_MS}, p95 < {LIST_COLD_P95_MS} ms"
    return text


def verdict(row, small_counts):
    if "error" in row or row.get("status") != 200:
        return "FAIL"
    fast = row["p95"] < target_ms(row)
    if first_request_target(row):
        fast = fast and row["cold_median"] < LIST_COLD_MEDIAN_MS and row["cold_p95"] < LIST_COLD_P95_MS
    constant = small_counts.get(row["label"]) == row["queries"]
    if fast and constant:
        return "PASS"
    return "FAIL (" + ", ".join(([] if fast else ["time"]) + ([] if constant else ["query count grows"])) + ")"


def machine():
    def meminfo():
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
        return "?"

    def cpu():
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
        return platform.processor() or "?"

    import django
    import psycopg
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
        cursor.execute("SHOW shared_buffers")
        buffers = cursor.fetchone()[0]
    return [
        ("date", datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")),
        ("CPUs (nproc)", f"{os.cpu_count()} × {cpu()}"),
        ("RAM", meminfo()),
        ("PostgreSQL", f"{server} (shared_buffers {buffers}), same machine, over TCP"),
        ("Python / Django / psycopg", f"{platform.python_version()} / {django.get_version()} / {psycopg.__version__}"),
        ("OS", platform.platform()),
    ]


def fmt_ms(value):
    return f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"


def growth_table(args, rows):
    """How each page's cost grows between this run's size and another size's run (bench/run-<visits>.json)."""
    others = sorted(Path(RESULTS.parent).glob("run-*.json"))
    other = next((path for path in others if path.name != f"run-{args.visits}.json"), None)
    if other is None:
        return []
    other_size = int(other.stem.split("-")[1])
    other_rows = json.loads(other.read_text())["rows"]
    (small, small_rows), (large, large_rows) = sorted([(args.visits, rows), (other_size, other_rows)])
    by_label = {row["label"]: row for row in small_rows}
    lines = [
        "",
        f"## Growth from {small:,} to {large:,} visits",
        "",
        f"The same pages at {small:,} and at {large:,} visits (`bench/run-{small}.json`, `bench/run-{large}.json`), "
        "median ms, and how many times slower the larger data set is.",
        "",
        f"| page | first requests at {small:,} | at {large:,} | × | repeated at {small:,} | at {large:,} | × |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in large_rows:
        before = by_label.get(row["label"])
        if not before or "error" in row or "error" in before:
            continue
        lines.append(
            f"| {row['label']} | {fmt_ms(before['cold_median'])} | {fmt_ms(row['cold_median'])} "
            f"| {row['cold_median'] / before['cold_median']:.1f} | {fmt_ms(before['median'])} "
            f"| {fmt_ms(row['median'])} | {row['median'] / before['median']:.1f} |"
        )
    return lines


def write_results(args, info, run):
    Path(RUN_JSON.format(visits=args.visits)).write_text(json.dumps(run, indent=1, default=str) + "\n")
    generator, rows, small_counts = run["generator"], run["rows"], run["small_counts"]
    export, loader = run["export"], run["loader"]
    lines = [
        "# Benchmark results",
        "",
        f"Written by `python bench/run.py --visits {args.visits} --seed {args.seed}` "
        "([how it measures](README.md)). Whole requests through Django's test client "
        "(URL resolution, middleware, view, SQL, template), DEBUG off, after `VACUUM ANALYZE`; "
        f"the query count comes from a separate untimed request. p95 is the nearest-rank 95th percentile "
        f"of n requests: {REQUESTS}, or {SLOW_REQUESTS} when the untimed one took over {SLOW_REQUEST_S:.0f} s, "
        f"or 1 over {VERY_SLOW_REQUEST_S:.0f} s. Each page is measured in its own process; peak MB is that "
        "process's peak RSS (Django alone is about 70 MB). Each process first requests another combination "
        f"(`{WARM_UP_URL}`), which builds what a running worker holds (the bitmap index); then "
        f"**first requests** are {COLD_REQUESTS} requests each made with the cache emptied, so that the "
        "combination's facet counts, total, search ids and detail lists are computed afresh, as on a user's "
        "first click; **repeated** requests find them cached, as a second click would. SQL ms and the query "
        "count are the first first request's.",
        "",
        "| machine | |",
        "| --- | --- |",
        *[f"| {key} | {value} |" for key, value in info],
        "",
        "## Data set",
        "",
        f"`generate_demo_data --visits {args.visits:,}` took **{generator['seconds']:.0f} s** "
        f"(whole command, {generator['rows']:,} rows; target: a few minutes, under ~5).",
        "",
        "```text",
        generator["output"].strip(),
        "```",
        "",
        "## Pages",
        "",
        f"Targets: p95 under {LIST_P95_MS} ms for list pages (with their facet counts), under {DETAIL_P95_MS} ms "
        f"for detail pages; the query count the same at {args.visits:,} visits as at {SMALL_VISITS:,}.",
        "",
        f"| page | URL | first requests: median ms | p95 ms | repeated: median ms | p95 ms | n | SQL ms "
        f"| peak MB | queries ({args.visits:,}) | queries ({SMALL_VISITS}) | target | result |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for row in rows:
        small = small_counts.get(row["label"], "?")
        target = target_text(row)
        if "error" in row:
            lines.append(
                f"| {row['label']} | `{row['url']}` | | | | | | | | | {small} | {target} | FAIL: {row['error']} |"
            )
            continue
        lines.append(
            f"| {row['label']} | `{row['url']}` | {fmt_ms(row['cold_median'])} | {fmt_ms(row['cold_p95'])} "
            f"| {fmt_ms(row['median'])} | {fmt_ms(row['p95'])} | {row['cold_n']} + {row['n']} "
            f"| {fmt_ms(row['sql_ms'])} | {row['peak_mb']:,.0f} | {row['queries']} | {small} | {target} "
            f"| {verdict(row, small_counts)} |"
        )
    starts = [row["start_ms"] for row in rows if "start_ms" in row]
    if starts:
        lines += [
            "",
            f"A worker's very first request (it builds the bitmap index of every visit, or loads it from the "
            f"shared cache): median {fmt_ms(statistics.median(starts))} ms over the {len(starts)} processes.",
        ]
    lines += growth_table(args, rows)
    lines += ["", "## Export and loader", ""]
    lines += ["| measure | value | target | result |", "| --- | --- | --- | --- |"]
    if "error" in export:
        lines.append(f"| `{export['url']}` | {export['error']} | | FAIL |")
    else:
        rate = export["rows"] / export["seconds"]
        lines.append(
            f"| `{export['url']}`: {export['rows']:,} rows, {export['bytes'] / 1e6:,.0f} MB in "
            f"{export['seconds']:.1f} s | {rate:,.0f} rows/s | > {CSV_ROWS_PER_S:,} rows/s | "
            f"{'PASS' if rate > CSV_ROWS_PER_S else 'FAIL'} |"
        )
        lines.append(
            f"| peak memory (RSS) of the process streaming it | {export['peak_mb']:.0f} MB "
            f"({export['baseline_mb']:.0f} MB before the request) | < {CSV_PEAK_MB} MB | "
            f"{'PASS' if export['peak_mb'] < CSV_PEAK_MB and export['streaming'] else 'FAIL'} |"
        )
    rate = loader["files"] / loader["seconds"]
    each = ", ".join(f"{seconds:.1f}" for seconds in loader["runs"])
    lines.append(
        f"| `load_articles` of {loader['files']:,} generated files into an empty database "
        f"(whole command, median of {len(loader['runs'])} runs: {each} s) | {rate:,.1f} articles/s | "
        f"> {LOADER_PER_S} articles/s | {'PASS' if rate > LOADER_PER_S else 'FAIL'} |"
    )
    failing = [r for r in rows if "error" not in r and not verdict(r, small_counts).startswith("PASS")]
    if failing:
        lines += [
            "",
            "## Slowest queries of the pages that miss their target",
            "",
            "EXPLAIN (ANALYZE, BUFFERS) of the slowest queries (over 10 ms, at most three) of each failing page, "
            "as captured from its untimed request.",
        ]
        for row in failing:
            slow = [q for q in row["slowest"] if q["ms"] > 10]
            lines += ["", f"### {row['label']}: `{row['url']}`", ""]
            if not slow:
                lines.append(
                    f"No query over 10 ms: of {fmt_ms(row['median'])} ms, {fmt_ms(row['sql_ms'])} ms is SQL; "
                    "the rest is Python (ORM and template rendering)."
                )
            for query in slow:
                sql = query["sql"]
                lines += [
                    f"{query['ms']:,.0f} ms:",
                    "",
                    "```sql",
                    sql if len(sql) < 3000 else sql[:3000] + " …",
                    "```",
                    "",
                    "```text",
                    query.get("plan", ""),
                    "```",
                    "",
                ]
    results_path(args).write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")


def results_path(args):
    """bench/results.md for the standard 100,000 visits; bench/results-<N>.md for another size."""
    return RESULTS if args.visits == 100_000 else RESULTS.with_name(f"results-{args.visits}.md")


# The run -------------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--visits", type=int, default=100_000, help="size of the data set (default 100,000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", action="store_true", help="keep the scratch databases and generated files")
    parser.add_argument(
        "--pages-only",
        action="store_true",
        help="time the pages and the export again on the data a --keep run left (no generation, no loader run)",
    )
    parser.add_argument("--child-export", metavar="URL", help=argparse.SUPPRESS)
    parser.add_argument("--child-page", metavar="URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_export:
        return child_export(args.child_export)
    if args.child_page:
        return child_page(args.child_page)

    if args.pages_only:
        return pages_only(args)
    files = Path(tempfile.mkdtemp(prefix="visits-bench-"))
    log(f"scratch databases {DATABASE} and {LOAD_DATABASE} on {SERVER}")
    recreate_databases(DATABASE, LOAD_DATABASE)
    manage("migrate", "--noinput")
    setup_django(DATABASE)
    from django.db import connection
    from django.test import Client

    log(f"query counts at {SMALL_VISITS} visits")
    manage("generate_demo_data", "--visits", str(SMALL_VISITS), "--seed", str(args.seed))
    vacuum()
    small_counts = query_counts(Client(), pick_pages())
    connection.close()

    log(f"generating {args.visits:,} visits")
    seconds, output = manage(
        "generate_demo_data",
        "--visits",
        str(args.visits),
        "--seed",
        str(args.seed),
        "--replace",
        "--articles-dir",
        str(files),
        "--articles",
        str(LOADER_FILES),
    )
    output = "\n".join(line for line in output.splitlines() if not line.startswith("Deleted "))
    total_rows = next(
        (int(line.split()[-1].replace(",", "")) for line in output.splitlines() if "total rows" in line), 0
    )
    generator = {"seconds": seconds, "output": output, "rows": total_rows}
    log(f"generated in {seconds:.0f} s; VACUUM ANALYZE")
    vacuum()

    info = machine()
    rows, export = measure_pages_and_export(small_counts)

    # Three runs, each into a new empty database; the median is reported (timings here vary by a tenth).
    runs = []
    for run in range(1, LOADER_RUNS + 1):
        recreate_databases(LOAD_DATABASE)
        manage("migrate", "--noinput", database=LOAD_DATABASE)
        seconds, _ = manage("load_articles", str(files), database=LOAD_DATABASE)
        runs.append(seconds)
        log(f"load_articles of {LOADER_FILES} files into {LOAD_DATABASE}, run {run}: {seconds:.1f} s")
    loader = {"files": len(list(files.glob("*.yaml"))), "seconds": statistics.median(runs), "runs": runs}
    log(f"loader: {loader['files'] / loader['seconds']:.1f} articles/s (median of {LOADER_RUNS})")

    run = {"generator": generator, "small_counts": small_counts, "loader": loader, "rows": rows, "export": export}
    write_results(args, info, run)
    log(f"wrote {results_path(args)}")
    connection.close()
    if args.keep:
        log(f"kept {DATABASE}, {LOAD_DATABASE} and {files}")
    else:
        recreate_databases(DATABASE, LOAD_DATABASE, drop_only=True)
        shutil.rmtree(files)


def measure_pages_and_export(small_counts):
    from django.db import connection

    rows = []
    for label, url, kind in pick_pages():
        connection.close()
        row = measure_page(label, url, kind)
        rows.append(row)
        shown = row.get("error") or (
            f"first requests median {row['cold_median']:,.1f} ms, p95 {row['cold_p95']:,.1f} ms; "
            f"repeated median {row['median']:,.1f} ms, p95 {row['p95']:,.1f} ms; {row['queries']} queries, "
            f"peak {row['peak_mb']:,.0f} MB"
        )
        log(f"{label}: {shown}")
    for row in rows:
        if "error" not in row and not verdict(row, small_counts).startswith("PASS"):
            for query in row["slowest"]:
                if query["ms"] > 10:
                    query["plan"] = explain(query["sql"])
    url = export_url()
    connection.close()
    log(f"streaming {url}")
    export = measure_export(url) | {"url": url}
    log(f"export: {export}")
    return rows, export


def pages_only(args):
    """Time the pages and the export again on the kept data set; the rest of the run comes from its record."""
    record = Path(RUN_JSON.format(visits=args.visits))
    if not record.exists():
        sys.exit(f"{record} is missing: run `bench/run.py --visits {args.visits} --keep` first")
    run = json.loads(record.read_text())
    setup_django(DATABASE)
    info = machine()
    run["rows"], run["export"] = measure_pages_and_export(run["small_counts"])
    write_results(args, info, run)
    log(f"wrote {results_path(args)}")


def vacuum():
    """VACUUM ANALYZE: measure the steady state autovacuum reaches, not the minute after a bulk load."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 0")
        cursor.execute("VACUUM ANALYZE")
    connection.close()


if __name__ == "__main__":
    main()
