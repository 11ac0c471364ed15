"""Facet counts for the visit list: beside each option, the visits it would give.

Each facet counts over the visits filtered by every *other* filter, so the
numbers say what clicking the option would show. Options are links that
toggle one value and keep every other parameter (and drop `page`).
"""

import datetime
from dataclasses import dataclass

from . import offices
from .bitmaps import FACET_FILTERS
from .country_names import country_name
from .models import Official, Topic, Visit
from .pictures.timeline import month_span
from .pictures.worldmap import MODES

OPTIONS_SHOWN = 12


@dataclass
class FacetOption:
    label: str
    value: str
    count: int
    selected: bool
    url: str


@dataclass
class Facet:
    name: str
    title: str
    options: list

    @property
    def all_title(self):
        """The title of the facet's page of all options ("Officials"), or "" if it has none."""
        return FACET_PAGES.get(self.name, "")


def toggle_url(params, name, value):
    """Return a query string with `value` of `name` added or removed, other filters kept."""
    params = params.copy()
    params.pop("page", None)
    values = params.getlist(name)
    kept = [v for v in values if v.lower() != value.lower()]
    params.setlist(name, kept if len(kept) < len(values) else values + [value])
    return "?" + params.urlencode()


def year_url(params, year, selected):
    return range_url(params, datetime.date(year, 1, 1), datetime.date(year, 12, 31), selected)


def range_url(params, start, end, selected):
    """Return a query string narrowed to [start, end] (or, if `selected`, with no dates), other filters kept."""
    params = params.copy()
    params.pop("page", None)
    params.pop("date_from", None)
    params.pop("date_to", None)
    if not selected:
        params["date_from"], params["date_to"] = start.isoformat(), end.isoformat()
    return "?" + params.urlencode()


def options(rows, selected, params, name):
    """Return FacetOptions for [(value, label, count)] rows, selected values first."""
    shown = rows[:OPTIONS_SHOWN]
    shown_values = {value for value, _, _ in shown}
    shown += [row for row in rows[OPTIONS_SHOWN:] if row[0] in selected and row[0] not in shown_values]
    return [
        FacetOption(label, value, count, value in selected, toggle_url(params, name, value))
        for value, label, count in shown
    ]


def missing_selected(rows, selected, lookup):
    """Selected values with no visits under the other filters still show, with 0."""
    present = {value for value, _, _ in rows}
    return [(value, lookup(value), 0) for value in sorted(selected - present)]


def facet_rows(facet, selected):
    """Return the top rows of a facet, plus the selected values outside the top (0 if none)."""
    rows = facet(limit=OPTIONS_SHOWN)
    outside = set(selected) - {slug for slug, _, _ in rows}
    if outside:
        rows += facet(slugs=outside)
    return rows + missing_selected(rows, set(selected), selected.get)


def facet_counts(filterset):
    """Return the rows of every facet for a valid VisitFilterSet: the part worth caching."""
    data = filterset.form.cleaned_data
    base = Visit.objects.all()

    def without(*names):
        return filterset.filter_queryset_without(base, *names)

    selected_countries = set(data.get("country") or [])
    country_rows = [(code, country_name(code), n) for code, n in without("country").country_facet()]
    country_rows += missing_selected(country_rows, selected_countries, country_name)
    selected_officials = {o.slug: o.name for o in data.get("official") or []}
    selected_topics = {t.slug: t.name for t in data.get("topic") or []}
    selected_offices = {slug: offices.name_of(slug) for slug in data.get("office") or []}

    def office_facet(**kwargs):
        return [(slug, offices.name_of(slug), n) for slug, n in without("office").office_facet(**kwargs)]

    rows = {
        "country": country_rows,
        "official": facet_rows(without("official").official_facet, selected_officials),
        "office": facet_rows(office_facet, selected_offices),
        "topic": facet_rows(without("topic").topic_facet, selected_topics),
    }
    return rows | dated_rows(without("date_from", "date_to"), data.get("date_from"), data.get("date_to"))


def dated_rows(visits, date_from=None, date_to=None):
    """Return {"year": the year facet, "month": the month facet of the timeline's span, or None} in one query.

    Counting by month and adding the months up gives the years too, so the
    timeline drawn by month costs no query more than the year facet.
    """
    return rows_by_month(visits.month_facet(), date_from, date_to)


