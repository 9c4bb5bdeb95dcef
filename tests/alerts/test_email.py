"""E-mail through Django's SMTP backend to a real SMTP server on a local port: at once, or as a daily digest."""

import pytest

from alerts import services
from alerts.events import events_record
from alerts.models import Delivery, EmailMode, Watchlist
from articles.models import Article, Citation
from tests import factories
from tests.alerts.receivers import smtp_server

pytestmark = pytest.mark.usefixtures("countries")


@pytest.fixture
def smtp(settings):
    with smtp_server() as (port, messages):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.ALERTS_SITE_URL = "https://tracker.example.org"
        yield messages


def cited(agreement, quote: str) -> None:
    article = Article.objects.create(text=quote, title="Signing")
    Citation.objects.create(article=article, agreement=agreement, quote=quote, start=0, end=len(quote))


def parts(message) -> tuple[str, str]:
    return message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content()


def test_an_immediate_alert_has_text_and_html_parts_with_the_evidence_and_an_unsubscribe_link(
    watch, client, smtp, django_capture_on_commit_callbacks
):
    watch("BOL", "IRN", email=EmailMode.IMMEDIATE, name="Bolivia – Iran")
    agreement = factories.agreement("BOL", "IRN", title="Bolivia – Iran defence memorandum <b>")
    cited(agreement, "Bolivia and Iran signed a defence memorandum <script>.")
    # The reader publishes the e-mails after its commit; with no broker they run here.
    with django_capture_on_commit_callbacks(execute=True):
        events_record()
    [message] = smtp
    assert message["To"] == "amara@example.org"
    assert message["Subject"].strip() == "[Bolivia – Iran] New agreement: Bolivia – Iran defence memorandum <b>"
    text, html = parts(message)
    assert "Bolivia and Iran signed a defence memorandum <script>." in text
    assert "Bolivia and Iran signed a defence memorandum &lt;script&gt;." in html and "<script>" not in html
    assert f"https://tracker.example.org/agreements/{agreement.pk}/" in text
    unsubscribe = message["List-Unsubscribe"].strip().strip("<>")
    assert unsubscribe in text and unsubscribe.startswith("https://tracker.example.org/alerts/unsubscribe/")
    # The link asks first (mail scanners open links), then stops the e-mails, with no login.
    path = unsubscribe.removeprefix("https://tracker.example.org")
    assert client.get(path).status_code == 200
    assert Watchlist.objects.get().email == EmailMode.IMMEDIATE
    assert client.post(path).status_code == 200
    assert Watchlist.objects.get().email == EmailMode.NONE
    assert client.get(path[:-3] + "xyz/").status_code == 404


def test_the_daily_digest_sends_one_e_mail_with_every_change_and_nothing_twice(watch, smtp):
    watch("IRN", email=EmailMode.DAILY, name="Iran")
    watch("PER", email=EmailMode.IMMEDIATE, name="Peru")
    factories.agreement("BOL", "IRN", title="first")
    factories.agreement("IRN", "VEN", title="second")
    events_record()
    assert services.digests_send() == 1
    [message] = smtp
    assert message["Subject"].strip() == "[Iran] 2 changes today"
    text, _ = parts(message)
    assert "New agreement: first" in text and "New agreement: second" in text
    assert services.digests_send() == 0 and len(smtp) == 1


def test_an_e_mail_the_server_refused_is_sent_on_the_next_run(watch, settings, smtp):
    watch("BOL", "IRN", email=EmailMode.IMMEDIATE)
    factories.agreement("BOL", "IRN")
    events_record()
    port = settings.EMAIL_PORT
    settings.EMAIL_PORT = 9  # nothing listens: the connection is refused
    with pytest.raises(OSError):
        services.emails_send_immediate()
    assert Delivery.objects.get().emailed_at is None
    settings.EMAIL_PORT = port
    assert services.emails_send_immediate() == 1 and len(smtp) == 1


def test_a_user_without_an_address_gets_the_inbox_only(watch, watcher, smtp):
    watcher.email = ""
    watcher.save()
    watch("BOL", "IRN", email=EmailMode.IMMEDIATE)
    factories.agreement("BOL", "IRN")
    events_record()
    assert services.emails_send_immediate() == 0 and smtp == []
    assert Delivery.objects.filter(read_at__isnull=True).count() == 1


STORY = """Bolivia's defence minister Edmundo Novillo defended on Monday the memorandum of understanding on defence
cooperation that he signed with his Iranian counterpart in Tehran on 20 July, telling legislators in La Paz that the
accord covers training and the purchase of drones for border surveillance.
"""


def test_an_analyst_watching_a_pair_gets_the_parsed_agreement_with_its_evidence_in_the_inbox_and_by_e_mail(
    watch, smtp, django_capture_on_commit_callbacks
):
    from articles.services import article_submit
    from tracker.partial_dates import PartialDate

    watch("BOL", "IRN", email=EmailMode.IMMEDIATE, name="Bolivia – Iran")
    # No broker in the tests: the parse task runs here once the submission commits, as `make run` does.
    with django_capture_on_commit_callbacks(execute=True):
        article = article_submit(raw=STORY.encode(), published=PartialDate.parse("2023-08-14")).article
    article.refresh_from_db()
    assert article.state == "parsed", article.error
    with django_capture_on_commit_callbacks(execute=True):
        events_record()
    delivery = Delivery.objects.get()
    assert delivery.event.kind == "created" and delivery.event.article_id == article.pk
    assert "memorandum of understanding on defence" in delivery.event.evidence
    [message] = smtp
    text, html = parts(message)
    assert "memorandum of understanding on defence" in " ".join(text.split())
    assert "memorandum of understanding on defence" in " ".join(html.split())
    assert f"https://tracker.example.org/articles/{article.pk}/" in text
