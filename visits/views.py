"""Thin views: read the request, call QuerySet methods and helpers, render."""

from django.core.paginator import Paginator
from django.db.models import Count, Exists, Max, Min, OuterRef, Prefetch, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.functional import SimpleLazyObject
from django_countries import countries
from django_countries.fields import Country

from . import exports
from .caching import cached, current_version
from .facets import active_filters, facet_counts, visit_facets
from .filters import StatementFilterSet, VisitFilterSet
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


def section(request, queryset, limit=DETAIL_LIMIT):
    """Return {"rows": the first `limit` rows, "total": how many there are} for a detail page.

    A busy official or a broad topic has 100,000s of rows behind each list,
    and sorting them for the newest 20 costs as much as counting them, so
    both are cached until the next write, keyed by the query itself.
    """
    if queryset.query.is_empty():  # .none(): nothing to count or show
        return {"rows": [], "total": 0}

    def compute():
        return {"rows": list(queryset[:limit]), "total": queryset.order_by().count()}

    return cached("section", (str(queryset.query), limit), compute, current_version(request))


def lazy_section(request, queryset, limit=DETAIL_LIMIT):
    """section(), computed only if the template asks for it (not when it renders the list from its cache)."""
    return SimpleLazyObject(lambda: section(request, queryset, limit))


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


def home(request):
    context = cached("home", (), home_summary, current_version(request))
    return render(request, "visits/home.html", context)


def home_summary():
    """What the home page shows: counts over every table, so cached until the next write."""
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


def visit_list(request):
    filterset = VisitFilterSet(request.GET, queryset=Visit.objects.all())
    page = facets = page_error = None
    chips = []
    if filterset.is_valid():
        version = current_version(request)
        page, page_error = paginate(filterset.qs.for_list(), filterset, version)
        counts = cached("visit-facets", filterset.cache_key(), lambda: facet_counts(filterset), version)
        facets = visit_facets(filterset, request.GET, counts)
        chips = active_filters(filterset, request.GET)
    return render(
        request,
        "visits/visit_list.html",
        {"filterset": filterset, "page": page, "page_error": page_error, "facets": facets, "chips": chips},
    )


def visit_detail(request, slug):
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
    meetings = (
        visit.meetings.select_related("article")
        .defer("article__text")
        .prefetch_related(Prefetch("participants", queryset=people), "topics")
        .order_by("date", "article__published", "position")
    )
    meetings = list(meetings)
    grouped = statements_by_meeting(visit)
    for meeting in meetings:
        meeting.statement_list = grouped.get(meeting.pk, [])
    statements = (
        visit.statements.filter(meeting__isnull=True)
        .select_related("speaker", "article")
        .defer("article__text")
        .prefetch_related("topics")
    )
    context = {
        "visit": visit,
        "visitors": with_roles(visit.visitors.all(), roles),
        "hosts": with_roles(visit.hosts.all(), roles),
        "topics": visit.topics.all(),
        "reports": reports,
        "records": records,
        "meetings": meetings,
        "statements": statements,
    }
    return render(request, "visits/visit_detail.html", context)


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


def statements_by_meeting(visit):
    grouped = {}
    for statement in (
        visit.statements.filter(meeting__isnull=False)
        .select_related("speaker", "article")
        .defer("article__text")
        .prefetch_related("topics")
    ):
        grouped.setdefault(statement.meeting_id, []).append(statement)
    return grouped


def official_list(request):
    officials = Official.objects.order_by("name", "slug")
    country = request.GET.get("country", "").upper()
    if country and country in countries:
        officials = officials.filter(country=country)
    page = Paginator(officials, 50).get_page(request.GET.get("page"))
    ids = [official.pk for official in page.object_list]
    visits_made = counts_by(Visit.visitors.through.objects, "official_id", ids)
    involved = counts_by(VisitOfficial.objects, "official_id", ids)
    spoken = counts_by(Statement.objects, "speaker_id", ids)
    for official in page.object_list:
        official.visits_made_count = visits_made.get(official.pk, 0)
        official.visit_count = involved.get(official.pk, 0)
        official.statement_count = spoken.get(official.pk, 0)
    return render(request, "visits/official_list.html", {"page": page, "officials": page.object_list})


