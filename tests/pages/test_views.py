"""Dashboard pages through the Django test client: what they show, their filters and redirects."""

import datetime
import re

import pytest
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
    assert 'href="/pairs/BOL/IRN/">Bolivia – Iran</a></td><td class="num">3</td><td class="num">3' in html


def test_network_by_default_shows_ties_across_the_world_before_the_pairs_inside_one_bloc(countries, client):
    bloc = ("AUT", "BEL", "DEU", "ESP", "FRA", "ITA", "NLD", "POL", "PRT", "SWE")
    for year in (2018, 2019, 2020):  # three trade agreements of the bloc's ten members: 45 pairs, each in all three
        factories.agreement(*bloc, type="economic", date=str(year), title=f"Bloc trade protocol {year}")
    factories.agreement("BRA", "CHN", type="economic", date="2019", title="Brazil–China soybean agreement")
    factories.agreement("BRA", "CHN", type="technology", date="2021", title="Brazil–China satellite programme")
    factories.agreement("IND", "JPN", type="defense", date="2020", title="India–Japan logistics pact")
    html = page(client, "/network/")
    ties = re.findall(r'href="/pairs/(\w+)/(\w+)/">', html[html.index("Table: the ties drawn") :])
    assert ties[:2] == [("BRA", "CHN"), ("IND", "JPN")]  # weight 2 and 1; a pair inside the bloc weighs 3 × 1/9
    assert len(ties) == 47
    assert "an agreement of <var>n</var> parties as 1/(<var>n</var>−1)" in html  # the page says what it shows


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


def test_a_filtered_country_chart_runs_from_the_filters_year_to_this_year(iran_bolivia, client):
    this_year = datetime.date.today().year
    html = page(client, "/countries/IRN/?type=defense&start_date_from=2015")
    assert f"Agreements of Iran per year, by type, 2015–{this_year}" in html
    html = page(client, "/countries/IRN/")
    assert "Agreements of Iran per year, by type, 2007–2023" in html  # the data's own years when nothing is chosen


def test_one_agreement_is_counted_in_the_singular(countries, client):
    factories.agreement("FRA", "GBR", type="defense", date="1904-04-08", title="Entente cordiale")
    html = page(client, "/countries/FRA/")
    assert "</span> agreement</div>" in html and "</span> partner</div>" in html
    assert "1 agreements" not in page(client, "/") and "1 agreements" not in html


def test_countries_go_by_the_short_names_people_use_in_lists_and_titles(countries, client):
    from tracker.models import Country

    names = dict(Country.objects.filter(code__in=["RUS", "COD", "IRN"]).values_list("code", "name"))
    assert names == {"RUS": "Russia", "COD": "DR Congo", "IRN": "Iran"}
    assert "Russian Federation" in Country.objects.get(code="RUS").names  # still found by its ISO name
    factories.agreement("RUS", "COD", "IRN", type="economic", date="2019", title="Trade memorandum")
    html = page(client, "/countries/RUS/")
    assert "<h1>Russia</h1>" in html
    partners = re.findall(r'href="/pairs/\w+/\w+/">([^<]+)</a>', html)
    assert partners == ["DR Congo", "Iran"]  # by name, with the same number of agreements


def test_a_former_state_and_the_successor_its_membership_passed_to_are_not_partners(countries, client):
    from tracker.models import AgreementParty

    pact = factories.agreement("SUN", "DNK", "RUS", type="diplomatic", date="1976", title="Non-aggression pact")
    AgreementParty.objects.filter(agreement=pact, country__code="SUN").update(left_on=datetime.date(1991, 12, 25))
    AgreementParty.objects.filter(agreement=pact, country__code="RUS").update(joined_on=datetime.date(1991, 12, 26))
    soviet = page(client, "/countries/SUN/")
    assert re.findall(r'href="/pairs/\w+/\w+/">([^<]+)</a>', soviet) == ["Denmark"]
    danish = page(client, "/countries/DNK/")
    assert re.findall(r'href="/pairs/\w+/\w+/">([^<]+)</a>', danish) == ["Russia", "Soviet Union"]  # both, in turn


def test_an_agreement_says_which_later_one_superseded_it(countries, client):
    from tracker.models import AgreementLink, LinkKind

    old = factories.agreement("FRA", "GBR", date="1904", title="Entente cordiale")
    new = factories.agreement("FRA", "GBR", date="1947", title="Treaty of Dunkirk")
    AgreementLink.objects.create(source=new, kind=LinkKind.SUPERSEDES, target=old)
    older, newer = page(client, f"/agreements/{old.pk}/"), page(client, f"/agreements/{new.pk}/")
    assert f'Superseded by <a href="/agreements/{new.pk}/">Treaty of Dunkirk</a>' in older
    assert f'Supersedes <a href="/agreements/{old.pk}/">Entente cordiale</a>' in newer


def test_a_review_state_has_one_label_on_every_page(iran_bolivia, client):
    from tracker.models import ReviewState

    defence = iran_bolivia["defence"]
    assert defence.review_state == ReviewState.UNREVIEWED
    article = iran_bolivia["article"]
    for url in (f"/agreements/{defence.pk}/", "/agreements/", "/countries/IRN/", f"/articles/{article.pk}/"):
        html = page(client, url)
        assert '<span class="badge review-unreviewed">Unreviewed</span>' in html, url
        assert "to review</span>" not in html and ">unreviewed<" not in html, url


def test_date_fields_hint_at_the_format_with_placeholders_that_are_no_dates(iran_bolivia, analyst_client):
    from tracker.partial_dates import PartialDate

    html = page(analyst_client, "/review/") + page(analyst_client, "/countries/IRN/")
    placeholders = re.findall(r'<input name="(?:start_date_from|start_date_to|date)"[^>]*placeholder="([^"]*)"', html)
    assert len(placeholders) >= 4
    for placeholder in placeholders:
        with pytest.raises(ValueError):  # an empty field must not look filled in
            PartialDate.parse(placeholder)
