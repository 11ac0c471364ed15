"""`manage.py export_judgements`: argument parsing and output only (the work is in visits.curation.exporting)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from visits.curation.exporting import export
from visits.identity.judgements import JudgementsError, read_file


class Command(BaseCommand):
    help = (
        "Write the identity judgements in force (the curated file and those made in the admin) as the curated "
        "file, so that curation can be committed; by default over settings.IDENTITY_JUDGEMENTS."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", "-o", help="where to write ('-': standard output); default: the judgements file itself"
        )

    def handle(self, *args, output=None, **options):
        source = getattr(settings, "IDENTITY_JUDGEMENTS", None)
        try:
            text, stored = export(source)
        except JudgementsError as error:
            raise CommandError(f"the judgements file cannot be read, so nothing was written:\n{error}") from None
        if output == "-":
            self.stdout.write(text, ending="")
            return
        target = Path(output or source)
        scratch = target.with_name(f".{target.name}.new")
        scratch.write_text(text, encoding="utf-8")
        try:
            judgements = read_file(scratch)  # what the next import will read: check it reads
        except JudgementsError as error:
            scratch.unlink()
            raise CommandError(f"the export would not read back, so nothing was written:\n{error}") from None
        scratch.replace(target)
        self.stdout.write(
            f"Wrote {target}: {len(judgements.people)} people, {len(judgements.different)} different and "
            f"{len(judgements.unsure)} unsure pair(s); {stored} judgement(s) made in the admin included."
        )