def official_detail(request, slug):
    # has_records rides on the official's own query: officials known only from articles cost nothing more.
    official = get_object_or_404(
        Official.objects.annotate(has_records=Exists(SourceRecordOfficial.objects.filter(official=OuterRef("pk")))),
        slug=slug,
    )
    filterset = StatementFilterSet(
        {"official": [official.slug], **topic_param(request)}, queryset=Statement.objects.all()
    )
    statements = filterset.qs.for_list() if filterset.is_valid() else Statement.objects.none()
    visits = Visit.objects.for_list()
    counterparts = (
        Official.objects.filter(meetings__participants=official)
        .exclude(pk=official.pk)
        .annotate(n=Count("meetings", distinct=True))
        .order_by("-n", "name")[:DETAIL_LIMIT]
    )
    # Offices held over time: each office with the first and last article that gives it.
    offices = (
        ArticleOfficial.objects.filter(official=official)
        .values("role")
        .annotate(first=Min("article__published"), last=Max("article__published"), articles=Count("pk"))
        .order_by("first", "role")
    )
    version = current_version(request)
    # Lazy: the template caches its rendered lists, and a cached render needs none of these.
    context = {
        "official": official,
        "data_version": version,
        "visits_made": lazy_section(request, visits.filter(visitors=official)),
        "visits_hosted": lazy_section(request, visits.filter(hosts=official)),
        "meetings": lazy_section(
            request,
            Meeting.objects.filter(participants=official)
            .select_related("visit")
            .prefetch_related(
                Prefetch("participants", Official.objects.exclude(pk=official.pk), to_attr="others"), "topics"
            )
            .order_by("-date", "-pk"),
        ),
        "statements": lazy_section(request, statements),
        "statement_topics": SimpleLazyObject(
            lambda: cached(
                "statement-topics",
                official.pk,
                lambda: list(Topic.objects.filter(statements__speaker=official).distinct().order_by("name")),
                version,
            )
        ),
        "topic_filter": filterset.form["topic"].value() if filterset.is_bound else [],
        "topic_errors": filterset.errors.get("topic"),
        "offices": SimpleLazyObject(lambda: cached("offices", official.pk, lambda: list(offices), version)),
        "source_articles": lazy_section(
            request,
            Article.objects.filter(official_entries__official=official).defer("text").order_by("-published", "slug"),
        ),
        "record_offices": SimpleLazyObject(lambda: offices_in_records(official) if official.has_records else []),
        "counterparts": SimpleLazyObject(
            lambda: cached("counterparts", official.pk, lambda: list(counterparts), version)
        ),
    }
    return render(request, "visits/official_detail.html", context)


def offices_in_records(official):
    """Return [{office, dataset, first, last, records}] as dataset records give the official's offices."""
    rows = (
        SourceRecordOfficial.objects.filter(official=official)
        .values("office", "record__dataset")
        .annotate(first=Min("record__start"), last=Max("record__end"), records=Count("pk"))
        .order_by("first", "office")
    )
    labels = dict(SourceRecord.Dataset.choices)
    return [
        {
            "office": row["office"],
            "dataset": labels.get(row["record__dataset"], row["record__dataset"]),
            "first": row["first"],
            "last": row["last"],
            "records": row["records"],
        }
        for row in rows
    ]


def topic_param(request):
    topics = request.GET.getlist("topic")
    return {"topic": topics} if topics else {}


def topic_list(request):
    visit_counts = cached(
        "topic-visit-counts",
        (),
        lambda: dict(VisitTopic.objects.values_list("topic_id").annotate(n=Count("pk")).order_by()),
    )
    topics = list(Topic.objects.order_by("name"))
    for topic in topics:
        topic.visit_count = visit_counts.get(topic.pk, 0)
    children = {}
    for topic in topics:
        children.setdefault(topic.parent_id, []).append(topic)
    for topic in topics:
        topic.subtopics = children.get(topic.pk, [])
    return render(request, "visits/topic_list.html", {"roots": children.get(None, [])})


