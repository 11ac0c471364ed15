"""`manage.py reindex_visits`: rebuild the filter lookup tables and search text of every visit.

The loader, the importer and the admin keep them current on their own; run
this after changing data by other means (`loaddata` of a topic tree, SQL).
"""

import time

from django.core.management.base import BaseCommand
from django.db import transaction

from visits.indexing import reindex_all
from visits.models import Visit


class Command(BaseCommand):
    help = "Rebuild VisitOfficial, VisitTopic, VisitCountry and search text for every visit."

    def handle(self, *args, **options):
        started = time.monotonic()
        with transaction.atomic():
            reindex_all()
        self.stdout.write(f"Reindexed {Visit.objects.count()} visits in {time.monotonic() - started:.1f} s.")
