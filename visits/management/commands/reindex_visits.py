"""`manage.py reindex_visits`: unite every visit and rebuild its filter lookup rows and search text.

The loader, the importer and the admin keep them current on their own; run
this after changing data by other means (`loaddata` of a topic tree, SQL).
"""

import time

from django.core.management.base import BaseCommand
from django.db import transaction

from visits.refresh import refresh_all


class Command(BaseCommand):
    help = "Unite every visit with its sources and rebuild VisitOfficial, VisitTopic, VisitCountry and search text."

    def handle(self, *args, **options):
        started = time.monotonic()
        with transaction.atomic():
            outcomes = refresh_all()
        updated = sum(outcome == "updated" for outcome in outcomes.values())
        self.stdout.write(
            f"Reindexed {len(outcomes)} visits ({updated} changed by uniting) in {time.monotonic() - started:.1f} s."
        )
