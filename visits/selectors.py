"""What each page shows: one function per page, built from the QuerySet methods of `visits.queries`.

Views only call these and render. Counts and lists that cost more than a
few milliseconds at scale are cached until the next write (every key
carries the data version, see `visits.caching`): `Sections` makes a detail
page's lists lazy and cached, so that a page whose rendered HTML is cached
too (the templates' `{% cache %}` blocks) runs none of their queries.
"""

from django.core.paginator import Paginator
from django.db.models import Count, Exists, Max, Min, OuterRef, Prefetch, Subquery
from django.shortcuts import get_object_or_404
from django.utils.functional import SimpleLazyObject
from django_countries.fields import Country

from . import offices
from .caching import cached
from .facets import active_filters, facet_counts, visit_facets
from .highlighting import highlight_article
from .models import (
    Article,
    ArticleOfficial,
    Meeting,
    Official,
    SourceRecord,
    SourceRecordOfficial,
    Statement,
    Topic,
    Visit,
    VisitCountry,
    VisitOfficial,
    VisitReport,
    VisitTopic,
)

PER_PAGE = 25
# Detail pages show the newest rows of each long list and link to the full, filtered list.
DETAIL_LIMIT = 20
OFFICIALS_PER_PAGE = 50
ARTICLES_PER_PAGE = 50


class Sections:
    """A detail page's lists, each computed only if the template asks for it, and cached until the next write.

    A busy official or a broad topic has 100,000s of rows behind each list,
    and sorting them for the newest 20 costs as much as counting them.
    """

    def __init__(self, version, page_key):
        self.version = version
        self.page_key = page_key

    def rows(self, queryset, limit=DETAIL_LIMIT):
        """Return a lazy {"rows": the first `limit` rows, "total": how many there are}, keyed by the query itself.

        `queryset` may be a function that returns it, when building it takes a query of its own.
        """

        def compute():
            nonlocal queryset
            if callable(queryset):
                queryset = queryset()
            if queryset.query.is_empty():  # .none(): nothing to count or show
                return {"rows": [], "total": 0}
            return cached(
                "section",
                (str(queryset.query), limit),
                lambda: {"rows": list(queryset[:limit]), "total": queryset.order_by().count()},
                self.version,
            )

        return SimpleLazyObject(compute)

    def value(self, name, compute):
        """Return a lazy compute(), cached under `name` for this page."""
        return SimpleLazyObject(lambda: cached(name, self.page_key, compute, self.version))


def counts_by(queryset, field, ids):
    """Return {id: count} of `queryset` rows grouped by `field`, for the given ids only."""
    rows = queryset.filter(**{f"{field}__in": ids}).values_list(field).annotate(n=Count("pk")).order_by()
    return dict(rows)


class CountedPaginator(Paginator):
    """A Paginator told its count, so a cached count saves the COUNT(*) query.

    A page reads its rows by id: the ids of the page are found in a
    subquery (an index-only scan when the order has an index, as the visit
    list's has), and only those rows are read in full. OFFSET 90,000 then
    skips index entries instead of sorting every row.
    """

    def __init__(self, object_list, per_page, count):
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count  # fills the cached_property

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        rows = self.object_list
        if rows.query.annotations or rows.query.distinct:
            # Ordered by an annotation (search rank) or DISTINCT: a subquery of ids alone could not keep the order.
            return self._get_page(rows[bottom:top], number, self)
        return self._get_page(rows.filter(pk__in=Subquery(rows.values("pk")[bottom:top])), number, self)


def paginate(queryset, filterset, version, per_page=PER_PAGE):
    """Return (page or None, error): a page past the end is an error, not a 404.

    The number of matches is cached until the next write: counting 100,000s of
    rows is the slowest part of a filtered page, and it is the same for every page.
    """
    key = (type(filterset).__name__, filterset.cache_key())
    paginator = CountedPaginator(queryset, per_page, cached("count", key, queryset.order_by().count, version))
    number = filterset.page_number
    if number > paginator.num_pages and number > 1:
        return None, f"There is no page {number}; the last page is {paginator.num_pages}."
    return paginator.page(number), None


