"""Watchlists and webhooks in the API: the owner's, with a token; another user's are a 404."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from alerts.models import Watchlist, Webhook

pytestmark = pytest.mark.usefixtures("countries")


def client_for(user) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return api


def test_an_owner_creates_reads_changes_and_deletes_a_watchlist_with_a_token(watcher):
    api = client_for(watcher)
    created = api.post(
        "/api/v1/watchlists/",
        {"name": "Sahel defence", "countries": ["mli", "BFA"], "types": ["defense"], "min_confidence": 0.7},
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert {k: body[k] for k in ("name", "countries", "types", "statuses", "min_confidence", "email")} == {
        "name": "Sahel defence",
        "countries": ["BFA", "MLI"],
        "types": ["defense"],
        "statuses": [],
        "min_confidence": 0.7,
        "email": "none",
    }
    changed = api.patch(f"/api/v1/watchlists/{body['id']}/", {"statuses": ["signed"]}, format="json").json()
    assert changed["statuses"] == ["signed"] and changed["countries"] == ["BFA", "MLI"]
    assert [w["name"] for w in api.get("/api/v1/watchlists/").json()] == ["Sahel defence"]
    assert api.delete(f"/api/v1/watchlists/{body['id']}/").status_code == 204
    assert not Watchlist.objects.exists()


def test_bad_criteria_are_refused_with_the_field(watcher):
    api = client_for(watcher)
    response = api.post("/api/v1/watchlists/", {"name": "x", "countries": ["XXX"], "types": ["war"]}, format="json")
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"countries", "types"}


def test_another_user_gets_404_for_someone_elses_watchlists_and_webhooks(watcher, other_user, watch):
    watchlist = watch("BOL", "IRN")
    webhook = Webhook.objects.create(owner=watcher, watchlist=watchlist, url="https://hooks.example.org/in")
    api = client_for(other_user)
    assert api.get("/api/v1/watchlists/").json() == []
    assert api.get(f"/api/v1/watchlists/{watchlist.pk}/").status_code == 404
    assert api.patch(f"/api/v1/watchlists/{watchlist.pk}/", {"name": "mine"}, format="json").status_code == 404
    assert api.get(f"/api/v1/webhooks/{webhook.pk}/").status_code == 404
    assert api.post(f"/api/v1/webhooks/{webhook.pk}/rotate-secret/").status_code == 404
    assert api.get(f"/api/v1/webhooks/{webhook.pk}/deliveries/").status_code == 404
    # Nor may they hang a webhook on it.
    response = api.post(
        "/api/v1/webhooks/", {"watchlist": watchlist.pk, "url": "https://x.example.org/"}, format="json"
    )
    assert response.status_code == 400
    assert APIClient().get("/api/v1/watchlists/").status_code == 401


def test_an_owner_creates_a_webhook_sees_its_secret_and_rotates_it(watcher, watch):
    watchlist = watch("BOL", "IRN")
    api = client_for(watcher)
    created = api.post(
        "/api/v1/webhooks/", {"watchlist": watchlist.pk, "url": "https://93.184.215.14/hook"}, format="json"
    )
    assert created.status_code == 201, created.json()
    secret = created.json()["secret"]
    assert len(secret) >= 40
    rotated = api.post(f"/api/v1/webhooks/{created.json()['id']}/rotate-secret/").json()
    assert rotated["secret"] != secret and rotated["rotated_at"]
    assert Webhook.objects.get().previous_secret == secret
    assert api.get(f"/api/v1/webhooks/{created.json()['id']}/deliveries/").json() == []


def test_the_schema_documents_the_signature_and_an_example_payload(db):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/webhooks/"]["get"]
    assert "HMAC-SHA256" in operation["description"]
    assert "X-Tracker-Signature: t=<unix seconds>,v1=<hex>" in operation["description"]
    assert '"quote": "Bolivia and Iran signed a defence cooperation memorandum' in operation["description"]
