"""Too many requests get a 429 with Retry-After, at the rates the environment sets."""

import pytest
import redis
from django.test import override_settings

from tests.api.conftest import token_client


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
