"""`manage.py export_articles DIR`: write every article back as NAME.txt + NAME.yaml."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from visits.annotation import article_yaml
from visits.models import Article


class Command(BaseCommand):
    help = "Write every article, with the admin's edits, in the annotation format (visit-report/1)."

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR")
        parser.add_argument("--force", action="store_true", help="overwrite files already in DIR")

    def handle(self, *args, directory, force=False, **options):
        target = Path(directory)
        target.mkdir(parents=True, exist_ok=True)
        articles = Article.objects.order_by("slug")
        clashes = [a.slug for a in articles.only("slug") if (target / f"{a.slug}.yaml").exists()]
        if clashes and not force:
            raise CommandError(
                f"{len(clashes)} file(s) already exist in {target} (e.g. {clashes[0]}.yaml); use --force"
            )
        interactive = self.stdout.isatty()
        total = articles.count()
        for number, article in enumerate(articles.iterator(chunk_size=200), start=1):
            (target / f"{article.slug}.txt").write_text(article.text, encoding="utf-8")
            (target / f"{article.slug}.yaml").write_text(article_yaml(article), encoding="utf-8")
            if interactive:
                self.stdout.write(f"\r[{number}/{total}] {article.slug}\033[K", ending="")
        if interactive:
            self.stdout.write("\r\033[K", ending="")
        self.stdout.write(f"Exported {total} article(s) to {target}.")