def rows_by_month(months, date_from=None, date_to=None):
    """`dated_rows` from [((year, month), visits)], oldest first."""
    years = {}
    for (year, _), n in months:
        years[year] = years.get(year, 0) + n
    span = month_span(date_from, date_to, list(years))
    return {
        "year": sorted(years.items(), reverse=True),  # newest first
        "month": [row for row in months if span[0] <= row[0][0] <= span[1]] if span else None,
    }


def map_counts(filterset, mode):
    """Return the world map's [(country code, visits)] for a valid VisitFilterSet: by host or visitor country.

    Counted like a facet: with every filter but the one the map's links set
    (host_country or visitor_country), so each number is what its link gives.
    """
    visits = filterset.filter_queryset_without(Visit.objects.all(), MODES[mode][0])
    return visits.host_country_facet() if mode == "host" else visits.visitor_country_facet()


def ranked_by_count(counts, model, limit=None):
    """Return [(slug, name, n)] for {id: n} of officials or topics, largest first, at most `limit`.

    Ties go by name, then slug, in the database's collation, as the SQL
    facets order them: the names are read in that order. Only the ids that
    can make the cut are read (those with at least the `limit`-th count).
    """
    ids = sorted(counts, key=counts.get, reverse=True)
    if limit and len(ids) > limit:
        least = counts[ids[limit - 1]]
        ids = [pk for pk in ids if counts[pk] >= least]
    named = model.objects.filter(pk__in=ids).order_by("name", "slug").values_list("pk", "slug", "name")
    rows = [(slug, name, counts[pk], place) for place, (pk, slug, name) in enumerate(named)]
    rows.sort(key=lambda row: (-row[2], row[3]))
    rows = [row[:3] for row in rows]
    return rows[:limit] if limit else rows


def with_selected(rows, counts, chosen):
    """Add to the top `rows` the chosen values outside them ([(id, slug, name)]): with visits first, then none."""
    shown = {slug for slug, _, _ in rows}
    outside = {slug: (slug, name, counts.get(pk, 0)) for pk, slug, name in chosen if slug not in shown}.values()
    present = sorted((row for row in outside if row[2]), key=lambda row: (-row[2], row[1], row[0]))
    return rows + present + sorted((row for row in outside if not row[2]), key=lambda row: row[0])


def bitmap_facet_counts(filterset, index, found):
    """`facet_counts` from the bitmap index (visits.bitmaps): the same rows, in the same order.

    `found`: the filters' bitmaps (`index.filters`).
    """
    data = filterset.form.cleaned_data

    def counts(name, dimension=None):
        return index.counts(dimension or name, index.matching(found, leave_out=FACET_FILTERS[name]))

    by_country = counts("country")
    country_rows = [
        (code, country_name(code), n) for code, n in sorted(by_country.items(), key=lambda i: (-i[1], i[0]))
    ]
    country_rows += missing_selected(country_rows, set(data.get("country") or []), country_name)
    by_official = counts("official")
    official_rows = ranked_by_count(by_official, Official, OPTIONS_SHOWN)
    chosen = [(o.pk, o.slug, o.name) for o in data.get("official") or []]
    by_topic = counts("topic")
    topic_rows = ranked_by_count(by_topic, Topic, OPTIONS_SHOWN)
    by_office = counts("office")
    office_rows = [
        (slug, offices.name_of(slug), n) for slug, n in sorted(by_office.items(), key=lambda i: (-i[1], i[0]))
    ][:OPTIONS_SHOWN]
    by_month = counts("year", "start_month")  # {year * 100 + month: visits}
    months = [(divmod(key, 100), n) for key, n in sorted(by_month.items())]
    return {
        "country": country_rows,
        "official": with_selected(official_rows, by_official, chosen),
        "office": with_selected(
            office_rows, by_office, [(slug, slug, offices.name_of(slug)) for slug in data.get("office") or []]
        ),
        "topic": with_selected(topic_rows, by_topic, [(t.pk, t.slug, t.name) for t in data.get("topic") or []]),
    } | rows_by_month(months, data.get("date_from"), data.get("date_to"))


