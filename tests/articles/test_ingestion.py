"""Documents in, agreements out — with tasks run in-process (the embedded default).

The same services run in a real Celery worker in test_worker.py.
"""

import datetime
import json
import logging
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article, Citation, CountryMention
from articles.services import article_process, article_reparse, article_submit, articles_requeue_stale
from tests import factories
from tests.processes import page, web_server
from tracker.models import Agreement, StatusChange
from tracker.partial_dates import PartialDate

# Transactional: the parse task is published on commit, as in production.
pytestmark = pytest.mark.django_db(transaction=True)

SEED = Path(__file__).resolve().parents[2] / "seeds" / "000_0a938d0a15eb8031.txt"

MOU_FOLLOW_UP = """Bolivia's defence minister Edmundo Novillo defended on Monday the memorandum of understanding on
defence cooperation that he signed with his Iranian counterpart in Tehran on 20 July, telling legislators in La Paz
that the accord covers training and the purchase of drones for border surveillance.

Opposition deputies asked the government to publish the text of the agreement with Iran.
"""


def _submit_seed():
    return article_submit(
        raw=SEED.read_bytes(),
        submission="file",
        filename=SEED.name,
        title="Bolivia and Iran's Defense Pact Sets Off Alarm Bells in Argentina",
        published=PartialDate.parse("2023-08"),
    ).article


def test_the_seed_article_yields_the_iran_bolivia_defence_mou(countries):
    article = _submit_seed()
    article.refresh_from_db()

    assert article.state == "parsed", article.error
    agreement = Agreement.objects.get()
    assert agreement.party_key == "BOL IRN"
    assert agreement.type in ("defense", "security")
    assert (agreement.status, agreement.current_status_date.iso()) == ("signed", "2023-07")
    assert (agreement.origin, agreement.review_state) == ("extracted", "unreviewed")
    # Titled by its parties, domain and the kind of instrument the article names ("defense MoU").
    assert agreement.title == "Bolivia – Iran defence memorandum of understanding"

    citation = Citation.objects.get()
    assert citation.article == article and citation.agreement == agreement
    assert article.text[citation.start : citation.end] == citation.quote
    assert citation.extractor_version
    assert StatusChange.objects.get(agreement=agreement).citation == citation


def test_argentina_is_a_reacting_third_party_not_a_party(countries):
    article = _submit_seed()
    roles = dict(CountryMention.objects.filter(article=article).values_list("country__code", "role"))
    assert roles["ARG"] == "third_party"
    assert roles["IRN"] == roles["BOL"] == "party"
    assert "ARG" not in Agreement.objects.get().party_key


def test_reparsing_an_article_replaces_its_own_citations_and_nothing_else(countries):
    article = _submit_seed()
    before = (Agreement.objects.count(), Citation.objects.count(), StatusChange.objects.count())

    article_reparse(article=article)

    article.refresh_from_db()
    assert article.state == "parsed"
    assert (Agreement.objects.count(), Citation.objects.count(), StatusChange.objects.count()) == before


def test_the_same_document_twice_is_one_article(countries):
    first = _submit_seed()
    again = article_submit(raw=SEED.read_bytes(), submission="text")
    assert (again.article.pk, again.created) == (first.pk, False)
    assert Article.objects.count() == 1 and Agreement.objects.count() == 1


def test_a_second_article_about_the_same_mou_adds_a_citation_not_a_duplicate(countries):
    _submit_seed()
    follow_up = article_submit(raw=MOU_FOLLOW_UP.encode(), published=PartialDate.parse("2023-08-14")).article
    follow_up.refresh_from_db()

    assert follow_up.state == "parsed", follow_up.error
    agreement = Agreement.objects.get()
    assert agreement.citations.count() == 2
    # The second report gives the day: the date is refined, the status is unchanged.
    assert (agreement.status, agreement.current_status_date.iso()) == ("signed", "2023-07-20")
    assert follow_up.parse_summary == {"agreements": 1, "created": 0, "merged": 1}


def test_an_analysts_confirmed_fields_are_never_overwritten(countries):
    _submit_seed()
    agreement = Agreement.objects.get()
    agreement.type = "security"
    agreement.locked_fields = ["type", "status", "date"]
    agreement.save()

    article_submit(raw=MOU_FOLLOW_UP.encode(), published=PartialDate.parse("2023-08-14"))

    agreement.refresh_from_db()
    assert agreement.type == "security"
    assert agreement.current_status_date.iso() == "2023-07"
    assert agreement.citations.count() == 2


