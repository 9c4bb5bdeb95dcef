"""Skip a service that failed moments ago, so that an outage costs one caller its timeout instead of every caller.

Publishing to the broker (articles.services) and the Redis cache (tracker.cache) both use it. The state is per
process and in memory: each web process finds out for itself, at the price of one timeout per backoff period.
"""

from __future__ import annotations

import time


class Backoff:
    def __init__(self) -> None:
        self._until = 0.0

    def active(self) -> bool:
        """Whether the service failed less than the backoff ago: callers should not wait on it now."""
        # The monotonic clock: a wall-clock jump must neither lift the backoff early nor stretch it for hours.
        return time.monotonic() < self._until

    def failed(self, *, seconds: float) -> None:
        self._until = time.monotonic() + seconds

    def reset(self) -> None:
        self._until = 0.0
