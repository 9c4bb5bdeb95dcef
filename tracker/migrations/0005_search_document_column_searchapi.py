"""PostgreSQL: the search entries' weighted vector in a stored generated column with its GIN index, instead of
0004's expression index (matching no longer recomputes vectors; see tracker/search.py). SQLite is unchanged."""

from django.db import migrations

from tracker import search


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in search.POSTGRES_CREATE:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {search.POSTGRES_DOCUMENT_INDEX}")
        schema_editor.execute("ALTER TABLE tracker_searchentry DROP COLUMN IF EXISTS document")
        schema_editor.execute(
            f"CREATE INDEX {search.POSTGRES_INDEX} ON tracker_searchentry USING gin (({search.POSTGRES_DOCUMENT}))"
        )


class Migration(migrations.Migration):
    dependencies = [("tracker", "0004_search_entries_searchapi")]

    operations = [migrations.RunPython(create, drop)]
