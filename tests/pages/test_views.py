"""Dashboard pages through the Django test client: what they show, their filters and redirects."""

import datetime
import re

from django.urls import reverse

from articles.models import Article, IngestionState
from tests import factories
from tracker.models import Agreement, ReviewState


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def test_home_page_shows_counts_and_the_latest_agreements(countries, client):
    factories.agreement("BOL", "IRN", title="Iran–Bolivia defence memorandum")
    html = page(client, reverse("home"))
    assert "Iran–Bolivia defence memorandum" in html
    assert 'Bolivia</a>, <a href="/countries/IRN/">Iran' in html
    assert "Jul 2023" in html


def test_home_page_shows_the_queue_ingestion_health_and_busy_pairs(iran_bolivia, client):
    Article.objects.create(title="Broken page", state=IngestionState.FAILED, error="Could not read the document")
    recent = datetime.date.today().replace(day=1) - datetime.timedelta(days=40)
    factories.agreement("FRA", "GBR", date=recent.strftime("%Y-%m"), title="Channel accord")
    html = page(client, reverse("home"))
    assert re.search(r'<span class="figure">4</span> waiting for review', html)
    assert re.search(r'<span class="figure">1</span> failed to parse', html)
    assert 'href="/pairs/FRA/GBR/">France – United Kingdom</a>' in html
    assert "Iran and Bolivia sign defence MoU" in html


def test_health_check_reports_each_component(db, client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    # The default cache lives in the process: there is nothing to reach.
    assert response.json() == {"status": "ok", "components": {"database": "ok", "cache": "local"}}


def test_liveness_asks_no_other_service(db, client, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.get(reverse("livez")).json() == {"status": "ok"}


def test_country_page_lists_partners_by_type_and_a_chart_with_its_table(iran_bolivia, client):
    factories.agreement("IRN", "VEN", type="economic", date="2010", title="Iran–Venezuela trade deal")
    html = page(client, "/countries/IRN/")
    assert "<h1>Iran</h1>" in html
    assert 'href="/pairs/BOL/IRN/">Bolivia</a>' in html
    assert "1 defence · 1 security · 1 economic" in html
    assert '<svg class="chart"' in html and "Agreements of Iran per year, by type" in html
    assert '<th scope="row">2012</th>' in html  # the table behind the chart
    assert "Americas" in html  # partners by region


def test_country_page_filters_by_type_and_time_window_in_the_url(iran_bolivia, client):
    html = page(client, "/countries/IRN/?type=defense&start_date_from=2015")
    assert "Iran–Bolivia defence memorandum" in html
    assert "anti-drug" not in html and "economic package" not in html
    assert 'value="defense" checked' in html and 'value="2015"' in html


def test_country_codes_are_case_insensitive_and_unknown_ones_are_404(iran_bolivia, client):
    response = client.get("/countries/irn/?type=defense")
    assert response.status_code == 302 and response["Location"] == "/countries/IRN/?type=defense"
    page(client, "/countries/XXX/", status=404)


def test_former_state_page_shows_its_years(countries, client):
    from tracker.models import Country

    Country.objects.filter(code="SUN").update(valid_from=1922, valid_to=1991)
    html = page(client, "/countries/SUN/")
    assert "Former state" in html and "from 1922 to 1991" in html


def test_pair_page_redirects_to_the_canonical_order(iran_bolivia, client):
    response = client.get("/pairs/IRN/BOL/?type=defense")
    assert response.status_code == 302
    assert response["Location"] == "/pairs/BOL/IRN/?type=defense"


def test_pair_page_puts_every_agreement_on_one_time_line_with_evidence(iran_bolivia, client):
    html = page(client, "/pairs/BOL/IRN/")
    positions = [html.index(t, html.index('id="events"')) for t in ("economic package", "anti-drug", "defence memo")]
    assert positions == sorted(positions)
    assert '<svg class="chart timeline"' in html
    assert "Signed: Jul 2023" in html  # the marker's tooltip, at the date's precision
    assert "Tehran and La Paz signed a defence memorandum" in html
    assert f'href="/articles/{iran_bolivia["article"].pk}/"' in html


def test_agreement_page_marks_the_quote_in_its_context(iran_bolivia, client):
    html = page(client, f"/agreements/{iran_bolivia['defence'].pk}/")
    assert "<mark>Tehran and La Paz signed a defence memorandum of understanding in July 2023</mark>, officials" in html
    assert "Argentina asked for explanations." in html
    assert "Edit history" in html


def test_article_page_highlights_countries_and_evidence_and_lists_roles(iran_bolivia, client):
    html = page(client, f"/articles/{iran_bolivia['article'].pk}/")
    assert re.search(r'<mark class="hl-evidence hl-country"[^>]*>Tehran</mark>', html)
    assert re.search(r'<mark class="hl-evidence hl-status"[^>]*>signed</mark>', html)
    assert re.search(r'<mark class="hl-country"[^>]*>Argentina</mark>', html)
    assert re.search(r"Argentina</a></td><td><span class=\"role role-third_party\">Reacting third party", html)
    assert "Iran–Bolivia defence memorandum" in html


def test_failed_article_shows_its_error(db, client):
    article = Article.objects.create(title="Bad", state=IngestionState.FAILED, error="Could not read the document: x")
    html = page(client, f"/articles/{article.pk}/")
    assert "Could not read the document: x" in html
    assert "failed" in page(client, "/articles/?state=failed")


def test_agreement_list_filters_and_paginates(countries, client):
    for year in range(1990, 2020):
        factories.agreement("FRA", "DEU", type="economic", date=str(year), title=f"Accord {year}")
    factories.agreement("FRA", "DEU", type="defense", date="2000", title="Defence accord")
    html = page(client, "/agreements/?type=economic")
    assert "Page 1 of 2" in html and "Defence accord" not in html
    assert 'href="?type=economic&amp;page=2"' in html
    assert "Accord 1990" in page(client, "/agreements/?type=economic&page=2")
    assert "is not a date" in page(client, "/agreements/?start_date_from=soon")


def test_rejected_and_merged_agreements_stay_out_of_lists(iran_bolivia, client):
    drugs = iran_bolivia["drugs"]
    Agreement.objects.filter(pk=drugs.pk).update(review_state=ReviewState.REJECTED)
    assert "anti-drug" not in page(client, "/pairs/BOL/IRN/")
    assert "anti-drug" not in page(client, "/countries/IRN/")


def test_network_draws_ties_with_a_table(iran_bolivia, client):
    html = page(client, "/network/?start_date_from=2000")
    assert '<svg class="chart network"' in html
    assert 'href="/pairs/BOL/IRN/">Bolivia – Iran</a></td><td class="num">3' in html


def test_search_finds_agreements_countries_and_articles(iran_bolivia, client):
    html = page(client, "/search/?q=Bolivia")
    assert 'href="/countries/BOL/">Bolivia</a>' in html
    assert "Iran–Bolivia defence memorandum" in html
    assert "Iran and Bolivia sign defence MoU" in html
    assert "No agreement." in page(client, "/search/?q=zzzqqq")


def test_pages_need_a_login_when_the_setting_says_so(iran_bolivia, client, settings):
    settings.API_REQUIRE_LOGIN = True
    response = client.get("/countries/IRN/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