def test_an_agreement_known_from_the_admin_absorbs_extracted_evidence(countries):
    manual = factories.agreement("BOL", "IRN", type="defense", status="signed", date="2023-07-20")
    _submit_seed()
    assert Agreement.objects.get() == manual
    assert manual.citations.count() == 1


def test_an_unreadable_document_fails_with_a_reason_and_keeps_its_bytes(countries):
    pdf = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n"
    article = article_submit(raw=pdf, submission="file", filename="treaty.pdf").article
    article.refresh_from_db()
    assert article.state == "failed"
    assert "unsupported document type" in article.error
    assert bytes(article.raw) == pdf


def test_a_url_to_a_private_address_is_refused_with_a_clear_error(countries):
    article = article_submit(url="http://169.254.169.254/latest/meta-data/", submission="url").article
    article.refresh_from_db()
    assert article.state == "failed"
    assert "Could not fetch the page: refused" in article.error


def test_a_url_is_fetched_stored_and_parsed(countries, settings):
    html = (
        "<html><head><title>Iran and Bolivia sign defence pact</title>"
        '<meta property="article:published_time" content="2023-07-21"></head><body><nav>Home | World</nav>'
        "<article><h1>Iran and Bolivia sign defence pact</h1><p>" + MOU_FOLLOW_UP.replace("\n", " ") + "</p>"
        "<p>Officials in both capitals said the memorandum would be followed by a training programme.</p></article>"
        "<footer>Subscribe to our newsletter</footer></body></html>"
    ).encode()
    with web_server({"/story": page(html)}) as base:
        settings.FETCH_ALLOWED_HOSTS = [base.removeprefix("http://")]
        article = article_submit(url=f"{base}/story", submission="url").article
    article.refresh_from_db()

    assert article.state == "parsed", article.error
    assert bytes(article.raw) == html
    assert "Subscribe" not in article.text and "memorandum of understanding" in article.text
    assert article.published.iso() == "2023-07-21"
    assert Agreement.objects.get().party_key == "BOL IRN"


def test_a_failure_in_one_article_does_not_stop_the_others(countries):
    bad = article_submit(raw=b"\x00\x01\x02" * 50, filename="blob.bin", submission="file").article
    good = _submit_seed()
    bad.refresh_from_db()
    good.refresh_from_db()
    assert (bad.state, good.state) == ("failed", "parsed")
    assert bad.error


@pytest.mark.parametrize("source", ["text", "upload"])
def test_an_analyst_adds_an_article_in_the_admin(countries, analyst_client, source):
    payload = {"title": "", "publisher": "", "published": "2023-08-14", "language": "en"}
    if source == "text":
        payload["text"] = MOU_FOLLOW_UP
    else:
        from django.core.files.uploadedfile import SimpleUploadedFile

        payload["upload"] = SimpleUploadedFile("story.txt", MOU_FOLLOW_UP.encode(), content_type="text/plain")

    response = analyst_client.post("/admin/articles/article/add/", payload)

    article = Article.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"/admin/articles/article/{article.pk}/change/")
    assert article.state == "parsed"
    assert Agreement.objects.get().party_key == "BOL IRN"
    assert analyst_client.get(response.url).status_code == 200


def test_the_add_article_form_needs_exactly_one_source(countries, analyst_client):
    response = analyst_client.post("/admin/articles/article/add/", {"text": "x", "url": "https://example.org/a"})
    assert response.status_code == 200
    assert "Give exactly one of" in response.content.decode()
    assert not Article.objects.exists()


def test_the_reparse_action(countries, analyst_client):
    article = _submit_seed()
    Citation.objects.all().delete()
    analyst_client.post("/admin/articles/article/", {"action": "reparse_articles", "_selected_action": [article.pk]})
    assert Citation.objects.filter(article=article).count() == 1


def test_ingest_command_takes_folders_and_labelled_jsonl(countries, tmp_path, capsys):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "seed.txt").write_bytes(SEED.read_bytes())
    (tmp_path / "docs" / "notes.pdf").write_bytes(b"%PDF-1.4 ignored: not a document suffix")
    labelled = tmp_path / "labelled.jsonl"
    record = {"id": "x1", "published": "2023-08-14", "title": "Follow-up", "text": MOU_FOLLOW_UP, "agreements": []}
    labelled.write_text(json.dumps(record) + "\n")

    call_command("ingest", str(tmp_path / "docs"), str(labelled), verbosity=0)

    summary = capsys.readouterr().out
    assert "2 submitted, 0 already known; 2 parsed, 0 failed" in summary
    assert "Agreements: 1 created, 1 merged into known ones." in summary
    assert Agreement.objects.count() == 1


