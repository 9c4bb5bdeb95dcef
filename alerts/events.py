"""Events from the agreements' edit history, and the watchlists each one reaches.

The history is the outbox: every save of an agreement is a django-simple-history row committed with the save itself,
so an event can never be lost between the save and a worker; reading it again is harmless (an event is recorded once
per history row, a delivery once per watchlist).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from alerts.models import (
    CHOICE_SETS,
    AlertCursor,
    Delivery,
    DeliveryState,
    Event,
    EventKind,
    WatchedCountry,
    Watchlist,
    Webhook,
    WebhookDelivery,
    bit,
)
from tracker.models import Agreement, Country

History = Agreement.history.model

# What a save must change to be an event, in the order that names it when it changes several.
_REVIEW_KINDS = {"confirmed": EventKind.CONFIRMED, "rejected": EventKind.REJECTED}


def event_kind(row, previous) -> str | None:
    """What one history row says happened to its agreement, given the row before it (None for its first)."""
    if row.history_type == "+":
        return EventKind.CREATED
    if row.history_type != "~" or previous is None:
        return None
    if row.merged_into_id and row.merged_into_id != previous.merged_into_id:
        return EventKind.MERGED
    if row.review_state != previous.review_state and row.review_state in _REVIEW_KINDS:
        return _REVIEW_KINDS[row.review_state]
    if row.status != previous.status:
        return EventKind.STATUS_CHANGED
    if (row.status_date, row.status_date_precision) != (previous.status_date, previous.status_date_precision):
        return EventKind.DATE_REFINED
    return None


def _previous_rows(rows: list) -> dict[int, object]:
    """The history row before each of rows, in one query for them all."""
    before = History.objects.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id")).order_by("-history_id")
    ids = dict(
        History.objects.filter(history_id__in=[row.history_id for row in rows])
        .annotate(previous_id=Subquery(before.values("history_id")[:1]))
        .values_list("history_id", "previous_id")
    )
    previous = History.objects.in_bulk([pk for pk in ids.values() if pk], field_name="history_id")
    return {history_id: previous.get(previous_id) for history_id, previous_id in ids.items()}


def _evidence(agreement_ids: set[int]) -> dict[int, tuple[str, int | None]]:
    """Each agreement's evidence: the quote behind its current status step, else its latest citation."""
    citation_model = Agreement._meta.get_field("citations").related_model
    step_model = Agreement._meta.get_field("status_changes").related_model
    found: dict[int, tuple[str, int | None]] = {}
    for quote, article_id, agreement_id in (
        citation_model.objects.filter(agreement_id__in=agreement_ids)
        .order_by("id")
        .values_list("quote", "article_id", "agreement_id")
    ):
        found[agreement_id] = (quote, article_id)
    current_status = Agreement.objects.filter(pk=OuterRef("agreement_id")).values("status")[:1]
    for quote, article_id, agreement_id in (
        step_model.objects.filter(agreement_id__in=agreement_ids, citation__isnull=False)
        .filter(status=Subquery(current_status))
        .order_by("id")
        .values_list("citation__quote", "citation__article_id", "agreement_id")
    ):
        found[agreement_id] = (quote, article_id)
    return found


def _event_from(row, kind: str, evidence: tuple[str, int | None] | None) -> Event:
    quote, article_id = evidence or ("", None)
    return Event(
        history_id=row.history_id,
        agreement_id=row.id,
        kind=kind,
        at=row.history_date,
        title=row.title,
        party_key=row.party_key,
        type=row.type,
        status=row.status,
        status_date=row.status_date,
        status_date_precision=row.status_date_precision,
        confidence=row.confidence,
        review_state=row.review_state,
        origin=row.origin,
        merged_into_id=row.merged_into_id,
        evidence=quote,
        article_id=article_id,
    )


def _unread_history(cursor: AlertCursor, *, now: datetime.datetime, batch: int) -> list:
    """History rows past the cursor, and recent rows before it that have no event yet: a transaction that committed
    after a later one had been read (its ids were taken earlier) is still read, as long as it is that recent."""
    fresh = list(History.objects.filter(history_id__gt=cursor.last_history_id).order_by("history_id")[:batch])
    overlap = now - datetime.timedelta(seconds=settings.ALERTS_SCAN_OVERLAP)
    late = History.objects.filter(history_id__lte=cursor.last_history_id, history_date__gte=overlap).exclude(
        Exists(Event.objects.filter(history_id=OuterRef("history_id")))
    )
    return [*late.order_by("history_id")[:batch], *fresh]


