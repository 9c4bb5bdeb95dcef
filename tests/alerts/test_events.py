"""Events come from the agreements' edit history; each reaches each matching watchlist once."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alerts.events import events_record
from alerts.models import Delivery, Event
from alerts.services import watchlist_save
from tests import factories
from tracker import services
from tracker.models import Agreement, ReviewState
from tracker.partial_dates import PartialDate

pytestmark = pytest.mark.usefixtures("countries")


def inbox(watchlist) -> list[tuple[str, str]]:
    return [(d.event.kind, d.event.title) for d in Delivery.objects.filter(watchlist=watchlist).order_by("id")]


def test_a_new_agreement_between_a_watched_pair_reaches_the_pair_and_the_country_but_not_others(watch):
    pair = watch("BOL", "IRN")
    iran = watch("IRN")
    peru = watch("PER")
    factories.agreement("BOL", "IRN", title="Bolivia – Iran defence memorandum")
    factories.agreement("IRN", "VEN", title="Iran – Venezuela energy deal", type="energy")
    events_record()
    assert inbox(pair) == [("created", "Bolivia – Iran defence memorandum")]
    assert inbox(iran) == [
        ("created", "Bolivia – Iran defence memorandum"),
        ("created", "Iran – Venezuela energy deal"),
    ]
    assert inbox(peru) == []


def test_types_statuses_confidence_and_origin_narrow_what_a_watchlist_receives(watch):
    defence = watch("IRN", types=["defense", "security"])
    signed_confident = watch(statuses=["signed"], min_confidence=0.8, name="signed, sure")
    curated = watch(origins=["manual"], name="curated")
    factories.agreement("BOL", "IRN", type="defense", title="defence", confidence=0.9, origin="extracted")
    factories.agreement(
        "BOL", "IRN", type="economic", title="economic", confidence=0.5, status="proposed", origin="extracted"
    )
    factories.agreement("CHL", "PER", type="economic", title="manual", origin="manual")
    events_record()
    assert inbox(defence) == [("created", "defence")]
    assert inbox(signed_confident) == [("created", "defence"), ("created", "manual")]
    assert inbox(curated) == [("created", "manual")]


def test_status_changes_date_refinements_reviews_and_merges_are_events_and_other_edits_are_not(watch, analyst):
    everything = watch("BOL", "IRN")
    agreement = factories.agreement("BOL", "IRN", status="signed", date="2023-07", title="memorandum")
    events_record()
    services.agreement_update(agreement=agreement, summary="A longer summary.", user=analyst)  # not news
    # A more precise day for the same stage, as merging a more precise article writes it.
    agreement.refresh_from_db()
    agreement.status_date = datetime.date(2023, 7, 20)
    agreement.status_date_precision = "day"
    agreement.save()
    agreement = services.agreement_update(agreement=agreement, status="in_force", date=PartialDate.parse("2024"))
    services.agreement_review(agreement=agreement, state=ReviewState.CONFIRMED, user=analyst)
    duplicate = factories.agreement("BOL", "IRN", title="duplicate")
    services.agreement_merge_into(duplicate=duplicate, target=agreement, user=analyst)
    events_record()
    kinds = [kind for kind, _ in inbox(everything)]
    assert kinds == ["created", "date_refined", "status_changed", "confirmed", "created", "merged"]
    merged = Event.objects.get(kind="merged")
    assert merged.agreement_id == duplicate.pk and merged.merged_into_id == agreement.pk


def test_reading_the_history_again_delivers_nothing_twice(watch):
    pair = watch("BOL", "IRN")
    factories.agreement("BOL", "IRN")
    first = events_record()
    # The overlap re-reads recent rows; a second reader run (a restarted worker) finds nothing new.
    assert len(first) == 1
    assert events_record() == []
    assert Delivery.objects.filter(watchlist=pair).count() == 1


def test_an_event_committed_late_with_an_earlier_history_id_is_still_read(watch):
    pair = watch("BOL", "IRN")
    early = factories.agreement("BOL", "IRN", title="committed late")
    factories.agreement("BOL", "IRN", title="committed first")
    events_record()
    # Simulate the late commit: its history row and event were not there when the reader passed its id.
    Event.objects.filter(agreement=early).delete()
    events_record()
    assert sorted(title for _, title in inbox(pair)) == ["committed first", "committed late"]


def test_the_evidence_sentence_travels_with_the_event(watch):
    from articles.models import Article, Citation

    pair = watch("BOL", "IRN")
    agreement = factories.agreement("BOL", "IRN")
    article = Article.objects.create(text="Bolivia and Iran signed a defence memorandum.", title="Signing")
    Citation.objects.create(article=article, agreement=agreement, quote=article.text, start=0, end=len(article.text))
    events_record()
    event = Delivery.objects.get(watchlist=pair).event
    assert (event.evidence, event.article_id) == ("Bolivia and Iran signed a defence memorandum.", article.pk)


def test_matching_costs_the_same_queries_for_one_watchlist_or_five_hundred(watcher):
    def queries_for_one_event() -> int:
        factories.agreement("BOL", "IRN")
        with CaptureQueriesContext(connection) as captured:
            events_record()
        return len(captured)

    events_record()  # the reader's cursor exists from now on
    watchlist_save(owner=watcher, name="one", countries=["IRN"])
    with_one = queries_for_one_event()
    for index in range(500):
        watchlist_save(owner=watcher, name=f"w{index}", countries=["IRN"] if index % 10 == 0 else ["PER"])
    with_many = queries_for_one_event()
    assert with_one == with_many
    # 51 rows, so that SQLite writes them in one statement too (it splits inserts at 999 parameters).
    assert Delivery.objects.filter(event=Event.objects.latest("id")).count() == 51


def test_a_deleted_agreement_takes_its_events_with_it(watch):
    pair = watch("BOL", "IRN")
    agreement = factories.agreement("BOL", "IRN")
    events_record()
    Agreement.objects.filter(pk=agreement.pk).delete()
    assert Delivery.objects.filter(watchlist=pair).count() == 0


def test_an_agreement_deleted_before_the_reader_came_by_is_skipped_and_the_others_delivered(watch):
    pair = watch("BOL", "IRN")
    gone = factories.agreement("BOL", "IRN", title="entered by mistake")
    factories.agreement("BOL", "IRN", title="kept")
    Agreement.objects.filter(pk=gone.pk).delete()
    events_record()
    assert inbox(pair) == [("created", "kept")]
