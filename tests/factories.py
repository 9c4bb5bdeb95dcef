"""Builders for test data. Countries come from the real reference loader (the `countries` fixture)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from tracker import services
from tracker.models import Agreement, AgreementLink, AgreementParty, Country, Origin, StatusChange
from tracker.partial_dates import PartialDate

ANALYST_MODELS = (
    "agreement",
    "agreementparty",
    "statuschange",
    "agreementlink",
    "country",
    "article",
    "citation",
    "countrymention",
    "source",
)


def analyst(username: str = "lucia") -> object:
    """A staff user with the model permissions an analyst has (not a superuser)."""
    user = get_user_model().objects.create_user(username=username, password="a-long-test-password", is_staff=True)
    group, _ = Group.objects.get_or_create(name="analysts")
    group.permissions.set(Permission.objects.filter(content_type__model__in=ANALYST_MODELS))
    user.groups.add(group)
    return user


def agreement(
    *parties: str,
    type: str = "defense",
    status: str = "signed",
    date: str | None = "2023-07",
    title: str = "",
    origin: str = Origin.MANUAL,
    **extra,
) -> Agreement:
    parties = parties or ("BOL", "IRN")
    return services.agreement_create(
        title=title or f"{' – '.join(parties)} {type} agreement",
        party_codes=parties,
        type=type,
        status=status,
        date=PartialDate.parse(date) if date else None,
        origin=origin,
        **extra,
    )


def remove_everything() -> None:
    """Undo a module-wide import, so later test modules start from empty tables."""
    Agreement.objects.all().delete()
    Country.objects.all().delete()
    for model in (Agreement, AgreementParty, StatusChange, AgreementLink, Country):
        model.history.all().delete()


def run_on_signings(clauses: int) -> bytes:
    """One run-on sentence of `clauses` signings, for documents too slow to read. The engine reads it in linear time
    (it cuts run-on sentences), at about a quarter of a megabyte a second: 20,000 clauses (1.2 MB) take it several
    seconds, over a 1 s parse limit."""
    return (" ".join(["France signed the accord and Germany signed the accord and"] * clauses) + " Peru.").encode()
