"""Loading annotated articles: find file pairs, parse, plan, write.

The management commands are thin shells around `find_article_files`,
`load_files` and `unload_article`; everything here can be called from tests,
the admin or other code. A file flows through:

- `files.py`: found under the paths named, and read only from there;
- `limits.py`, `reader.py` and `document.py`: checked against the limits,
  parsed and checked without the database (`parse_file`), every problem as
  `file:line: key: message`;
- `batch.py`: a batch of files reads what they name in a few queries;
- `planner.py`: each file is checked against the batch and its rows queued
  (`ArticlePlanner.plan`), or refused with nothing queued;
- `writer.py`: the batch's rows are written in bulk (`write_batch`), and the
  visits it touched are united and reindexed by `visits.refresh`.
"""

import hashlib
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

from django.db import DatabaseError, transaction

from .. import rules
from ..bulk import StatisticsWhileGrowing
from ..models import Article
from ..refresh import refresh
from .batch import Batch
from .document import parse_document
from .files import Discovery, FileResult, find_article_files, read_text
from .limits import Limits, check_yaml_shape
from .planner import ArticlePlanner, Refused, WrittenEarlierInBatch
from .reader import Problem
from .writer import write_batch

__all__ = [
    "BATCH_SIZE",
    "Discovery",
    "FileResult",
    "UnknownArticle",
    "find_article_files",
    "load_file",
    "load_files",
    "unload_article",
]

# Part of every file digest, so a loader whose output changes re-writes files
# whose bytes did not.
LOADER_VERSION = "1"

# How often a batch is tried when a concurrent writer got in the way.
WRITE_ATTEMPTS = 3

# Files planned and written together: each batch costs a few dozen queries,
# however many files it holds. An interrupted run loses at most one batch.
BATCH_SIZE = 100


@dataclass
class ParsedFile:
    """A file read and parsed, waiting for its batch to be written."""

    path: Path
    result: FileResult
    document: object = None
    digest: str = ""
    text: str = ""


def parse_file(yaml_path, limits=None):
    """Read and check one file pair without the database; return a ParsedFile (document None if it failed)."""
    limits = limits or Limits.from_settings()
    yaml_path = Path(yaml_path)
    parsed = ParsedFile(yaml_path, FileResult(str(yaml_path)))
    result = parsed.result
    yaml_bytes, yaml_text = read_text(yaml_path, result, limits, "yaml_bytes")
    text_bytes, article_text = read_text(yaml_path.with_suffix(".txt"), result, limits, "text_bytes")
    if result.problems:
        return parsed
    if problem := check_yaml_shape(yaml_text, limits):
        result.problems.append(problem)
        return parsed
    if message := rules.slug_problem(yaml_path.stem):
        # The stem becomes the article's slug; the database would refuse it with a traceback.
        result.problems.append(Problem(None, "(file)", f"the file name {message}"))
    document, problems = parse_document(yaml_text, article_text, limits)
    result.problems.extend(problems)
    if document is None or result.errors:
        return parsed
    parsed.document, parsed.text = document, article_text
    parsed.digest = hashlib.sha256(
        b"\0".join([LOADER_VERSION.encode(), yaml_path.stem.encode(), yaml_bytes, text_bytes])
    ).hexdigest()
    return parsed


def load_batch(files, *, overwrite_edits=False):
    """Write parsed files together in one transaction; record each file's counts or problems on its result.

    A file that contradicts the database (or an earlier file of the batch)
    is left out and the rest are written. When the database refuses the
    batch (another loader committed the same officials or visits meanwhile,
    SQLite was busy, or a value the checks let through), it is tried again
    from scratch; if it still fails, each file is tried alone so that only
    the file at fault fails, with the database's words.
    """
    parse_problems = {id(f): list(f.result.problems) for f in files}
    for attempt in range(1, WRITE_ATTEMPTS + 1):
        for f in files:
            f.result.problems, f.result.counts = list(parse_problems[id(f)]), {}
        try:
            with transaction.atomic():
                plan_and_write(files, overwrite_edits)
            return
        except DatabaseError as exc:
            if attempt < WRITE_ATTEMPTS:
                time.sleep(0.2 * attempt)
                continue
            if len(files) > 1:
                for f in files:
                    load_batch([f], overwrite_edits=overwrite_edits)
                return
            message = f"not written after {WRITE_ATTEMPTS} attempts; the database said: {str(exc).strip()}"
            files[0].result.problems.append(Problem(None, "(database)", message))