def test_bulk_ingest_shows_its_progress_bar_without_a_log_line_per_document(countries, tmp_path, capsys, caplog):
    labelled = tmp_path / "labelled.jsonl"
    records = [{"id": f"x{i}", "published": "2023-08-14", "text": MOU_FOLLOW_UP + f" ({i})"} for i in range(3)]
    labelled.write_text("".join(json.dumps(record) + "\n" for record in records))

    with caplog.at_level(logging.INFO):
        call_command("ingest", str(labelled), verbosity=1)

    assert [r.getMessage() for r in caplog.records if r.name.startswith("celery")] == []
    assert "3/3" in capsys.readouterr().err  # the bar ran to the end
    # one story told three times: the first is parsed, the others are its copies
    assert sorted(Article.objects.values_list("state", flat=True)) == ["duplicate", "duplicate", "parsed"]


def test_extract_command_is_a_dry_run_in_the_scored_format(countries, tmp_path, capsys):
    source = tmp_path / "in.jsonl"
    records = [
        {"id": "a", "published": "2023-08-14", "text": MOU_FOLLOW_UP, "extra": 1},
        {"id": "b", "published": "2023-08-14", "text": "The weather in Lisbon was mild on Monday; markets were calm."},
    ]
    source.write_text("".join(json.dumps(record) + "\n" for record in records))

    call_command("extract", "--input", str(source))

    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["id"] for line in lines] == ["a", "b"]
    (found,) = lines[0]["agreements"]
    assert set(found) == {"parties", "type", "status", "date", "confidence", "evidence"}
    assert (found["parties"], found["status"], found["date"]) == (["BOL", "IRN"], "signed", "2023-07-20")
    assert lines[1]["agreements"] == []
    assert not Article.objects.exists() and not Agreement.objects.exists()


def test_extract_command_explains_each_field_and_each_dropped_instrument(tmp_path, capsys):
    source = tmp_path / "in.jsonl"
    records = [
        {"id": "a", "published": "2024-03-15", "text": "Peru and Chile signed a trade agreement on Monday."},
        {"id": "b", "published": "2024-03-15", "text": "Brazilian and Peruvian companies signed deals on Monday."},
    ]
    source.write_text("".join(json.dumps(record) + "\n" for record in records))

    call_command("extract", "--input", str(source), "--explain")

    lines = capsys.readouterr().out.splitlines()
    assert lines[:6] == [
        "# a",
        "candidate 1: CHL+PER · economic · signed · 2024-03-11 (confidence 0.9)",
        "  parties  named_in_the_clause",
        '  type     own_words                           "a trade agreement on Monday"',
        '  status   signed                              "signed"',
        '  date     date_of_the_latest_step             "on Monday"',
    ]
    assert lines[6].startswith("learned decisions") and lines[7].startswith("  rules CHL+PER: kept, confidence ")
    b = lines.index("# b")
    assert 'dropped: "deals on Monday" (sentence 1, group): void_if_company_signer' in lines[b:]


def test_news_of_a_new_treaty_does_not_merge_into_an_old_one_between_the_same_states(countries):
    old = factories.agreement("BOL", "IRN", type="defense", status="terminated", date="2015", origin="imported")
    _submit_seed()
    assert Agreement.objects.count() == 2
    assert not old.citations.exists()


REPEATED = "Bolivia and Iran signed a memorandum of understanding on defence cooperation in Tehran on 20 July 2023.\n"
TWO_PROTOCOLS = (
    "Foreign ministers Edward Nalbandian of Armenia and Ahmet Davutoğlu of Turkey signed a protocol on the "
    "establishment of diplomatic relations and a second on the development of bilateral relations in Zurich on "
    "Saturday.\n"
)
SAME_DAY = (
    "Pakistan and Azerbaijan signed a preferential trade agreement on Thursday. "
    "Pakistan and Azerbaijan also signed an agreement on transit trade on Thursday.\n"
)


def _parsed(text: str, published: str):
    article = article_submit(raw=text.encode(), published=PartialDate.parse(published)).article
    article.refresh_from_db()
    assert article.state == "parsed", article.error
    return article