def bitmap_map_counts(index, found, mode):
    """`map_counts` from the bitmap index: the same rows, in the same order."""
    name = MODES[mode][0]  # host_country or visitor_country: a dimension and the filter its links set
    by_country = index.counts(name, index.matching(found, leave_out=name))
    return sorted(by_country.items(), key=lambda item: (-item[1], item[0]))


def bitmap_facet_rows(filterset, index, found, name):
    """`all_facet_rows` from the bitmap index."""
    dimension = name
    by_value = index.counts(dimension, index.matching(found, leave_out=FACET_FILTERS[name]))
    if name == "country":
        return [(code, country_name(code), n) for code, n in sorted(by_value.items(), key=lambda i: (-i[1], i[0]))]
    if name == "office":
        return [(slug, offices.name_of(slug), n) for slug, n in sorted(by_value.items(), key=lambda i: (-i[1], i[0]))]
    return ranked_by_count(by_value, Official if name == "official" else Topic)


# The facets with a page of all their options (`/visits/facets/<name>/`), and the title of that page.
FACET_PAGES = {
    "official": "Officials",
    "topic": "Topics",
    "country": "Countries",
    "office": "Visitors' offices",
}


def all_facet_rows(filterset, name):
    """Return every option of the facet `name` as [(value, label, count)], largest first, for a valid filterset."""
    visits = filterset.filter_queryset_without(Visit.objects.all(), name)
    if name == "country":
        return [(code, country_name(code), n) for code, n in visits.country_facet()]
    if name == "office":
        return [(slug, offices.name_of(slug), n) for slug, n in visits.office_facet()]
    return visits.official_facet() if name == "official" else visits.topic_facet()


def option_links(rows, filterset, params, name):
    """Return FacetOptions for `rows` of one facet, each a link to the visit list with it toggled."""
    selected = filterset.form.cleaned_data.get(name) or []
    selected = {str(getattr(value, "slug", value)) for value in selected}
    return [
        FacetOption(label, value, count, value in selected, toggle_url(params, name, value))
        for value, label, count in rows
    ]


def visit_facets(filterset, params, counts):
    """Return the country, official, topic and year facets, with links, from `facet_counts` rows."""
    data = filterset.form.cleaned_data
    start, end = data.get("date_from"), data.get("date_to")
    years = []
    for year, count in counts["year"]:
        selected = start == datetime.date(year, 1, 1) and end == datetime.date(year, 12, 31)
        years.append(FacetOption(str(year), str(year), count, selected, year_url(params, year, selected)))
    selected = {name: {o.slug for o in data.get(name) or []} for name in ("official", "topic")}
    offices_selected = set(data.get("office") or [])
    return [
        Facet("country", "Country", options(counts["country"], set(data.get("country") or []), params, "country")),
        Facet("official", "Official", options(counts["official"], selected["official"], params, "official")),
        Facet("office", "Visitor's office", options(counts.get("office", []), offices_selected, params, "office")),
        Facet("topic", "Topic", options(counts["topic"], selected["topic"], params, "topic")),
        Facet("year", "Year", years),
    ]


def active_filters(filterset, params):
    """Return [(label, remove url)] for each value the visitor filtered by."""
    data = filterset.form.cleaned_data
    chips = []
    for name, title in (("country", "Country"), ("host_country", "Host"), ("visitor_country", "Visitor from")):
        chips += [(f"{title}: {country_name(code)}", toggle_url(params, name, code)) for code in data.get(name) or []]
    for name, title in (("official", "Official"), ("topic", "Topic")):
        chips += [(f"{title}: {obj.name}", toggle_url(params, name, obj.slug)) for obj in data.get(name) or []]
    chips += [
        (f"Office: {offices.name_of(slug)}", toggle_url(params, "office", slug)) for slug in data.get("office") or []
    ]
    if data.get("q"):
        chips.append((f"Search: {data['q']}", toggle_url(params, "q", params.get("q", ""))))
    for name, title in (("date_from", "From"), ("date_to", "To")):
        if data.get(name):
            chips.append((f"{title}: {data[name]}", toggle_url(params, name, params.get(name, ""))))
    return chips
