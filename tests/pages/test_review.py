"""The review queue: confirm, reject, correct and merge, each recorded in the agreement's history."""

import re

from django.urls import reverse

from articles.models import Citation
from tests import factories
from tests.pages.conftest import cited_article
from tracker import services
from tracker.models import Agreement, AgreementParty, ReviewState, StatusChange
from tracker.partial_dates import PartialDate


def test_queue_lists_unreviewed_agreements_with_same_party_candidates(iran_bolivia, client):
    factories.agreement("FRA", "DEU", title="Confirmed treaty", review_state=ReviewState.CONFIRMED)
    html = client.get(reverse("review-queue")).content.decode()
    assert "3 waiting" in html
    assert "Confirmed treaty" not in html
    assert "Same parties:" in html
    assert "Log in</a> to review" in html and "Merge into it" not in html  # reading needs no login


def test_queue_shows_the_least_confident_records_first(countries, client):
    factories.agreement("FRA", "DEU", title="Sure treaty", confidence=0.97, origin="extracted")
    factories.agreement("FRA", "ITA", title="Doubtful memorandum", confidence=0.41, origin="extracted")
    factories.agreement("FRA", "ESP", title="Curated accord")  # typed in by an analyst: confidence 1
    html = client.get(reverse("review-queue")).content.decode()
    assert html.index("Doubtful memorandum") < html.index("Sure treaty") < html.index("Curated accord")


