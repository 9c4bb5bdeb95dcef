"""A Redis cache that never takes a request down with it.

Nothing the tracker keeps in the cache is needed to answer a request: throttle counts are a courtesy, and a lost
count only lets a client through. So an unreachable, hung or refusing Redis is a miss (reads) or a no-op (writes),
after at most the socket timeout, logged as a warning; and, as publishing to the broker does, the cache then skips
that Redis for a few seconds, so a hung server costs one request its timeout instead of every request.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

from tracker.backoff import Backoff

logger = logging.getLogger(__name__)

# One backoff per Redis location, shared by every thread of the process (Django gives each thread its own backend).
_backoffs: dict[str, Backoff] = {}
_MISSING = object()


class FailOpenRedisCache(RedisCache):
    """Django's RedisCache, except that Redis failing is a cache miss, never an exception.

    OPTIONS are Django's (passed to redis-py's connection pool: settings.py sets short socket timeouts), plus
    `backoff`: seconds to skip Redis after it failed.
    """

    def __init__(self, server, params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS", {}))
        self.backoff_seconds = float(options.pop("backoff", 5.0))
        super().__init__(server, {**params, "OPTIONS": options})
        self._backoff = _backoffs.setdefault(",".join(self._servers), Backoff())

    def _fail_open(self, fallback: Any, operation: Callable[..., Any], *args: Any) -> Any:
        if self._backoff.active():
            return fallback
        try:
            return operation(*args)
        except RedisError as error:
            self._backoff.failed(seconds=self.backoff_seconds)
            logger.warning("Cache unavailable (%s): misses and no-ops for the next %ss.", error, self.backoff_seconds)
            return fallback

    def ping(self) -> bool:
        """Whether Redis answers (for the health check); False without asking while backing off."""
        return self._fail_open(False, lambda: bool(self._cache.get_client().ping()))

    def get(self, key, default=None, version=None):
        return self._fail_open(default, super().get, key, default, version)

    def get_many(self, keys, version=None):
        return self._fail_open({}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._fail_open(False, super().has_key, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._fail_open(False, super().add, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._fail_open(None, super().set, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        # Django's contract: the keys that could not be stored.
        return self._fail_open(list(data), super().set_many, data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._fail_open(False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._fail_open(False, super().delete, key, version)

    def delete_many(self, keys, version=None):
        self._fail_open(None, super().delete_many, keys, version)

    def incr(self, key, delta=1, version=None):
        value = self._fail_open(_MISSING, super().incr, key, delta, version)
        if value is _MISSING:
            # A miss: Django's answer for incrementing a key the cache does not hold.
            raise ValueError(f"Key '{key}' not found (the cache is unavailable).")
        return value

    def clear(self):
        return self._fail_open(False, super().clear)
