"""A constant number of SQL queries per request, whatever the page size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article, Citation
from tests import factories


@pytest.fixture
def many(countries):
    codes = ["BOL", "VEN", "CUB", "RUS", "CHN", "IND", "BRA", "ZAF", "TUR", "SYR"]
    for index in range(60):
        agreement = factories.agreement("IRN", codes[index % len(codes)], date=str(1960 + index))
        agreement.status_changes.create(status="in_force", date=f"{1961 + index}-01-01", date_precision="year")
        article = Article.objects.create(url=f"https://news.example/{index}", title=f"Story {index}")
        for start in (0, 10):
            Citation.objects.create(article=article, agreement=agreement, quote="signed", start=start, end=start + 6)


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(queries)


@pytest.mark.parametrize(
    ("url", "most"),
    [
        # agreements, parties, status history, citations
        ("/api/v1/agreements/?page_size={n}", 4),
        # and the country the filter names
        ("/api/v1/agreements/?party=IRN&type=defense&page_size={n}", 5),
    ],
)
def test_agreement_list_queries_do_not_grow_with_the_page(api, many, url, most, django_assert_max_num_queries):
    one, fifty = _count(api, url.format(n=1)), _count(api, url.format(n=50))

    assert one == fifty
    with django_assert_max_num_queries(most):
        api.get(url.format(n=50))


def test_other_lists_queries_do_not_grow_with_the_page(api, many, django_assert_max_num_queries):
    for url in (
        "/api/v1/articles/?page_size={n}",
        "/api/v1/countries/?page_size={n}",
        "/api/v1/agreements/changes/?page_size={n}",
    ):
        assert _count(api, url.format(n=1)) == _count(api, url.format(n=50)), url


def test_ties_partners_and_detail_take_few_queries(api, many, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):  # two countries, agreements, parties, status history, citations
        api.get("/api/v1/ties/?a=IRN&b=BOL")
    with django_assert_max_num_queries(4):
        api.get("/api/v1/countries/IRN/partners/")
    agreement_id = api.get("/api/v1/agreements/?page_size=1").json()["results"][0]["id"]
    with django_assert_max_num_queries(6):  # the agreement, parties, status history, citations, links
        api.get(f"/api/v1/agreements/{agreement_id}/")


def test_json_export_queries_grow_by_chunks_not_rows(api, many):
    assert _count(api, "/api/v1/exports/agreements.json?type=economic") == _count(
        api, "/api/v1/exports/agreements.json"
    )
