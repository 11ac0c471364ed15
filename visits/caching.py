"""Cached aggregates (facet counts, home page and topic tree counts), invalidated by every write.

A cache key carries the current DataVersion token, which every write renews
in its own transaction (`visits.refresh`): after a write commits, no request can read counts
computed before it. Reading the token is one indexed single-row query.
"""

import hashlib
import uuid

from django.core.cache import cache

from .models import DataVersion

TIMEOUT = 24 * 3600


def current_version(request=None):
    """Return the token of the data as this request sees it (read once per request)."""
    version = getattr(request, "_data_version", None)
    if version is None:
        version = DataVersion.objects.filter(pk=1).values_list("token", flat=True).first() or "none"
        if request is not None:
            request._data_version = version
    return version


def renew_version():
    """Mark every cached aggregate stale (call inside the writing transaction)."""
    token = uuid.uuid4().hex
    if not DataVersion.objects.filter(pk=1).update(token=token):
        DataVersion.objects.update_or_create(pk=1, defaults={"token": token})


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
