"""Atom feeds of the visit and statement lists: `/visits.atom` and `/statements.atom`, with the lists' filters.

Each feed takes every parameter its list takes (through the same
FilterSet, so a bad value gives an empty feed, never an error), holds the
latest 50 entries, newest first, and names the filters in its title.
Entry ids are tag: URIs built from permanent keys (a visit's slug, a
statement's article and place in it), never database ids, so a feed reader
sees the same entry after a re-load or a re-import.
"""

import datetime
import re

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from .facets import active_filters
from .filters import StatementFilterSet, VisitFilterSet
from .models import Statement

LATEST = 50
# The tag: URI authority and date of every entry id (RFC 4151): fixed, so ids do not depend on the host name.
TAG = "tag:diplomatic-visits,2026:"


def midnight(day):
    return datetime.datetime.combine(day, datetime.time(), tzinfo=datetime.UTC)


# Characters XML 1.0 cannot hold: Django's feed writer refuses them (a server error), and a search may carry them.
NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def described(filterset, params):
    """Return " (Country: Israel, Topic: Iran)" for the filters in use, or ""."""
    labels = [label for label, _ in active_filters(filterset, params)] if filterset.is_valid() else []
    return NOT_XML.sub("", f" ({', '.join(labels)})") if labels else ""


def names(people):
    return ", ".join(person.name for person in people)


class FilteredFeed(Feed):
    feed_type = Atom1Feed
    filterset_class = None
    list_url_name = ""
    feed_url_name = ""
    noun = ""

    def get_object(self, request):
        """The list's FilterSet over the request's parameters (page, sort and the map's side are the page's)."""
        params = request.GET.copy()
        for name in ("page", "sort", "map"):
            params.pop(name, None)
        filterset = self.filterset_class(params, queryset=self.filterset_class._meta.model.objects.all())
        # One Feed instance serves every request: the request's parameters travel with its filterset.
        filterset.params = params
        return filterset

    def query(self, filterset):
        return f"?{filterset.params.urlencode()}" if filterset.params else ""

    def title(self, filterset):
        return f"Diplomatic visits: {self.noun}{described(filterset, filterset.params)}"

    def link(self, filterset):
        return reverse(self.list_url_name) + self.query(filterset)

    def feed_url(self, filterset):
        return reverse(self.feed_url_name) + self.query(filterset)

    def feed_guid(self, filterset):
        return f"{TAG}{self.feed_url_name.split(':')[-1]}{self.query(filterset)}"

    def items(self, filterset):
        if not filterset.is_valid():
            return []
        return self.latest(filterset.qs)[:LATEST]


class VisitFeed(FilteredFeed):
    filterset_class = VisitFilterSet
    list_url_name = "visits:visit-list"
    feed_url_name = "visits:visit-feed"
    noun = "visits"
    subtitle = "The latest 50 visits, newest first."

    def latest(self, visits):
        # Newest first whatever `sort` says: a feed is about what happened last.
        return visits.for_list().order_by("-start", "-end", "slug")

    def item_title(self, visit):
        return f"{names(visit.visitors.all())} in {visit.host_country.name}"

    def item_description(self, visit):
        dates = visit.start.isoformat() + (f" to {visit.end.isoformat()}" if visit.end != visit.start else "")
        parts = [dates]
        if visit.places:
            parts.append("Places: " + ", ".join(visit.places))
        hosts = names(visit.hosts.all())
        if hosts:
            parts.append(f"Hosted by {hosts}")
        if visit.summary:
            parts.append(visit.summary)
        return ". ".join(parts)

    def item_guid(self, visit):
        return f"{TAG}visit/{visit.slug}"

    def item_pubdate(self, visit):
        return midnight(visit.start)

    def item_updateddate(self, visit):
        return midnight(visit.end)

    def item_author_name(self, visit):
        return names(visit.visitors.all())

    def item_categories(self, visit):
        return [topic.name for topic in visit.topics.all()]


class StatementFeed(FilteredFeed):
    filterset_class = StatementFilterSet
    list_url_name = "visits:statement-list"
    feed_url_name = "visits:statement-feed"
    noun = "statements"
    subtitle = "The latest 50 statements, newest first."

    def latest(self, statements):
        return statements.for_list()

    def item_title(self, statement):
        quote = statement.quote if len(statement.quote) <= 100 else statement.quote[:99] + "…"
        return f"{statement.speaker.name}: {quote}"

    def item_description(self, statement):
        said = "said" if statement.kind == Statement.Kind.DIRECT else "said, in reported speech"
        article = statement.article
        return f"{statement.speaker.name} {said}: {statement.quote} ({article.title}, {article.published.isoformat()})"

    def item_link(self, statement):
        return statement.get_absolute_url()

    def item_guid(self, statement):
        return f"{TAG}statement/{statement.article.slug}/{statement.start}-{statement.end}"

    def item_pubdate(self, statement):
        return midnight(statement.article.published)

    def item_updateddate(self, statement):
        return midnight(statement.article.published)

    def item_author_name(self, statement):
        return statement.speaker.name

    def item_categories(self, statement):
        return [topic.name for topic in statement.topics.all()]
