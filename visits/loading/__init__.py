"""Loading annotated articles: find file pairs, parse, plan, write.

The management commands are thin shells around `find_article_files`,
`load_files` and `unload_article`; everything here can be called from tests,
the admin or other code. A file flows through:

- `reader.py` and `document.py`: parsed and checked without the database
  (`parse_file`), every problem as `file:line: key: message`;
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
from dataclasses import dataclass, field
from pathlib import Path

from django.db import IntegrityError, OperationalError, transaction

from .. import rules
from ..models import Article
from ..refresh import refresh
from .batch import Batch
from .document import parse_document
from .planner import ArticlePlanner, Refused, WrittenEarlierInBatch
from .reader import Problem
from .writer import write_batch

# Part of every file digest, so a loader whose output changes re-writes files
# whose bytes did not.
LOADER_VERSION = "1"

# How often a batch is tried when a concurrent writer got in the way.
WRITE_ATTEMPTS = 3

# Files planned and written together: each batch costs a few dozen queries,
# however many files it holds. An interrupted run loses at most one batch.
BATCH_SIZE = 100


@dataclass
class FileResult:
    """What loading one file did: counts per model, or the problems that stopped it."""

    path: str
    problems: list = field(default_factory=list)
    counts: dict = field(default_factory=dict)

    @property
    def errors(self):
        return [p for p in self.problems if not p.warning]

    @property
    def warnings(self):
        return [p for p in self.problems if p.warning]

    @property
    def ok(self):
        return not self.errors

    def messages(self):
        return [p.format(self.path) for p in self.problems]


@dataclass
class Discovery:
    """The annotation files found under the given paths."""

    files: list = field(default_factory=list)  # .yaml paths that have a .txt twin
    skipped: list = field(default_factory=list)  # .txt files without a .yaml
    failures: list = field(default_factory=list)  # FileResults for paths that cannot be loaded


def find_article_files(paths):
    """Return the annotation files under `paths` (files or folders, recursively)."""
    found = Discovery()
    seen = set()

    def add_yaml(path):
        if path in seen:
            return
        seen.add(path)
        if path.with_suffix(".txt").is_file():
            found.files.append(path)
        else:
            problem = Problem(None, "(file)", f"the article text {path.with_suffix('.txt').name} is missing beside it")
            found.failures.append(FileResult(str(path), [problem]))

    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for candidate in sorted(path.rglob("*")):
                if candidate.suffix in (".yaml", ".yml") and candidate.is_file():
                    add_yaml(candidate)
                elif candidate.suffix == ".txt" and not any(
                    candidate.with_suffix(s).is_file() for s in (".yaml", ".yml")
                ):
                    found.skipped.append(candidate)
        elif path.suffix in (".yaml", ".yml") and path.is_file():
            add_yaml(path)
        elif path.suffix == ".txt" and path.is_file():
            yaml_twin = next((path.with_suffix(s) for s in (".yaml", ".yml") if path.with_suffix(s).is_file()), None)
            if yaml_twin:
                add_yaml(yaml_twin)
            else:
                found.skipped.append(path)
        elif not path.exists():
            found.failures.append(FileResult(str(path), [Problem(None, "(file)", "no such file or folder")]))
        else:
            found.failures.append(
                FileResult(str(path), [Problem(None, "(file)", "not an annotation file (expected .yaml or a folder)")])
            )
    return found


def read_text(path, result):
    """Return the file's text as UTF-8, or None with a problem recorded."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        result.problems.append(Problem(None, "(file)", f"cannot read {path.name}: {exc.strerror}"))
        return None, None
    try:
        return data, data.decode("utf-8")
    except UnicodeDecodeError as exc:
        result.problems.append(Problem(None, "(file)", f"{path.name} is not UTF-8 (bad byte at offset {exc.start})"))
        return None, None


@dataclass
class ParsedFile:
    """A file read and parsed, waiting for its batch to be written."""

    path: Path
    result: FileResult
    document: object = None
    digest: str = ""
    text: str = ""


def parse_file(yaml_path):
    """Read and check one file pair without the database; return a ParsedFile (document None if it failed)."""
    yaml_path = Path(yaml_path)
    parsed = ParsedFile(yaml_path, FileResult(str(yaml_path)))
    result = parsed.result
    yaml_bytes, yaml_text = read_text(yaml_path, result)
    text_bytes, article_text = read_text(yaml_path.with_suffix(".txt"), result)
    if result.problems:
        return parsed
    if message := rules.slug_problem(yaml_path.stem):
        # The stem becomes the article's slug; the database would refuse it with a traceback.
        result.problems.append(Problem(None, "(file)", f"the file name {message}"))
    document, problems = parse_document(yaml_text, article_text)
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
    or SQLite was busy), it is tried again from scratch; if it still fails,
    each file is tried alone so that only the file at fault fails.
    """
    parse_problems = {id(f): list(f.result.problems) for f in files}
    for attempt in range(1, WRITE_ATTEMPTS + 1):
        for f in files:
            f.result.problems, f.result.counts = list(parse_problems[id(f)]), {}
        try:
            with transaction.atomic():
                plan_and_write(files, overwrite_edits)
            return
        except (IntegrityError, OperationalError) as exc:
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
    # The next batch is read and parsed (no database) while this one is written:
    # the parsing thread runs while this one waits on the database.
    with ThreadPoolExecutor(max_workers=1) as reader, transaction.atomic() if dry_run else nullcontext():
        upcoming = reader.submit(parse_files, batches[0]) if batches else None
        for index in range(len(batches)):
            parsed = upcoming.result()
            if index + 1 < len(batches):
                upcoming = reader.submit(parse_files, batches[index + 1])
            load_batch([f for f in parsed if f.document is not None], overwrite_edits=overwrite_edits)
            for f in parsed:
                number += 1
                if progress:
                    progress(number, f.path)
                yield f.result
        if dry_run:
            transaction.set_rollback(True)


def parse_files(paths):
    return [parse_file(path) for path in paths]


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
