"""Writes of the alerts app: watchlists, webhooks, and delivering events by webhook and by e-mail."""

from __future__ import annotations

import datetime
import json
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from alerts import signing as webhook_signing
from alerts.models import (
    CHOICE_SETS,
    Delivery,
    DeliveryState,
    EmailMode,
    Event,
    WatchedCountry,
    Watchlist,
    Webhook,
    WebhookDelivery,
    new_secret,
)
from articles.fetching import FetchError, UnsafeURLError, check_target, post_url
from tracker.services import countries_by_code

logger = logging.getLogger(__name__)


# --- watchlists -----------------------------------------------------------------------------------------------------


@transaction.atomic
def watchlist_save(
    *,
    owner: AbstractBaseUser,
    name: str,
    countries: Iterable[str] = (),
    types: Iterable[str] = (),
    statuses: Iterable[str] = (),
    review_states: Iterable[str] = (),
    origins: Iterable[str] = (),
    min_confidence: float = 0.0,
    email: str = EmailMode.NONE,
    watchlist: Watchlist | None = None,
) -> Watchlist:
    """Create a watchlist, or replace the criteria of the given one (its owner's)."""
    found = countries_by_code(countries)
    watchlist = watchlist or Watchlist(owner=owner)
    watchlist.name = name.strip()[:120] or "Watchlist"
    for set_name, values in (("types", types), ("statuses", statuses), ("review_states", review_states)):
        watchlist.choose(set_name, values)
    watchlist.choose("origins", origins)
    watchlist.min_confidence = min_confidence or 0.0
    watchlist.email = email
    watchlist.save()
    WatchedCountry.objects.filter(watchlist=watchlist).exclude(country__in=found.values()).delete()
    have = set(WatchedCountry.objects.filter(watchlist=watchlist).values_list("country_id", flat=True))
    WatchedCountry.objects.bulk_create(
        WatchedCountry(watchlist=watchlist, country=country) for country in found.values() if country.pk not in have
    )
    return watchlist


def watchlist_criteria_from_query(query) -> dict:
    """The criteria of a filtered page's query string (the agreement filter's parameters), as watchlist_save takes
    them. Parameters a watchlist cannot follow (dates, words) are left out."""
    codes = [query.get(name, "").strip().upper() for name in ("party", "a", "b")]
    criteria = {
        "countries": sorted({code for code in codes if code}),
        "types": [v for v in query.getlist("type") if v in CHOICE_SETS["types"]],
        "statuses": [v for v in query.getlist("status") if v in CHOICE_SETS["statuses"]],
        "review_states": [v for v in query.getlist("review_state") if v in CHOICE_SETS["review_states"]],
        "origins": [v for v in query.getlist("origin") if v in CHOICE_SETS["origins"]],
    }
    try:
        criteria["min_confidence"] = min(1.0, max(0.0, float(query.get("min_confidence") or 0)))
    except ValueError:
        criteria["min_confidence"] = 0.0
    return criteria


def watchlist_describe(watchlist: Watchlist) -> str:
    parts = [", ".join(c.name for c in watchlist.countries.all()) or "any countries"]
    for set_name in ("types", "statuses", "review_states", "origins"):
        if watchlist.chosen(set_name):
            parts.append(" or ".join(watchlist.chosen(set_name)).replace("_", " "))
    if watchlist.min_confidence:
        parts.append(f"confidence ≥ {watchlist.min_confidence:g}")
    return " · ".join(parts)


def inbox_mark_read(*, user: AbstractBaseUser, delivery_ids: Iterable[int] | None = None) -> int:
    """Mark the user's inbox items read (all of them without ids); returns how many changed."""
    items = Delivery.objects.filter(watchlist__owner=user, read_at__isnull=True)
    if delivery_ids is not None:
        items = items.filter(pk__in=list(delivery_ids))
    return items.update(read_at=timezone.now())


def unread_count(user: AbstractBaseUser) -> int:
    return Delivery.objects.filter(watchlist__owner=user, read_at__isnull=True).count()


# --- links and payloads ---------------------------------------------------------------------------------------------


def absolute(path: str) -> str:
    return settings.ALERTS_SITE_URL.rstrip("/") + path


def event_payload(event: Event) -> dict:
    """What a webhook receives about an event (the schema's example shows one)."""
    date = event.date
    article_url = absolute(reverse("article-detail", args=[event.article_id])) if event.article_id else None
    return {
        "id": event.pk,
        "kind": event.kind,
        "at": event.at.isoformat(),
        "agreement": {
            "id": event.agreement_id,
            "title": event.title,
            "parties": event.party_codes,
            "type": event.type,
            "status": event.status,
            "date": date.iso() if date else None,
            "date_precision": event.status_date_precision or None,
            "confidence": event.confidence,
            "review_state": event.review_state,
            "origin": event.origin,
            "merged_into": event.merged_into_id,
            "url": absolute(reverse("agreement-detail", args=[event.agreement_id])),
        },
        "evidence": {"quote": event.evidence, "article_id": event.article_id, "article_url": article_url}
        if event.evidence
        else None,
    }


