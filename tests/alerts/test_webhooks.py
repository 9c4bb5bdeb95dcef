"""Webhooks: signed JSON POSTs to a real local receiver, retried when it fails or hangs, refused inside the network."""

from pathlib import Path

import pytest
from rest_framework.test import APIClient

from alerts import services
from alerts.events import events_record
from alerts.models import DeliveryState, Webhook, WebhookDelivery
from alerts.signing import signature, signature_header, verify
from tests import factories
from tests.alerts.receivers import webhook_receiver

pytestmark = pytest.mark.usefixtures("countries")


@pytest.fixture
def allow_receiver(settings):
    def allow(receiver):
        settings.ALERTS_WEBHOOK_ALLOWED_HOSTS = [f"127.0.0.1:{receiver.port}"]
        settings.ALERTS_WEBHOOK_TIMEOUT = 1.0

    return allow


def hook_for(watch, receiver, watcher) -> Webhook:
    watchlist = watch("BOL", "IRN")
    webhook = Webhook.objects.create(owner=watcher, watchlist=watchlist, url=receiver.url)
    receiver.secret = webhook.secret
    return webhook


def test_the_receiver_gets_the_event_signed_with_the_evidence(watch, watcher, allow_receiver):
    from articles.models import Article, Citation

    with webhook_receiver() as receiver:
        allow_receiver(receiver)
        hook_for(watch, receiver, watcher)
        agreement = factories.agreement("BOL", "IRN", title="Bolivia – Iran defence memorandum")
        article = Article.objects.create(text="Bolivia and Iran signed a defence memorandum.")
        Citation.objects.create(article=article, agreement=agreement, quote=article.text, start=0, end=45)
        events_record()
        delivery = WebhookDelivery.objects.get()
        assert services.webhook_deliver(delivery_id=delivery.pk).delivered
    [request] = receiver.requests
    assert request["verified"] and request["headers"]["X-Tracker-Event"] == "created"
    event = request["body"]["event"]
    assert event["agreement"]["parties"] == ["BOL", "IRN"]
    assert event["agreement"]["date"] == "2023-07" and event["agreement"]["date_precision"] == "month"
    assert event["evidence"]["quote"] == "Bolivia and Iran signed a defence memorandum."
    assert event["agreement"]["url"].endswith(f"/agreements/{agreement.pk}/")
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.last_status) == (DeliveryState.DELIVERED, 1, 200)


def test_a_failing_then_hanging_receiver_is_retried_with_backoff_until_it_recovers(watch, watcher, allow_receiver):
    with webhook_receiver(plan=["fail", "hang"]) as receiver:
        allow_receiver(receiver)
        hook_for(watch, receiver, watcher)
        factories.agreement("BOL", "IRN")
        events_record()
        delivery = WebhookDelivery.objects.get()
        first = services.webhook_deliver(delivery_id=delivery.pk)
        delivery.refresh_from_db()
        assert (first.retry, first.countdown) == (True, 2.0)
        assert (delivery.state, delivery.last_status) == (DeliveryState.PENDING, 503)
        assert "HTTP 503" in delivery.last_error
        second = services.webhook_deliver(delivery_id=delivery.pk)
        delivery.refresh_from_db()
        assert (second.retry, second.countdown) == (True, 4.0)
        assert "timed out" in delivery.last_error
        assert services.webhook_deliver(delivery_id=delivery.pk).delivered
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.last_error) == (DeliveryState.DELIVERED, 3, "")
    # The same delivery id on every try: the receiver can drop a repeat.
    assert {r["headers"]["X-Tracker-Delivery"] for r in receiver.requests} == {str(delivery.pk)}
    # Delivered once: running it again sends nothing.
    assert not services.webhook_deliver(delivery_id=delivery.pk).delivered
    assert len(receiver.requests) == 3


