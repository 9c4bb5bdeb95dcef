"""Search finds what a person types, on SQLite and PostgreSQL alike: words across fields, countries by any of their
names, British and American spellings as one word, and the real number of matches."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from articles.models import Article, IngestionState
from tests import factories
from tests.pages.conftest import cited_article
from tracker import selectors
from tracker.models import Agreement, Country


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def titles(results) -> list[str]:
    return [agreement.title for agreement in results.agreements]


def test_the_american_spelling_finds_agreements_labelled_in_british_english(iran_bolivia):
    assert titles(selectors.search(query="defense")) == ["Iran–Bolivia defence memorandum"]
    assert titles(selectors.search(query="Defence")) == ["Iran–Bolivia defence memorandum"]


def test_the_search_box_example_finds_the_defence_memorandum(iran_bolivia, client):
    html = page(client, "/search/?q=Bolivia+defence")

    assert "Iran–Bolivia defence memorandum" in html
    assert "Iran–Bolivia economic package" not in html
    assert "Iran and Bolivia sign defence MoU" in html


def test_two_country_names_find_the_agreements_between_them(iran_bolivia):
    assert sorted(titles(selectors.search(query="Iran Bolivia"))) == [
        "Iran–Bolivia anti-drug memorandum",
        "Iran–Bolivia defence memorandum",
        "Iran–Bolivia economic package",
    ]


def test_a_party_is_found_by_its_name_even_when_the_title_does_not_say_it(countries):
    factories.agreement("BOL", "IRN", type="economic", title="Memorandum on lithium mining")

    assert titles(selectors.search(query="Bolivia lithium")) == ["Memorandum on lithium mining"]
    assert titles(selectors.search(query="Bolivian lithium")) == ["Memorandum on lithium mining"]


def test_the_type_vocabulary_finds_an_agreement_whose_title_does_not_name_its_type(countries):
    factories.agreement("BOL", "IRN", type="defense", title="Memorandum of understanding")

    assert titles(selectors.search(query="Iran defense")) == ["Memorandum of understanding"]


def test_russia_is_a_whole_word_and_does_not_match_prussia(countries):
    prussia = Country.objects.create(code="COW-PRU", name="Prussia", is_former=True, valid_from=1816, valid_to=1871)
    factories.agreement("COW-PRU", "AUT", title="Prussian–Austrian alliance", date="1866")
    factories.agreement("RUS", "IRN", title="Russia–Iran energy accord", type="energy")

    results = selectors.search(query="Russia")

    assert titles(results) == ["Russia–Iran energy accord"]
    assert prussia not in results.countries
    assert [country.code for country in results.countries] == ["RUS"]


def test_a_country_is_found_by_its_name_variants(countries):
    factories.agreement("TUR", "AZE", title="Defence cooperation agreement", date="2021-06")

    results = selectors.search(query="Turkey")

    assert Country.objects.get(code="TUR") in results.countries
    assert titles(results) == ["Defence cooperation agreement"]
    assert titles(selectors.search(query="Turkiye defense")) == ["Defence cooperation agreement"]


def test_a_word_in_the_title_ranks_above_the_same_word_in_the_summary(countries):
    factories.agreement("BOL", "IRN", title="Economic package", summary="Includes a lithium clause.", date="2024")
    factories.agreement("BOL", "IRN", title="Lithium extraction memorandum", date="2019")

    assert titles(selectors.search(query="lithium")) == ["Lithium extraction memorandum", "Economic package"]


def test_the_header_shows_the_real_number_of_matches(countries, client):
    for year in range(2000, 2025):
        factories.agreement("BOL", "IRN", title=f"Defence protocol {year}", date=str(year))

    html = page(client, "/search/?q=defence+protocol")

    heading = re.search(r'<h2 id="agreements">Agreements <small class="muted">([^<]*)</small>', html).group(1)
    assert heading == "25, best 20 shown"
    assert html.count("Defence protocol 20") == 20


def test_a_party_added_later_is_found_by_its_name(iran_bolivia, analyst):
    from tracker.services import agreement_update

    agreement_update(agreement=iran_bolivia["defence"], user=analyst, parties=["BOL", "IRN", "VEN"])

    assert titles(selectors.search(query="Venezuela")) == ["Iran–Bolivia defence memorandum"]


def test_an_edited_title_is_found_by_its_new_words(iran_bolivia, analyst):
    from tracker.services import agreement_update

    agreement_update(agreement=iran_bolivia["economic"], user=analyst, title="Iran–Bolivia lithium deal")

    assert titles(selectors.search(query="lithium")) == ["Iran–Bolivia lithium deal"]
    assert titles(selectors.search(query="package")) == []


def test_rejected_and_merged_agreements_are_not_found(iran_bolivia):
    iran_bolivia["drugs"].review_state = "rejected"
    iran_bolivia["drugs"].save()

    assert "Iran–Bolivia anti-drug memorandum" not in titles(selectors.search(query="Iran Bolivia"))


def test_an_article_is_found_by_words_of_its_text_in_either_spelling(iran_bolivia):
    cited_article(
        iran_bolivia["economic"],
        title="La Paz and Tehran agree trade terms",
        text="The organisation of the programme was agreed in La Paz.",
        quote="organisation",
        url="https://news.example.org/trade",
    )

    results = selectors.search(query="organization program")

    assert [row["title"] for row in results.articles] == ["La Paz and Tehran agree trade terms"]
    assert results.article_total == 1


def test_words_that_look_like_query_syntax_are_plain_words(iran_bolivia, client):
    for query in ['"defence', "defence*", "NEAR(defence)", "title:defence", "AND", "-", "'"]:
        assert client.get("/search/", {"q": query}).status_code == 200, query


def test_the_api_q_filter_uses_the_same_search(iran_bolivia, client):
    response = client.get("/api/v1/agreements/", {"q": "Bolivia defense"})

    assert [row["title"] for row in response.json()["results"]] == ["Iran–Bolivia defence memorandum"]


@pytest.fixture
def admin_client(db):
    user = get_user_model().objects.create_superuser(username="curator", password="a-long-test-password")
    client = Client()
    client.force_login(user)
    return client


def test_the_article_admin_searches_the_index(iran_bolivia, admin_client):
    Article.objects.create(title="Trade talks", text="The defence ministers met.", state=IngestionState.PARSED)
    Article.objects.create(title="Weather", text="Rain in La Paz.", state=IngestionState.PARSED)

    html = admin_client.get("/admin/articles/article/", {"q": "defense"}).content.decode()

    assert "Trade talks" in html
    assert "Iran and Bolivia sign defence MoU" in html
    assert "Weather" not in html


def test_the_index_is_built_for_rows_that_existed_before(iran_bolivia):
    from tracker.models import SearchEntry
    from tracker.search import search_index_rebuild

    SearchEntry.objects.all().delete()
    assert titles(selectors.search(query="defence")) == []

    search_index_rebuild()

    assert titles(selectors.search(query="defence")) == ["Iran–Bolivia defence memorandum"]
    assert SearchEntry.objects.filter(agreement__in=Agreement.objects.all()).count() == 3
