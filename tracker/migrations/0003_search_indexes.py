"""GIN indexes for full-text search, on PostgreSQL only (SQLite searches with LIKE).

They were expression indexes on the records' own columns; migration 0004 replaces them with the search entries'
index, so their expressions are kept here as they were.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

AGREEMENT_SEARCH_VECTOR_NAME = "agreement_search_gin"
ARTICLE_SEARCH_VECTOR_NAME = "article_search_gin"


def agreement_search_vector():
    return SearchVector("title", "name", "summary", config="english")


def article_search_vector():
    return SearchVector("title", "publisher", "text", config="english")


def _indexes(apps):
    return [
        (apps.get_model("tracker", "Agreement"), GinIndex(agreement_search_vector(), name=AGREEMENT_SEARCH_VECTOR_NAME)),
        (apps.get_model("articles", "Article"), GinIndex(article_search_vector(), name=ARTICLE_SEARCH_VECTOR_NAME)),
    ]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for model, index in _indexes(apps):
            schema_editor.add_index(model, index)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for model, index in _indexes(apps):
            schema_editor.remove_index(model, index)


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0002_agreement_attributes"),
        ("articles", "0003_ingestion_claims_and_field_spans"),
    ]

    operations = [migrations.RunPython(create, drop)]
