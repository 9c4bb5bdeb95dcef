"""Accounts for real teams: readers, analysts and curators who are not staff sign in through Django's own pages."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from rest_framework.test import APIClient

from tests import factories
from tests.tracker.test_admin import ADD_URL, _form
from tracker.models import Agreement

PASSWORD = "a-long-test-password"


@pytest.fixture
def roles(db):
    call_command("create_roles", verbosity=0)


def member(role: str, username: str, *, is_staff: bool = False):
    user = get_user_model().objects.create_user(
        username=username, email=f"{username}@example.org", password=PASSWORD, is_staff=is_staff
    )
    user.groups.add(Group.objects.get(name=role))
    return user


def test_create_roles_gives_each_role_what_it_may_do_and_can_run_twice(roles):
    call_command("create_roles", verbosity=0)
    reader, analyst, curator = (member(role, role) for role in ("reader", "analyst", "curator"))
    assert reader.has_perm("tracker.view_agreement") and not reader.has_perm("tracker.change_agreement")
    assert not reader.has_perm("articles.add_article")
    assert analyst.has_perm("articles.add_article") and analyst.has_perm("tracker.change_agreement")
    assert not analyst.has_perm("tracker.add_agreement") and not analyst.has_perm("tracker.delete_agreement")
    assert curator.has_perm("tracker.add_agreement") and curator.has_perm("tracker.delete_statuschange")
    assert curator.has_perm("articles.change_citation")
    assert Group.objects.filter(name__in=["reader", "analyst", "curator"]).count() == 3


def test_an_analyst_who_is_not_staff_signs_in_on_the_sites_page_and_reviews(client, roles, countries):
    member("analyst", "noor")
    agreement = factories.agreement("BOL", "IRN", origin="extracted")
    login = client.get("/accounts/login/?next=/review/")
    assert login.status_code == 200 and 'href="/static/css/tracker.css"' in login.content.decode()
    response = client.post(
        "/accounts/login/?next=/review/", {"username": "noor", "password": PASSWORD, "next": "/review/"}
    )
    assert response.status_code == 302 and response["Location"] == "/review/"
    assert client.post(f"/review/{agreement.pk}/confirm/").status_code == 302
    agreement.refresh_from_db()
    assert agreement.review_state == "confirmed"
    # The admin's login still refuses a user who is not staff.
    assert client.get("/admin/").status_code == 302
    client.post("/accounts/logout/")
    assert client.get("/alerts/").status_code == 302


def test_a_wrong_password_is_refused_and_a_forgotten_one_is_reset_by_e_mail(client, roles):
    member("reader", "ines")
    refused = client.post("/accounts/login/", {"username": "ines", "password": "wrong"})
    assert refused.status_code == 200 and "enter a correct username and password" in refused.content.decode()
    client.post("/accounts/password_reset/", {"email": "ines@example.org"})
    [message] = mail.outbox
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", message.body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200
    new = "another-long-passphrase-2026"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    signed_in = client.post("/accounts/login/", {"username": "ines", "password": new})
    assert signed_in.status_code == 302  # the new password opens the session


def test_agreements_a_curator_enters_by_hand_skip_the_review_queue(client, roles, countries):
    curator = member("curator", "kofi", is_staff=True)
    analyst = member("analyst", "mei", is_staff=True)
    Group.objects.get(name="analyst").permissions.add(
        *Group.objects.get(name="curator").permissions.filter(codename="add_agreement")
    )
    api = APIClient()
    body = {"title": "Defence MoU", "parties": ["IRN", "BOL"], "type": "defense", "status": "signed"}
    api.force_authenticate(curator)
    assert api.post("/api/v1/agreements/", body, format="json").json()["review_state"] == "confirmed"
    api.force_authenticate(analyst)
    assert api.post("/api/v1/agreements/", body, format="json").json()["review_state"] == "unreviewed"
    client.force_login(curator)
    assert client.post(ADD_URL, _form(review_state="unreviewed", title="By hand")).status_code == 302
    by_hand = Agreement.objects.get(title="By hand")
    assert by_hand.review_state == "confirmed" and "parties" in by_hand.locked_fields
    client.get("/")  # shows the "was added" message
    queue = client.get("/review/").content.decode()
    assert "1 waiting" in queue  # the analyst's; the curator's two entries are not waiting
    assert list(Agreement.objects.unreviewed().values_list("created_by__username", flat=True)) == ["mei"]