def test_a_delivery_fails_for_good_after_its_last_attempt(watch, watcher, allow_receiver, settings):
    settings.ALERTS_WEBHOOK_MAX_ATTEMPTS = 2
    with webhook_receiver(plan=["fail", "fail", "fail"]) as receiver:
        allow_receiver(receiver)
        hook_for(watch, receiver, watcher)
        factories.agreement("BOL", "IRN")
        events_record()
        delivery = WebhookDelivery.objects.get()
        services.webhook_deliver(delivery_id=delivery.pk)
        last = services.webhook_deliver(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert not last.retry and (delivery.state, delivery.attempts) == (DeliveryState.FAILED, 2)


def test_loopback_and_private_targets_are_refused_unless_allowed(watch, watcher):
    watchlist = watch("BOL", "IRN")
    api = APIClient()
    api.force_authenticate(watcher)
    for url in ("http://127.0.0.1:9/hook", "http://10.0.0.8/hook", "http://169.254.169.254/latest", "ftp://x.org/"):
        response = api.post("/api/v1/webhooks/", {"watchlist": watchlist.pk, "url": url}, format="json")
        assert response.status_code == 400, url
    # A row saved past the API (the admin, an old row) is refused again when it is delivered, at once.
    Webhook.objects.create(owner=watcher, watchlist=watchlist, url="http://127.0.0.1:9/hook")
    factories.agreement("BOL", "IRN")
    events_record()
    delivery = WebhookDelivery.objects.get()
    assert not services.webhook_deliver(delivery_id=delivery.pk).retry
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.FAILED and "loopback" in delivery.last_error


def test_after_a_rotation_both_secrets_sign_until_the_grace_ends(watch, watcher, allow_receiver, settings):
    with webhook_receiver() as receiver:
        allow_receiver(receiver)
        webhook = hook_for(watch, receiver, watcher)
        old = webhook.secret
        services.webhook_rotate_secret(webhook=webhook)
        factories.agreement("BOL", "IRN")
        events_record()
        services.webhook_deliver(delivery_id=WebhookDelivery.objects.get().pk)
        [request] = receiver.requests
    header, raw = request["headers"]["X-Tracker-Signature"], request["raw"]
    assert header.count("v1=") == 2
    assert verify(header, raw, webhook.secret) and verify(header, raw, old)
    settings.ALERTS_WEBHOOK_ROTATION_GRACE = 0
    webhook.refresh_from_db()
    assert services.signing_secrets(webhook, now=webhook.rotated_at) == [webhook.secret]


def test_the_documented_recipe_verifies_and_refuses_a_tampered_or_replayed_body():
    body = b'{"event":{"id":1}}'
    header = signature_header(["s3cret"], body, timestamp=1_765_170_000)
    assert header == f"t=1765170000,v1={signature('s3cret', 1_765_170_000, body)}"
    assert verify(header, body, "s3cret", now=1_765_170_010)
    assert not verify(header, body + b" ", "s3cret", now=1_765_170_010)
    assert not verify(header, body, "another", now=1_765_170_010)
    assert not verify(header, body, "s3cret", now=1_765_170_000 + 3600)


def test_the_readme_recipe_verifies_what_the_receiver_got(watch, watcher, allow_receiver):
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    recipe = readme.split("To verify:\n\n```python\n", 1)[1].split("```", 1)[0]
    namespace: dict = {}
    exec(recipe, namespace)  # the documented code, as a consumer would paste it
    with webhook_receiver() as receiver:
        allow_receiver(receiver)
        webhook = hook_for(watch, receiver, watcher)
        factories.agreement("BOL", "IRN")
        events_record()
        services.webhook_deliver(delivery_id=WebhookDelivery.objects.get().pk)
    [request] = receiver.requests
    header = request["headers"]["X-Tracker-Signature"]
    assert namespace["verify"](header, request["raw"], webhook.secret)
    assert not namespace["verify"](header, request["raw"], "not-the-secret")
    assert not namespace["verify"](header, request["raw"] + b"\n", webhook.secret)
