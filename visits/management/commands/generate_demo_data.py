"""`manage.py generate_demo_data --visits N [--seed S]`: argument parsing and output only."""

from django.core.management.base import BaseCommand, CommandError

from visits.demo import DemoError, generate
from visits.management.arguments import positive_int


class Command(BaseCommand):
    help = (
        "Fill the database with a deterministic, clearly synthetic data set (slugs start with demo-, "
        "titles with [Synthetic]) of N visits, and optionally write its articles as annotated files."
    )

    def add_arguments(self, parser):
        parser.add_argument("--visits", type=positive_int, required=True, metavar="N", help="how many visits")
        parser.add_argument("--seed", type=int, default=0, help="same N and seed, same data (default 0)")
        parser.add_argument(
            "--replace", action="store_true", help="delete earlier demo rows first (other rows are never touched)"
        )
        parser.add_argument(
            "--articles-dir", metavar="DIR", help="also write annotated article pairs (NAME.txt + NAME.yaml) here"
        )
        parser.add_argument(
            "--articles", type=positive_int, metavar="M", help="how many article pairs to write (default N)"
        )
        parser.add_argument(
            "--files-only", action="store_true", help="write the article files only, nothing to the database"
        )

    def handle(self, *args, visits, seed, replace, articles_dir, articles, files_only, **options):
        if (articles is not None or files_only) and not articles_dir:
            raise CommandError("--articles and --files-only need --articles-dir")
        interactive = self.stdout.isatty()
        shown = {"phase": None}

        def progress(phase, done, total):
            if not interactive:
                return
            if shown["phase"] not in (None, phase):
                self.stdout.write("")
            shown["phase"] = phase
            self.stdout.write(f"\r{phase}: {done:,}/{total:,}\033[K", ending="")
            self.stdout.flush()

        try:
            result = generate(
                visits,
                seed,
                replace=replace,
                articles_dir=articles_dir,
                articles=articles,
                database=not files_only,
                progress=progress,
            )
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            if interactive and shown["phase"]:
                self.stdout.write("")
        self.stdout.write(self.summary(result, visits, seed, articles_dir))

    def summary(self, result, visits, seed, articles_dir):
        lines = []
        if any(result.deleted.values()):
            deleted = sum(result.deleted.values())
            lines.append(f"Deleted {deleted:,} rows of earlier demo data.")
        if result.counts:
            lines.append(f"Generated {visits:,} demo visits (seed {seed}) in {result.seconds:.1f} s:")
            width = max(map(len, result.counts))
            lines += [f"  {label:<{width}}  {n:>12,}" for label, n in result.counts.items()]
            lines.append(f"  {'total rows':<{width}}  {sum(result.counts.values()):>12,}")
        if articles_dir:
            lines.append(f"Wrote {result.files:,} annotated article pairs to {articles_dir}.")
        if not result.counts:
            lines.append(f"Done in {result.seconds:.1f} s.")
        return "\n".join(lines)
