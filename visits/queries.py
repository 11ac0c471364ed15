"""QuerySet methods: every read a page or the loader needs, named for its use."""

from django.db import models


class ArticleQuerySet(models.QuerySet):
    pass


class OfficialQuerySet(models.QuerySet):
    pass


class TopicQuerySet(models.QuerySet):
    def with_descendants(self):
        """Return these topics and every topic below them in the tree."""
        from .models import Topic

        ids = set(self.values_list("pk", flat=True))
        frontier = set(ids)
        while frontier:
            frontier = set(Topic.objects.filter(parent__in=frontier).values_list("pk", flat=True)) - ids
            ids |= frontier
        return Topic.objects.filter(pk__in=ids)


class VisitQuerySet(models.QuerySet):
    pass


class StatementQuerySet(models.QuerySet):
    pass
