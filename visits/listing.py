"""Lists of rows, a page at a time: what every list page and detail page is built from.

- `paginate`: a page of a filtered QuerySet, its count cached until the
  next write, its rows read by id (`CountedPaginator`).
- `bitmap_page`, `index_filters`: a page of the visit list from the bitmap
  index (visits.bitmaps) on PostgreSQL.
- `Sections`: a detail page's lists, lazy and cached, so that a page whose
  rendered HTML is cached too (the templates' `{% cache %}` blocks) runs
  none of their queries.
"""

from django.contrib.postgres.search import SearchRank
from django.core.paginator import Paginator
from django.db.models import Count, F, Subquery
from django.db.models.expressions import RawSQL
from django.utils.functional import SimpleLazyObject
from pyroaring import BitMap

from . import bitmaps
from .caching import cached
from .models import Visit
from .queries import full_text_query

PER_PAGE = 25
# Detail pages show the newest rows of each long list and link to the full, filtered list.
DETAIL_LIMIT = 20


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


def index_filters(index, filterset, version):
    """The filters' bitmaps; free text's matching ids are read once per data version (through the GIN index)."""
    q = filterset.form.cleaned_data.get("q")
    matching = None
    if q:
        blob = cached("search-ids", q, lambda: serialized(bitmaps.search_ids(q)), version)
        matching = BitMap.deserialize(blob) if blob is not None else None
    return index.filters(filterset.form.cleaned_data, matching)


def serialized(bitmap):
    return bitmap.serialize() if bitmap is not None else None


def ids_in(bitmap):
    """A subquery of the ids of `bitmap`, passed as one array parameter (not one parameter per id)."""
    return RawSQL("SELECT unnest(%s::bigint[])", [list(bitmap)])


def bitmap_page(index, matching, filterset, per_page=PER_PAGE):
    """Return (page or None, error) of the visits `matching`, in the order asked, reading one page's rows.

    By date: the index finds the page's ids (and any tied with its first or
    last on both dates), and the database orders those few by date and slug,
    exactly as the SQL path does. By relevance: the matching ids are ranked
    in SQL (only they are read).
    """
    paginator = CountedPaginator(Visit.objects.none(), per_page, len(matching))
    number = filterset.page_number
    if number > paginator.num_pages and number > 1:
        return None, f"There is no page {number}; the last page is {paginator.num_pages}."
    number = paginator.validate_number(number)
    offset = (number - 1) * per_page
    data = filterset.form.cleaned_data
    visits = Visit.objects.for_list()
    if data.get("sort") == "relevance" and data.get("q"):
        ranked = visits.filter(pk__in=ids_in(matching)).annotate(
            rank=SearchRank(F("search_vector"), full_text_query(data["q"]))
        )
        rows = list(filterset.sort_queryset(ranked)[offset : offset + per_page])
    else:
        ids, before = index.page_ids(matching, offset, per_page, newest_first=data.get("sort") != "date")
        window = list(filterset.sort_queryset(visits.filter(pk__in=ids)))
        rows = window[offset - before : offset - before + per_page]
    return paginator._get_page(rows, number, paginator), None