def plan_and_write(files, overwrite_edits):
    """Plan each file against a batch of what the files name, then write them; split where a file needs that."""
    remaining = list(files)
    while remaining:
        batch = Batch([(f.path.stem, f.document) for f in remaining], overwrite_edits=overwrite_edits)
        planned = 0
        for f in remaining:
            planner = ArticlePlanner(
                f.document, batch, stem=f.path.stem, source_path=str(f.path), digest=f.digest, text=f.text
            )
            try:
                f.result.counts = planner.plan()
            except Refused as refused:
                f.result.problems.extend(refused.problems)
            except WrittenEarlierInBatch:
                break  # write what came before it, then plan it against that
            else:
                f.result.problems.extend(p for p in planner.problems if p.warning)
            planned += 1
        write_batch(batch)
        remaining = remaining[planned:]


def load_file(yaml_path, *, dry_run=False, overwrite_edits=False):
    """Validate and load one annotated article in its own transaction; return a FileResult."""
    return next(load_files([yaml_path], dry_run=dry_run, overwrite_edits=overwrite_edits))


def load_files(files, *, dry_run=False, overwrite_edits=False, progress=None, batch_size=BATCH_SIZE):
    """Load files in batches of `batch_size`, one transaction each, and yield their FileResults in order.

    A real run commits batch by batch: an interrupted run keeps the batches
    it finished, every file in them whole. A dry run loads them all inside
    one outer transaction that is rolled back at the end, so each file is
    judged as a real run would judge it, with what the files before it wrote.
    `progress(number, path)` is called as each file's result is ready.
    """
    files = list(files)
    batches = [files[first : first + batch_size] for first in range(0, len(files), batch_size)]
    number = 0
    statistics = StatisticsWhileGrowing()
    # The next batch is read and parsed (no database) while this one is written:
    # the parsing thread runs while this one waits on the database.
    with ThreadPoolExecutor(max_workers=1) as reader, transaction.atomic() if dry_run else nullcontext():
        upcoming = reader.submit(parse_files, batches[0]) if batches else None
        for index in range(len(batches)):
            parsed = upcoming.result()
            if index + 1 < len(batches):
                upcoming = reader.submit(parse_files, batches[index + 1])
            load_batch([f for f in parsed if f.document is not None], overwrite_edits=overwrite_edits)
            if not dry_run:
                statistics.wrote()
            for f in parsed:
                number += 1
                if progress:
                    progress(number, f.path)
                yield f.result
        if dry_run:
            transaction.set_rollback(True)


def parse_files(paths):
    limits = Limits.from_settings()
    return [parse_file(path, limits) for path in paths]


class UnknownArticle(Exception):
    pass


def unload_article(url_or_stem):
    """Delete an article and what it contributed; return a summary dict."""
    with transaction.atomic():
        article = Article.objects.filter(url=url_or_stem).first() or Article.objects.filter(slug=url_or_stem).first()
        if article is None:
            raise UnknownArticle(f"no article has the url or stem {url_or_stem!r}")
        visit_ids = set(article.visit_reports.values_list("visit_id", flat=True))
        summary = {
            "article": article.slug,
            "meetings": article.meetings.count(),
            "statements": article.statements.count(),
            "mentions": article.mentions.count(),
        }
        article.delete()
        outcomes = refresh(visit_ids)
        summary["visits_removed"] = sum(outcome == "deleted" for outcome in outcomes.values())
    return summary
