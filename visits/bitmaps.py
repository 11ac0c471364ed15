"""The visit list from compressed bitmaps of visit ids: filters, facet counts, totals and pages (PostgreSQL).

At 100,000 visits a facet's GROUP BY over the lookup tables costs 60-270 ms,
and a user clicking through facets asks for a new combination with almost
every click. So each process holds one bitmap of visit ids (pyroaring, a
Roaring bitmap) per facet value, built from the same lookup tables the SQL
path reads (`visits.indexing`): per official, topic (with its ancestors),
country (host or visitor), host country, visitor's country, visitor's
office, start year and month and end year; and each visit's start and end
day. Then

- a filter is the union of its values' bitmaps (repeats are OR), and the
  filters intersect (different parameters are AND);
- a facet counts, for each of its values, the visits of the other filters
  (`intersection_cardinality`: no bitmap is built for the count);
- the total is a cardinality, and a page's visits are found by walking the
  start years (newest first, or oldest), so only one page's rows are read.

Free text (`q=`) fetches its matching ids once through the GIN index and
joins the same machinery. The SQL path (`visits.queries`) stays: it serves
SQLite and the relevance order, and the tests compare the two.

Staying current. `visits.refresh`, which every write ends in, renews the data
version and logs the visits it touched (`IndexChange`). A process whose
index is older reads the log: a few changed visits are patched (their rows
read again, copy-on-write, so a request reading the old index is not
disturbed); many, an unknown change (a topic moved, demo data) or a gap in
the log mean a rebuild. A rebuild reads one snapshot (REPEATABLE READ) so
that the index matches the token it carries. With a shared cache
(`DJANGO_CACHE_URL`) the first process to rebuild stores the serialised
index there and the others load it instead of rebuilding (one builder at a
time, by a lock in the cache).
"""

import array
import datetime
import logging
import pickle
import threading
import time
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from pyroaring import BitMap

from .models import DataVersion, IndexChange, Visit, VisitCountry, VisitOffice, VisitOfficial, VisitTopic
from .queries import full_text_query, search_terms

log = logging.getLogger(__name__)

EPOCH = datetime.date(1970, 1, 1)
NO_DAY = -(2**31)
EMPTY = BitMap()
# Changed visits beyond this are rebuilt rather than patched: a patch reads their rows one table at a time.
PATCH_LIMIT = 20_000
BUILD_LOCK_SECONDS = 120
SHARED_WAIT_SECONDS = 30

# The filters a facet leaves out when it counts: its own (the year facet leaves out the dates).
FACET_FILTERS = {
    "country": "country",
    "official": "official",
    "office": "office",
    "topic": "topic",
    "year": "dates",
}


def enabled():
    return connection.vendor == "postgresql" and getattr(settings, "VISIT_BITMAPS", True)


def day(date):
    return (date - EPOCH).days


