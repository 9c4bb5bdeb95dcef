import pytest
from django.db import IntegrityError, transaction

from tests import factories
from tracker.models import Agreement, AgreementLink, AgreementParty, Country, StatusChange


def _violates(**changes):
    agreement = factories.agreement("BOL", "IRN")
    for name, value in changes.items():
        setattr(agreement, name, value)
    with pytest.raises(IntegrityError), transaction.atomic():
        agreement.save()


@pytest.mark.parametrize(
    "changes",
    [
        {"type": "military"},
        {"status": "ratified"},
        {"review_state": "maybe"},
        {"origin": "rumour"},
        {"confidence": 1.5},
        {"status_date_precision": ""},
    ],
    ids=["type", "status", "review", "origin", "confidence", "date-without-precision"],
)
def test_the_database_refuses_values_outside_the_vocabularies(countries, changes):
    _violates(**changes)


def test_a_country_is_a_party_once(countries):
    agreement = factories.agreement("BOL", "IRN")
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementParty.objects.create(agreement=agreement, country=Country.objects.get(code="BOL"))


def test_an_agreement_cannot_link_to_itself(countries):
    agreement = factories.agreement("BOL", "IRN")
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementLink.objects.create(source=agreement, kind="amends", target=agreement)


def test_an_imported_record_is_unique_in_its_source(countries):
    factories.agreement("FRA", "GBR", origin="imported", source_dataset="atop-4.01", source_id="1005")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.agreement("FRA", "BEL", origin="imported", source_dataset="atop-4.01", source_id="1005")


def test_country_codes_are_checked(countries):
    with pytest.raises(IntegrityError), transaction.atomic():
        Country.objects.create(code="bol", name="lower-case code")


def test_pair_and_party_set_queries(countries):
    iran_bolivia = factories.agreement("BOL", "IRN")
    factories.agreement("BOL", "IRN", "VEN", type="economic")
    factories.agreement("ARG", "BOL", type="economic")
    iran, bolivia = Country.objects.get(code="IRN"), Country.objects.get(code="BOL")

    assert Agreement.objects.between(iran, bolivia).count() == 2
    assert list(Agreement.objects.with_party_set(["IRN", "BOL"])) == [iran_bolivia]
    assert iran_bolivia.party_key == "BOL IRN"


def test_creation_records_the_first_status_in_the_history(countries):
    agreement = factories.agreement("BOL", "IRN", status="signed", date="2023-07")
    (change,) = StatusChange.objects.filter(agreement=agreement)
    assert (change.status, change.partial_date.iso()) == ("signed", "2023-07")
    assert agreement.history.count() == 1
