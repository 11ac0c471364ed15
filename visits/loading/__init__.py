"""Loading annotated articles: find file pairs, parse, validate, write.

The management commands are thin shells around `find_article_files`,
`load_file` and `unload_article`; everything here can be called from tests,
the admin or other code.
"""

import hashlib
import time
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from django.db import IntegrityError, OperationalError, transaction

from ..models import Article, Visit
from .document import parse_document
from .reader import SLUG_PATTERN, Problem
from .writer import ArticleWriter, Refused, recompute_visits

# Part of every file digest, so a loader whose output changes re-writes files
# whose bytes did not.
LOADER_VERSION = "1"

# How often a file is tried when a concurrent writer got in the way.
WRITE_ATTEMPTS = 3


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


def load_file(yaml_path, *, dry_run=False, overwrite_edits=False):
    """Validate and load one annotated article in its own transaction; return a FileResult."""
    yaml_path = Path(yaml_path)
    result = FileResult(str(yaml_path))
    yaml_bytes, yaml_text = read_text(yaml_path, result)
    text_bytes, article_text = read_text(yaml_path.with_suffix(".txt"), result)
    if result.problems:
        return result
    if not SLUG_PATTERN.fullmatch(yaml_path.stem):
        # The stem becomes the article's slug; the database would refuse it with a traceback.
        message = f"the file name {yaml_path.stem!r} is not a slug: use lowercase ASCII words joined by hyphens"
        result.problems.append(Problem(None, "(file)", message))
    document, problems = parse_document(yaml_text, article_text)
    result.problems.extend(problems)
    if document is None or result.errors:
        return result
    digest = hashlib.sha256(
        b"\0".join([LOADER_VERSION.encode(), yaml_path.stem.encode(), yaml_bytes, text_bytes])
    ).hexdigest()
    for attempt in range(1, WRITE_ATTEMPTS + 1):
        writer = ArticleWriter(
            document,
            stem=yaml_path.stem,
            source_path=str(yaml_path),
            digest=digest,
            text=article_text,
            overwrite_edits=overwrite_edits,
        )
        try:
            with transaction.atomic():
                result.counts = writer.write()
                if dry_run:
                    transaction.set_rollback(True)
        except Refused as refused:
            result.problems.extend(refused.problems)
        except (IntegrityError, OperationalError) as exc:
            # Another loader committed the same officials, topics or visits while
            # this one ran (or SQLite was busy): a new attempt sees its rows and merges.
            if attempt < WRITE_ATTEMPTS:
                time.sleep(0.2 * attempt)
                continue
            message = f"not written after {WRITE_ATTEMPTS} attempts; the database said: {str(exc).strip()}"
            result.problems.append(Problem(None, "(database)", message))
        else:
            result.problems.extend(p for p in writer.problems if p.warning)
        break
    return result


def load_files(files, *, dry_run=False, overwrite_edits=False, progress=None):
    """Load files one transaction each and yield their FileResults.

    A dry run loads them all inside one outer transaction that is rolled
    back at the end, so each file is judged as a real run would judge it,
    with what the files before it wrote.
    """
    # A real run commits file by file: an interrupted run keeps the files it finished.
    with transaction.atomic() if dry_run else nullcontext():
        for number, path in enumerate(files, start=1):
            if progress:
                progress(number, path)
            yield load_file(path, overwrite_edits=overwrite_edits)
        if dry_run:
            transaction.set_rollback(True)


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
        before = Visit.objects.filter(pk__in=visit_ids).count()
        recompute_visits(visit_ids)
        summary["visits_removed"] = before - Visit.objects.filter(pk__in=visit_ids).count()
    return summary
