from django.urls import reverse

from tests import factories


def test_home_page_shows_counts_and_the_latest_agreements(countries, client):
    factories.agreement("BOL", "IRN", title="Iran–Bolivia defence memorandum")
    response = client.get(reverse("home"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Iran–Bolivia defence memorandum" in page
    assert "Bolivia, Iran" in page
    assert "Jul 2023" in page


def test_health_check(db, client):
    assert client.get(reverse("healthz")).json() == {"status": "ok"}