def test_anonymous_users_cannot_review(iran_bolivia, client):
    agreement = iran_bolivia["defence"]
    response = client.post(reverse("review-confirm", args=[agreement.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    agreement.refresh_from_db()
    assert agreement.review_state == ReviewState.UNREVIEWED
    assert client.get(reverse("review-confirm", args=[agreement.pk])).status_code in (302, 405)


def test_confirm_is_recorded_with_its_user(iran_bolivia, analyst_client, analyst):
    agreement = iran_bolivia["defence"]
    response = analyst_client.post(reverse("review-confirm", args=[agreement.pk]), {"next": "/review/"})
    assert response.status_code == 302 and response["Location"] == "/review/"
    agreement.refresh_from_db()
    assert agreement.review_state == ReviewState.CONFIRMED
    assert agreement.history.latest().history_user == analyst


def test_reject_and_unsafe_next_falls_back_to_the_queue(iran_bolivia, analyst_client):
    agreement = iran_bolivia["drugs"]
    response = analyst_client.post(reverse("review-reject", args=[agreement.pk]), {"next": "https://evil.example/"})
    assert response["Location"] == "/review/"
    agreement.refresh_from_db()
    assert agreement.review_state == ReviewState.REJECTED


def test_quick_type_correction_is_locked_and_in_the_history(iran_bolivia, analyst_client, analyst):
    agreement = iran_bolivia["drugs"]
    analyst_client.post(reverse("review-edit", args=[agreement.pk]), {"type": "defense", "status": agreement.status})
    agreement.refresh_from_db()
    assert agreement.type == "defense" and "type" in agreement.locked_fields
    last = agreement.history.latest()
    assert last.history_user == analyst and last.history_change_reason == "Edited in review: type"
    assert agreement.review_state == ReviewState.UNREVIEWED


def test_status_and_date_correction_adds_a_step_and_can_confirm(iran_bolivia, analyst_client):
    agreement = iran_bolivia["defence"]
    analyst_client.post(
        reverse("review-edit", args=[agreement.pk]),
        {"type": "defense", "status": "in_force", "date": "2023-09", "confirm": "1"},
    )
    agreement.refresh_from_db()
    assert (agreement.status, agreement.current_status_date.display()) == ("in_force", "Sep 2023")
    assert agreement.review_state == ReviewState.CONFIRMED
    assert {"status", "date", "type"} <= set(agreement.locked_fields)


def test_bad_date_is_reported_not_saved(iran_bolivia, analyst_client):
    agreement = iran_bolivia["defence"]
    response = analyst_client.post(reverse("review-edit", args=[agreement.pk]), {"date": "July"}, follow=True)
    assert "is not a date" in response.content.decode()
    assert agreement.status_changes.count() == 1


def test_merge_moves_citations_and_steps_and_records_both_histories(iran_bolivia, analyst_client, analyst):
    keep = iran_bolivia["defence"]
    duplicate = factories.agreement("BOL", "IRN", type="defense", status="in_force", date="2023-08", title="Dup")
    other_article = cited_article(duplicate, title="Second report", publisher="Other Wire")
    response = analyst_client.post(reverse("review-merge", args=[duplicate.pk]), {"target": keep.pk})
    assert response.status_code == 302
    duplicate.refresh_from_db()
    keep.refresh_from_db()
    assert duplicate.merged_into_id == keep.pk and duplicate.review_state == ReviewState.REJECTED
    assert set(Citation.objects.filter(agreement=keep).values_list("article_id", flat=True)) == {
        iran_bolivia["article"].pk,
        other_article.pk,
    }
    assert not Citation.objects.filter(agreement=duplicate).exists()
    assert list(keep.status_changes.values_list("status", flat=True)) == ["signed", "in_force"]
    assert keep.status == "in_force"
    assert duplicate.history.latest().history_change_reason == f"Merged into #{keep.pk} as a duplicate"
    assert (
        keep.history.filter(history_change_reason__startswith=f"Merged duplicate #{duplicate.pk}").last().history_user
        == analyst
    )
    html = analyst_client.get(reverse("agreement-detail", args=[duplicate.pk])).content.decode()
    assert "This record was merged into" in html
    assert "Dup" not in analyst_client.get("/pairs/BOL/IRN/").content.decode().split('id="events"')[1]


def test_merge_keeps_one_copy_of_a_shared_citation_and_adds_missing_parties(countries, analyst):
    keep = factories.agreement("BOL", "IRN", title="Keep")
    duplicate = factories.agreement("BOL", "IRN", "VEN", title="Dup")
    article = cited_article(keep)
    citation = Citation.objects.get(agreement=keep)
    twin = Citation.objects.create(
        article=article, agreement=duplicate, quote=citation.quote, start=citation.start, end=citation.end
    )
    StatusChange.objects.filter(agreement=duplicate).update(citation=twin)
    services.agreement_merge_into(duplicate=duplicate, target=keep, user=analyst)
    assert Citation.objects.filter(agreement=keep).count() == 1
    assert keep.status_changes.get().citation_id == citation.pk
    assert set(AgreementParty.objects.filter(agreement=keep).values_list("country__code", flat=True)) == {
        "BOL",
        "IRN",
        "VEN",
    }
    assert Agreement.objects.get(pk=keep.pk).party_key == "BOL IRN VEN"


def test_merge_refuses_itself_and_merged_records(iran_bolivia, analyst_client):
    keep, duplicate = iran_bolivia["defence"], iran_bolivia["drugs"]
    response = analyst_client.post(reverse("review-merge", args=[keep.pk]), {"target": keep.pk}, follow=True)
    assert "cannot be merged into itself" in response.content.decode()
    services.agreement_merge_into(duplicate=duplicate, target=keep)
    response = analyst_client.post(reverse("review-merge", args=[keep.pk]), {"target": duplicate.pk}, follow=True)
    assert "already merged" in response.content.decode()


def test_edit_service_records_status_with_precision(iran_bolivia, analyst):
    agreement = services.agreement_update(
        agreement=iran_bolivia["economic"], user=analyst, status="terminated", date=PartialDate.parse("2019")
    )
    assert agreement.status == "terminated" and agreement.current_status_date.display() == "2019"


def _signed(agreement) -> list[tuple[str, str]]:
    return [(step.status, step.partial_date.display()) for step in agreement.status_changes.all()]


def test_merging_a_month_into_a_day_keeps_the_day_and_one_signed_step(countries, analyst):
    keep = factories.agreement("BOL", "IRN", date="2024-03-12", title="Keep")
    duplicate = factories.agreement("BOL", "IRN", date="2024-03", title="Dup")

    services.agreement_merge_into(duplicate=duplicate, target=keep, user=analyst)

    keep.refresh_from_db()
    assert _signed(keep) == [("signed", "12 Mar 2024")]
    assert keep.current_status_date.display() == "12 Mar 2024"


def test_merging_a_day_into_a_month_makes_the_kept_record_more_precise(countries, analyst):
    keep = factories.agreement("BOL", "IRN", date="2024-03", title="Keep")
    duplicate = factories.agreement("BOL", "IRN", date="2024-03-12", title="Dup")

    services.agreement_merge_into(duplicate=duplicate, target=keep, user=analyst)

    keep.refresh_from_db()
    assert _signed(keep) == [("signed", "12 Mar 2024")]
    assert keep.current_status_date.display() == "12 Mar 2024"


def test_a_merge_is_one_row_of_the_kept_records_history(countries, analyst):
    keep = factories.agreement("BOL", "IRN", date="2024-03", title="Keep")
    duplicate = factories.agreement("BOL", "IRN", "VEN", status="in_force", date="2024-05", title="Dup")
    before = keep.history.count()

    services.agreement_merge_into(duplicate=duplicate, target=keep, user=analyst)

    assert keep.history.count() == before + 1
    assert keep.history.latest().history_change_reason.startswith(f"Merged duplicate #{duplicate.pk}")
    keep.refresh_from_db()
    assert (keep.status, keep.party_key) == ("in_force", "BOL IRN VEN")


def test_a_merged_record_page_points_to_where_its_steps_went(countries, analyst, client):
    keep = factories.agreement("BOL", "IRN", date="2024-03", title="Keep")
    duplicate = factories.agreement("BOL", "IRN", status="in_force", date="2024-05", title="Dup")
    services.agreement_merge_into(duplicate=duplicate, target=keep, user=analyst)

    html = client.get(reverse("agreement-detail", args=[duplicate.pk])).content.decode()

    assert "No recorded step" not in html
    assert f'Its steps are on <a href="/agreements/{keep.pk}/">#{keep.pk}</a>' in html


def test_duplicate_candidates_start_empty_and_come_closest_first(countries, analyst_client):
    factories.agreement("BOL", "IRN", type="defense", date="1963", title="Old treaty", review_state="confirmed")
    factories.agreement("BOL", "IRN", type="economic", date="2024-02", title="Trade deal", review_state="confirmed")
    close = factories.agreement("BOL", "IRN", type="defense", date="2023-11", title="Defence accord")
    queued = factories.agreement("BOL", "IRN", type="defense", date="2024-03", title="Defence memorandum")

    html = analyst_client.get(reverse("review-queue")).content.decode()
    form = html.split(f'action="/review/{queued.pk}/merge/"')[1].split("</form>")[0]

    options = re.findall(r'<option value="(\d*)"( selected)?>([^<]*)', form)
    assert options[0][:2] == ("", " selected")
    assert [label.split(" (")[0] for _, _, label in options[1:]] == [
        f"#{close.pk} Defence accord",
        f"#{Agreement.objects.get(title='Old treaty').pk} Old treaty",
        f"#{Agreement.objects.get(title='Trade deal').pk} Trade deal",
    ]


def test_a_record_found_by_name_can_be_merged_by_its_number(countries, analyst_client):
    keep = factories.agreement("BOL", "VEN", date="2024-03", title="Lithium memorandum", review_state="confirmed")
    queued = factories.agreement("IRN", "BOL", date="2024-03", title="Lithium MoU")

    found = analyst_client.get("/search/", {"q": "lithium memorandum"}).content.decode()
    assert f'Lithium memorandum</a> <small class="muted">#{keep.pk}</small>' in found
    response = analyst_client.post(reverse("review-merge", args=[queued.pk]), {"target": "", "target_id": keep.pk})

    assert response.status_code == 302
    queued.refresh_from_db()
    assert queued.merged_into_id == keep.pk


def test_save_and_confirm_is_one_row_in_the_history_with_the_retitled_record(iran_bolivia, analyst_client, analyst):
    agreement = factories.agreement(
        "BOL", "IRN", type="defense", date="2023-07", origin="extracted", title="Bolivia – Iran defence memorandum"
    )
    before = agreement.history.count()
    analyst_client.post(
        reverse("review-edit", args=[agreement.pk]),
        {"type": "security", "status": "in_force", "date": "2023-09", "confirm": "1"},
    )
    agreement.refresh_from_db()
    assert agreement.title == "Bolivia – Iran security memorandum"  # the title named the old type
    assert agreement.history.count() == before + 1
    row = agreement.history.latest()
    assert (row.history_user, row.type, row.status, row.review_state, row.title) == (
        analyst,
        "security",
        "in_force",
        ReviewState.CONFIRMED,
        "Bolivia – Iran security memorandum",
    )
    assert row.history_change_reason == "Edited in review: date, status, title, type, review confirmed"


def test_a_title_a_person_wrote_is_not_retitled_by_a_type_correction(iran_bolivia, analyst_client):
    agreement = iran_bolivia["drugs"]  # entered by hand: "Iran–Bolivia anti-drug memorandum"
    extracted = factories.agreement("BOL", "IRN", type="defense", origin="extracted", title="Defence ties")
    for record in (agreement, extracted):
        analyst_client.post(reverse("review-edit", args=[record.pk]), {"type": "economic", "status": record.status})
    agreement.refresh_from_db(), extracted.refresh_from_db()
    assert (agreement.title, extracted.title) == ("Iran–Bolivia anti-drug memorandum", "Defence ties")
