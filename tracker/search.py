"""Full-text search vectors, shared by the search page and the indexes that serve it (PostgreSQL only).

The query must use exactly the expression the index was built on, so both come from here.
"""

from django.contrib.postgres.search import SearchVector

AGREEMENT_SEARCH_VECTOR_NAME = "agreement_search_gin"
ARTICLE_SEARCH_VECTOR_NAME = "article_search_gin"


def agreement_search_vector() -> SearchVector:
    return SearchVector("title", "name", "summary", config="english")


def article_search_vector() -> SearchVector:
    return SearchVector("title", "publisher", "text", config="english")
