"""What each page shows: one function per page, built from the QuerySet methods of `visits.queries`.

Views only call these and render. Counts and lists that cost more than a
few milliseconds at scale are cached until the next write (every key
carries the data version, see `visits.caching`); how a list is paged and a
detail page's lists are kept lazy and cached is `visits.listing`.
"""

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, Exists, Max, Min, OuterRef, Prefetch, Q
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django_countries.fields import Country

from . import addresses, bitmaps, names, offices, people_search
from . import people as people_module
from .addresses import Ambiguous, Moved
from .caching import cached
from .facets import (
    active_filters,
    all_facet_rows,
    bitmap_facet_counts,
    bitmap_facet_rows,
    bitmap_map_counts,
    dated_rows,
    facet_counts,
    map_counts,
    option_links,
    range_url,
    toggle_url,
    visit_facets,
    year_url,
)
from .highlighting import highlight_article
from .listing import DETAIL_LIMIT, Sections, bitmap_page, counts_by, index_filters, paginate
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
from .pictures import network, timeline, worldmap

OFFICIALS_PER_PAGE = 50
SUGGESTIONS = 8
ARTICLES_PER_PAGE = 50


# Home -------------------------------------------------------------------------


def home(version):
    """What the home page shows: counts over every table, so cached until the next write."""
    return cached("home", (), home_summary, version)