def topic_detail(request, slug):
    topic = get_object_or_404(Topic.objects.select_related("parent"), slug=slug)

    def meetings():
        ids = Topic.objects.filter(pk=topic.pk).descendant_ids()
        return section(
            request,
            Meeting.objects.filter(pk__in=Meeting.topics.through.objects.filter(topic_id__in=ids).values("meeting_id"))
            .select_related("visit")
            .prefetch_related("participants", "topics")
            .order_by("-date", "-pk"),
        )

    # Lazy: the template caches its rendered lists, and a cached render needs none of these.
    context = {
        "topic": topic,
        "data_version": current_version(request),
        "subtopics": topic.children.order_by("name"),
        "visits": lazy_section(request, Visit.objects.about_topics([topic]).for_list()),
        "meetings": SimpleLazyObject(meetings),
        "statements": lazy_section(
            request, Statement.objects.about_topics([topic]).for_list().order_by("-article__published", "start", "pk")
        ),
    }
    return render(request, "visits/topic_detail.html", context)


def country_list(request):
    hosted = dict(Visit.objects.values_list("host_country").annotate(n=Count("pk")).order_by())
    involved = dict(VisitCountry.objects.values_list("country").annotate(n=Count("visit_id")).order_by())
    officials = dict(Official.objects.values_list("country").annotate(n=Count("pk")).order_by())
    codes = set(hosted) | set(involved) | set(officials)
    rows = sorted(
        ((Country(code), hosted.get(code, 0), involved.get(code, 0), officials.get(code, 0)) for code in codes),
        key=lambda row: row[0].name,
    )
    return render(request, "visits/country_list.html", {"rows": rows})


def country_detail(request, code):
    code = code.upper()
    if code not in countries:
        raise Http404("No such country code.")
    visits = Visit.objects.for_list()
    context = {
        "country": Country(code),
        "visits_hosted": section(request, visits.filter(host_country=code)),
        "visits_made": section(request, visits.with_visitors_from([code])),
        "officials": section(
            request,
            Official.objects.filter(country=code)
            .annotate(visit_count=Count("visit_links"))
            .order_by("-visit_count", "name"),
        ),
    }
    return render(request, "visits/country_detail.html", context)


def statement_list(request):
    filterset = StatementFilterSet(request.GET, queryset=Statement.objects.all())
    page = page_error = None
    if filterset.is_valid():
        page, page_error = paginate(filterset.qs.for_list(), filterset, current_version(request))
    return render(
        request,
        "visits/statement_list.html",
        {"filterset": filterset, "page": page, "page_error": page_error},
    )


def article_list(request):
    page = Paginator(Article.objects.defer("text").order_by("-published", "slug"), 50).get_page(request.GET.get("page"))
    ids = [article.pk for article in page.object_list]
    statements = counts_by(Statement.objects, "article_id", ids)
    visits = counts_by(VisitReport.objects, "article_id", ids)
    for article in page.object_list:
        article.statement_count = statements.get(article.pk, 0)
        article.visit_count = visits.get(article.pk, 0)
    return render(request, "visits/article_list.html", {"page": page, "articles": page.object_list})


def article_detail(request, slug):
    article = get_object_or_404(Article, slug=slug)
    statements = list(article.statements.select_related("speaker").prefetch_related("topics"))
    mentions = list(article.mentions.select_related("official", "topic"))
    reports = list(article.visit_reports.select_related("visit"))
    meetings = list(article.meetings.all())
    context = {
        "article": article,
        "highlighted": highlight_article(article.text, statements, mentions, reports, meetings),
        "statements": statements,
        "reports": reports,
    }
    return render(request, "visits/article_detail.html", context)


def visit_export(request, fmt):
    filterset = VisitFilterSet(request.GET, queryset=Visit.objects.all())
    if not filterset.is_valid():
        return exports.invalid(filterset)
    return exports.visits(request, filterset.qs, fmt)


def statement_export(request, fmt):
    filterset = StatementFilterSet(request.GET, queryset=Statement.objects.all())
    if not filterset.is_valid():
        return exports.invalid(filterset)
    return exports.statements(request, filterset.qs, fmt)
