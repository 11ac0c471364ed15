"""`manage.py find_duplicates`: argument parsing and output only (the work is in visits.curation.candidates)."""

import time

from django.core.management.base import BaseCommand, CommandError

from visits.curation.candidates import MIN_SCORE, find
from visits.identity.judgements import JudgementsError
from visits.models import Official

SHOWN = 10  # best pairs listed in the summary


class Command(BaseCommand):
    help = (
        "Fill the admin's queue of possible duplicates: pairs of officials that may be one person, scored by "
        f"name, country, offices and years (at least {MIN_SCORE} of 100); pairs already judged are skipped."
    )

    def handle(self, *args, **options):
        interactive = self.stdout.isatty()
        started = time.monotonic()

        def progress(number, total):
            if interactive:
                self.stdout.write(f"\rcomparing group {number}/{total}\033[K", ending="")
                self.stdout.flush()

        try:
            outcome = find(progress=progress)
        except JudgementsError as error:
            raise CommandError(
                f"the identity judgements cannot be read, so the queue was left as it was:\n{error}"
            ) from None
        if interactive:
            self.stdout.write("\r\033[K", ending="")
        candidates = outcome.candidates
        lines = [
            f"{len(candidates)} possible duplicate(s) queued from {outcome.compared} pair(s) compared "
            f"({outcome.skipped_judged} judged already, skipped) in {time.monotonic() - started:.1f} s.",
        ]
        names = dict(self.names(candidates[:SHOWN]))
        for candidate in candidates[:SHOWN]:
            lines.append(
                f"  {candidate.score:5.1f}  {names[candidate.left_id]} ~ {names[candidate.right_id]}: "
                + "; ".join(candidate.reasons)
            )
        if len(candidates) > SHOWN:
            lines.append(f"  ... and {len(candidates) - SHOWN} more: see the admin's Possible duplicates")
        lines.append(f"{outcome.flagged} official(s) flagged for review (offices longer than a career or clashing).")
        self.stdout.write("\n".join(lines))

    @staticmethod
    def names(candidates):
        ids = {pk for c in candidates for pk in (c.left_id, c.right_id)}
        return Official.objects.filter(pk__in=ids).values_list("pk", "slug")
