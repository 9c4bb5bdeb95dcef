"""The Content-Security-Policy in a real Chromium: it blocks nothing the pages and the API docs need."""

import pytest
from django.core.management import call_command

from tests import factories

pytestmark = pytest.mark.browser


@pytest.fixture
def data(transactional_db, browser):
    call_command("load_countries", verbosity=0)
    factories.agreement("BOL", "IRN", title="Iran–Bolivia defence memorandum")
    factories.agreement("IRN", "VEN", type="economic", date="2010", title="Iran–Venezuela trade deal")


def test_the_country_page_draws_its_type_bars_under_the_policy(data, watched):
    watched.visit("/countries/IRN/")
    bars = watched.page.locator("td svg.stack rect")
    assert bars.count() == 2
    # The colour comes from the stylesheet ('self'), so a bar is not left black or unfilled.
    fills = {bars.nth(i).evaluate("node => getComputedStyle(node).fill") for i in range(bars.count())}
    assert len(fills) == 2 and "rgb(0, 0, 0)" not in fills  # Bolivia's defence bar, Venezuela's economic one
    watched.assert_clean()  # a blocked style, script or image is a console error


def test_the_api_docs_render_from_local_files_under_their_policy(data, watched):
    watched.visit("/api/v1/docs/")
    watched.page.wait_for_selector(".swagger-ui .info .title", timeout=30000)
    assert "Alliance tracker API" in watched.page.inner_text(".swagger-ui .info .title")
    watched.assert_clean()

    watched.visit("/api/v1/redoc/")
    watched.page.wait_for_selector("h1", timeout=30000)
    assert "Alliance tracker API" in watched.page.inner_text("h1")
    # Redoc's bundle is served with its logo pointed at a local file (tracker.api.views.redoc_bundle): nothing is
    # blocked and nothing leaves the server.
    watched.assert_clean()
