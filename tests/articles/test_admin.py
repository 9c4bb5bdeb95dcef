"""The article admin gives each analyst exactly what their permissions allow."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client

from articles.models import Article, IngestionState

ADD_URL = "/admin/articles/article/add/"
STORY = "Bolivia and Iran signed a memorandum of understanding on defence cooperation in Tehran on 20 July 2023."


@pytest.fixture
def viewer_client(db):
    """A staff user who may look at articles but not add or change them."""
    user = get_user_model().objects.create_user(username="viewer", password="a-long-test-password", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_article"))
    client = Client()
    client.force_login(user)
    return client


def test_a_staff_user_without_add_article_cannot_open_the_submit_form(viewer_client):
    assert viewer_client.get(ADD_URL).status_code == 403


def test_a_staff_user_without_add_article_cannot_submit_through_the_admin(viewer_client):
    response = viewer_client.post(ADD_URL, {"text": STORY, "published": "2023-08-14", "language": "en"})

    assert response.status_code == 403
    assert not Article.objects.exists()


def test_a_staff_user_without_change_article_cannot_reparse(viewer_client):
    article = Article.objects.create(raw=STORY.encode(), state=IngestionState.FAILED, error="Engine upgrade pending.")

    viewer_client.post("/admin/articles/article/", {"action": "reparse_articles", "_selected_action": [article.pk]})

    article.refresh_from_db()
    assert (article.state, article.error) == (IngestionState.FAILED, "Engine upgrade pending.")


def test_the_article_list_offers_reparse_only_to_those_who_may_change_articles(viewer_client, analyst_client):
    Article.objects.create(raw=STORY.encode(), state=IngestionState.PARSED)

    assert "reparse_articles" not in viewer_client.get("/admin/articles/article/").content.decode()
    assert "reparse_articles" in analyst_client.get("/admin/articles/article/").content.decode()
