"""Synthetic demo data: a deterministic, clearly marked data set of any size.

`generate(visits=N, seed=S)` fills the database with N synthetic visits, one
article each, with their meetings, statements, mentions, lookup rows and
search documents, written in bulk (COPY on PostgreSQL). It can also write the
same articles as annotated file pairs (`NAME.txt` + `NAME.yaml`, format
`visit-report/1`) for the loader.

- `vocabulary`: the words articles are made of;
- `plan`: the world and each article, planned from one `random.Random(seed)`,
  so the same size and seed always give the same rows and files, whatever
  the batch size;
- `database`: the planned rows written in bulk, and removing them again;
- `files`: the planned articles as annotated file pairs.

Every slug starts with `demo-` and every article title with "[Synthetic] ",
so demo rows are never taken for real ones, and `delete_demo_data` removes
them without touching anything else. No Django command code lives here:
`generate_demo_data` parses arguments and prints.
"""

import time
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from ..caching import renew_version
from ..people import refresh_officials
from .database import (
    DemoError,
    add_article_rows,
    add_world_rows,
    delete_demo_data,
    finish_database,
    open_database,
    topic_ancestor_ids,
)
from .files import check_articles_dir, write_article_pair
from .plan import build_topics, official_count, plan
from .vocabulary import DEMO_PREFIX, TITLE_PREFIX, fixed_phrases

__all__ = [
    "DEMO_PREFIX",
    "TITLE_PREFIX",
    "DemoError",
    "Result",
    "build_topics",
    "delete_demo_data",
    "fixed_phrases",
    "generate",
    "official_count",
    "plan",
]

BATCH_VISITS = 1000


@dataclass
class Result:
    """What a run did: rows written per table, files written, rows deleted first, seconds taken."""

    counts: dict = field(default_factory=dict)
    files: int = 0
    deleted: dict = field(default_factory=dict)
    seconds: float = 0.0
    rebuilt: int = 0  # indexes and foreign keys dropped for the load and recreated after it


def generate(
    visits,
    seed=0,
    *,
    replace=False,
    articles_dir=None,
    articles=None,
    database=True,
    progress=None,
    batch_visits=BATCH_VISITS,
):
    """Create the demo data set of `visits` visits from `seed`; return a Result.

    With `articles_dir`, also write the first `articles` (default `visits`)
    articles of the set as annotated file pairs there; with `database=False`,
    only the files. Refuses (DemoError) when demo rows exist, unless
    `replace`, which deletes them first. Other rows are never touched.
    `progress(phase, done, total)` is called as the work goes.
    """
    began = time.monotonic()
    report = progress or (lambda phase, done, total: None)
    files = 0
    if articles_dir is not None:
        check_articles_dir(articles_dir)
        Path(articles_dir).mkdir(parents=True, exist_ok=True)
        files = visits if articles is None else articles
    in_database = visits if database else 0
    total = max(in_database, files)
    world, plans = plan(visits, seed, count=total)
    result = Result()
    with transaction.atomic() if database else nullcontext():
        if database:
            rows, rebuild = open_database(replace, result, report)
            report("officials and topics", 0, 1)
            official_ids, topic_ids = add_world_rows(rows, world)
            ancestors = topic_ancestor_ids(world, topic_ids)
            rows.flush()
        phase = "visits" if database else "article files"
        for number, article in enumerate(plans, start=1):
            if number <= files:
                write_article_pair(articles_dir, world, article)
                result.files += 1
            if number <= in_database:
                add_article_rows(rows, world, article, official_ids, topic_ids, ancestors)
                if number % batch_visits == 0:
                    rows.flush()
            if number % batch_visits == 0 or number == total:
                report(phase, number, total)
        if database:
            rows.flush()
            report("indexes, sequences and statistics", 0, 1)
            finish_database(rows.specs, rebuild)
            refresh_officials(official_ids.values())
            renew_version()
            result.counts = rows.counts
    result.seconds = time.monotonic() - began
    return result
