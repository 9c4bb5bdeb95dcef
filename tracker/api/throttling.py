"""API rate limits: one atomic counter per client and fixed window, in the default cache.

DRF's own throttles keep a list of timestamps per client and write it back after reading it, so concurrent requests
from one client (several web processes) read the same list and each adds itself: 127 admitted for a limit of 120.
Here each request is one `incr` of a counter that `add` created with the window's expiry (Redis INCR on the shared
cache), so no two requests can both take the last place. The window is fixed (aligned to the clock): a client may
send its limit at the end of one window and again at the start of the next.

A cache that fails open (tracker/cache.py) holds no counter while Redis is down: then every request is let through.
"""

from __future__ import annotations

import re

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

# What may go into a cache key from a header: addresses are digits, hex, dots and colons.
_UNSAFE_IDENT = re.compile(r"[^0-9A-Za-z.:_-]")


def client_address(meta: dict, *, trusted_proxies: int) -> str:
    """The address of the client that sent the request, as far as the trusted proxies vouch for it.

    Each trusted proxy appends the address it received the request from to X-Forwarded-For, so the client is the
    entry written by the outermost one, `trusted_proxies` from the end; everything to its left is whatever the
    client chose to send. Without trusted proxies the header is ignored: anyone can send it.
    """
    remote = meta.get("REMOTE_ADDR") or ""
    forwarded = meta.get("HTTP_X_FORWARDED_FOR")
    if trusted_proxies <= 0 or not forwarded:
        address = remote
    else:
        hops = [hop.strip() for hop in forwarded.split(",")]
        address = hops[-min(trusted_proxies, len(hops))] or remote
    return _UNSAFE_IDENT.sub("", address)[:64]


class FixedWindowThrottle(SimpleRateThrottle):
    """A rate from settings at request time, counted with `add` + `incr` in fixed windows."""

    setting = ""

    def get_rate(self) -> str | None:
        # Read at request time, not import time, so that a deployment (or a test) can change it without a restart.
        return getattr(settings, self.setting) or None

    def get_ident(self, request) -> str:
        return client_address(request.META, trusted_proxies=settings.TRUSTED_PROXY_COUNT)

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        now = self.timer()
        window = int(now // self.duration)
        self.wait_seconds = (window + 1) * self.duration - now
        counter = f"{key}_{window}"
        # The counter outlives its window by a second, so that a request at the very end still finds it.
        self.cache.add(counter, 0, timeout=self.duration + 1)
        try:
            count = self.cache.incr(counter)
        except ValueError:
            # No counter: the cache is down (it fails open) or evicted it. Let the request through.
            return True
        return count <= self.num_requests

    def wait(self) -> float:
        return self.wait_seconds


class AnonThrottle(FixedWindowThrottle):
    """Anonymous clients, per address (API_THROTTLE_ANON)."""

    scope = "anon"
    setting = "API_THROTTLE_ANON"

    def get_cache_key(self, request, view) -> str | None:
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class UserThrottle(FixedWindowThrottle):
    """Signed-in users, per user (API_THROTTLE_USER)."""

    scope = "user"
    setting = "API_THROTTLE_USER"

    def get_cache_key(self, request, view) -> str | None:
        if not (request.user and request.user.is_authenticated):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}
