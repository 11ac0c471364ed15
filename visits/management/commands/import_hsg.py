"""`manage.py import_hsg PATH...`: argument parsing and output only (the work is in visits.hsg)."""

from collections import Counter, defaultdict

from django.core.management.base import BaseCommand, CommandError

from visits.hsg.importer import import_paths
from visits.identity.judgements import JudgementsError
from visits.models import SourceRecord

DATASETS = [choice.value for choice in SourceRecord.Dataset]
LABELS = dict(SourceRecord.Dataset.choices)
STATES = ("created", "updated", "unchanged", "skipped")
SHOWN_IDS = 8  # record ids listed per skip reason


class Command(BaseCommand):
    help = (
        "Import the U.S. Office of the Historian's travels and visits XML (files or folders laid out as in "
        "HistoryAtState/travels and HistoryAtState/visits) as officials, visits and source records."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="XML files or folders (searched recursively)")

    def handle(self, *args, paths, **options):
        interactive = self.stdout.isatty()

        def progress(number, total, path):
            if interactive:
                self.stdout.write(f"\r[{number}/{total}] {path}\033[K", ending="")
                self.stdout.flush()

        try:
            run = import_paths(paths, progress=progress)
        except JudgementsError as error:
            raise CommandError(
                f"the identity judgements cannot be applied, so nothing was imported:\n{error}"
            ) from None
        if interactive:
            self.stdout.write("\r\033[K", ending="")
        for result in run.results:
            for warning in result.warnings:
                self.stderr.write(f"warning: {result.path}: {warning}")
        for failure in run.failures:
            self.stderr.write(failure.error)
        self.stdout.write(self.summary(run))
        if run.failures:
            raise CommandError(f"{len(run.failures)} file(s) not imported; nothing of them was written.")

    def summary(self, run):
        results = [r for r in run.results if r.ok]
        totals = defaultdict(Counter)
        for result in results:
            for dataset, counts in result.counts.items():
                totals[dataset].update(counts)
        lines = [f"Imported {len(results)} file(s), {len(run.failures)} failed."]
        for dataset in DATASETS:
            if totals[dataset]:
                counts = ", ".join(f"{totals[dataset][state]} {state}" for state in STATES)
                if totals[dataset]["deleted"]:
                    counts += f", {totals[dataset]['deleted']} deleted (gone from the data)"
                lines.append(f"  {LABELS[dataset]}: {counts}")
        created = set().union(*(r.created_officials for r in results))
        known = set().union(*(r.matched for r in results)) - created
        lines.append(f"  officials: {len(created)} created, {len(known)} already known")
        if run.retired:
            lines.append(f"  officials merged by identity judgements: {len(run.retired)}")
        visits = Counter()
        for result in results:
            visits.update(result.visits)
        shown = (
            ("created", "updated", "unchanged", "deleted") if visits["deleted"] else ("created", "updated", "unchanged")
        )
        lines.append("  visits: " + ", ".join(f"{visits[s]} {s}" for s in shown))
        duplicates = [d for r in results for d in r.duplicates]
        if duplicates:
            pairs = ", ".join(f"{dataset} {dup} = {primary}" for dataset, dup, primary in duplicates)
            lines.append(f"  {len(duplicates)} duplicate record(s), shown once: {pairs}")
        else:
            lines.append("  no duplicate records")
        reasons = defaultdict(list)
        for result in results:
            for skip in result.skipped:
                reasons[skip.reason].append(f"{skip.record_id}" + (f" ({skip.detail})" if skip.detail else ""))
        for reason, ids in sorted(reasons.items()):
            more = f", ... ({len(ids) - SHOWN_IDS} more)" if len(ids) > SHOWN_IDS else ""
            lines.append(f"  skipped, {reason}: {len(ids)}: {', '.join(ids[:SHOWN_IDS])}{more}")
        unmapped = Counter()
        for result in results:
            unmapped.update(result.unmapped)
        if unmapped:
            ids = ", ".join(f"{country_id} ({n} record(s))" for country_id, n in sorted(unmapped.items()))
            lines.append(f"  unmapped country ids: {ids}")
        else:
            lines.append("  every country id mapped")
        for path, root in run.ignored:
            lines.append(f"  ignored {path}: <{root}> holds no records")
        lines.append(f"Finished in {run.seconds:.1f} s.")
        return "\n".join(lines)
