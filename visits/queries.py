"""QuerySet methods: the filters, facets and row sets that pages and exports build on.

Filters by official, topic and country go through the lookup tables kept by
`visits.indexing` (VisitOfficial, VisitTopic, VisitCountry), so "any
visitor, host, participant or speaker" and "this topic or any below it" are
one indexed semi-join each, and facet counts need no DISTINCT.

`visits.models` builds its managers from these classes, so this module does
not import the models: a QuerySet reaches the other tables through its
model's relations (`related(self, "country_links")`). What one page shows,
put together from these, is in `visits.selectors`.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection, models
from django.db.models import Count, F, Prefetch, Q
from django.db.models.functions import Collate, ExtractMonth, ExtractYear

from . import topic_tree

# Free text longer than this is cut: no one searches with a page of text, and
# it keeps hostile input from becoming an expensive query.
MAX_QUERY_LENGTH = 200


def search_terms(q):
    """Return the words of a free-text query, at most MAX_QUERY_LENGTH characters of it."""
    return [word for word in re.split(r"\s+", q[:MAX_QUERY_LENGTH]) if word]


def is_postgresql():
    return connection.vendor == "postgresql"


def full_text_query(q):
    # websearch syntax accepts anything a user types without raising.
    return SearchQuery(q[:MAX_QUERY_LENGTH], search_type="websearch", config="english")


def byte_order(field):
    """`field` for ORDER BY in byte order on every database (PostgreSQL's default collation ignores hyphens),
    as Python sorts strings: the bitmap facets (visits.bitmaps) order slugs and codes so too."""
    return Collate(field, "C") if is_postgresql() else F(field)


def in_range(queryset, field, date_from=None, date_to=None):
    """Return `queryset` narrowed to rows whose `field` lies in [date_from, date_to]; either end may be open."""
    if date_from:
        queryset = queryset.filter(**{f"{field}__gte": date_from})
    if date_to:
        queryset = queryset.filter(**{f"{field}__lte": date_to})
    return queryset


def containing_every_term(queryset, q, *fields):
    """Return `queryset` narrowed to rows where each word of `q` is in one of `fields` (any case): SQLite's search."""
    condition = Q()
    for term in search_terms(q):
        any_field = Q()
        for field in fields:
            any_field |= Q(**{f"{field}__icontains": term})
        condition &= any_field
    return queryset.filter(condition)


def related(queryset, relation):
    """Return the manager of the model at the other end of `relation` of the queryset's model."""
    return queryset.model._meta.get_field(relation).related_model.objects


def through(queryset, relation):
    """Return the manager of the through table of the many-to-many `relation` of the queryset's model."""
    return queryset.model._meta.get_field(relation).remote_field.through.objects


class ArticleQuerySet(models.QuerySet):
    def for_list(self):
        """Articles for /articles/ and lists of sources: newest first, without their text."""
        return self.defer("text").order_by("-published", "slug")


class OfficialQuerySet(models.QuerySet):
    def with_pages(self):
        """The officials with a page of their own: not merged into another person."""
        return self.filter(merged_into__isnull=True)

    def most_active(self, limit=10):
        """The officials involved in the most visits (home and country pages)."""
        ranked = (
            self.annotate(visit_count=Count("visit_links")).filter(visit_count__gt=0).order_by("-visit_count", "name")
        )
        return ranked[:limit] if limit else ranked


class TopicQuerySet(models.QuerySet):
    def parent_map(self):
        """Return {topic id: parent id} of the whole tree (one query)."""
        return dict(self.model._default_manager.values_list("pk", "parent_id"))

    def descendant_ids(self):
        """Return the ids of these topics and every topic below them (two queries)."""
        return topic_tree.descendants(self.parent_map(), self.values_list("pk", flat=True))

    def most_discussed(self, limit=10):
        """Topics touched by the most visits (sub-topics counted toward parents), for the home page."""
        return (
            self.annotate(visit_count=Count("visit_links"))
            .filter(visit_count__gt=0)
            .order_by("-visit_count", "name")[:limit]
        )


class VisitQuerySet(models.QuerySet):
    def for_list(self):
        """Visits for list pages: visitors, hosts and topics prefetched, no article text."""
        people = related(self, "visitors").only("slug", "name", "country")
        return self.defer("search_document", "search_vector").prefetch_related(
            Prefetch("visitors", queryset=people),
            Prefetch("hosts", queryset=people),
            "topics",
        )

    def involving_countries(self, codes):
        """Visits whose host country or any visitor's country is one of `codes`."""
        return self.filter(pk__in=related(self, "country_links").filter(country__in=codes).values("visit_id"))

    def hosted_by_countries(self, codes):
        return self.filter(host_country__in=codes)

    def with_visitors_from(self, codes):
        """Visits with a visitor from one of `codes`."""
        return self.filter(pk__in=through(self, "visitors").filter(official__country__in=codes).values("visit_id"))

    def involving_officials(self, officials):
        """Visits where any of `officials` is visitor, host, meeting participant or speaker."""
        return self.filter(pk__in=related(self, "official_links").filter(official__in=officials).values("visit_id"))

    def with_visitors_holding(self, offices):
        """Visits where a visitor held one of `offices` (visits.offices slugs), as the visit's sources say."""
        return self.filter(pk__in=related(self, "office_links").filter(office_slug__in=offices).values("visit_id"))

    def about_topics(self, topics):
        """Visits touching any of `topics` or a topic below them (visit, meeting or statement topics)."""
        return self.filter(pk__in=related(self, "topic_links").filter(topic__in=topics).values("visit_id"))

    def overlapping(self, date_from=None, date_to=None):
        """Visits that overlap the range [date_from, date_to]; either end may be open."""
        return in_range(in_range(self, "end", date_from=date_from), "start", date_to=date_to)

    def search(self, q):
        """Visits matching free text: full-text search on PostgreSQL, substrings elsewhere."""
        if not search_terms(q):
            return self
        if is_postgresql():
            # The stored, GIN-indexed vector (migration 0009): matching and ranking read no document text.
            query = full_text_query(q)
            return self.filter(search_vector=query).annotate(rank=SearchRank(F("search_vector"), query))
        return containing_every_term(self, q, "search_document")

    # Facets: each takes the visits filtered by every *other* filter.

    def country_facet(self):
        """Return [(country code, visit count)] over these visits, largest first."""
        return list(
            related(self, "country_links")
            .filter(visit__in=self.order_by().values("pk"))
            .values_list("country")
            .annotate(n=Count("visit_id"))
            .order_by("-n", byte_order("country"))
        )

    def official_facet(self, limit=None, slugs=None):
        """Return [(slug, name, visit count)] of the officials these visits involve."""
        rows = related(self, "official_links").filter(visit__in=self.order_by().values("pk"))
        if slugs is not None:
            rows = rows.filter(official__slug__in=slugs)
        rows = (
            rows.values_list("official__slug", "official__name")
            .annotate(n=Count("visit_id"))
            .order_by("-n", "official__name", "official__slug")
        )
        return list(rows[:limit] if limit else rows)

    def topic_facet(self, limit=None, slugs=None):
        """Return [(slug, name, visit count)] of the topics (with ancestors) these visits touch."""
        rows = related(self, "topic_links").filter(visit__in=self.order_by().values("pk"))
        if slugs is not None:
            rows = rows.filter(topic__slug__in=slugs)
        rows = (
            rows.values_list("topic__slug", "topic__name")
            .annotate(n=Count("visit_id"))
            .order_by("-n", "topic__name", "topic__slug")
        )
        return list(rows[:limit] if limit else rows)

    def office_facet(self, limit=None, slugs=None):
        """Return [(office slug, visit count)] of the offices these visits' visitors held, largest first."""
        rows = related(self, "office_links").filter(visit__in=self.order_by().values("pk"))
        if slugs is not None:
            rows = rows.filter(office_slug__in=slugs)
        rows = rows.values_list("office_slug").annotate(n=Count("visit_id")).order_by("-n", byte_order("office_slug"))
        return list(rows[:limit] if limit else rows)

    def month_facet(self):
        """Return [((year, month), visit count)] by the month each visit starts, oldest first.

        The year facet is its sum by year (`visits.facets.dated_rows`): one query gives both.
        """
        rows = (
            self.order_by()
            .annotate(year=ExtractYear("start"), month=ExtractMonth("start"))
            .values_list("year", "month")
            .annotate(n=Count("pk"))
            .order_by("year", "month")
        )
        return [((year, month), n) for year, month, n in rows]

    def host_country_facet(self):
        """Return [(host country code, visit count)] over these visits, largest first (the map's host view)."""
        return list(self.order_by().values_list("host_country").annotate(n=Count("pk")).order_by("-n", "host_country"))

    def visitor_country_facet(self):
        """Return [(country code, visit count)] of these visits' visitors' countries, largest first.

        A visit by two people of one country counts once for it.
        """
        return list(
            through(self, "visitors")
            .filter(visit__in=self.order_by().values("pk"))
            .values_list("official__country")
            .annotate(n=Count("visit_id", distinct=True))
            .order_by("-n", "official__country")
        )


class StatementQuerySet(models.QuerySet):
    def for_list(self):
        """Statements for list pages and exports: speaker, visit, article and topics in few queries."""
        return (
            self.select_related("speaker", "visit", "article", "meeting")
            .defer("article__text")
            .prefetch_related("topics")
        )

    def by_officials(self, officials):
        return self.filter(speaker__in=officials)

    def about_topics(self, topics):
        """Statements tagged with any of `topics` or a topic below them."""
        ids = related(self, "topics").filter(pk__in=[t.pk for t in topics]).descendant_ids()
        return self.filter(pk__in=through(self, "topics").filter(topic_id__in=ids).values("statement_id"))

    def by_speakers_from(self, codes):
        return self.filter(speaker__country__in=codes)

    def between(self, date_from=None, date_to=None):
        """Statements whose article was published in [date_from, date_to]."""
        return in_range(self, "article__published", date_from, date_to)

    def search(self, q):
        """Statements matching free text: full-text search of the quote on PostgreSQL, substrings elsewhere."""
        if not search_terms(q):
            return self
        if is_postgresql():
            return self.annotate(search=SearchVector("quote", config="english")).filter(search=full_text_query(q))
        return containing_every_term(self, q, "quote", "speaker__name")
