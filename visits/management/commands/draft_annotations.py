"""`manage.py draft_annotations ARTICLE.txt [--title ...] [--force]`: argument parsing and output only."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from visits.drafting import DraftInvalid, Meta, draft_file


def iso_date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--published: expected a date (YYYY-MM-DD), got {value!r}") from None


class Command(BaseCommand):
    help = "Draft the annotation file (ARTICLE.yaml) of an article's text, for a person to review."

    def add_arguments(self, parser):
        parser.add_argument("path", metavar="ARTICLE.txt", help="the article text, UTF-8, exactly as published")
        parser.add_argument("--title", help="the article's title (default: its first line)")
        parser.add_argument("--published", help="publication date, YYYY-MM-DD (default: today)")
        parser.add_argument("--publisher", default="")
        parser.add_argument("--url", default="")
        parser.add_argument("--author", default="")
        parser.add_argument("--language", default="en")
        parser.add_argument("--force", action="store_true", help="overwrite an existing ARTICLE.yaml")

    def handle(self, *args, path, title, published, publisher, url, author, language, force, **options):
        if not path.endswith(".txt"):
            raise CommandError(f"{path}: expected a .txt file")
        try:
            with open(path, encoding="utf-8") as handle:
                first_line = handle.readline().strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"{path}: {exc}") from None
        meta = Meta(
            title=title or first_line[:200] or "Untitled",
            published=iso_date(published) if published else datetime.date.today(),
            publisher=publisher,
            url=url,
            author=author,
            language=language,
        )
        try:
            target, draft = draft_file(path, meta, force=force)
        except FileExistsError as exc:
            raise CommandError(str(exc)) from None
        except DraftInvalid as exc:
            raise CommandError(f"{path}: the draft would not load (a drafter bug): {exc}") from None
        statements = [s for s in draft.statements if s.speaker]
        unsure = len(draft.statements) - len(statements)
        self.stdout.write(
            f"Wrote {target}: {len(draft.officials)} officials, {len(draft.topics)} topics, "
            f"{len(draft.visit.meetings) if draft.visit else 0} meetings, {len(statements)} statements"
            + (f", {unsure} quotations without a speaker (see the comments)" if unsure else "")
            + "."
        )
