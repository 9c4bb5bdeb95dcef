"""The inbox, "Watch this", the unread count, feeds, and one user's alerts kept from another."""

import xml.etree.ElementTree as ElementTree

import pytest

from alerts.events import events_record
from alerts.models import Delivery, EmailMode, Watchlist
from articles.models import Article, Citation
from tests import factories

pytestmark = pytest.mark.usefixtures("countries")
ATOM = "{http://www.w3.org/2005/Atom}"


def test_an_analyst_watches_a_pair_from_its_page_and_finds_the_new_agreement_in_the_inbox(client, watcher):
    client.force_login(watcher)
    page = client.get("/pairs/BOL/IRN/").content.decode()
    assert 'href="/alerts/watchlists/?a=BOL&amp;b=IRN"' in page
    form = client.get("/alerts/watchlists/?a=BOL&b=IRN")
    assert "Bolivia" in form.context["form"].initial["name"] and "Iran" in form.context["form"].initial["name"]
    response = client.post("/alerts/watchlists/?a=BOL&b=IRN", {"name": "Bolivia – Iran", "email": EmailMode.DAILY})
    assert response.status_code == 302
    watchlist = Watchlist.objects.get(owner=watcher)
    assert sorted(watchlist.countries.values_list("code", flat=True)) == ["BOL", "IRN"]
    assert watchlist.email == EmailMode.DAILY

    agreement = factories.agreement("BOL", "IRN", title="Bolivia – Iran defence memorandum")
    article = Article.objects.create(text="Bolivia and Iran signed a defence memorandum.", title="Signing")
    Citation.objects.create(article=article, agreement=agreement, quote=article.text, start=0, end=45)
    factories.agreement("CHL", "PER", title="Chile – Peru trade deal")
    events_record()

    home = client.get("/").content.decode()
    assert 'aria-label="1 unread"' in home
    inbox = client.get("/alerts/").content.decode()
    assert "Bolivia – Iran defence memorandum" in inbox and "Chile – Peru" not in inbox
    assert "Bolivia and Iran signed a defence memorandum." in inbox
    delivery = Delivery.objects.get()
    client.post("/alerts/read/", {"delivery": delivery.pk})
    assert Delivery.objects.get().read_at is not None
    assert "unread" not in client.get("/").content.decode().split("</header>")[0].replace("aria-label", "")


def test_watching_and_reading_alerts_need_a_login(client):
    assert client.get("/alerts/").status_code == 302
    assert client.get("/alerts/watchlists/?party=IRN")["Location"].startswith("/accounts/login/")
    assert "Log in</a> to watch this" in client.get("/countries/IRN/").content.decode()


def test_another_user_cannot_see_read_or_delete_someone_elses_alerts(client, watcher, other_user, watch):
    watchlist = watch("BOL", "IRN", name="Amara's secret pair")
    factories.agreement("BOL", "IRN")
    events_record()
    client.force_login(other_user)
    assert "Amara" not in client.get("/alerts/watchlists/").content.decode()
    assert "BOL" not in client.get("/alerts/").content.decode()
    assert client.post(f"/alerts/watchlists/{watchlist.pk}/delete/").status_code == 404
    client.post("/alerts/read/", {"delivery": Delivery.objects.get().pk})
    assert Delivery.objects.get().read_at is None and Watchlist.objects.filter(pk=watchlist.pk).exists()


def test_the_agreements_feed_follows_the_filter_and_carries_the_evidence(client):
    agreement = factories.agreement("BOL", "IRN", type="defense", date="2023-07", title="Bolivia – Iran <pact>")
    article = Article.objects.create(text="Bolivia and Iran signed <script>x</script>.", title="Signing")
    Citation.objects.create(article=article, agreement=agreement, quote=article.text, start=0, end=10)
    factories.agreement("IRN", "VEN", type="energy", title="Iran – Venezuela energy deal")
    response = client.get("/feeds/agreements.atom?party=IRN&type=defense")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    [entry] = feed.findall(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text == "Bolivia – Iran <pact>"
    summary = entry.find(f"{ATOM}summary").text
    assert "Status: Signed (Jul 2023)" in summary and "Type: Defence" in summary
    assert "Evidence: “Bolivia and Iran signed <script>x</script>.”" in summary
    assert f"/articles/{article.pk}/" in summary
    assert entry.find(f"{ATOM}link").get("href").endswith(f"/agreements/{agreement.pk}/")
    assert b"<script>" not in response.content  # escaped in the XML


def test_the_status_change_feed_lists_steps_and_bad_filters_are_not_found(client):
    agreement = factories.agreement("BOL", "IRN", status="signed", date="2023-07")
    from tracker import services
    from tracker.partial_dates import PartialDate

    services.agreement_update(agreement=agreement, status="in_force", date=PartialDate.parse("2024-02"))
    feed = ElementTree.fromstring(client.get("/feeds/status-changes.atom?a=BOL&b=IRN").content)
    titles = [entry.find(f"{ATOM}title").text for entry in feed.findall(f"{ATOM}entry")]
    assert titles == [f"In force: {agreement.title}", f"Signed: {agreement.title}"]
    assert client.get("/feeds/agreements.atom?party=NOWHERE").status_code == 404


@pytest.mark.parametrize("path", ["/agreements/", "/countries/IRN/", "/pairs/BOL/IRN/"])
def test_every_list_page_links_its_feeds(client, path):
    page = client.get(path + "?type=defense").content.decode()
    assert "/feeds/agreements.atom?" in page and "/feeds/status-changes.atom?" in page
    assert "type=defense" in page.split("/feeds/agreements.atom?")[1].split('"')[0]
