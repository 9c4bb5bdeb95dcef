import pytest
from django.contrib.auth import get_user_model

from alerts.services import watchlist_save


@pytest.fixture
def watcher(db):
    return get_user_model().objects.create_user(
        username="amara", email="amara@example.org", password="a-long-test-password"
    )


@pytest.fixture
def other_user(db):
    return get_user_model().objects.create_user(
        username="tomas", email="tomas@example.org", password="a-long-test-password"
    )


@pytest.fixture
def watch(watcher):
    """Save a watchlist of the watcher's: watch("BOL", "IRN", types=["defense"])."""

    def make(*countries, name="", **criteria):
        return watchlist_save(
            owner=watcher, name=name or " – ".join(countries) or "All", countries=countries, **criteria
        )

    return make
