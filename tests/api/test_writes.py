"""Writes: creating and changing agreements, submitting articles; validation errors in the one error format."""

import pytest

from articles.models import Article
from tests.api.conftest import token_client
from tests.processes import page, web_server
from tracker.models import Agreement


def test_analyst_creates_an_agreement_with_a_partial_date(analyst_api, analyst, countries):
    response = analyst_api.post(
        "/api/v1/agreements/",
        {"title": "Defence MoU", "parties": ["irn", "BOL"], "type": "defense", "status": "signed", "date": "2023-07"},
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert response["Location"] == body["url"]
    assert body["parties"] == [{"code": "BOL", "name": "Bolivia"}, {"code": "IRN", "name": "Iran"}]
    assert (body["status"], body["status_date"], body["status_date_precision"]) == ("signed", "2023-07", "month")
    agreement = Agreement.objects.get(pk=body["id"])
    assert (agreement.origin, agreement.created_by, agreement.party_key) == ("manual", analyst, "BOL IRN")
    assert agreement.review_state == "unreviewed"


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"title": "x", "parties": ["IRN"], "type": "defense", "status": "signed"}, {"parties"}),
        ({"title": "x", "parties": ["IRN", "irn"], "type": "defense", "status": "signed"}, {"parties"}),
        ({"title": "x", "parties": ["IRN", "XXX"], "type": "defense", "status": "signed"}, {"parties"}),
        ({"title": "x", "parties": ["IRN", "BOL"], "type": "alliance", "status": "signed"}, {"type"}),
        ({"title": "x", "parties": ["IRN", "BOL"], "type": "defense", "status": "signed", "date": "2023-13"}, {"date"}),
        (
            {"title": "x", "parties": ["IRN", "BOL"], "type": "defense", "status": "signed", "confidence": 2},
            {"confidence"},
        ),
        ({"parties": "IRN,BOL"}, {"title", "parties", "type", "status"}),
    ],
)
def test_invalid_agreement_is_a_400_naming_each_field(analyst_api, countries, body, fields):
    response = analyst_api.post("/api/v1/agreements/", body, format="json")

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert set(error["fields"]) == fields
    assert Agreement.objects.count() == 0


def test_malformed_json_is_a_400_not_a_500(analyst_api, countries):
    response = analyst_api.generic("POST", "/api/v1/agreements/", "{not json", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "malformed_request"


def test_update_locks_edited_fields_replaces_parties_and_adds_a_status_step(analyst_api, iran_bolivia):
    agreement = iran_bolivia["defense"]

    response = analyst_api.patch(
        f"/api/v1/agreements/{agreement.pk}/",
        {"title": "Iran–Bolivia defence MoU", "parties": ["IRN", "BOL", "VEN"], "status": "in_force", "date": "2024"},
        format="json",
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["title"] == "Iran–Bolivia defence MoU"
    assert [party["code"] for party in body["parties"]] == ["BOL", "IRN", "VEN"]
    assert [(s["status"], s["date"]) for s in body["status_history"]] == [
        ("signed", "2023-07-20"),
        ("in_force", "2024"),
    ]
    assert (body["status"], body["status_date"]) == ("in_force", "2024")
    agreement.refresh_from_db()
    assert agreement.party_key == "BOL IRN VEN"
    assert set(agreement.locked_fields) >= {"title", "parties", "status", "date"}
    assert agreement.history.first().history_user.username == "lucia"


def test_update_can_confirm_an_agreement(analyst_api, iran_bolivia):
    agreement = iran_bolivia["economic"]

    response = analyst_api.patch(f"/api/v1/agreements/{agreement.pk}/", {"review_state": "confirmed"}, format="json")

    assert response.json()["review_state"] == "confirmed"


def test_a_date_without_its_status_is_refused(analyst_api, iran_bolivia):
    response = analyst_api.patch(f"/api/v1/agreements/{iran_bolivia['economic'].pk}/", {"date": "2024"}, format="json")

    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"date"}


ARTICLE = (
    "TEHRAN, July 20, 2023 — Iran and Bolivia signed a memorandum of understanding on defence cooperation on "
    "Thursday, the defence ministers of both countries said."
)


def test_submitted_text_is_accepted_parsed_and_pollable(analyst_api, countries):
    response = analyst_api.post("/api/v1/articles/", {"text": ARTICLE, "title": "Defence MoU"}, format="json")

    assert response.status_code == 202, response.content
    body = response.json()
    article = Article.objects.get(pk=body["id"])
    assert body == {
        "id": article.pk,
        "state": body["state"],
        "duplicate": False,
        "status_url": f"http://testserver/api/v1/articles/{article.pk}/",
    }
    assert response["Location"] == body["status_url"]
    status = analyst_api.get(body["status_url"]).json()
    assert status["state"] in {"parsed", "failed", "pending", "processing"}
    assert status["title"] == "Defence MoU"
    assert status["text"] or status["state"] != "parsed"


def test_the_same_document_twice_returns_the_existing_article(analyst_api, countries):
    first = analyst_api.post("/api/v1/articles/", {"text": ARTICLE}, format="json").json()

    again = analyst_api.post("/api/v1/articles/", {"text": ARTICLE}, format="json")

    assert again.status_code == 200
    assert again.json() == {**first, "duplicate": True, "state": again.json()["state"]}
    assert Article.objects.count() == 1


@pytest.mark.parametrize(
    "body",
    [{}, {"text": "a", "url": "https://example.org/a"}, {"url": "not a url"}, {"text": ""}],
    ids=["nothing", "two-sources", "bad-url", "empty-text"],
)
def test_a_submission_needs_exactly_one_source(analyst_api, db, body):
    response = analyst_api.post("/api/v1/articles/", body, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert Article.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_resubmitting_a_failed_url_queues_it_again_for_analysts_only(analyst_api, reader, countries, settings):
    served = {"/story": lambda handler: handler.send_error(404)}
    story = f"<html><body><article><p>{ARTICLE}</p></article></body></html>".encode()
    with web_server(served) as base:
        settings.FETCH_ALLOWED_HOSTS = [base.removeprefix("http://")]
        url = f"{base}/story"
        first = analyst_api.post("/api/v1/articles/", {"url": url}, format="json").json()
        assert Article.objects.get(pk=first["id"]).state == "failed"

        refused = token_client(reader).post("/api/v1/articles/", {"url": url}, format="json")
        served["/story"] = page(story)
        again = analyst_api.post("/api/v1/articles/", {"url": f"{url}#top"}, format="json")

    assert refused.status_code == 403
    assert again.status_code == 202
    assert again.json() == {**first, "duplicate": True, "state": again.json()["state"]}
    article = Article.objects.get()
    assert (article.state, article.attempts, article.error) == ("parsed", 1, "")
