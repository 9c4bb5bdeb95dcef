"""Upgrading builds the search index for the rows that existed before it."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tracker import selectors

BEFORE = [("tracker", "0003_search_indexes"), ("articles", "0005_article_heartbeat_and_queued_at")]
AFTER = [("tracker", "0004_search_entries_searchapi")]


@pytest.mark.django_db(transaction=True)
def test_rows_stored_before_the_search_index_are_found_after_the_upgrade():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    country = old.get_model("tracker", "Country")
    agreement = old.get_model("tracker", "Agreement")
    bolivia = country.objects.create(code="BOL", name="Bolivia", names=["Bolivia"])
    iran = country.objects.create(code="IRN", name="Iran", names=["Iran", "Islamic Republic of Iran"])
    memorandum = agreement.objects.create(title="Memorandum of understanding", type="defense", party_key="BOL IRN")
    for party in (bolivia, iran):
        old.get_model("tracker", "AgreementParty").objects.create(agreement=memorandum, country=party)
    old.get_model("articles", "Article").objects.create(title="Talks", text="The defence ministers met in Tehran.")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    call_command("migrate", verbosity=0)  # the rest of the schema, as `make run` leaves it

    results = selectors.search(query="Iran defense")
    assert [a.title for a in results.agreements] == ["Memorandum of understanding"]
    assert [a["title"] for a in selectors.search(query="defense ministers").articles] == ["Talks"]
    assert [c.code for c in selectors.search(query="Islamic Republic").countries] == ["IRN"]
