"""Alerts through the real parts: Redis, a Celery worker and beat in their own processes, the test database."""

import os
import signal

import pytest
from django.core.management import call_command

from alerts.models import Delivery, DeliveryState, Webhook, WebhookDelivery
from alerts.services import watchlist_save
from tests import factories
from tests.alerts.receivers import webhook_receiver
from tests.processes import Worker, unique_queue, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def loaded(transactional_db):
    call_command("load_countries", verbosity=0)


def test_a_worker_killed_mid_delivery_loses_nothing_and_the_next_worker_delivers_once(loaded, redis_server, watcher):
    watchlist = watchlist_save(owner=watcher, name="Bolivia – Iran", countries=["BOL", "IRN"])
    # The receiver's first answer hangs: the worker is in the middle of its POST when it is killed.
    with webhook_receiver(plan=["hang"]) as receiver:
        receiver.hang_seconds = 60
        webhook = Webhook.objects.create(owner=watcher, watchlist=watchlist, url=receiver.url)
        receiver.secret = webhook.secret
        settings = {
            "ALERTS_SCAN_INTERVAL": "1",
            "ALERTS_WEBHOOK_ALLOWED_HOSTS": f"127.0.0.1:{receiver.port}",
            "ALERTS_WEBHOOK_TIMEOUT": "30",
            "ALERTS_WEBHOOK_REQUEUE_AFTER": "2",
        }
        queue = unique_queue()
        first = Worker(redis_server.url, queue, beat=True, **settings)
        second = Worker(redis_server.url, queue, beat=True, **settings)
        try:
            first.start()
            agreement = factories.agreement("BOL", "IRN", title="Bolivia – Iran defence memorandum")
            wait_until(lambda: len(receiver.requests) == 1, timeout=60, what="the first POST", log=first.output)
            for process in (first.process, first.beat_process):
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
            assert WebhookDelivery.objects.get().state == DeliveryState.PENDING

            second.start()
            wait_until(
                lambda: WebhookDelivery.objects.filter(state=DeliveryState.DELIVERED).exists(),
                timeout=120,
                what="the delivery after the restart",
                log=second.output,
            )
        finally:
            first.stop()
            second.stop()
    delivered = receiver.delivered()
    assert len(delivered) == 1 and delivered[0]["verified"]
    assert delivered[0]["body"]["event"]["agreement"]["id"] == agreement.pk
    # The same delivery both times, so a receiver that saw the first can drop the second.
    assert {r["headers"]["X-Tracker-Delivery"] for r in receiver.requests} == {str(WebhookDelivery.objects.get().pk)}
    assert Delivery.objects.filter(watchlist=watchlist).count() == 1
