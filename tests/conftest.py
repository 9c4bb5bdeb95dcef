import pytest
from django.core.management import call_command

from tests import factories


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
