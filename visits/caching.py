"""Cached aggregates (facet counts, home page and topic tree counts), invalidated by every write.

A cache key carries the current DataVersion token, which every write renews
in its own transaction (`visits.refresh`): after a write commits, no request can read counts
computed before it. Reading the token is one indexed single-row query.
"""

import hashlib
import uuid

from django.core.cache import cache

from .models import DataVersion, IndexChange

TIMEOUT = 24 * 3600
# Changes logged for the bitmap indexes (visits.bitmaps) kept: an index further behind rebuilds.
CHANGES_KEPT = 1000


def current_version(request=None):
    """Return the token of the data as this request sees it (read once per request)."""
    version = getattr(request, "_data_version", None)
    if version is None:
        version = DataVersion.objects.filter(pk=1).values_list("token", flat=True).first() or "none"
        if request is not None:
            request._data_version = version
    return version


def renew_version(visit_ids=None):
    """Mark every cached aggregate stale (call inside the writing transaction).

    `visit_ids`: the visits the write changed (created, changed, deleted),
    logged so that the bitmap indexes patch only those; None: unknown, or
    every visit. Updating the version row first serialises writers, so the
    log's ids follow the order of their commits.
    """
    token = uuid.uuid4().hex
    if not DataVersion.objects.filter(pk=1).update(token=token):
        DataVersion.objects.update_or_create(pk=1, defaults={"token": token})
    change = IndexChange.objects.create(token=token, visit_ids=None if visit_ids is None else sorted(set(visit_ids)))
    IndexChange.objects.filter(pk__lte=change.pk - CHANGES_KEPT).delete()


def cached(name, parts, compute, version=None):
    """Return compute() for (name, parts) at the current data version, computing it at most once."""
    version = version or current_version()
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    key = f"visits:{name}:{version}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value
