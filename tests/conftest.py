import pytest
from django.core.management import call_command

from tests import factories
from tests.processes import RedisServer
from tracker.settings import cache_from_url


@pytest.fixture
def countries(db):
    """Every reference country, loaded the way `make run` loads them."""
    call_command("load_countries", verbosity=0)


@pytest.fixture
def analyst(db):
    return factories.analyst()


@pytest.fixture
def analyst_client(client, analyst):
    client.force_login(analyst)
    return client


@pytest.fixture
def redis_server():
    """A Redis server of the test's own, which it may stop, start and pause."""
    server = RedisServer()
    server.start()
    yield server
    server.cleanup()


@pytest.fixture
def redis_cache(redis_server, settings):
    """The default cache on the test's own Redis server, built as settings.py builds it from CACHE_URL."""
    settings.CACHES = {"default": cache_from_url(redis_server.url)}
    return redis_server