def home_summary():
    return {
        "counts": {
            "visits": Visit.objects.count(),
            "officials": Official.objects.with_pages().count(),
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


def visit_list(filterset, params, version, map_mode="host"):
    """The visit list for a valid filterset: its page, facets, active filter chips, timeline and map.

    On PostgreSQL the counts (the map's too), the total and the page's ids
    come from the bitmap index (visits.bitmaps); elsewhere from SQL
    (visits.queries).
    """
    index = bitmaps.current(version)
    if index is None:
        page, page_error = paginate(filterset.qs.for_list(), filterset, version)
        counts = cached("visit-facets", filterset.cache_key(), lambda: facet_counts(filterset), version)
    else:
        found = index_filters(index, filterset, version)
        counts = cached(
            "visit-facets", filterset.cache_key(), lambda: bitmap_facet_counts(filterset, index, found), version
        )
        page, page_error = bitmap_page(index, index.matching(found), filterset)
    data = filterset.form.cleaned_data
    name = worldmap.MODES[map_mode][0]

    def count_map():
        if index is None:
            return map_counts(filterset, map_mode)
        return bitmap_map_counts(index, found, map_mode)

    def world_map():
        rows = cached("visit-map", (map_mode, filterset.cache_key()), count_map, version)
        return worldmap.world_map(
            rows, map_mode, lambda code: toggle_url(params, name, code), set(data.get(name) or [])
        )

    return {
        "page": page,
        "page_error": page_error,
        "facets": visit_facets(filterset, params, counts),
        "chips": active_filters(filterset, params),
        # The pictures are lazy: their HTML is cached (the template's {% cache %}, keyed by the data version
        # and every parameter their links keep), and drawing them took 35 ms of a 90 ms page at 7,500 visits.
        "timeline": SimpleLazyObject(
            lambda: visit_timeline(data.get("date_from"), data.get("date_to"), counts, params)
        ),
        "all_years_url": range_url(params, None, None, True),
        "world_map": SimpleLazyObject(world_map),
        "map_modes": map_modes(params, map_mode),
        "data_version": version,
        "picture_key": sorted((key, values) for key, values in params.lists() if key != "page"),
    }


# Pictures (visits.pictures draws them from the counts computed here) ------------


def visit_timeline(date_from, date_to, counts, params, base="", small=False):
    """Return the Timeline of facet rows `counts` ("year", and "month" for a short span), links keeping `params`."""
    span = timeline.month_span(date_from, date_to, [year for year, _ in counts["year"]])
    if span and counts.get("month") is not None:
        return timeline.by_month(
            counts["month"],
            *span,
            lambda start, end, selected: base + range_url(params, start, end, selected),
            date_from,
            date_to,
            small=small,
        )
    one_year = date_from and date_to and date_from.year == date_to.year
    if one_year and (date_from.month, date_from.day, date_to.month, date_to.day) == (1, 1, 12, 31):
        year = date_from.year
    else:
        year = None
    return timeline.by_year(
        counts["year"], lambda y, selected: base + year_url(params, y, selected), selected=year, small=small
    )


def map_modes(params, current):
    """Return [(mode, title, url, is current)]: the links that switch the map's side, other parameters kept."""
    links = []
    for mode, (_, title, _) in worldmap.MODES.items():
        switched = params.copy()
        switched.pop("page", None)
        switched.pop("map", None)
        if mode != "host":
            switched["map"] = mode
        links.append((mode, title, "?" + switched.urlencode(), mode == current))
    return links


def filter_params(**values):
    """Return a QueryDict of the visit list's filters `values` (the base of a detail page's picture links)."""
    params = QueryDict(mutable=True)
    for name, value in values.items():
        params[name] = value
    return params


def detail_timeline(sections, name, visits, params):
    """Return a lazy small Timeline of `visits`, each bar a link to the visit list with `params` and its year or month.

    `name` keys the cached counts of this kind of page ("official-years"); one query, cached until the next write.
    """
    base = reverse("visits:visit-list")
    rows = sections.value(name, lambda: dated_rows(visits))
    return SimpleLazyObject(lambda: visit_timeline(None, None, rows, params, base=base, small=True))


def detail_map(sections, code, mode):
    """Return a lazy WorldMap for a country's page: where its officials went, or where its visitors came from."""
    side = "host_country" if mode == "visitor" else "visitor_country"  # the country's own side of the visit
    if mode == "visitor":
        visits = Visit.objects.hosted_by_countries([code])
    else:
        visits = Visit.objects.with_visitors_from([code])
    facet = visits.visitor_country_facet if mode == "visitor" else visits.host_country_facet
    rows = sections.value(f"country-map-{mode}", facet)
    links = filter_params(**{side: code})
    name = worldmap.MODES[mode][0]
    base = reverse("visits:visit-list")
    return SimpleLazyObject(
        lambda: worldmap.world_map(rows, mode, lambda other: base + toggle_url(links, name, other), {code})
    )


FACET_PER_PAGE = 50


def facet_page(filterset, params, name, search, version):
    """Every option of one facet of the visit list, with counts for the other filters, searchable and paginated.

    `params`: the visit list's query string (its filters), which every
    option's link keeps; `search`: a valid FacetSearchForm (`fq`, `page`).
    Officials are found as on the officials list (names, variants, offices;
    best match first), other options by the words of their labels.
    """

    def compute():
        index = bitmaps.current(version)
        if index is None:
            return all_facet_rows(filterset, name)
        return bitmap_facet_rows(filterset, index, index_filters(index, filterset, version), name)

    rows = cached("facet-all", (name, filterset.cache_key()), compute, version)
    total = len(rows)
    query = search.cleaned_data.get("fq") or ""
    if query and name == "official":
        matches = people_search.find(Official.objects.with_pages(), query, held_slugs=held_offices(version))
        slugs = dict(Official.objects.filter(pk__in=list(matches)).values_list("slug", "pk"))
        rows = sorted(
            (row for row in rows if row[0] in slugs), key=lambda row: (matches[slugs[row[0]]].rank, -row[2], row[1])
        )
    elif query:
        form, terms = people_search.terms_of(query)
        rows = [
            row
            for row in rows
            if people_search.rank_name(names.search_form(row[1]), form, terms) is not None
            or people_search.starts_words(names.search_form(row[0]).split(), terms)
        ]
    paginator = Paginator(rows, FACET_PER_PAGE)
    number = search.cleaned_data.get("page") or 1
    context = {
        "total": total,
        "matching": len(rows),
        "query": query,
        "page": None,
        "options": [],
        "chips": active_filters(filterset, params),
    }
    if number > paginator.num_pages and number > 1:
        return context | {"page_error": f"There is no page {number}; the last page is {paginator.num_pages}."}
    page = paginator.page(number)
    return context | {"page": page, "options": option_links(page.object_list, filterset, params, name)}


def visit_detail(slug):
    """One visit with its people (and the office each held then), meetings, statements and sources."""
    # has_records rides on the visit's own query, so a visit without dataset records costs nothing more.
    visit = (
        Visit.objects.defer("search_document", "search_vector")
        .annotate(has_records=Exists(SourceRecord.objects.filter(visit=OuterRef("pk"))))
        .filter(slug=slug)
        .first()
    )
    if visit is None:
        moved_to = addresses.visit_at(slug)
        if moved_to is None:
            raise Http404("No visit has this address.")
        raise Moved(moved_to)
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


def official_visit_counts(version):
    """Return {official id: visits they took part in}, for ranking people; cached until the next write."""
    return cached(
        "official-visit-counts",
        (),
        lambda: dict(VisitOfficial.objects.values_list("official_id").annotate(n=Count("visit_id")).order_by()),
        version,
    )


def held_offices(version):
    """Return the office slugs anyone held, cached until the next write."""
    return cached("held-offices", (), people_search.held_office_slugs, version)


def in_countries(officials, codes):
    """Officials whose own country, or the country of an office they held, is one of `codes`."""
    return officials.filter(
        Q(country__in=codes)
        | Exists(ArticleOfficial.objects.filter(official=OuterRef("pk"), country__in=codes))
        | Exists(SourceRecordOfficial.objects.filter(official=OuterRef("pk"), country__in=codes))
    )


def official_list(form, version):
    """The officials list: people found by name or office (ranked), narrowed by country and office, a page of them.

    Without a query, people are listed by sort name (surname first) or by
    visits. Each row says where and what they were: countries, offices and
    years (visits.people.positions_by_official), and how many visits.
    """
    context = {"form": form, "page": None, "rows": [], "choices": official_choices(version)}
    if not form.is_valid():
        return context
    data = form.cleaned_data
    officials = Official.objects.with_pages()
    if data["country"]:
        officials = in_countries(officials, data["country"])
    if data["office"]:
        officials = people_search.holding(officials, data["office"])
    counts = official_visit_counts(version)
    matches = {}
    if data["q"]:
        matches = people_search.find(officials, data["q"], held_slugs=held_offices(version))
        sort_names = dict(Official.objects.filter(pk__in=list(matches)).values_list("pk", "sort_name"))
        if data["sort"] == "name":
            ids = sorted(matches, key=lambda pk: (sort_names.get(pk, ""), pk))
        elif data["sort"] == "visits":
            ids = sorted(matches, key=lambda pk: (-counts.get(pk, 0), sort_names.get(pk, ""), pk))
        else:
            ids = [match.official_id for match in people_search.ranked(matches, counts, sort_names)]
        listing = ids
    elif data["sort"] == "visits":
        listing = sorted(officials.values_list("pk", "sort_name"), key=lambda row: (-counts.get(row[0], 0), row[1]))
        listing = [pk for pk, _ in listing]
    else:
        listing = officials.order_by("sort_name", "name", "slug")
    paginator = Paginator(listing, OFFICIALS_PER_PAGE)
    number = data["page"] or 1
    if number > paginator.num_pages and number > 1:
        context["page_error"] = f"There is no page {number}; the last page is {paginator.num_pages}."
        return context
    page = paginator.page(number)
    if isinstance(listing, list):
        found = Official.objects.in_bulk(page.object_list)
        people = [found[pk] for pk in page.object_list]
    else:
        people = list(page.object_list)
    context |= {"page": page, "rows": describe_officials(people, counts, matches)}
    return context


def describe_officials(people, counts, matches=None):
    """Return a row per official: {official, countries, offices, first, last, visits, matched}."""
    positions = people_module.positions_by_official([official.pk for official in people])
    rows = []
    for official in people:
        held = positions.get(official.pk, [])
        countries_held = list(dict.fromkeys(country for _, country, _, _ in held)) or [str(official.country)]
        match = (matches or {}).get(official.pk)
        matched = ""
        if match and match.rank == people_search.OFFICE:
            matched = f"held: {match.matched}"
        elif match and names.search_form(match.matched) != names.search_form(official.name):
            matched = f"found as {match.matched}"
        rows.append(
            {
                "official": official,
                "countries": [Country(code) for code in countries_held],
                "offices": list(dict.fromkeys(offices.name_of(slug) for slug, _, _, _ in held if slug)),
                "first": min((first for _, _, first, _ in held), default=None),
                "last": max((last for _, _, _, last in held), default=None),
                "visits": counts.get(official.pk, 0),
                "matched": matched,
            }
        )
    return rows


def official_choices(version):
    """The country and office choices of the officials list: those someone held, with how many people."""

    def compute():
        officials = Official.objects.with_pages()
        by_country, by_office = {}, {}
        for pk, code in officials.values_list("pk", "country"):
            by_country.setdefault(str(code), set()).add(pk)
        for model in (ArticleOfficial, SourceRecordOfficial):
            rows = model.objects.filter(official__in=officials).order_by()
            for pk, code, slug in rows.values_list("official_id", "country", "office_slug").distinct():
                by_country.setdefault(str(code), set()).add(pk)
                if slug:
                    by_office.setdefault(slug, set()).add(pk)
        return {
            "countries": sorted(
                ((code, Country(code).name, len(ids)) for code, ids in by_country.items() if code),
                key=lambda row: row[1],
            ),
            "offices": sorted(
                ((slug, offices.name_of(slug), len(ids)) for slug, ids in by_office.items()), key=lambda row: row[1]
            ),
        }

    return cached("official-choices", (), compute, version)


def suggestions(query, version, limit=SUGGESTIONS):
    """The people a few typed letters may mean, best first: [{slug, name, detail, visits, url}] (the JSON endpoint)."""
    form, _ = people_search.terms_of(query)
    if len(form) < 2:
        return []

    def compute():
        counts = official_visit_counts(version)
        officials = Official.objects.with_pages()
        matches = people_search.find(officials, form, held_slugs=held_offices(version))
        sort_names = dict(officials.filter(pk__in=list(matches)).values_list("pk", "sort_name"))
        best = people_search.ranked(matches, counts, sort_names)[:limit]
        found = Official.objects.in_bulk([match.official_id for match in best])
        rows = describe_officials([found[match.official_id] for match in best], counts, matches)
        return [
            {
                "slug": row["official"].slug,
                "name": row["official"].name,
                "detail": " · ".join(
                    part
                    for part in (
                        ", ".join(country.name for country in row["countries"][:2]),
                        ", ".join(row["offices"][:2]),
                        years(row["first"], row["last"]),
                        row["matched"],
                    )
                    if part
                ),
                "visits": row["visits"],
                "url": row["official"].get_absolute_url(),
            }
            for row in rows
        ]

    return cached("suggestions", (form, limit), compute, version)


def years(first, last):
    if not first:
        return ""
    return str(first.year) if first.year == last.year else f"{first.year}–{last.year}"


def official(slug):
    """The official of /officials/<slug>/, annotated with whether dataset records name them.

    Raise Moved(official) when the address is one the person had or is
    known by (visits.people_search, visits.identity), Http404 when it is nobody's.
    """
    # has_records rides on the official's own query: officials known only from articles cost nothing more.
    found = (
        Official.objects.annotate(has_records=Exists(SourceRecordOfficial.objects.filter(official=OuterRef("pk"))))
        .filter(slug=slug)
        .first()
    )
    if found is not None and not found.merged_into_id:
        return found
    people = addresses.people_at(slug, found)
    if len(people) == 1:
        raise Moved(people[0])
    if people:
        raise Ambiguous(people)
    raise Http404("No official has this address.")


def official_detail(official, statements, version):
    """The lists of an official's page; `statements`: their statements, filtered as the visitor asked."""
    sections = Sections(version, official.pk)
    visits = Visit.objects.for_list()
    people = sections.value("counterparts", lambda: list(counterparts(official)))
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
        "counterparts": people,
        "network": SimpleLazyObject(lambda: counterparts_network(official, people)),
        "timeline": detail_timeline(
            sections,
            "official-years",
            Visit.objects.involving_officials([official]),
            filter_params(official=official.slug),
        ),
    }


def counterparts(official, limit=DETAIL_LIMIT):
    """Return the people `official` met or visited, most first, in one query.

    Each has `meeting_count` (meetings both attended), `visit_count` (visits
    where one was a visitor and the other a host) and `n`, their sum: the
    width of the line between them in the picture. People who only
    travelled together are not counterparts.

    One GROUP BY over the pairs, read from the official's own rows outwards:
    correlated counts per candidate took 4.6 s for the busiest official at
    100,000 visits.
    """
    participants = Meeting.participants.through._meta.db_table
    visitors, hosts = Visit.visitors.through._meta.db_table, Visit.hosts.through._meta.db_table
    officials = Official._meta.db_table
    sql = f"""
        SELECT o.id, c.meetings, c.visits FROM (
            SELECT other, sum(meeting) AS meetings, sum(visit) AS visits FROM (
                SELECT them.official_id AS other, 1 AS meeting, 0 AS visit
                FROM {participants} me JOIN {participants} them ON them.meeting_id = me.meeting_id
                WHERE me.official_id = %(id)s AND them.official_id <> %(id)s
                UNION ALL
                SELECT them.official_id, 0, 1 FROM {visitors} me JOIN {hosts} them ON them.visit_id = me.visit_id
                WHERE me.official_id = %(id)s AND them.official_id <> %(id)s
                UNION ALL
                SELECT them.official_id, 0, 1 FROM {hosts} me JOIN {visitors} them ON them.visit_id = me.visit_id
                WHERE me.official_id = %(id)s AND them.official_id <> %(id)s
            ) AS pairs GROUP BY other
        ) AS c JOIN {officials} o ON o.id = c.other
        ORDER BY c.meetings + c.visits DESC, o.name, o.slug
        LIMIT %(limit)s
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, {"id": official.pk, "limit": limit})
        rows = cursor.fetchall()
    people = Official.objects.in_bulk([pk for pk, _, _ in rows])
    found = []
    for pk, meetings, visits in rows:
        person = people[pk]
        person.meeting_count, person.visit_count = int(meetings), int(visits)
        person.n = person.meeting_count + person.visit_count
        found.append(person)
    return found


def counterparts_network(official, people):
    """Return the radial Network of `people` (from `counterparts`) around `official`."""
    return network.radial(official.name, [(o.name, o.get_absolute_url(), o.n) for o in people])


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
        "timeline": detail_timeline(
            sections, "topic-years", Visit.objects.about_topics([topic]), filter_params(topic=topic.slug)
        ),
    }


# Countries --------------------------------------------------------------------


def country_list():
    """Every country with visits hosted, visits involved in, and officials."""
    hosted = dict(Visit.objects.values_list("host_country").annotate(n=Count("pk")).order_by())
    involved = dict(VisitCountry.objects.values_list("country").annotate(n=Count("visit_id")).order_by())
    officials = dict(Official.objects.with_pages().values_list("country").annotate(n=Count("pk")).order_by())
    codes = set(hosted) | set(involved) | set(officials)
    rows = sorted(
        ((Country(code), hosted.get(code, 0), involved.get(code, 0), officials.get(code, 0)) for code in codes),
        key=lambda row: row[0].name,
    )
    return {"rows": rows}


def country_detail(code, version, map_mode="host"):
    """The lists and pictures of a country's page; `map_mode`: the map counts visits by host or visitor country."""
    sections = Sections(version, code)
    visits = Visit.objects.for_list()
    return {
        "country": Country(code),
        "timeline": detail_timeline(
            sections, "country-years", Visit.objects.involving_countries([code]), filter_params(country=code)
        ),
        "world_map": detail_map(sections, code, map_mode),
        "map_mode": map_mode,
        "data_version": version,
        "map_modes": map_modes(QueryDict(), map_mode),
        "visits_hosted": sections.rows(visits.filter(host_country=code)),
        "visits_made": sections.rows(visits.with_visitors_from([code])),
        "officials": sections.rows(
            Official.objects.with_pages()
            .filter(country=code)
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
