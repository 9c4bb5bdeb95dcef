"""The change feed: creations, updates, merges and deletions since a moment, so a client can mirror the data."""

import datetime

from django.utils import timezone

from tests import factories


def test_feed_reports_creations_updates_merges_and_deletions_in_order(api, countries):
    before = timezone.now() - datetime.timedelta(seconds=1)
    kept = factories.agreement("IRN", "BOL", date="2023-07")
    duplicate = factories.agreement("IRN", "BOL", date="2023")
    gone = factories.agreement("IRN", "VEN", date="2019")
    kept.summary = "Signed in Tehran."
    kept.save()
    duplicate.merged_into = kept
    duplicate.save()
    gone_id = gone.pk
    gone.delete()

    response = api.get("/api/v1/agreements/changes/", {"since": before.isoformat()})

    assert response.status_code == 200
    events = [(e["agreement_id"], e["change"], e["merged_into"]) for e in response.json()["results"]]
    assert events == [
        (kept.pk, "created", None),
        (duplicate.pk, "created", None),
        (gone_id, "created", None),
        (kept.pk, "updated", None),
        (duplicate.pk, "merged", kept.pk),
        (gone_id, "deleted", None),
    ]


def test_feed_since_the_last_event_is_empty_and_later_changes_appear(api, countries):
    agreement = factories.agreement("IRN", "BOL")
    last = api.get("/api/v1/agreements/changes/").json()["results"][-1]["at"]

    assert api.get("/api/v1/agreements/changes/", {"since": last}).json()["results"] == []

    agreement.title = "Renamed"
    agreement.save()
    assert [e["change"] for e in api.get("/api/v1/agreements/changes/", {"since": last}).json()["results"]] == [
        "updated"
    ]


def test_feed_is_cursor_paginated(api, countries):
    for year in range(2000, 2005):
        factories.agreement("IRN", "BOL", date=str(year))

    first = api.get("/api/v1/agreements/changes/", {"page_size": 3}).json()
    second = api.get(first["next"]).json()

    assert len(first["results"]) == 3 and len(second["results"]) == 2
    assert second["next"] is None


def test_a_malformed_since_is_a_400(api, db):
    response = api.get("/api/v1/agreements/changes/", {"since": "yesterday"})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_filter"
    assert set(response.json()["error"]["fields"]) == {"since"}


def test_updated_since_lists_only_recent_changes(api, countries):
    old = factories.agreement("IRN", "BOL", title="Old")
    cutoff = timezone.now()
    factories.agreement("IRN", "VEN", title="New")
    old.refresh_from_db()

    titles = [
        r["title"] for r in api.get("/api/v1/agreements/", {"updated_since": cutoff.isoformat()}).json()["results"]
    ]

    assert titles == ["New"]
