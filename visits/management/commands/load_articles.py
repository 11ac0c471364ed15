"""`manage.py load_articles PATH... [--dry-run]`: argument parsing and output only."""

from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from visits.loading import BATCH_SIZE, find_article_files, load_files
from visits.management.arguments import positive_int

MODELS = ["article", "official", "topic", "visit", "meeting", "statement", "mention"]
PLURALS = {
    "official": "officials",
    "topic": "topics",
    "visit": "visits",
    "meeting": "meetings",
    "statement": "statements",
    "mention": "mentions",
    "article": "articles",
}


class Command(BaseCommand):
    help = "Validate and load annotated articles (NAME.yaml + NAME.txt pairs) from files or folders."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="annotation files or folders")
        parser.add_argument("--dry-run", action="store_true", help="validate and report, write nothing")
        parser.add_argument(
            "--overwrite-edits",
            action="store_true",
            help="replace records editors changed in the admin (by default they are kept and reported)",
        )
        parser.add_argument(
            "--batch-size",
            type=positive_int,
            default=BATCH_SIZE,
            metavar="N",
            help=f"files written per transaction (default {BATCH_SIZE}); an interrupted run keeps whole batches",
        )

    def handle(self, *args, paths, dry_run=False, overwrite_edits=False, batch_size=BATCH_SIZE, **options):
        found = find_article_files(paths)
        failures = list(found.failures)
        totals = {name: Counter() for name in MODELS}
        loaded = 0
        interactive = self.stdout.isatty()

        def progress(number, path):
            if interactive:
                self.stdout.write(f"\r[{number}/{len(found.files)}] {path}\033[K", ending="")
                self.stdout.flush()

        for result in load_files(
            found.files, dry_run=dry_run, overwrite_edits=overwrite_edits, progress=progress, batch_size=batch_size
        ):
            if interactive and result.problems:
                self.stdout.write("\r\033[K", ending="")
            for message in (p.format(result.path) for p in result.warnings):
                self.stderr.write(f"warning: {message}")
            if not result.ok:
                failures.append(result)
                continue
            loaded += 1
            for name, counts in result.counts.items():
                totals[name].update(counts)
        if interactive and found.files:
            self.stdout.write("\r\033[K", ending="")
        for failure in failures:
            for message in (p.format(failure.path) for p in failure.errors):
                self.stderr.write(message)
        for path in found.skipped:
            self.stdout.write(f"skipped {path}: no annotation file beside it")
        self.stdout.write(self.summary(totals, loaded, failures, dry_run))
        if failures:
            raise CommandError(f"{len(failures)} file(s) not loaded; nothing of them was written.")

    def summary(self, totals, loaded, failures, dry_run):
        verb = "Checked (dry run, nothing written)" if dry_run else "Loaded"
        lines = [f"{verb}: {loaded} file(s) ok, {len(failures)} failed."]
        for name in MODELS:
            counts = totals[name]
            if not counts:
                continue
            parts = ", ".join(f"{counts[k]} {k}" for k in ("created", "updated", "unchanged") if counts[k])
            lines.append(f"  {PLURALS[name]}: {parts}")
        return "\n".join(lines)