def _cursor() -> AlertCursor:
    # Created at the end of the history as it is then: what happened before alerts existed (a bulk import of the
    # seeds) is not news; the overlap still reads the last minutes.
    start = History.objects.order_by("-history_id").values_list("history_id", flat=True).first() or 0
    AlertCursor.objects.get_or_create(pk=1, defaults={"last_history_id": start})
    return AlertCursor.objects.select_for_update().get(pk=1)


@transaction.atomic
def events_record(*, now: datetime.datetime | None = None, batch: int = 1000) -> list[Event]:
    """Read the history since the last run, record its events and deliver each to the watchlists it matches.

    Returns the events recorded. One run at a time: the cursor row is locked for the run.
    """
    cursor = _cursor()
    rows = _unread_history(cursor, now=now or timezone.now(), batch=batch)
    if not rows:
        return []
    previous = _previous_rows(rows)
    kinds = {row.history_id: event_kind(row, previous.get(row.history_id)) for row in rows}
    # An agreement deleted since its save has nothing left to show (its events would go with it anyway).
    existing = set(Agreement.objects.filter(pk__in={row.id for row in rows}).values_list("pk", flat=True))
    wanted = [row for row in rows if kinds[row.history_id] and row.id in existing]
    evidence = _evidence({row.id for row in wanted})
    Event.objects.bulk_create(
        [_event_from(row, kinds[row.history_id], evidence.get(row.id)) for row in wanted], ignore_conflicts=True
    )
    events = list(Event.objects.filter(history_id__in=[row.history_id for row in wanted]).order_by("history_id"))
    posts = [pk for event in events for pk in event_deliver(event=event)]
    transaction.on_commit(lambda: _publish_deliveries(posts))
    cursor.last_history_id = max(cursor.last_history_id, *(row.history_id for row in rows))
    cursor.save(update_fields=["last_history_id"])
    return events


def _publish_deliveries(webhook_deliveries: list[int]) -> None:
    from alerts import tasks  # the tasks call this module

    tasks.publish_many(tasks.deliver_webhook, [(pk,) for pk in webhook_deliveries])
    tasks.publish(tasks.send_immediate_emails)


def watchlists_matching(event: Event, *, party_ids: list[int]) -> QuerySet[Watchlist]:
    """The watchlists an event matches, in one query whatever their number: every watched country is a party, and
    each choice set is empty or holds the event's value."""
    unwatched_party = WatchedCountry.objects.filter(watchlist=OuterRef("pk")).exclude(country_id__in=party_ids)
    conditions = Q(min_confidence__lte=event.confidence) & ~Exists(unwatched_party)
    hits = {}
    for field, choices, value in (
        ("type_mask", CHOICE_SETS["types"], event.type),
        ("status_mask", CHOICE_SETS["statuses"], event.status),
        ("review_mask", CHOICE_SETS["review_states"], event.review_state),
        ("origin_mask", CHOICE_SETS["origins"], event.origin),
    ):
        hits[f"{field}_hit"] = F(field).bitand(bit(choices, value))
        conditions &= Q(**{field: 0}) | Q(**{f"{field}_hit__gt": 0})
    return Watchlist.objects.annotate(**hits).filter(conditions).order_by()


def event_deliver(*, event: Event) -> list[int]:
    """Put an event in the inbox of every watchlist it matches and in the delivery log of their active webhooks.
    Returns the webhook deliveries created, for the caller to publish after the commit."""
    party_ids = list(Country.objects.filter(code__in=event.party_codes).values_list("pk", flat=True))
    matching = list(watchlists_matching(event, party_ids=party_ids).values_list("pk", flat=True))
    Delivery.objects.bulk_create([Delivery(watchlist_id=pk, event=event) for pk in matching], ignore_conflicts=True)
    hooks = Webhook.objects.filter(active=True, watchlist_id__in=matching).values_list("pk", flat=True)
    now = timezone.now()
    WebhookDelivery.objects.bulk_create(
        [WebhookDelivery(webhook_id=pk, event=event, next_attempt_at=now) for pk in hooks], ignore_conflicts=True
    )
    return list(
        WebhookDelivery.objects.filter(event=event, state=DeliveryState.PENDING, attempts=0).values_list(
            "pk", flat=True
        )
    )