def test_one_sentence_repeated_in_an_article_is_one_agreement_with_the_first_evidence(countries):
    article = _parsed(REPEATED * 2000, "2023-08-01")

    agreement = Agreement.objects.get()
    assert (agreement.party_key, agreement.status, agreement.current_status_date.iso()) == (
        "BOL IRN",
        "signed",
        "2023-07-20",
    )
    citation = Citation.objects.get()
    assert citation.agreement == agreement
    assert (citation.start, citation.quote) == (0, REPEATED.strip())
    assert article.parse_summary == {"agreements": 1, "created": 1, "merged": 0}


def test_a_repeated_sentence_naming_two_protocols_is_still_two_agreements(countries):
    _parsed(TWO_PROTOCOLS * 3, "2009-10-12")

    assert Agreement.objects.filter(party_key="ARM TUR").count() == 2
    assert set(Citation.objects.values_list("start", flat=True)) == {0}


def test_two_instruments_signed_the_same_day_in_two_sentences_stay_two_even_when_repeated(countries):
    _parsed(SAME_DAY * 5, "2024-07-12")

    agreements = Agreement.objects.filter(party_key="AZE PAK")
    assert [(a.type, a.current_status_date.iso()) for a in agreements] == [("economic", "2024-07-11")] * 2
    assert Citation.objects.count() == 2


def _flaky(failures: int, body: bytes, *, status: int = 503):
    """A route that answers `status` the first `failures` times, then the page."""
    calls = {"n": 0}

    def respond(handler):
        calls["n"] += 1
        if calls["n"] <= failures:
            handler.send_error(status)
            return
        page(body)(handler)

    return respond, calls


def test_a_transient_fetch_error_is_retried_until_the_page_answers(countries, settings):
    story = f"<html><body><article><p>{MOU_FOLLOW_UP}</p></article></body></html>".encode()
    route, calls = _flaky(2, story)
    with web_server({"/flaky": route}) as base:
        settings.FETCH_ALLOWED_HOSTS = [base.removeprefix("http://")]
        article = article_submit(url=f"{base}/flaky", published=PartialDate.parse("2023-08-14")).article
    article.refresh_from_db()
    assert (article.state, calls["n"]) == ("parsed", 3), article.error
    assert Agreement.objects.get().party_key == "BOL IRN"


def test_retries_are_bounded_and_the_last_reason_is_kept(countries, settings):
    settings.INGEST_MAX_RETRIES = 2
    route, calls = _flaky(100, b"")
    with web_server({"/down": route}) as base:
        settings.FETCH_ALLOWED_HOSTS = [base.removeprefix("http://")]
        article = article_submit(url=f"{base}/down").article
    article.refresh_from_db()
    assert article.state == "failed"
    assert calls["n"] == 3
    assert article.error.startswith("Still failing after 2 retries: Could not fetch the page: HTTP 503")


def test_a_server_error_is_retried_max_retries_times_and_the_http_error_is_the_reason(countries, settings):
    # With the defaults (5 retries, 3 attempts) the fourth claim used to give up, blaming a lost worker.
    assert (settings.INGEST_MAX_RETRIES, settings.INGEST_MAX_ATTEMPTS) == (5, 3)
    route, calls = _flaky(100, b"", status=500)
    with web_server({"/down": route}) as base:
        settings.FETCH_ALLOWED_HOSTS = [base.removeprefix("http://")]
        article = article_submit(url=f"{base}/down").article
    article.refresh_from_db()

    assert (article.state, calls["n"], article.attempts, article.retries) == ("failed", 6, 6, 5)
    assert article.error == f"Still failing after 5 retries: Could not fetch the page: HTTP 500 from {base}/down"


def _drip(*, headers: bool):
    """A route that sends a byte every half second for a minute: in its body, or before its headers end."""

    def respond(handler):
        try:
            if headers:
                handler.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
            else:
                handler.send_response(200)
                handler.send_header("Content-Length", "1000")
                handler.end_headers()
            for _ in range(120):
                handler.wfile.write(b"z")
                handler.wfile.flush()
                time.sleep(0.5)
        except OSError:
            pass  # the fetcher hung up, as it should

    return respond


@pytest.mark.parametrize("headers", [False, True], ids=["slow-body", "slow-headers"])
def test_one_fetch_of_a_dripping_site_takes_at_most_ten_seconds(countries, settings, headers):
    settings.INGEST_MAX_RETRIES = 0
    with web_server({"/drip": _drip(headers=headers)}) as base:
        settings.FETCH_ALLOWED_HOSTS = [base.removeprefix("http://")]
        started = time.monotonic()
        article = article_submit(url=f"{base}/drip").article
        elapsed = time.monotonic() - started
    article.refresh_from_db()

    assert elapsed <= 10.5, f"one fetch took {elapsed:.1f} s"
    assert article.state == "failed"
    assert article.error.startswith("Could not fetch the page: timed out after 10 s"), article.error


