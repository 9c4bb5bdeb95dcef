"""The dashboard in a real Chromium: pages load cleanly, links lead from a country to an article, reviews work."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from articles.models import Article, SubmissionKind
from articles.services import article_process, article_submit
from tests import factories
from tracker.importers.atop import atop_import
from tracker.models import Agreement, Country, ReviewState
from tracker.partial_dates import PartialDate

pytestmark = pytest.mark.browser

SEEDS = Path(settings.BASE_DIR) / "seeds"


@pytest.fixture
def data(transactional_db, browser):
    """Countries, the seed article (Iran–Bolivia defence MoU) parsed, and a few ties with history."""
    call_command("load_countries", verbosity=0)
    Country.objects.filter(code="SUN").update(valid_from=1922, valid_to=1991)
    raw = (SEEDS / "000_0a938d0a15eb8031.txt").read_bytes()
    article = article_submit(
        raw=raw,
        submission=SubmissionKind.FILE,
        filename="seed.txt",
        content_type="text/plain",
        title="Bolivia and Iran's Defense Pact Sets Off Alarm Bells in Argentina",
        publisher="World Politics Review",
        published=PartialDate.parse("2023-08"),
        enqueue=False,
    ).article
    assert article_process(article_id=article.pk, token="browser-test") == "parsed"
    factories.agreement("BOL", "IRN", type="economic", date="2007-09", title="Iran–Bolivia economic package")
    factories.agreement("BOL", "IRN", type="security", date="2012", title="Iran–Bolivia anti-drug memorandum")
    factories.agreement("FRA", "GBR", type="defense", status="signed", date="1904-04-08", title="Entente cordiale")
    factories.agreement("FRA", "SUN", type="defense", date="1935-05", title="Franco-Soviet Treaty of Mutual Assistance")
    return {"article": Article.objects.get(pk=article.pk)}


def test_every_page_loads_without_errors_and_is_screenshotted(data, watched):
    agreement = Agreement.objects.filter(citations__isnull=False).first()
    pages = {
        "home": "/",
        "country-IRN": "/countries/IRN/",
        "country-IRN-defense-since-2015": "/countries/IRN/?type=defense&start_date_from=2015",
        "country-SUN": "/countries/SUN/",
        "pair-BOL-IRN": "/pairs/BOL/IRN/",
        "pair-FRA-GBR": "/pairs/FRA/GBR/",
        "agreement": f"/agreements/{agreement.pk}/",
        "agreements": "/agreements/",
        "review-queue": "/review/",
        "network": "/network/?start_date_from=1900",
        "search": "/search/?q=Bolivia",
        "articles": "/articles/",
        "article-seed": f"/articles/{data['article'].pk}/",
    }
    for name, path in pages.items():
        watched.visit(path, screenshot=name)
    watched.page.set_viewport_size({"width": 390, "height": 844})
    watched.visit("/pairs/BOL/IRN/", screenshot="pair-BOL-IRN-phone")
    watched.visit(f"/articles/{data['article'].pk}/", screenshot="article-seed-phone")
    watched.page.emulate_media(media="print")
    watched.visit("/countries/IRN/", screenshot="country-IRN-print")
    watched.assert_clean()


def test_click_through_country_pair_agreement_article(data, watched):
    page = watched.page
    watched.visit("/countries/IRN/")
    page.get_by_role("link", name="Bolivia", exact=True).first.click()
    page.wait_for_url("**/pairs/BOL/IRN/", wait_until="networkidle")
    assert "Bolivia – Iran" in page.locator("h1").inner_text()
    mou = "Bolivia – Iran defence memorandum of understanding"
    page.locator("table.events").get_by_role("link", name=mou).first.click()
    page.wait_for_url("**/agreements/*/", wait_until="networkidle")
    assert page.locator("p.context mark").count() >= 1
    page.locator(".citation header a").first.click()
    page.wait_for_url(f"**/articles/{data['article'].pk}/", wait_until="networkidle")
    assert page.locator("mark.hl-country").count() > 0
    assert "Reacting third party" in page.locator("#mentions ~ table").inner_text()
    # The keyboard reaches the main content first.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    watched.shoot("click-through-article")
    watched.assert_clean()


def test_analyst_fixes_a_type_then_confirms_in_the_review_queue(data, watched, live_server):
    factories.analyst()
    page = watched.page
    watched.visit("/admin/login/?next=/review/")
    page.fill("#id_username", "lucia")
    page.fill("#id_password", "a-long-test-password")
    page.click("input[type=submit]")
    page.wait_for_url("**/review/", wait_until="networkidle")
    extracted = Agreement.objects.get(
        review_state=ReviewState.UNREVIEWED, title__contains="defence", origin="extracted"
    )
    item = page.locator(f"#a{extracted.pk}")
    item.locator("select[name=type]").select_option("security")
    item.get_by_role("button", name="Save and confirm").click()
    page.wait_for_url("**/review/", wait_until="networkidle")
    assert "Saved" in page.locator(".messages").inner_text()
    watched.shoot("review-after-action")
    extracted.refresh_from_db()
    assert (extracted.type, extracted.review_state) == ("security", ReviewState.CONFIRMED)
    assert extracted.history.filter(history_user__username="lucia").exists()
    watched.assert_clean()


def test_former_state_from_the_historical_baseline(transactional_db, watched):
    # `watched` (so the browser, and its permission for sync ORM calls) comes before the loads below.
    call_command("load_countries", verbosity=0)
    from tracker.importers.cow import cow_states_import, read_states

    cow_states_import(states=read_states())
    atop_import()
    watched.visit("/countries/SUN/", screenshot="country-SUN-baseline")
    assert "Former state" in watched.page.content()
    watched.visit("/pairs/FRA/GBR/", screenshot="pair-FRA-GBR-baseline")
    assert "18" in watched.page.locator("svg.timeline").inner_html()  # years of the nineteenth century on the axis
    watched.assert_clean()


def test_every_page_with_the_seeds_and_the_development_articles_ingested(transactional_db, watched):
    """What an analyst sees after `make run` and a bulk ingest: the real data, every page, no error."""
    call_command("load_seeds", verbosity=0)
    call_command("ingest", str(Path(settings.BASE_DIR) / "tests" / "extraction" / "dev_gold.jsonl"), verbosity=0)
    assert Article.objects.filter(state="parsed").count() == 46
    extracted = Agreement.objects.filter(origin="extracted").order_by("id").first()
    seed = Article.objects.get(title__startswith="Bolivia and Iran")
    pages = {
        "real-home": "/",
        "real-country-USA": "/countries/USA/",
        "real-country-SUN": "/countries/SUN/",
        "real-pair-BOL-IRN": "/pairs/BOL/IRN/",
        "real-pair-FRA-GBR": "/pairs/FRA/GBR/",
        "real-agreement": f"/agreements/{extracted.pk}/",
        "real-agreements": "/agreements/?origin=extracted",
        "real-review-queue": "/review/",
        "real-network": "/network/?type=defense&start_date_from=1945",
        "real-search": "/search/?q=defence+treaty",
        "real-articles": "/articles/",
        "real-article-seed": f"/articles/{seed.pk}/",
    }
    for name, path in pages.items():
        watched.visit(path, screenshot=name)
    assert "Reacting third party" in watched.page.content()
    watched.assert_clean()
