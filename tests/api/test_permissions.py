"""Who may write: anonymous, a reader (signed up, no permissions), an analyst, an admin, for every write."""

import pytest

from tests.api.conftest import token_client

NEW_AGREEMENT = {"title": "Defence MoU", "parties": ["IRN", "BOL"], "type": "defense", "status": "signed"}


def _writes(agreement_id):
    return [
        ("post", "/api/v1/agreements/", NEW_AGREEMENT, 201),
        ("patch", f"/api/v1/agreements/{agreement_id}/", {"summary": "Signed in Tehran."}, 200),
        ("post", "/api/v1/articles/", {"text": "Iran and Bolivia signed a defence memorandum."}, 202),
    ]


@pytest.mark.parametrize("who", ["anonymous", "reader", "analyst", "admin"])
@pytest.mark.parametrize("write", [0, 1, 2], ids=["create-agreement", "update-agreement", "submit-article"])
def test_permission_matrix(who, write, request, iran_bolivia, monkeypatch):
    method, url, body, allowed_status = _writes(iran_bolivia["defense"].pk)[write]
    if write == 2:
        # Parsing itself is tested with the ingestion pipeline; here only who may submit matters.
        import articles.services

        monkeypatch.setattr(articles.services, "article_enqueue", lambda **kwargs: True)
    client = token_client(request.getfixturevalue(who)) if who != "anonymous" else request.getfixturevalue("api")

    response = getattr(client, method)(url, body, format="json")

    expected = {"anonymous": 401, "reader": 403, "analyst": allowed_status, "admin": allowed_status}[who]
    assert response.status_code == expected, response.content
    if expected in (401, 403):
        code = {401: "not_authenticated", 403: "permission_denied"}[expected]
        assert response.json()["error"]["code"] == code


def test_a_wrong_token_is_refused_even_for_reading(api, db):
    api.credentials(HTTP_AUTHORIZATION="Token not-a-token")

    response = api.get("/api/v1/agreements/")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"


def test_delete_and_put_are_not_offered(analyst_api, iran_bolivia):
    url = f"/api/v1/agreements/{iran_bolivia['defense'].pk}/"
    assert analyst_api.delete(url).status_code == 405
    assert analyst_api.put(url, NEW_AGREEMENT, format="json").status_code == 405


def test_session_writes_need_the_csrf_token(analyst, iran_bolivia):
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(analyst)

    response = client.post("/api/v1/agreements/", NEW_AGREEMENT, format="json")

    assert response.status_code == 403
    assert "CSRF" in response.json()["error"]["message"]
