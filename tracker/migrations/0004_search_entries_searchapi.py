"""Search entries for countries, agreements and articles, their full-text index, and the entries of existing rows.

SQLite gets an FTS5 table kept in step with the entries by triggers; PostgreSQL a GIN index on the entries'
weighted vector (tracker/search.py defines both) instead of migration 0003's indexes on the records' own columns.
"""

from importlib import import_module

import django.db.models.deletion
from django.contrib.postgres.indexes import GinIndex
from django.db import migrations, models

from tracker import search



def _entry_index():
    return GinIndex(search.search_entry_vector(), name=search.POSTGRES_INDEX)


def create_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for statement in search.SQLITE_CREATE:
            schema_editor.execute(statement)
    elif vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS agreement_search_gin, article_search_gin")
        schema_editor.add_index(apps.get_model("tracker", "SearchEntry"), _entry_index())
    search.search_index_rebuild(registry=apps)


def drop_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for statement in search.SQLITE_DROP:
            schema_editor.execute(statement)
    elif vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("tracker", "SearchEntry"), _entry_index())
        import_module("tracker.migrations.0003_search_indexes").create(apps, schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0005_article_heartbeat_and_queued_at'),
        ('tracker', '0003_search_indexes'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.TextField(blank=True)),
                ('names', models.TextField(blank=True, help_text='Country names and their variants.')),
                ('body', models.TextField(blank=True)),
                ('agreement', models.OneToOneField(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='search_entry', to='tracker.agreement')),
                ('article', models.OneToOneField(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='search_entry', to='articles.article')),
                ('country', models.OneToOneField(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='search_entry', to='tracker.country')),
            ],
            options={
                'verbose_name_plural': 'search entries',
                'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('agreement__isnull', True), ('article__isnull', True), ('country__isnull', False)), models.Q(('agreement__isnull', False), ('article__isnull', True), ('country__isnull', True)), models.Q(('agreement__isnull', True), ('article__isnull', False), ('country__isnull', True)), _connector='OR'), name='search_entry_one_record')],
            },
        ),
        migrations.RunPython(create_index, drop_index),
    ]
