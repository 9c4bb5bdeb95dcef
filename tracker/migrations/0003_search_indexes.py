"""GIN indexes for full-text search, on PostgreSQL only (SQLite searches with LIKE).

They are expression indexes built from tracker/search.py, the same expressions the search selector queries with.
"""

from django.contrib.postgres.indexes import GinIndex
from django.db import migrations

from tracker.search import (
    AGREEMENT_SEARCH_VECTOR_NAME,
    ARTICLE_SEARCH_VECTOR_NAME,
    agreement_search_vector,
    article_search_vector,
)


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
