"""The dyad-year export behind the production server: gunicorn, sync workers, the default 30 s worker timeout.

Before the export was bounded, `end_year=3834` ran until gunicorn killed the worker, and the default file was built
in memory before its first byte was sent.
"""

import csv
import http.client
import io
import json
import time

import pytest

from tests import factories
from tests.processes import Gunicorn
from tracker import dyads

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def alliance(countries):
    factories.agreement("IRN", "BOL", type="defense", status="in_force", date="2020")


def _get(server: Gunicorn, path: str) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    connection.request("GET", path)
    return connection.getresponse()


def test_a_far_future_end_year_is_a_400_at_once_and_the_default_export_streams(alliance, serve):
    server = serve(API_THROTTLE_ANON="")

    started = time.monotonic()
    refused = _get(server, "/api/v1/exports/dyad-years.csv?end_year=3834")
    body = json.loads(refused.read())
    assert time.monotonic() - started < 2
    assert refused.status == 400
    assert body["error"]["code"] == "invalid_filter"
    assert list(body["error"]["fields"]) == ["end_year"]

    response = _get(server, "/api/v1/exports/dyad-years.csv")
    assert response.status == 200
    assert response.getheader("Transfer-Encoding") == "chunked"
    assert response.getheader("Content-Length") is None
    rows = list(csv.DictReader(io.StringIO(response.read().decode())))
    assert {(row["code_a"], row["code_b"]) for row in rows} == {("BOL", "IRN")}
    assert int(rows[0]["year"]) == 2020


def test_an_export_past_its_time_limit_ends_as_an_incomplete_response(alliance, serve):
    server = serve(API_THROTTLE_ANON="", EXPORT_TIME_LIMIT="0")

    response = _get(server, "/api/v1/exports/dyad-years.csv?start_year=2000")

    assert response.status == 200
    with pytest.raises(http.client.IncompleteRead) as cut:
        response.read()
    assert cut.value.partial.startswith(",".join(dyads.DYAD_YEAR_COLUMNS).encode())
