"""Too many requests get a 429 with Retry-After, at the rates the environment sets."""

import http.client
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
from django.test import override_settings

from tests.api.conftest import clear_of_a_window_boundary, token_client
from tracker.api.throttling import client_address


@override_settings(API_THROTTLE_ANON="3/min", API_THROTTLE_USER="5/min")
def test_anonymous_clients_are_throttled_with_retry_after(api, db):
    statuses = [api.get("/api/v1/agreements/").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    response = api.get("/api/v1/agreements/")
    assert 0 < int(response["Retry-After"]) <= 60
    error = response.json()["error"]
    assert error["code"] == "throttled"
    assert 0 < error["retry_after"] <= 60


@override_settings(API_THROTTLE_ANON="3/min", API_THROTTLE_USER="5/min")
def test_authenticated_clients_have_their_own_higher_rate(reader):
    client = token_client(reader)

    assert [client.get("/api/v1/agreements/").status_code for _ in range(6)] == [200] * 5 + [429]


@override_settings(API_THROTTLE_ANON="", API_THROTTLE_USER="")
def test_empty_rates_switch_throttling_off(api, db):
    assert {api.get("/api/v1/agreements/").status_code for _ in range(30)} == {200}


@pytest.mark.integration
@override_settings(API_THROTTLE_ANON="3/min", API_THROTTLE_USER="5/min")
def test_throttle_counts_live_in_a_redis_cache_and_still_limit_clients(api, db, redis_cache):
    statuses = [api.get("/api/v1/agreements/").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    # The counts are in Redis, where every web process shares them, not in this process's memory.
    assert len(redis.Redis.from_url(redis_cache.url).keys("*throttle_anon*")) == 1


# ---------------------------------------------------------------------------------------------------------------------
# The client's address, and the counters behind the production server


@pytest.mark.parametrize(
    ("forwarded", "trusted", "address"),
    [
        (None, 0, "192.0.2.1"),
        ("203.0.113.9", 0, "192.0.2.1"),  # nobody vouches for the header: ignored
        (None, 1, "192.0.2.1"),
        ("203.0.113.9", 1, "203.0.113.9"),
        ("6.6.6.6, 203.0.113.9", 1, "203.0.113.9"),  # the client's own entries come first
        ("6.6.6.6, 203.0.113.9, 10.0.0.2", 2, "203.0.113.9"),
        ("203.0.113.9", 3, "203.0.113.9"),  # fewer hops than proxies: the first is the best there is
        ("2001:db8::1", 1, "2001:db8::1"),
        ("bad key\r\n", 1, "badkey"),
    ],
)
def test_the_client_address_is_the_entry_the_outermost_trusted_proxy_wrote(forwarded, trusted, address):
    meta = {"REMOTE_ADDR": "192.0.2.1"} | ({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {})

    assert client_address(meta, trusted_proxies=trusted) == address


@override_settings(API_THROTTLE_ANON="3/min", TRUSTED_PROXY_COUNT=0)
def test_a_forged_x_forwarded_for_does_not_reset_the_anonymous_limit(api, db):
    statuses = [api.get("/api/v1/agreements/", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code for n in range(5)]

    assert statuses == [200, 200, 200, 429, 429]


def _get_many(server, headers: list[dict[str, str]]) -> list[int]:
    """One GET /api/v1/agreements/ per set of headers, twenty at a time, each on its own connection."""

    def get(extra: dict[str, str]) -> int:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        try:
            connection.request("GET", "/api/v1/agreements/", headers=extra)
            response = connection.getresponse()
            response.read()
            return response.status
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=20) as pool:
        return list(pool.map(get, headers))


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_behind_gunicorn_concurrent_requests_with_forged_addresses_get_exactly_the_limit(serve, redis_server):
    # Two web processes sharing the Redis counters, as in production; before, every forged X-Forwarded-For was a
    # new client (300 of 300 admitted), and concurrent requests of one client were over-admitted (127 for 120).
    server = serve(workers=2, CACHE_URL=redis_server.url, API_THROTTLE_ANON="20/hour")
    clear_of_a_window_boundary(period=3600, margin=60)

    statuses = _get_many(server, [{"X-Forwarded-For": f"198.51.100.{n % 250}"} for n in range(60)])

    assert Counter(statuses) == {200: 20, 429: 40}


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_behind_gunicorn_and_one_trusted_proxy_each_client_has_its_own_limit(serve, redis_server):
    server = serve(workers=2, CACHE_URL=redis_server.url, API_THROTTLE_ANON="20/hour", TRUSTED_PROXY_COUNT="1")
    clear_of_a_window_boundary(period=3600, margin=60)

    # The test plays the proxy: it appends the address each request came from, after whatever the client sent.
    first = _get_many(server, [{"X-Forwarded-For": f"6.6.6.{n}, 203.0.113.7"} for n in range(30)])
    second = _get_many(server, [{"X-Forwarded-For": "203.0.113.8"} for _ in range(5)])

    assert Counter(first) == {200: 20, 429: 10}
    assert second == [200] * 5