# Home -------------------------------------------------------------------------


def home(version):
    """What the home page shows: counts over every table, so cached until the next write."""
    return cached("home", (), home_summary, version)


def home_summary():
    return {
        "counts": {
            "visits": Visit.objects.count(),
            "officials": Official.objects.count(),
            "topics": Topic.objects.count(),
            "statements": Statement.objects.count(),
            "articles": Article.objects.count(),
        },
        "latest_visits": list(Visit.objects.for_list()[:5]),
        "top_countries": [
            (Country(code), n)
            for code, n in Visit.objects.values_list("host_country")
            .annotate(n=Count("pk"))
            .order_by("-n", "host_country")[:8]
        ],
        "top_officials": list(Official.objects.most_active(8)),
        "top_topics": list(Topic.objects.most_discussed(8)),
    }


# Visits -----------------------------------------------------------------------


def visit_list(filterset, params, version):
    """The visit list for a valid filterset: its page, facets and active filter chips."""
    page, page_error = paginate(filterset.qs.for_list(), filterset, version)
    counts = cached("visit-facets", filterset.cache_key(), lambda: facet_counts(filterset), version)
    return {
        "page": page,
        "page_error": page_error,
        "facets": visit_facets(filterset, params, counts),
        "chips": active_filters(filterset, params),
    }


def visit_detail(slug):
    """One visit with its people (and the office each held then), meetings, statements and sources."""
    # has_records rides on the visit's own query, so a visit without dataset records costs nothing more.
    visit = get_object_or_404(
        Visit.objects.defer("search_document", "search_vector").annotate(
            has_records=Exists(SourceRecord.objects.filter(visit=OuterRef("pk")))
        ),
        slug=slug,
    )
    reports = list(visit.reports.select_related("article").defer("article__text").order_by("article__published"))
    records = (
        list(visit.records.select_related("duplicate_of").prefetch_related("person_entries"))
        if visit.has_records
        else []
    )
    roles = roles_in_articles([r.article_id for r in reports])
    for record in records:  # a visitor no article names gets the office their record gives
        for entry in record.person_entries.all():
            roles.setdefault(entry.official_id, entry.office)
    people = Official.objects.only("slug", "name", "country")
    meetings = list(
        visit.meetings.select_related("article")
        .defer("article__text")
        .prefetch_related(Prefetch("participants", queryset=people), "topics")
        .order_by("date", "article__published", "position")
    )
    statements = visit.statements.select_related("speaker", "article").defer("article__text").prefetch_related("topics")
    grouped = {}
    for statement in statements.filter(meeting__isnull=False):
        grouped.setdefault(statement.meeting_id, []).append(statement)
    for meeting in meetings:
        meeting.statement_list = grouped.get(meeting.pk, [])
    return {
        "visit": visit,
        "visitors": with_roles(visit.visitors.all(), roles),
        "hosts": with_roles(visit.hosts.all(), roles),
        "topics": visit.topics.all(),
        "reports": reports,
        "records": records,
        "meetings": meetings,
        "statements": statements.filter(meeting__isnull=True),
    }


def roles_in_articles(article_ids):
    """Return {official id: office} as the given articles state it (the first article wins)."""
    roles = {}
    for official_id, role in (
        ArticleOfficial.objects.filter(article_id__in=article_ids)
        .order_by("article__published", "pk")
        .values_list("official_id", "role")
    ):
        roles.setdefault(official_id, role)
    return roles


def with_roles(officials, roles):
    officials = list(officials)
    for official in officials:
        official.role = roles.get(official.pk, "")
    return officials


# Officials --------------------------------------------------------------------


def official_list(country, page_number):
    """A page of officials (of `country`, if given) with how many visits and statements each has."""
    officials = Official.objects.order_by("name", "slug")
    if country:
        officials = officials.filter(country=country)
    page = Paginator(officials, OFFICIALS_PER_PAGE).get_page(page_number)
    ids = [official.pk for official in page.object_list]
    visits_made = counts_by(Visit.visitors.through.objects, "official_id", ids)
    involved = counts_by(VisitOfficial.objects, "official_id", ids)
    spoken = counts_by(Statement.objects, "speaker_id", ids)
    for official in page.object_list:
        official.visits_made_count = visits_made.get(official.pk, 0)
        official.visit_count = involved.get(official.pk, 0)
        official.statement_count = spoken.get(official.pk, 0)
    return {"page": page, "officials": page.object_list}