@contextmanager
def snapshot():
    """One snapshot for every query inside: REPEATABLE READ, unless a transaction is already open (tests)."""
    outer = connection.in_atomic_block
    with transaction.atomic():
        if not outer:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def aggregated(sql, params=()):
    """Run `SELECT key, array_agg(visit id) ... GROUP BY key`; return {key: BitMap}."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {key: BitMap(ids) for key, ids in cursor.fetchall()}


def dimension_queries(where_visit="", where_id=""):
    """Return {dimension: SQL} reading (key, ids) from the lookup tables, narrowed by the given WHERE clauses."""
    visits = Visit._meta.db_table
    visitors = Visit.visitors.through._meta.db_table
    officials = Visit.visitors.field.related_model._meta.db_table
    return {
        "country": f"SELECT country, array_agg(visit_id) FROM {VisitCountry._meta.db_table} {where_visit} "
        "GROUP BY country",
        "host_country": f"SELECT host_country, array_agg(id) FROM {visits} {where_id} GROUP BY host_country",
        # As `VisitQuerySet.with_visitors_from`: the visitor's own country.
        "visitor_country": f"SELECT o.country, array_agg(DISTINCT v.visit_id) FROM {visitors} v "
        f"JOIN {officials} o ON o.id = v.official_id {where_visit.replace('visit_id', 'v.visit_id')} "
        "GROUP BY o.country",
        "official": f"SELECT official_id, array_agg(visit_id) FROM {VisitOfficial._meta.db_table} {where_visit} "
        "GROUP BY official_id",
        "topic": f"SELECT topic_id, array_agg(visit_id) FROM {VisitTopic._meta.db_table} {where_visit} "
        "GROUP BY topic_id",
        "office": f"SELECT office_slug, array_agg(visit_id) FROM {VisitOffice._meta.db_table} {where_visit} "
        "GROUP BY office_slug",
        "start_year": f"SELECT extract(year FROM start)::int, array_agg(id) FROM {visits} {where_id} GROUP BY 1",
        # year * 100 + month: the year facet is its sum, and the timeline by month reads it as it is.
        "start_month": f"SELECT (extract(year FROM start) * 100 + extract(month FROM start))::int, array_agg(id) "
        f"FROM {visits} {where_id} GROUP BY 1",
        "end_year": f'SELECT extract(year FROM "end")::int, array_agg(id) FROM {visits} {where_id} GROUP BY 1',
    }


def visit_days(where_id="", params=()):
    """Return (ids, start days, end days) of the visits (days since 1970-01-01)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT coalesce(array_agg(id), '{{}}'), coalesce(array_agg(start - DATE '1970-01-01'), '{{}}'), "
            f"coalesce(array_agg(\"end\" - DATE '1970-01-01'), '{{}}') FROM {Visit._meta.db_table} {where_id}",
            params,
        )
        return cursor.fetchone()


def set_days(table, ids, days):
    """Write each id's day into `table` (an array indexed by visit id), growing it as needed."""
    if ids:
        top = max(ids)
        if top >= len(table):
            table.extend([NO_DAY] * (top + 1 - len(table)))
    for visit_id, value in zip(ids, days, strict=True):
        table[visit_id] = value


