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
    # years of the nineteenth century on the axis
    assert "18" in watched.page.locator("svg.timeline").first.inner_html()
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


LONG_TITLE = "Bolivia – Iran agreement on the establishment of diplomatic relations and on cultural cooperation (1985)"


def _visible_timeline(page) -> dict:
    """The boxes (left, top, right, bottom) of the time line shown, its lane labels and its status markers."""
    return page.evaluate(
        """() => {
          const box = e => { const b = e.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; };
          const svg = [...document.querySelectorAll('svg.timeline')].find(s => s.getBoundingClientRect().width > 0);
          const labels = [...svg.querySelectorAll('.lane-label')];
          return {svg: box(svg), labels: labels.map(box), texts: labels.map(e => e.firstChild.textContent),
                  markers: [...svg.querySelectorAll('[class^="m-"]')].map(box),
                  pageWidth: document.documentElement.scrollWidth};
        }"""
    )


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_pair_time_line_shows_every_lane_label_whole_and_clear_of_the_markers(data, watched):
    factories.agreement("BOL", "IRN", type="diplomatic", date="1985-03", title=LONG_TITLE)
    for width, name in ((1280, "pair-BOL-IRN-timeline"), (390, "pair-BOL-IRN-timeline-phone")):
        watched.page.set_viewport_size({"width": width, "height": 900})
        watched.visit("/pairs/BOL/IRN/", screenshot=name)
        chart = _visible_timeline(watched.page)
        assert len(chart["labels"]) == 4
        left, _, right, _ = chart["svg"]
        for label in chart["labels"]:
            assert left <= label[0] and label[2] <= right, (name, label, chart["svg"])
            assert not any(_overlap(label, marker) for marker in chart["markers"]), name
        assert right <= width and chart["pageWidth"] <= width, name
    assert LONG_TITLE in chart["texts"] or any(t.startswith("Bolivia – Iran agreement on the") for t in chart["texts"])
    watched.assert_clean()


def test_country_page_fits_a_phone_with_the_whole_axis_of_its_chart(data, watched):
    watched.page.set_viewport_size({"width": 390, "height": 844})
    watched.visit("/countries/IRN/", screenshot="country-IRN-phone")
    page = watched.page
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    chart = page.locator("svg.chart:visible").first
    box = chart.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    ticks = chart.locator("text.tick").all_text_contents()
    assert {"2010", "2015", "2020"} <= set(ticks)  # the axis from 2007 to 2023, all of it on the screen
    watched.assert_clean()


def test_home_page_tells_statuses_apart_by_mark_never_by_a_type_colour(data, watched):
    watched.visit("/", screenshot="home")
    colours = watched.page.evaluate(
        """() => {
          const style = e => getComputedStyle(e);
          return {
            types: [...document.querySelectorAll('svg.bars rect[class^="t-"]')].map(e => style(e).fill),
            statusBars: [...document.querySelectorAll('svg.bars rect[class^="s-"]')].map(e => style(e).fill),
            statusMarks: [...document.querySelectorAll('svg.bars [class^="m-"]')].map(e => style(e).stroke),
            statusText: [...document.querySelectorAll('.status')].map(e => style(e).color),
            shapes: [...document.querySelectorAll('svg.bars [class^="m-"]')].map(e => e.tagName + ' ' + e.classList[0]),
          };
        }"""
    )
    assert len(set(colours["types"])) == 8  # one colour per type
    statuses = set(colours["statusBars"] + colours["statusMarks"] + colours["statusText"])
    assert statuses and not statuses & set(colours["types"]), statuses
    assert colours["shapes"] == ["circle m-proposed", "circle m-signed", "circle m-in_force", "rect m-terminated"]
    watched.assert_clean()


def test_printed_pages_show_the_tables_behind_their_charts(data, watched):
    watched.page.emulate_media(media="print")
    for path in ("/countries/IRN/", "/pairs/BOL/IRN/", "/"):
        watched.visit(path)
        tables = watched.page.locator(".chart-box details table")
        assert tables.count() >= 1
        assert all(tables.nth(i).is_visible() for i in range(tables.count())), path
    watched.assert_clean()


def test_admin_and_api_pages_show_the_tracker_icon_and_ask_no_other_site(data, watched):
    page = watched.page
    # Each documentation page reads the schema after it loads: wait for what it draws before leaving it. Redoc's
    # sidebar holds the logo it used to fetch from its makers' site.
    drawn = {"/api/v1/docs/": ".swagger-ui .info", "/api/v1/redoc/": "img[alt='redocly logo']"}
    for path in ("/admin/login/", "/api/v1/countries/", "/api/v1/docs/", "/api/v1/redoc/"):
        watched.visit(path)
        if path in drawn:
            page.wait_for_selector(drawn[path], state="attached")
            page.wait_for_load_state("networkidle")
        icon = page.locator('link[rel="icon"]').first.get_attribute("href")
        assert icon and icon.endswith("/img/favicon.svg"), path
        assert page.request.get(watched.base_url + icon).ok
    watched.assert_clean()  # the offline route counts any request that leaves the server as a problem