def official(slug):
    """The official of /officials/<slug>/, annotated with whether dataset records name them."""
    # has_records rides on the official's own query: officials known only from articles cost nothing more.
    return get_object_or_404(
        Official.objects.annotate(has_records=Exists(SourceRecordOfficial.objects.filter(official=OuterRef("pk")))),
        slug=slug,
    )


def official_detail(official, statements, version):
    """The lists of an official's page; `statements`: their statements, filtered as the visitor asked."""
    sections = Sections(version, official.pk)
    visits = Visit.objects.for_list()
    counterparts = (
        Official.objects.filter(meetings__participants=official)
        .exclude(pk=official.pk)
        .annotate(n=Count("meetings", distinct=True))
        .order_by("-n", "name")[:DETAIL_LIMIT]
    )
    return {
        "visits_made": sections.rows(visits.filter(visitors=official)),
        "visits_hosted": sections.rows(visits.filter(hosts=official)),
        "meetings": sections.rows(
            Meeting.objects.filter(participants=official)
            .select_related("visit")
            .prefetch_related(
                Prefetch("participants", Official.objects.exclude(pk=official.pk), to_attr="others"), "topics"
            )
            .order_by("-date", "-pk")
        ),
        "statements": sections.rows(statements.for_list()),
        "statement_topics": sections.value(
            "statement-topics",
            lambda: list(Topic.objects.filter(statements__speaker=official).distinct().order_by("name")),
        ),
        "positions": sections.value("positions", lambda: positions_held(official)),
        "source_articles": sections.rows(Article.objects.for_list().filter(official_entries__official=official)),
        "record_datasets": SimpleLazyObject(lambda: datasets_naming(official) if official.has_records else []),
        "counterparts": sections.value("counterparts", lambda: list(counterparts)),
    }


def positions_held(official):
    """Return the offices the official held, each in its country, with its years and what says so.

    [{office, country, first, last, articles, records, written}]: one entry
    per office and country, from the articles that give it (on their dates)
    and the dataset records that give it (over their dates); `written` are
    the ways the sources write it. Oldest first.
    """
    held = {}

    def add(slug, country, written, first, last, articles=0, records=0):
        key = (slug or offices.office_slug(written), str(country))
        entry = held.setdefault(
            key,
            {"office": offices.name_of(key[0]) if key[0] else "Office not given", "country": Country(key[1]),
             "first": first, "last": last, "articles": 0, "records": 0, "written": []},
        )  # fmt: skip
        entry["first"], entry["last"] = min(entry["first"], first), max(entry["last"], last)
        entry["articles"] += articles
        entry["records"] += records
        if written and written not in entry["written"]:
            entry["written"].append(written)

    for slug, country, role, first, last, n in (
        ArticleOfficial.objects.filter(official=official)
        .values_list("office_slug", "country", "role")
        .annotate(first=Min("article__published"), last=Max("article__published"), n=Count("pk"))
        .order_by()
    ):
        add(slug, country, role, first, last, articles=n)
    for slug, country, written, first, last, n in (
        SourceRecordOfficial.objects.filter(official=official)
        .values_list("office_slug", "country", "office")
        .annotate(first=Min("record__start"), last=Max("record__end"), n=Count("pk"))
        .order_by()
    ):
        add(slug, country, written, first, last, records=n)
    return sorted(held.values(), key=lambda entry: (entry["first"], entry["office"]))


def datasets_naming(official):
    """Return [{dataset, records}]: the Office of the Historian's datasets whose records name the official."""
    labels = dict(SourceRecord.Dataset.choices)
    rows = (
        SourceRecordOfficial.objects.filter(official=official)
        .values_list("record__dataset")
        .annotate(n=Count("pk"))
        .order_by("record__dataset")
    )
    return [{"dataset": labels.get(dataset, dataset), "records": n} for dataset, n in rows]


