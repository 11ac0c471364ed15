"""The shared cache for several workers: Redis, where an outage slows pages down instead of breaking them."""

import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


class ForgivingRedisCache(RedisCache):
    """Django's Redis cache, answering "not cached" while Redis cannot be reached.

    Everything cached here (counts, rendered lists) can be computed again
    from the database, so a Redis restart costs speed, never a 500 page.
    """

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except RedisError as exc:
            logger.warning("cache unavailable, computing instead: %s", exc)
            return default

    def set(self, key, value, timeout=None, version=None):
        try:
            super().set(key, value, timeout, version)
        except RedisError as exc:
            logger.warning("cache unavailable, not storing: %s", exc)

    def add(self, key, value, timeout=None, version=None):
        try:
            return super().add(key, value, timeout, version)
        except RedisError as exc:
            logger.warning("cache unavailable, not storing: %s", exc)
            return False
