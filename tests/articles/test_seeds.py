from pathlib import Path

import pycountry
from django.core.management import call_command

from articles.models import Article
from tracker.models import Agreement, Country

SEED = Path(__file__).resolve().parents[2] / "seeds" / "000_0a938d0a15eb8031.txt"


def test_load_seeds_stores_countries_and_the_seed_article_exactly_as_received(db):
    call_command("load_seeds", verbosity=0)

    iso_codes = [country.alpha_3 for country in pycountry.countries]
    assert Country.objects.current().filter(code__in=iso_codes).count() == 249
    # Alliance members that no longer exist come with the historical baseline.
    assert Country.objects.get(code="SUN").is_former
    article = Article.objects.get()
    assert bytes(article.raw) == SEED.read_bytes()
    assert article.title == "Bolivia and Iran's Defense Pact Sets Off Alarm Bells in Argentina"
    assert (article.publisher, article.language) == ("World Politics Review", "en")
    assert article.published.iso() == "2023-08"


def test_load_seeds_twice_is_a_no_op(db):
    call_command("load_seeds", verbosity=0)
    first = list(Article.objects.values_list("id", "content_hash", "updated_at"))
    call_command("load_seeds", verbosity=0)
    assert list(Article.objects.values_list("id", "content_hash", "updated_at")) == first
    counts = (Country.objects.count(), Agreement.objects.count())
    call_command("load_seeds", verbosity=0)
    assert (Country.objects.count(), Agreement.objects.count()) == counts