class Index:
    """Bitmaps of the visits at one data version (`token`), having applied the change log up to `applied`."""

    def __init__(self, token, applied, every, dims, starts, ends):
        self.token = token
        self.applied = applied
        self.every = every
        self.dims = dims  # {dimension: {key: BitMap}}
        self.starts = starts  # array: visit id -> start day
        self.ends = ends
        # Visit id -> one integer in (start, end) order: a page sorts a year's visits by a C-level
        # lookup (keys.__getitem__) instead of a Python call per visit, and ties compare as equal keys.
        self.keys = array.array("q", [(s << 32) + (e - s) for s, e in zip(starts, ends, strict=True)])

    # Building ---------------------------------------------------------------

    @classmethod
    def build(cls):
        """Read every visit's bitmaps in one snapshot, with the token and log position they belong to."""
        with snapshot():
            token, applied = position()
            dims = {name: aggregated(sql) for name, sql in dimension_queries().items()}
            ids, starts, ends = visit_days()
        start_days, end_days = array.array("i"), array.array("i")
        set_days(start_days, ids, starts)
        set_days(end_days, ids, ends)
        return cls(token, applied, BitMap(ids), dims, start_days, end_days)

    def patched(self, token, applied, visit_ids):
        """Return a new Index with the visits `visit_ids` read again (this one is left as it was)."""
        changed = BitMap(visit_ids)
        params = [list(changed)]
        with snapshot():
            fresh = {
                name: aggregated(sql, params)
                for name, sql in dimension_queries("WHERE visit_id = ANY(%s)", "WHERE id = ANY(%s)").items()
            }
            ids, starts, ends = visit_days("WHERE id = ANY(%s)", params)
        dims = {}
        for name, bitmaps in self.dims.items():
            updated = dict(bitmaps)
            for key, bitmap in bitmaps.items():
                if bitmap.intersect(changed):
                    updated[key] = bitmap - changed
            for key, added in fresh[name].items():
                updated[key] = updated.get(key, EMPTY) | added
            dims[name] = {key: bitmap for key, bitmap in updated.items() if bitmap}
        start_days, end_days = array.array("i", self.starts), array.array("i", self.ends)
        set_days(start_days, ids, starts)
        set_days(end_days, ids, ends)
        every = (self.every - changed) | BitMap(ids)
        return Index(token, applied, every, dims, start_days, end_days)

    def dumps(self):
        dims = {name: {key: b.serialize() for key, b in bitmaps.items()} for name, bitmaps in self.dims.items()}
        state = (self.token, self.applied, self.every.serialize(), dims, self.starts, self.ends)
        return pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def loads(cls, blob):
        token, applied, every, dims, starts, ends = pickle.loads(blob)  # our own cache entry, never user input
        dims = {name: {key: BitMap.deserialize(b) for key, b in bitmaps.items()} for name, bitmaps in dims.items()}
        return cls(token, applied, BitMap.deserialize(every), dims, starts, ends)

    # Filtering ----------------------------------------------------------------

    def union(self, dimension, keys):
        return BitMap.union(EMPTY, *(self.dims[dimension].get(key, EMPTY) for key in keys))

    def overlapping(self, date_from=None, date_to=None):
        """Visits overlapping [date_from, date_to] (`VisitQuerySet.overlapping`): whole years, then the edge year."""
        result = self.every
        if date_to:
            limit, year = day(date_to), date_to.year
            years = self.dims["start_year"]
            before = BitMap.union(EMPTY, *(b for y, b in years.items() if y < year))
            edge = BitMap(i for i in years.get(year, EMPTY) if self.starts[i] <= limit)
            result = result & (before | edge)
        if date_from:
            limit, year = day(date_from), date_from.year
            years = self.dims["end_year"]
            after = BitMap.union(EMPTY, *(b for y, b in years.items() if y > year))
            edge = BitMap(i for i in years.get(year, EMPTY) if self.ends[i] >= limit)
            result = result & (after | edge)
        return result

    def filters(self, data, search_ids=None):
        """Return {filter name: BitMap} for a VisitFilterSet's cleaned data (only the filters given)."""
        bitmaps = {}
        for name in ("country", "host_country", "visitor_country", "office"):
            if data.get(name):
                bitmaps[name] = self.union(name, [str(value) for value in data[name]])
        for name in ("official", "topic"):
            if data.get(name):
                bitmaps[name] = self.union(name, [obj.pk for obj in data[name]])
        if data.get("date_from") or data.get("date_to"):
            bitmaps["dates"] = self.overlapping(data.get("date_from"), data.get("date_to"))
        if search_ids is not None:
            bitmaps["q"] = search_ids
        return bitmaps

    def matching(self, bitmaps, leave_out=None):
        """The visits every filter but `leave_out` keeps."""
        chosen = sorted((b for name, b in bitmaps.items() if name != leave_out), key=len)
        if not chosen:
            return self.every
        result = chosen[0] & self.every
        for bitmap in chosen[1:]:
            result &= bitmap
        return result

    def counts(self, dimension, base):
        """Return {key: visits of `base` with it}, for the keys with any."""
        everything = len(base) == len(self.every)
        found = {}
        for key, bitmap in self.dims[dimension].items():
            n = len(bitmap) if everything else base.intersection_cardinality(bitmap)
            if n:
                found[key] = n
        return found

    # A page -----------------------------------------------------------------

    def page_ids(self, matching, offset, limit, newest_first=True):
        """Return the ids of the visits from `offset` to `offset + limit` in date order, with every visit tied
        with the first or last of them (same start and end): the caller orders those by slug and cuts.

        Returns (ids in date order, how many of `matching` come before the first of them).
        """
        years = self.dims["start_year"]
        before, picked, skipped = 0, [], 0
        for year in sorted(years, reverse=newest_first):
            n = matching.intersection_cardinality(years[year])
            if not picked and before + n <= offset:
                before += n
                continue
            if not picked:
                skipped = before
            ids = list(matching & years[year])
            picked.extend(sorted(ids, key=self.keys.__getitem__, reverse=newest_first))
            if skipped + len(picked) >= offset + limit:
                break
        if not picked:
            return [], before
        first, last = offset - skipped, min(offset - skipped + limit, len(picked)) - 1
        key = self.keys.__getitem__
        while first > 0 and key(picked[first - 1]) == key(picked[first]):
            first -= 1
        while last + 1 < len(picked) and key(picked[last + 1]) == key(picked[last]):
            last += 1
        return picked[first : last + 1], skipped + first


