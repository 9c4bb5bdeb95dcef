"""Analysts add and curate agreements through the admin forms."""

import io

import pytest
from django.urls import reverse

from tests import factories
from tracker.models import Agreement, Country

ADD_URL = reverse("admin:tracker_agreement_add")


def _form(*, parties=("IRN", "BOL"), statuses=(("signed", "2023-07-20"),), **fields):
    ids = {c.code: c.pk for c in Country.objects.filter(code__in=parties)}
    data = {
        "title": "Iran–Bolivia defence memorandum of understanding",
        "name": "",
        "type": "defense",
        "summary": "",
        "confidence": "1.0",
        "review_state": "confirmed",
        "memberships-TOTAL_FORMS": str(len(parties)),
        "memberships-INITIAL_FORMS": "0",
        "status_changes-TOTAL_FORMS": str(len(statuses)),
        "status_changes-INITIAL_FORMS": "0",
        "links_out-TOTAL_FORMS": "0",
        "links_out-INITIAL_FORMS": "0",
        "citations-TOTAL_FORMS": "0",
        "citations-INITIAL_FORMS": "0",
    }
    for index, code in enumerate(parties):
        data[f"memberships-{index}-country"] = str(ids[code])
    for index, (status, when) in enumerate(statuses):
        data[f"status_changes-{index}-status"] = status
        data[f"status_changes-{index}-when"] = when
    data.update(fields)
    return data


def test_an_analyst_adds_an_agreement_with_parties_and_a_dated_history(countries, analyst_client, analyst):
    response = analyst_client.post(
        ADD_URL, _form(statuses=(("proposed", "2023"), ("signed", "2023-07"), ("in_force", "2023-09-01")))
    )

    assert response.status_code == 302, response.context["errors"] if response.context else response
    agreement = Agreement.objects.get()
    assert agreement.party_key == "BOL IRN"
    assert (agreement.status, agreement.current_status_date.iso()) == ("in_force", "2023-09-01")
    assert agreement.start_date.isoformat() == "2023-01-01"
    assert (agreement.origin, agreement.created_by) == ("manual", analyst)
    assert [(c.status, c.partial_date.iso()) for c in agreement.status_changes.order_by("date")] == [
        ("proposed", "2023"),
        ("signed", "2023-07"),
        ("in_force", "2023-09-01"),
    ]


def _errors(response) -> str:
    assert response.status_code == 200, "the form should have been refused"
    return " ".join(str(error) for error in response.context["errors"]) + str(response.context["inline_admin_formsets"])


def test_one_party_only_is_refused_with_a_clear_message(countries, analyst_client):
    response = analyst_client.post(ADD_URL, _form(parties=("IRN",)))
    assert "at least two parties" in _errors(response)
    assert not Agreement.objects.exists()


def test_entry_into_force_before_signature_is_refused(countries, analyst_client):
    response = analyst_client.post(ADD_URL, _form(statuses=(("signed", "2023-07"), ("in_force", "2022"))))
    assert "“In force” (2022) cannot come before “Signed” (2023-07)" in _errors(response)
    assert not Agreement.objects.exists()


def test_termination_before_signature_is_refused(countries, analyst_client):
    response = analyst_client.post(ADD_URL, _form(statuses=(("signed", "1951-08-30"), ("terminated", "1950"))))
    assert "“Terminated” (1950) cannot come before “Signed” (1951-08-30)" in _errors(response)


def test_a_malformed_date_says_what_to_write(countries, analyst_client):
    response = analyst_client.post(ADD_URL, _form(statuses=(("signed", "July 2023"),)))
    assert "write YYYY, YYYY-MM or YYYY-MM-DD" in _errors(response)


def test_editing_keeps_history_with_the_user_and_locks_the_field(countries, analyst_client, analyst):
    agreement = factories.agreement("BOL", "IRN", type="security", origin="extracted")
    change_url = reverse("admin:tracker_agreement_change", args=[agreement.pk])
    page = analyst_client.get(change_url)
    assert page.status_code == 200

    data = _form(type="defense", title=agreement.title)
    membership_ids = list(agreement.memberships.order_by("country__code").values_list("id", "country_id"))
    change = agreement.status_changes.get()
    data.update(
        {
            "memberships-TOTAL_FORMS": "2",
            "memberships-INITIAL_FORMS": "2",
            "status_changes-TOTAL_FORMS": "1",
            "status_changes-INITIAL_FORMS": "1",
            "status_changes-0-id": str(change.id),
            "status_changes-0-agreement": str(agreement.pk),
            "status_changes-0-when": "2023-07",
        }
    )
    for index, (membership_id, country_id) in enumerate(membership_ids):
        data[f"memberships-{index}-id"] = str(membership_id)
        data[f"memberships-{index}-agreement"] = str(agreement.pk)
        data[f"memberships-{index}-country"] = str(country_id)

    response = analyst_client.post(change_url, data)

    assert response.status_code == 302, _errors(response)
    agreement.refresh_from_db()
    assert agreement.type == "defense"
    assert "type" in agreement.locked_fields
    latest = agreement.history.first()
    assert (latest.type, latest.history_user) == ("defense", analyst)
    assert agreement.history.filter(type="security").exists()


