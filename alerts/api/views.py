"""Watchlists and webhooks in the JSON API: each user sees and changes only their own (another's is a 404)."""

from __future__ import annotations

import json
import textwrap

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from alerts import services
from alerts.api.serializers import WatchlistSerializer, WebhookDeliverySerializer, WebhookSerializer
from alerts.models import Watchlist, Webhook

EXAMPLE_DELIVERY = {
    "delivery_id": 812,
    "watchlist": {"id": 3, "name": "Bolivia – Iran"},
    "event": {
        "id": 4410,
        "kind": "created",
        "at": "2026-03-11T09:14:02.118000+00:00",
        "agreement": {
            "id": 1207,
            "title": "Bolivia – Iran defence cooperation memorandum",
            "parties": ["BOL", "IRN"],
            "type": "defense",
            "status": "signed",
            "date": "2026-03",
            "date_precision": "month",
            "confidence": 0.81,
            "review_state": "unreviewed",
            "origin": "extracted",
            "merged_into": None,
            "url": "https://tracker.example.org/agreements/1207/",
        },
        "evidence": {
            "quote": "Bolivia and Iran signed a defence cooperation memorandum in La Paz this month.",
            "article_id": 5521,
            "article_url": "https://tracker.example.org/articles/5521/",
        },
    },
}

SIGNATURE_HELP = """Each event is POSTed as JSON (example below) with `Content-Type: application/json` and:

* `X-Tracker-Signature: t=<unix seconds>,v1=<hex>`: `v1` is HMAC-SHA256 keyed with the webhook's `secret` over the
  bytes `<t>.<raw body>`. During a secret rotation the header has one `v1` per secret, the new one first.
* `X-Tracker-Event`: the event kind; `X-Tracker-Delivery`: the delivery id (the same on every retry: deliveries
  are at least once, so drop one already seen).

Verify in Python:

    expected = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    ok = any(hmac.compare_digest(v, expected) for v in v1_values) and abs(time.time() - int(t)) < 300

Any 2xx answer is a delivery; anything else, a timeout or a refused connection is retried with backoff (2, 4, 8 … s)
and shown in `GET /api/v1/webhooks/{id}/deliveries/`.

A delivery's body:

"""
SIGNATURE_HELP += textwrap.indent(json.dumps(EXAMPLE_DELIVERY, indent=2, ensure_ascii=False), "    ")


class OwnedOnly(permissions.IsAuthenticated):
    """A signed-in user, with a token or a session; the querysets hold only their own rows."""


@extend_schema_view(
    list=extend_schema(summary="Your watchlists", tags=["alerts"]),
    retrieve=extend_schema(summary="One of your watchlists", tags=["alerts"]),
    create=extend_schema(
        summary="Watch a filter",
        tags=["alerts"],
        description="Saved criteria; each new event that matches reaches it once.",
    ),
    update=extend_schema(summary="Change a watchlist", tags=["alerts"]),
    partial_update=extend_schema(summary="Change part of a watchlist", tags=["alerts"]),
    destroy=extend_schema(summary="Stop watching", tags=["alerts"]),
)
class WatchlistViewSet(viewsets.ModelViewSet):
    serializer_class = WatchlistSerializer
    permission_classes = [OwnedOnly]
    pagination_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return Watchlist.objects.none()
        return Watchlist.objects.filter(owner=self.request.user).prefetch_related("countries").order_by("id")


@extend_schema_view(
    list=extend_schema(
        summary="Your webhooks",
        tags=["alerts"],
        description=SIGNATURE_HELP,
    ),
    retrieve=extend_schema(summary="One of your webhooks", tags=["alerts"]),
    create=extend_schema(summary="Send a watchlist's events to a URL", tags=["alerts"], description=SIGNATURE_HELP),
    update=extend_schema(summary="Change a webhook", tags=["alerts"]),
    partial_update=extend_schema(summary="Change part of a webhook", tags=["alerts"]),
    destroy=extend_schema(summary="Remove a webhook", tags=["alerts"]),
)
class WebhookViewSet(viewsets.ModelViewSet):
    serializer_class = WebhookSerializer
    permission_classes = [OwnedOnly]
    pagination_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Webhook.objects.none()
        return Webhook.objects.filter(owner=self.request.user).order_by("id")

    @extend_schema(
        summary="Rotate the secret",
        tags=["alerts"],
        request=None,
        responses=WebhookSerializer,
        description="A new secret; the old one still signs (a second `v1`) for "
        "ALERTS_WEBHOOK_ROTATION_GRACE seconds, one day by default.",
    )
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request, pk=None):
        webhook = services.webhook_rotate_secret(webhook=self.get_object())
        return Response(WebhookSerializer(webhook, context={"request": request}).data)

    @extend_schema(summary="The delivery log", tags=["alerts"], responses=WebhookDeliverySerializer(many=True))
    @action(detail=True, methods=["get"])
    def deliveries(self, request, pk=None):
        rows = self.get_object().deliveries.select_related("event").order_by("-id")[:100]
        return Response(WebhookDeliverySerializer(rows, many=True).data)
