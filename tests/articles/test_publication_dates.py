"""No invented dates: a document without metadata is dated by its dateline (and says so), relative dates resolve
against the publication date and never gain precision they do not have. Tasks run in-process."""

import pytest
from django.core.management import call_command

from articles.models import Article
from articles.services import article_reparse, article_submit
from tracker.models import Agreement
from tracker.partial_dates import PartialDate

pytestmark = pytest.mark.django_db(transaction=True)

DATELINED = "16 March 2023 – Chile and Peru signed a fisheries agreement in Lima on Friday, officials said.\n"
UNDATED = "Chile and Peru signed a fisheries agreement in Lima last week, officials said.\n"


def _file(text: str, name: str = "story.txt", **fields) -> Article:
    article = article_submit(raw=text.encode(), submission="file", filename=name, **fields).article
    article.refresh_from_db()
    return article


def _signed(agreement: Agreement) -> tuple[str, str] | None:
    date = agreement.current_status_date
    return (date.iso(), date.precision) if date else None


def test_a_text_file_without_metadata_is_dated_by_its_dateline_and_friday_counts_back_from_it(countries, client):
    article = _file(DATELINED)

    assert (article.published_on.isoformat(), article.published_source) == ("2023-03-16", "dateline")
    # the dateline's day is the report's; the signing was the Friday before it
    assert _signed(Agreement.objects.get()) == ("2023-03-10", "day")
    assert "(from its dateline)" in client.get(f"/articles/{article.pk}/").content.decode()


def test_an_html_page_without_a_date_is_dated_by_its_dateline(countries):
    html = f"<html><head><title>Fisheries</title></head><body><article><p>{DATELINED}</p></article></body></html>"
    article = _file(html, name="story.html", content_type="text/html")

    assert article.published_source == "dateline"
    assert _signed(Agreement.objects.get()) == ("2023-03-10", "day")


def test_nothing_dates_a_document_without_metadata_or_dateline_so_last_week_stays_undated(countries):
    article = _file(UNDATED)

    assert (article.published_on, article.published_source) == (None, "")
    assert _signed(Agreement.objects.get()) is None


def test_last_week_is_a_month_at_most_never_a_day(countries):
    _file(UNDATED, published=PartialDate.parse("2023-03-16"))

    assert _signed(Agreement.objects.get()) == ("2023-03", "month")


def test_a_date_a_person_gave_is_kept_on_reparse_and_a_read_one_is_read_again(countries):
    given = _file(DATELINED, published=PartialDate.parse("2023-03-20"))
    assert (given.published_on.isoformat(), given.published_source) == ("2023-03-20", "given")
    article_reparse(article=given)
    given.refresh_from_db()
    assert (given.published_on.isoformat(), given.published_source) == ("2023-03-20", "given")

    read = _file(DATELINED.replace("Lima", "Lima and Santiago"), name="other.txt")
    article_reparse(article=read)
    read.refresh_from_db()
    assert (read.published_on.isoformat(), read.published_source) == ("2023-03-16", "dateline")


def test_ingest_dates_a_batch_that_carries_no_date(countries, tmp_path):
    (tmp_path / "a.txt").write_text(UNDATED)

    call_command("ingest", str(tmp_path), "--published", "2023-03-16", verbosity=0)

    article = Article.objects.get()
    assert (article.published_on.isoformat(), article.published_source) == ("2023-03-16", "given")
    assert _signed(Agreement.objects.get()) == ("2023-03", "month")


def test_a_one_line_text_file_is_read_as_text(countries):
    _file("Chile and Peru signed a fisheries agreement in Lima on 10 March 2023, officials said.")

    assert Agreement.objects.get().party_key == "CHL PER"