def test_confirm_and_reject_actions(countries, analyst_client):
    keep = factories.agreement("BOL", "IRN")
    drop = factories.agreement("ARG", "BOL", type="economic")
    changelist = reverse("admin:tracker_agreement_changelist")

    analyst_client.post(changelist, {"action": "confirm_agreements", "_selected_action": [keep.pk]})
    analyst_client.post(changelist, {"action": "reject_agreements", "_selected_action": [drop.pk]})

    keep.refresh_from_db()
    drop.refresh_from_db()
    assert (keep.review_state, drop.review_state) == ("confirmed", "rejected")
    assert "parties" in keep.locked_fields


@pytest.mark.parametrize("query", ["Bolivia", "IRN", "memorandum"])
def test_search_by_title_and_party_names(countries, analyst_client, query):
    factories.agreement("BOL", "IRN", title="Defence memorandum")
    factories.agreement("FRA", "GBR", title="Lancaster House treaty")
    response = analyst_client.get(reverse("admin:tracker_agreement_changelist"), {"q": query})
    titles = [a.title for a in response.context["cl"].result_list]
    assert titles == ["Defence memorandum"]


def test_filters_date_hierarchy_and_party_autocomplete(countries, analyst_client):
    factories.agreement("BOL", "IRN", date="2023-07")
    changelist = analyst_client.get(
        reverse("admin:tracker_agreement_changelist"), {"type": "defense", "start_date__year": "2023"}
    )
    assert changelist.status_code == 200
    assert len(changelist.context["cl"].result_list) == 1

    autocomplete = analyst_client.get(
        reverse("admin:autocomplete"),
        {"term": "Boliv", "app_label": "tracker", "model_name": "agreementparty", "field_name": "country"},
    )
    # The official name "Bolivarian Republic of Venezuela" matches too.
    assert [item["text"] for item in autocomplete.json()["results"]] == ["Bolivia", "Venezuela"]


def test_country_and_article_admin_pages_load(countries, analyst_client):
    for name in ("tracker_country_changelist", "articles_article_changelist", "articles_citation_changelist"):
        assert analyst_client.get(reverse(f"admin:{name}")).status_code == 200
    bolivia = Country.objects.get(code="BOL")
    assert analyst_client.get(reverse("admin:tracker_country_change", args=[bolivia.pk])).status_code == 200


def test_the_local_development_account_exists_only_with_debug(db, settings):
    from django.contrib.auth import get_user_model
    from django.core.management import CommandError, call_command

    settings.DEBUG = False
    with pytest.raises(CommandError, match="only with DEBUG on"):
        call_command("ensure_dev_admin")
    assert not get_user_model().objects.exists()

    settings.DEBUG = True
    call_command("ensure_dev_admin", stdout=io.StringIO())
    admin_user = get_user_model().objects.get(username="admin")
    assert admin_user.is_superuser and admin_user.check_password("admin")


def test_make_run_on_another_port_prints_the_admin_address_it_serves(db, settings):
    import subprocess

    from django.core.management import call_command

    # What `make run PORT=8123` runs: the account's line and the server must name the same address.
    plan = subprocess.run(
        ["make", "-n", "run", "PORT=8123"], capture_output=True, text=True, check=True, cwd=settings.BASE_DIR
    ).stdout
    ensure = next(line for line in plan.splitlines() if "ensure_dev_admin" in line)
    assert "runserver 127.0.0.1:8123" in plan and ensure.endswith("ensure_dev_admin --address 127.0.0.1:8123")
    settings.DEBUG = True
    out = io.StringIO()
    call_command("ensure_dev_admin", "--address", "127.0.0.1:8123", stdout=out)
    assert out.getvalue().startswith("Admin: http://127.0.0.1:8123/admin/ ")


def test_party_autocomplete_puts_the_country_named_by_what_was_typed_first(countries, analyst_client):
    autocomplete = analyst_client.get(
        reverse("admin:autocomplete"),
        {"term": "United St", "app_label": "tracker", "model_name": "agreementparty", "field_name": "country"},
    )
    names = [item["text"] for item in autocomplete.json()["results"]]
    assert names[:2] == ["United States", "United States Minor Outlying Islands"] and len(names) > 2