def test_giving_up_on_lost_deliveries_keeps_the_last_real_error(countries, settings):
    # Three deliveries that never finished, after one retry of an HTTP 500: the sweep gives up, naming both.
    article = article_submit(url="https://news.example/story", enqueue=False).article
    error = "Will retry: Could not fetch the page: HTTP 500 from https://news.example/story"
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    Article.objects.filter(pk=article.pk).update(
        state="processing", attempts=4, retries=1, error=error, state_changed_at=long_ago
    )

    report = articles_requeue_stale()

    article.refresh_from_db()
    assert (report.failed, article.state) == ([article.pk], "failed")
    assert article.error == (
        "Gave up after 3 attempts: none finished (the worker was lost or the time limit was reached). The document "
        "may be too large or malformed. The last error before that: Could not fetch the page: HTTP 500 from "
        "https://news.example/story"
    )


def test_a_failed_article_submitted_again_is_parsed_again_with_its_attempts_reset(countries, settings):
    story = f"<html><body><article><p>{MOU_FOLLOW_UP}</p></article></body></html>".encode()
    route, calls = _flaky(1, story, status=404)  # not worth retrying: the first submission fails at once
    with web_server({"/story": route}) as base:
        settings.FETCH_ALLOWED_HOSTS = [base.removeprefix("http://")]
        first = article_submit(url=f"{base}/story", published=PartialDate.parse("2023-08-14"))
        first.article.refresh_from_db()
        assert (first.article.state, first.article.attempts) == ("failed", 1)

        again = article_submit(url=f"{base}/story")

    again.article.refresh_from_db()
    assert (again.created, again.requeued, again.article.pk) == (False, True, first.article.pk)
    assert (again.article.state, again.article.attempts, again.article.error, calls["n"]) == ("parsed", 1, "", 2)
    assert article_submit(url=f"{base}/story").requeued is False  # parsed now: a plain duplicate


@pytest.mark.parametrize("variant", ["#comments", "?", "?#top", "#"])
def test_a_url_with_a_fragment_or_an_empty_query_is_the_same_article(countries, variant):
    known = article_submit(url="https://news.example/story", enqueue=False).article

    again = article_submit(url=f"https://news.example/story{variant}", enqueue=False)

    assert (again.created, again.article.pk, Article.objects.count()) == (False, known.pk, 1)


def test_a_url_is_stored_without_its_fragment_and_keeps_its_query(countries):
    article = article_submit(url="https://news.example/story?id=7#comments", enqueue=False).article
    other = article_submit(url="https://news.example/story?id=8", enqueue=False)

    assert Article.objects.get(pk=article.pk).url == "https://news.example/story?id=7"
    assert other.created


FISHERIES_LEAD = "Norway and Iceland signed a fisheries agreement in Oslo on 4 April 2022."


def test_a_pasted_lead_set_apart_by_a_blank_line_titles_the_article_and_is_still_read(countries):
    # Wire copy: a one-sentence lead, a blank line, the rest of the story.
    text = f"{FISHERIES_LEAD}\n\nOfficials from both countries welcomed the accord on Friday.\n"
    article = article_submit(
        raw=text.encode(), content_type="text/plain; charset=utf-8", published=PartialDate.parse("2022-04-08")
    ).article
    article.refresh_from_db()

    assert article.state == "parsed", article.error
    assert article.title == FISHERIES_LEAD
    agreement = Agreement.objects.get()
    assert (agreement.party_key, agreement.status, agreement.current_status_date.iso()) == (
        "ISL NOR",
        "signed",
        "2022-04-04",
    )
    assert Citation.objects.get().start == 0

    # A re-parse sees the stored title, the same line: it is still text.
    article_reparse(article=article)
    article.refresh_from_db()
    assert (article.state, article.parse_summary["agreements"]) == ("parsed", 1)
    assert Citation.objects.get().start == 0


