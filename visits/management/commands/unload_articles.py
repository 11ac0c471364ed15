"""`manage.py unload_articles URL_OR_STEM...`: remove articles and what they contributed."""

from django.core.management.base import BaseCommand, CommandError

from visits.loading import UnknownArticle, unload_article


class Command(BaseCommand):
    help = "Remove an article (by url or file stem): its mentions, meetings, statements and orphaned visits."

    def add_arguments(self, parser):
        parser.add_argument("keys", nargs="+", metavar="URL_OR_STEM")

    def handle(self, *args, keys, **options):
        missing = []
        for key in keys:
            try:
                summary = unload_article(key)
            except UnknownArticle as exc:
                missing.append(str(exc))
                continue
            self.stdout.write(
                f"Removed {summary['article']}: {summary['meetings']} meetings, {summary['statements']} statements, "
                f"{summary['mentions']} mentions, {summary['visits_removed']} visits no other source reports."
            )
        if missing:
            raise CommandError("; ".join(missing))