# Topics -----------------------------------------------------------------------


def topic_tree(version):
    """The topic tree's roots, each topic with its sub-topics and how many visits touch it."""
    visit_counts = cached(
        "topic-visit-counts",
        (),
        lambda: dict(VisitTopic.objects.values_list("topic_id").annotate(n=Count("pk")).order_by()),
        version,
    )
    topics = list(Topic.objects.order_by("name"))
    children = {}
    for topic in topics:
        topic.visit_count = visit_counts.get(topic.pk, 0)
        children.setdefault(topic.parent_id, []).append(topic)
    for topic in topics:
        topic.subtopics = children.get(topic.pk, [])
    return {"roots": children.get(None, [])}


def topic(slug):
    return get_object_or_404(Topic.objects.select_related("parent"), slug=slug)


def topic_detail(topic, version):
    """The lists of a topic's page, sub-topics included."""
    sections = Sections(version, topic.pk)

    def meetings():
        ids = Topic.objects.filter(pk=topic.pk).descendant_ids()
        return (
            Meeting.objects.filter(pk__in=Meeting.topics.through.objects.filter(topic_id__in=ids).values("meeting_id"))
            .select_related("visit")
            .prefetch_related("participants", "topics")
            .order_by("-date", "-pk")
        )

    return {
        "subtopics": topic.children.order_by("name"),
        "visits": sections.rows(Visit.objects.about_topics([topic]).for_list()),
        "meetings": sections.rows(meetings),
        "statements": sections.rows(
            Statement.objects.about_topics([topic]).for_list().order_by("-article__published", "start", "pk")
        ),
    }


# Countries --------------------------------------------------------------------


def country_list():
    """Every country with visits hosted, visits involved in, and officials."""
    hosted = dict(Visit.objects.values_list("host_country").annotate(n=Count("pk")).order_by())
    involved = dict(VisitCountry.objects.values_list("country").annotate(n=Count("visit_id")).order_by())
    officials = dict(Official.objects.values_list("country").annotate(n=Count("pk")).order_by())
    codes = set(hosted) | set(involved) | set(officials)
    rows = sorted(
        ((Country(code), hosted.get(code, 0), involved.get(code, 0), officials.get(code, 0)) for code in codes),
        key=lambda row: row[0].name,
    )
    return {"rows": rows}


def country_detail(code, version):
    """The lists of a country's page."""
    sections = Sections(version, code)
    visits = Visit.objects.for_list()
    return {
        "country": Country(code),
        "visits_hosted": sections.rows(visits.filter(host_country=code)),
        "visits_made": sections.rows(visits.with_visitors_from([code])),
        "officials": sections.rows(
            Official.objects.filter(country=code)
            .annotate(visit_count=Count("visit_links"))
            .order_by("-visit_count", "name")
        ),
    }


# Statements and articles ---------------------------------------------------------


def statement_list(filterset, version):
    page, page_error = paginate(filterset.qs.for_list(), filterset, version)
    return {"page": page, "page_error": page_error}


def article_list(page_number):
    """A page of articles, newest first, with how many statements and visits each has."""
    page = Paginator(Article.objects.for_list(), ARTICLES_PER_PAGE).get_page(page_number)
    ids = [article.pk for article in page.object_list]
    statements = counts_by(Statement.objects, "article_id", ids)
    visits = counts_by(VisitReport.objects, "article_id", ids)
    for article in page.object_list:
        article.statement_count = statements.get(article.pk, 0)
        article.visit_count = visits.get(article.pk, 0)
    return {"page": page, "articles": page.object_list}


def article_detail(slug):
    """An article's text with its statements, evidence and mentions marked up."""
    article = get_object_or_404(Article, slug=slug)
    statements = list(article.statements.select_related("speaker").prefetch_related("topics"))
    mentions = list(article.mentions.select_related("official", "topic"))
    reports = list(article.visit_reports.select_related("visit"))
    meetings = list(article.meetings.all())
    return {
        "article": article,
        "highlighted": highlight_article(article.text, statements, mentions, reports, meetings),
        "statements": statements,
        "reports": reports,
    }
