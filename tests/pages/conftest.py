import pytest

from articles.models import Article, Citation, CountryMention, IngestionState, MentionRole
from tests import factories

ARTICLE_TEXT = (
    "Tehran and La Paz signed a defence memorandum of understanding in July 2023, officials said. "
    "Argentina asked for explanations."
)
QUOTE = "Tehran and La Paz signed a defence memorandum of understanding in July 2023"


def cited_article(agreement, *, title="Iran and Bolivia sign defence MoU", text=ARTICLE_TEXT, quote=QUOTE, **extra):
    """A parsed article citing `agreement` with one evidence quote, and its country mentions."""
    from tracker.models import Country

    article = Article.objects.create(
        title=title,
        text=text,
        state=IngestionState.PARSED,
        publisher=extra.pop("publisher", "Test Wire"),
        url=extra.pop("url", None),
        **extra,
    )
    start = text.find(quote) if quote in text else 0
    Citation.objects.create(
        article=article,
        agreement=agreement,
        quote=quote,
        start=start,
        end=start + len(quote),
        fields=["parties", "status", "date"],
        field_spans={"status": [start + 18, start + 24], "date": [start + 64, start + 73]},
        confidence=0.8,
    )
    codes = {"IRN": ([0, 6], MentionRole.PARTY), "BOL": ([11, 17], MentionRole.PARTY)}
    for code, (span, role) in codes.items():
        CountryMention.objects.create(article=article, country=Country.objects.get(code=code), role=role, spans=[span])
    arg = text.find("Argentina")
    if arg >= 0:
        CountryMention.objects.create(
            article=article,
            country=Country.objects.get(code="ARG"),
            role=MentionRole.THIRD_PARTY,
            spans=[[arg, arg + 9]],
        )
    return article


@pytest.fixture
def iran_bolivia(countries):
    """The three Iran–Bolivia agreements of the scenario, the latest one cited by an article."""
    economic = factories.agreement("BOL", "IRN", type="economic", date="2007-09", title="Iran–Bolivia economic package")
    drugs = factories.agreement("BOL", "IRN", type="security", date="2012", title="Iran–Bolivia anti-drug memorandum")
    defence = factories.agreement("BOL", "IRN", type="defense", date="2023-07", title="Iran–Bolivia defence memorandum")
    article = cited_article(defence)
    return {"economic": economic, "drugs": drugs, "defence": defence, "article": article}
