import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests import factories


@pytest.fixture(autouse=True)
def fresh_throttles():
    """Throttle counters live in the cache: every test starts with a clean slate."""
    cache.clear()
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
