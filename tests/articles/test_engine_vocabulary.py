"""The engine's closed vocabularies are the database's choices: a type, status or role the engine emits can be
stored, and every stored choice is one the engine knows."""

from articles.extraction import lexicon
from articles.extraction.cues import RANK
from articles.extraction.explain import FIELDS
from articles.extraction.results import ROLES, STATUSES, TYPES
from articles.models import CitedField, MentionRole
from tracker.models import STATUS_ORDER, AgreementStatus, AgreementType


def test_engine_types_are_the_agreement_type_choices_in_order() -> None:
    assert tuple(AgreementType.values) == TYPES


def test_engine_statuses_are_the_agreement_status_choices_in_their_order() -> None:
    assert tuple(AgreementStatus.values) == STATUSES
    assert RANK == STATUS_ORDER


def test_engine_roles_are_the_mention_role_choices() -> None:
    assert tuple(MentionRole.values) == ROLES


def test_explained_fields_are_the_cited_fields() -> None:
    assert tuple(CitedField.values) == FIELDS


def test_lexicon_speaks_only_the_closed_vocabularies() -> None:
    assert {row["status"] for row in lexicon.load("cues")["cue"]} <= set(AgreementStatus.values)
    assert {row["type"] for row in lexicon.load("instruments")["known"].values()} <= set(AgreementType.values)
    assert set(lexicon.load("types")) - {"titles", "neutral"} == set(AgreementType.values)
