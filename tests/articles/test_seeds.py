from pathlib import Path

from django.core.management import call_command

from articles.models import Article
from tracker.models import Country

SEED = Path(__file__).resolve().parents[2] / "seeds" / "000_0a938d0a15eb8031.txt"


def test_load_seeds_stores_countries_and_the_seed_article_exactly_as_received(db):
    call_command("load_seeds", verbosity=0)

    assert Country.objects.current().count() == 249
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
    assert Country.objects.count() == 249 + Country.objects.former().count()