def test_an_html_headline_repeated_in_the_body_is_still_masked(countries):
    body = (
        "The Norwegian and Icelandic fisheries ministers signed the agreement in Oslo on Monday, opening the waters "
        "around Jan Mayen to both fleets."
    )
    html = (
        f"<html><head><title>{FISHERIES_LEAD}</title></head>"
        f"<body><article><p>{FISHERIES_LEAD}</p><p>{body}</p></article></body></html>"
    )
    article = article_submit(
        raw=html.encode(), content_type="text/html; charset=utf-8", published=PartialDate.parse("2022-04-08")
    ).article
    article.refresh_from_db()

    assert article.state == "parsed", article.error
    assert article.text.startswith(FISHERIES_LEAD + "\n\n")
    # The headline line is the page's, not the story's: nothing the engine found points into it.
    body_start = article.text.index(body)
    assert Agreement.objects.get().party_key == "ISL NOR"
    assert Citation.objects.get().start >= body_start
    spans = [span for mention in CountryMention.objects.filter(article=article) for span in mention.spans]
    assert spans and all(start >= body_start for start, _ in spans)


def test_the_sweep_publishes_again_what_the_broker_never_got_or_a_silent_worker_held(countries):
    now = timezone.now()

    def article(number: int, **fields) -> int:
        pk = article_submit(raw=f"Bulletin {number}: nothing was signed.".encode(), enqueue=False).article.pk
        Article.objects.filter(pk=pk).update(**fields)
        return pk

    def ago(seconds: float) -> datetime.datetime:
        return now - datetime.timedelta(seconds=seconds)

    never_queued = article(1, state_changed_at=ago(31))
    article(2, state_changed_at=ago(29))  # not yet: a publish may still be under way
    article(3, state_changed_at=ago(31), queued_at=ago(31))  # in the broker's queue: a backlog is no fault
    lost_message = article(4, state_changed_at=ago(601), queued_at=ago(601))
    article(5, state="processing", attempts=1, state_changed_at=ago(3600), heartbeat_at=ago(59))  # a long parse
    dead_worker = article(6, state="processing", attempts=1, state_changed_at=ago(3600), heartbeat_at=ago(61))

    report = articles_requeue_stale(now=now)

    assert sorted(report.requeued) == sorted([never_queued, lost_message, dead_worker])
    assert report.failed == []


def test_a_fetched_page_too_long_for_its_queue_moves_to_the_long_queue(countries, settings):
    story = f"<html><body><article><p>{MOU_FOLLOW_UP}</p></article></body></html>".encode()
    route, calls = _flaky(0, story)
    settings.INGEST_LONG_DOCUMENT_BYTES = len(story) - 1
    with web_server({"/long": route}) as base:
        settings.FETCH_ALLOWED_HOSTS = [base.removeprefix("http://")]
        article = article_submit(url=f"{base}/long", published=PartialDate.parse("2023-08-14"), enqueue=False).article

        # As a worker of the default queue would run it; in-process, the hand-over parses it at once.
        outcome = article_process(article_id=article.pk, token="task-1", queue=settings.CELERY_TASK_DEFAULT_QUEUE)

    article.refresh_from_db()
    assert (outcome, article.state, calls["n"], article.attempts) == ("pending", "parsed", 1, 1)
    assert bytes(article.raw) == story


ROLES_STORY = """Peru and Chile signed a fisheries agreement in Lima on Monday, the two governments said.

The talks were hosted by Ecuador. Bolivia welcomed the agreement, while Argentina expressed concern over the deal.
Colombia played Brazil at football on Sunday.
"""


def test_third_countries_get_their_roles_from_the_whole_article_on_its_page_and_in_the_api(countries, client):
    article = article_submit(raw=ROLES_STORY.encode(), published=PartialDate.parse("2024-03-15")).article

    roles = dict(CountryMention.objects.filter(article=article).values_list("country__code", "role"))
    assert roles == {
        "PER": "party",
        "CHL": "party",
        "ECU": "host_or_mediator",
        "BOL": "third_party",
        "ARG": "third_party",
        "COL": "mentioned",
        "BRA": "mentioned",
    }
    page = client.get(f"/articles/{article.pk}/").content.decode()
    assert 'class="role role-host_or_mediator"' in page and 'class="role role-third_party"' in page
    api = {m["code"]: m["role"] for m in client.get(f"/api/v1/articles/{article.pk}/").json()["mentions"]}
    assert api["ECU"] == "host_or_mediator" and api["ARG"] == "third_party"


def test_a_local_site_whose_reader_hangs_up_prints_no_traceback(capfd):
    import socket

    # What test_worker's killed worker does to the page it was fetching: ask, then hang up before the answer.
    with web_server({"/slow": page(b"x" * 1_000_000, delay=0.3)}) as base:
        host, port = base.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port))) as reader:
            reader.sendall(b"GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
            reader.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        time.sleep(1)  # the server's thread answers into the closed connection
    assert "Traceback" not in capfd.readouterr().err