def position():
    """Return (the data version token, the id of the last change logged), as the current snapshot sees them."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT token FROM {DataVersion._meta.db_table} WHERE id = 1), "
            f"(SELECT coalesce(max(id), 0) FROM {IndexChange._meta.db_table})"
        )
        token, applied = cursor.fetchone()
    return token or "none", applied


# The index of this process -----------------------------------------------------------

_lock = threading.Lock()
_current = None


def current(token):
    """Return the Index for the data version `token` (patched, loaded or built as needed), or None if off."""
    global _current
    if not enabled():
        return None
    index = _current
    if index is not None and index.token == token:
        return index
    with _lock:
        index = _current
        if index is None or index.token != token:
            index = catch_up(index, token)
            _current = index
    return index


def forget():
    """Drop this process's index (tests; after restoring a backup)."""
    global _current
    with _lock:
        _current = None


def catch_up(index, token):
    """Return an Index at `token`: `index` patched by the change log when that is cheap, else a new one."""
    if index is not None:
        changes = list(
            IndexChange.objects.filter(pk__gt=index.applied).order_by("pk").values_list("pk", "token", "visit_ids")
        )
        wanted = next((n for n, (_, logged, _) in enumerate(changes) if logged == token), None)
        if wanted is not None:
            steps = changes[: wanted + 1]
            if all(ids is not None for _, _, ids in steps):
                changed = {visit_id for _, _, ids in steps for visit_id in ids}
                if len(changed) <= PATCH_LIMIT:
                    return index.patched(token, steps[-1][0], changed)
    return shared_or_built(token)


def shared_cache_key(token):
    return f"visit-bitmaps:{token}"


def shared_or_built(token):
    """Load the index for `token` from the shared cache, or build it (one process at a time) and share it."""
    shared = getattr(settings, "CACHE_URL", "")
    if not shared:
        return timed_build()
    key = shared_cache_key(token)
    deadline = time.monotonic() + SHARED_WAIT_SECONDS
    while True:
        blob = cache.get(key)
        if blob is not None:
            return Index.loads(blob)
        if cache.add(f"{key}:building", 1, BUILD_LOCK_SECONDS):
            try:
                index = timed_build()
                cache.set(shared_cache_key(index.token), index.dumps(), 24 * 3600)
                return index
            finally:
                cache.delete(f"{key}:building")
        if time.monotonic() > deadline:  # the builder died or is slow: build here rather than wait more
            return timed_build()
        time.sleep(0.1)


def timed_build():
    began = time.perf_counter()
    index = Index.build()
    log.info("visit bitmaps built in %.0f ms (%d visits)", 1000 * (time.perf_counter() - began), len(index.every))
    return index


# Free text ----------------------------------------------------------------------


def search_ids(q):
    """The ids of the visits matching `q`, read through the GIN index of the stored vectors.

    For a common word PostgreSQL would choose a sequential scan that
    de-toasts every stored vector (it does not price the de-toasting); the
    ids alone through the index cost a few ms.
    """
    if not search_terms(q):
        return None
    matching = Visit.objects.filter(search_vector=full_text_query(q)).order_by().values("pk")
    sql, params = matching.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"SELECT coalesce(array_agg(pk), '{{}}') FROM ({sql}) AS matching", params)
        (ids,) = cursor.fetchone()
        cursor.execute("SET LOCAL enable_seqscan TO DEFAULT")
    return BitMap(ids)