# --- webhooks -------------------------------------------------------------------------------------------------------


def webhook_rotate_secret(*, webhook: Webhook) -> Webhook:
    """A new secret; the old one still signs for ALERTS_WEBHOOK_ROTATION_GRACE seconds, so receivers can switch."""
    webhook.previous_secret = webhook.secret
    webhook.secret = new_secret()
    webhook.rotated_at = timezone.now()
    webhook.save(update_fields=["previous_secret", "secret", "rotated_at"])
    return webhook


def signing_secrets(webhook: Webhook, *, now: datetime.datetime) -> list[str]:
    grace = datetime.timedelta(seconds=settings.ALERTS_WEBHOOK_ROTATION_GRACE)
    if webhook.previous_secret and webhook.rotated_at and now - webhook.rotated_at < grace:
        return [webhook.secret, webhook.previous_secret]
    return [webhook.secret]


def webhook_target_check(url: str) -> None:
    """Refuse a target URL the fetcher's address rules refuse (raises UnsafeURLError), before it is saved."""
    check_target(url, allow_private=settings.ALERTS_WEBHOOK_ALLOW_PRIVATE, allowed_hosts=_allowed_hosts())


def _allowed_hosts() -> frozenset[str]:
    return frozenset(settings.ALERTS_WEBHOOK_ALLOWED_HOSTS)


@dataclass(frozen=True)
class Attempt:
    """The outcome of one try: delivered, or why not, and whether to try again."""

    delivered: bool
    retry: bool = False
    countdown: float = 0.0


def retry_countdown(attempts: int) -> float:
    """Seconds before the next try: 2, 4, 8, … up to an hour."""
    return float(min(3600, settings.ALERTS_WEBHOOK_RETRY_BASE * 2 ** max(0, attempts - 1)))


def webhook_post(*, delivery: WebhookDelivery, now: datetime.datetime | None = None) -> int:
    """POST the delivery's event to its webhook, signed; returns the HTTP status (raises FetchError)."""
    now = now or timezone.now()
    webhook = delivery.webhook
    body = json.dumps(
        {
            "delivery_id": delivery.pk,
            "watchlist": {"id": webhook.watchlist_id, "name": webhook.watchlist.name},
            "event": event_payload(delivery.event),
        },
        separators=(",", ":"),
    ).encode()
    headers = {
        "Content-Type": "application/json",
        webhook_signing.HEADER: webhook_signing.signature_header(signing_secrets(webhook, now=now), body),
        "X-Tracker-Event": delivery.event.kind,
        "X-Tracker-Delivery": str(delivery.pk),
    }
    return post_url(
        webhook.url,
        body=body,
        headers=headers,
        timeout=settings.ALERTS_WEBHOOK_TIMEOUT,
        allow_private=settings.ALERTS_WEBHOOK_ALLOW_PRIVATE,
        allowed_hosts=_allowed_hosts(),
    )


def webhook_deliver(*, delivery_id: int) -> Attempt:
    """One try of a webhook delivery, written to the delivery log. Safe to run twice: a delivered or failed row is
    left alone."""
    delivery = (
        WebhookDelivery.objects.select_related("webhook__watchlist", "event")
        .filter(pk=delivery_id, state=DeliveryState.PENDING)
        .first()
    )
    if delivery is None or not delivery.webhook.active:
        return Attempt(delivered=False)
    delivery.attempts += 1
    try:
        delivery.last_status = webhook_post(delivery=delivery)
    except FetchError as error:
        return _record_failure(delivery, error)
    delivery.state = DeliveryState.DELIVERED
    delivery.delivered_at = timezone.now()
    delivery.last_error = ""
    delivery.next_attempt_at = None
    delivery.save()
    return Attempt(delivered=True)


def _record_failure(delivery: WebhookDelivery, error: FetchError) -> Attempt:
    delivery.last_status = getattr(error, "status", None)
    delivery.last_error = str(error)[:1000]
    # A target the address rules refuse will be refused again: no point waiting.
    if isinstance(error, UnsafeURLError) or delivery.attempts >= settings.ALERTS_WEBHOOK_MAX_ATTEMPTS:
        delivery.state = DeliveryState.FAILED
        delivery.next_attempt_at = None
        delivery.save()
        return Attempt(delivered=False)
    countdown = retry_countdown(delivery.attempts)
    delivery.next_attempt_at = timezone.now() + datetime.timedelta(seconds=countdown)
    delivery.save()
    return Attempt(delivered=False, retry=True, countdown=countdown)


def webhook_deliveries_overdue(*, now: datetime.datetime | None = None) -> list[int]:
    """Pending deliveries whose next try is long past: their message was lost (a worker or broker died)."""
    now = now or timezone.now()
    due = now - datetime.timedelta(seconds=settings.ALERTS_WEBHOOK_REQUEUE_AFTER)
    rows = WebhookDelivery.objects.filter(state=DeliveryState.PENDING, next_attempt_at__lte=due)
    ids = list(rows.values_list("pk", flat=True)[:1000])
    # Pushed forward so that the next sweep leaves them to the message published now.
    WebhookDelivery.objects.filter(pk__in=ids).update(next_attempt_at=now)
    return ids


