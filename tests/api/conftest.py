import time

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests import factories
from tests.processes import Gunicorn


def clear_of_a_window_boundary(*, period: float = 60, margin: float = 2) -> None:
    """Throttle windows are aligned to the clock: start a test that counts requests well inside one."""
    into = time.time() % period
    if into > period - margin:
        time.sleep(period - into + 0.05)


@pytest.fixture(autouse=True)
def fresh_throttles():
    """Throttle counters live in the cache: every test starts with a clean slate, inside one minute's window."""
    cache.clear()
    clear_of_a_window_boundary()
    yield
    cache.clear()


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def reader(db):
    """A signed-up user with no model permissions: may read, may not write."""
    return get_user_model().objects.create_user(username="priya", password="a-long-test-password")


@pytest.fixture
def admin(db):
    return get_user_model().objects.create_superuser(username="root", password="a-long-test-password")


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


@pytest.fixture
def analyst_api(analyst):
    return token_client(analyst)


@pytest.fixture
def iran_bolivia(countries):
    """The pair from the scenarios: three agreements over time, plus a rejected one that lists must hide."""
    economic = factories.agreement("IRN", "BOL", type="economic", status="signed", date="2007-09", title="Economic")
    drugs = factories.agreement("BOL", "IRN", type="security", status="signed", date="2012", title="Anti-drug MoU")
    defense = factories.agreement("IRN", "BOL", type="defense", status="signed", date="2023-07-20", title="Defence MoU")
    rejected = factories.agreement(
        "IRN", "BOL", type="nuclear", status="proposed", date="2020", title="False positive", review_state="rejected"
    )
    return {"economic": economic, "drugs": drugs, "defense": defense, "rejected": rejected}


@pytest.fixture
def serve():
    """gunicorn serving the app on the test database, as `make serve` runs it; stopped after the test."""
    started: list[Gunicorn] = []

    def start(*, workers: int = 1, **settings: str) -> Gunicorn:
        server = Gunicorn(workers=workers, **settings)
        started.append(server)
        server.start()
        return server

    yield start
    for server in started:
        server.stop()
