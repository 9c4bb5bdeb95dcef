"""Every page renders with a constant number of queries, whatever the amount of data."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from tests import factories
from tests.pages.conftest import cited_article
from tracker.models import Agreement

PARTNERS = ["BOL", "VEN", "CUB", "NIC", "ARG", "BRA", "CHN", "RUS", "IND", "TUR"]


def grow(size: int) -> None:
    for i in range(size):
        partner = PARTNERS[i % len(PARTNERS)]
        agreement = factories.agreement("IRN", partner, type=["defense", "economic"][i % 2], date=str(1990 + i))
        if partner == "BOL":
            cited_article(agreement, title=f"Report {i}")
    factories.agreement("IRN", "BOL", "VEN", type="energy", date="2015")
    recent = datetime.date.today() - datetime.timedelta(days=40)
    factories.agreement("IRN", "BOL", type="defense", date=recent.strftime("%Y-%m"))


def urls() -> list[str]:
    agreement = Agreement.objects.filter(citations__isnull=False).first()
    article = Article.objects.first()
    return [
        "/",
        "/countries/IRN/",
        "/countries/IRN/?type=defense&start_date_from=1991",
        "/pairs/BOL/IRN/",
        f"/agreements/{agreement.pk}/",
        "/agreements/?type=economic",
        "/review/",
        "/network/?start_date_from=1980",
        "/search/?q=Report",
        "/articles/",
        f"/articles/{article.pk}/",
    ]


def count_queries(client) -> dict[str, int]:
    counts = {}
    for url in urls():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        counts[url.split("?")[0].rstrip("0123456789/") + "?" + url.partition("?")[2]] = len(queries)
    return counts


@pytest.mark.parametrize("as_analyst", [False, True])
def test_pages_use_the_same_number_of_queries_at_two_data_sizes(countries, client, analyst, as_analyst):
    if as_analyst:
        client.force_login(analyst)
    grow(3)
    small = count_queries(client)
    grow(40)
    large = count_queries(client)
    assert small == large
    assert max(large.values()) <= 16, large


def test_page_query_bounds(countries, client, django_assert_max_num_queries):
    grow(25)
    for url in urls():
        with django_assert_max_num_queries(13):
            client.get(url)