# --- e-mail ---------------------------------------------------------------------------------------------------------

_UNSUBSCRIBE_SALT = "alerts.unsubscribe"


def unsubscribe_token(watchlist: Watchlist) -> str:
    return signing.dumps({"w": watchlist.pk}, salt=_UNSUBSCRIBE_SALT, compress=True)


def watchlist_from_unsubscribe_token(token: str) -> Watchlist | None:
    try:
        data = signing.loads(token, salt=_UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return Watchlist.objects.filter(pk=data.get("w")).first()


def watchlist_unsubscribe(*, watchlist: Watchlist) -> Watchlist:
    watchlist.email = EmailMode.NONE
    watchlist.save(update_fields=["email"])
    return watchlist


def _message(*, to: str, subject: str, template: str, context: dict, unsubscribe_url: str) -> EmailMultiAlternatives:
    text = render_to_string(f"alerts/email/{template}.txt", context)
    html = render_to_string(f"alerts/email/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={"List-Unsubscribe": f"<{unsubscribe_url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )
    message.attach_alternative(html, "text/html")
    return message


def _claim(deliveries: Q) -> list[Delivery]:
    """Take the deliveries to e-mail with a conditional update, so that two runs never send one twice."""
    now = timezone.now()
    ids = list(Delivery.objects.filter(deliveries, emailed_at__isnull=True).values_list("pk", flat=True)[:500])
    claimed = Delivery.objects.filter(pk__in=ids, emailed_at__isnull=True).update(emailed_at=now)
    if not claimed:
        return []
    return list(
        Delivery.objects.filter(pk__in=ids, emailed_at=now).select_related("watchlist__owner", "event").order_by("id")
    )


def _send_or_release(messages: list[tuple[EmailMultiAlternatives, list[int]]]) -> int:
    """Send each message; one that could not be sent is released for the next run (the mail server may be back)."""
    if not messages:
        return 0
    connection = get_connection()
    try:
        connection.open()
    except Exception:
        Delivery.objects.filter(pk__in=[pk for _, ids in messages for pk in ids]).update(emailed_at=None)
        raise
    sent = 0
    try:
        for message, delivery_ids in messages:
            try:
                connection.send_messages([message])
                sent += 1
            except Exception:
                logger.exception("Could not send an alert e-mail to %s", message.to)
                Delivery.objects.filter(pk__in=delivery_ids).update(emailed_at=None)
    finally:
        connection.close()
    return sent


def emails_send_immediate() -> int:
    """One e-mail per new delivery of a watchlist that wants them at once; returns how many were sent."""
    claimed = _claim(Q(watchlist__email=EmailMode.IMMEDIATE) & ~Q(watchlist__owner__email=""))
    messages = []
    for delivery in claimed:
        watchlist, event = delivery.watchlist, delivery.event
        unsubscribe = absolute(reverse("alerts:unsubscribe", args=[unsubscribe_token(watchlist)]))
        context = _email_context(watchlist=watchlist, deliveries=[delivery], unsubscribe_url=unsubscribe)
        subject = f"[{watchlist.name}] {event.get_kind_display()}: {event.title}"[:200]
        messages.append(
            (
                _message(
                    to=watchlist.owner.email,
                    subject=subject,
                    template="alert",
                    context=context,
                    unsubscribe_url=unsubscribe,
                ),
                [delivery.pk],
            )
        )
    return _send_or_release(messages)


def digests_send() -> int:
    """One e-mail per user and digest watchlist with what reached it since its last digest."""
    claimed = _claim(Q(watchlist__email=EmailMode.DAILY) & ~Q(watchlist__owner__email=""))
    by_watchlist: dict[int, list[Delivery]] = defaultdict(list)
    for delivery in claimed:
        by_watchlist[delivery.watchlist_id].append(delivery)
    messages = []
    for deliveries in by_watchlist.values():
        watchlist = deliveries[0].watchlist
        unsubscribe = absolute(reverse("alerts:unsubscribe", args=[unsubscribe_token(watchlist)]))
        context = _email_context(watchlist=watchlist, deliveries=deliveries, unsubscribe_url=unsubscribe)
        count = len(deliveries)
        subject = f"[{watchlist.name}] {count} change{'s' if count != 1 else ''} today"
        messages.append(
            (
                _message(
                    to=watchlist.owner.email,
                    subject=subject,
                    template="digest",
                    context=context,
                    unsubscribe_url=unsubscribe,
                ),
                [d.pk for d in deliveries],
            )
        )
    return _send_or_release(messages)


def _email_context(*, watchlist: Watchlist, deliveries: list[Delivery], unsubscribe_url: str) -> dict:
    return {
        "watchlist": watchlist,
        "items": [{"event": d.event, "payload": event_payload(d.event)} for d in deliveries],
        "unsubscribe_url": unsubscribe_url,
        "inbox_url": absolute(reverse("alerts:inbox")),
    }
