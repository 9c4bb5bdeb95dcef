"""Scraped text is untrusted: no script, event handler or javascript: link from an article becomes live markup."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from articles.models import Article, CountryMention, IngestionState, MentionRole, Source
from tests import factories
from tests.pages.conftest import cited_article
from tracker.models import Country

PAYLOAD = '<script>alert("xss")</script><img src=x onerror="alert(1)"><a href="javascript:alert(2)">click</a>'


class Live(HTMLParser):
    """Collects what a browser would run: script elements, on* attributes, javascript: URLs."""

    def __init__(self):
        super().__init__()
        self.scripts, self.handlers, self.js_links = [], [], []
        self._in_script = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self.scripts.append(attrs)
            self._in_script = attrs
        for name, value in attrs.items():
            if name.startswith("on"):
                self.handlers.append((tag, name, value))
            url = (value or "").strip().lower().replace("\t", "").replace("\n", "")
            if name in ("href", "src", "action", "formaction", "xlink:href") and url.startswith(
                ("javascript:", "data:")
            ):
                self.js_links.append((tag, name, value))

    def handle_data(self, data):
        if self._in_script is not None:
            self._in_script["body"] = self._in_script.get("body", "") + data

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = None


def assert_nothing_live(html: str, url: str) -> None:
    parser = Live()
    parser.feed(html)
    for script in parser.scripts:
        # Ours only: Django admin's own files from /static/, or JSON data islands; never a body with the payload.
        assert (
            script.get("src", "").startswith(("/static/", "/admin/jsi18n/")) or script.get("type") == "application/json"
        ), (url, script)
        assert "alert" not in script.get("body", ""), url
    assert parser.handlers == [], url
    assert parser.js_links == [], url


@pytest.fixture
def poisoned(countries):
    agreement = factories.agreement("BOL", "IRN", title=f"Pact {PAYLOAD}", summary=PAYLOAD)
    text = f"Tehran and La Paz signed a deal. {PAYLOAD} Argentina reacted. {PAYLOAD}"
    article = cited_article(
        agreement,
        title=f"Title {PAYLOAD}",
        text=text,
        quote=f"signed a deal. {PAYLOAD}",
        publisher=f"Wire {PAYLOAD}",
        url="javascript:alert(3)//https://example.org/",
    )
    CountryMention.objects.filter(article=article, country__code="ARG").update(
        spans=[[text.index("<script>"), text.index("</script>") + 9]]
    )
    failed = Article.objects.create(title=PAYLOAD, state=IngestionState.FAILED, error=f"Could not read: {PAYLOAD}")
    CountryMention.objects.create(
        article=failed, country=Country.objects.get(code="IRN"), role=MentionRole.PARTY, spans=[[0, 5]]
    )
    source = Source.objects.create(
        name=f"Outlet {PAYLOAD}",
        home_page="javascript:alert(4)",
        feed_url="https://outlet.example/feed",
        notes=PAYLOAD,
        consecutive_failures=1,
        last_error=f"Could not read the feed: {PAYLOAD}",
        active=True,
    )
    Article.objects.filter(pk=failed.pk).update(source=source)
    return {"agreement": agreement, "article": article, "failed": failed, "source": source}


def test_no_payload_is_live_on_any_page_or_admin_view(poisoned, admin_client):
    agreement, article, failed = poisoned["agreement"], poisoned["article"], poisoned["failed"]
    urls = [
        "/",
        "/countries/IRN/",
        "/countries/ARG/",
        "/pairs/BOL/IRN/",
        f"/agreements/{agreement.pk}/",
        "/agreements/",
        "/review/",
        "/network/",
        "/search/?q=Pact",
        "/search/?q=Title",
        f"/search/?q={PAYLOAD}",
        "/articles/",
        "/articles/?state=failed",
        f"/articles/{article.pk}/",
        f"/articles/{failed.pk}/",
        reverse("admin:articles_article_changelist"),
        reverse("admin:articles_article_change", args=[article.pk]),
        reverse("admin:articles_article_change", args=[failed.pk]),
        reverse("admin:tracker_agreement_changelist"),
        reverse("admin:tracker_agreement_change", args=[agreement.pk]),
        reverse("admin:articles_citation_changelist"),
        "/sources/",
        reverse("admin:articles_source_changelist"),
        reverse("admin:articles_source_change", args=[poisoned["source"].pk]),
    ]
    for url in urls:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert_nothing_live(html, url)
        assert "&lt;script&gt;" in html or "xss" not in html, url  # shown as text, escaped


def test_the_checker_catches_live_markup():
    for html in ['<script>alert("xss")</script>', '<img src=x onerror="alert(1)">', '<a href=" javascript:x">a</a>']:
        with pytest.raises(AssertionError):
            assert_nothing_live(html, "test")
