"""The API honours its own OpenAPI schema: schemathesis generates requests from it and checks every response.

Bounded and deterministic: few examples per operation, derandomized Hypothesis, no example database, against the
WSGI application in-process (no server). Writes are made anonymously, so they exercise validation and the 401s.
"""

import json

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from tests import factories
from tracker.wsgi import application


def _raw_schema() -> dict:
    return json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))


schema = schemathesis.openapi.from_dict(_raw_schema())
schema.app = application


@pytest.fixture
def contract_data(countries, settings):
    settings.API_THROTTLE_ANON = settings.API_THROTTLE_USER = ""
    settings.ALLOWED_HOSTS = ["*"]
    factories.agreement("IRN", "BOL", type="defense", date="2023-07")
    factories.agreement("RUS", "CHN", type="energy", status="in_force", date="2014")
    # Called as a plain WSGI app, Django would close the test's connection at the end of each request (the test
    # Client disconnects this handler the same way).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@hypothesis_settings(
    max_examples=8,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema(case, contract_data):
    # Every check but two. Whether a country code names a known country depends on the data, not the schema: a
    # well-formed unknown code in a filter is rightly a 400 that "positive data acceptance" would call a failure.
    # And an empty filter (`?updated_since=`) means "no filter", as it does when the HTML list's form submits empty
    # fields through the same AgreementFilter, which "negative data rejection" would call a failure.
    case.call_and_validate(excluded_checks=[positive_data_acceptance, negative_data_rejection])
