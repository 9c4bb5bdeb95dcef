"""Agreement edits made through the API.

`tracker/services.py` has `agreement_create` and `agreement_review` but no general update yet; this is that service,
kept next to its only caller until a second caller (an HTML form) needs it, then to move to tracker/services.py.
It follows the admin's rules: every field a person edits is locked against automatic changes, and the derived
columns (party key, current status, start date) are re-synced from the related rows.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from tracker import services
from tracker.models import Agreement, AgreementParty, StatusChange
from tracker.partial_dates import PartialDate

_PLAIN_FIELDS = ("title", "name", "type", "secondary_types", "summary", "confidence")


@transaction.atomic
def agreement_update(
    *,
    agreement: Agreement,
    user: AbstractBaseUser | None = None,
    parties: list[str] | None = None,
    status: str | None = None,
    date: PartialDate | None = None,
    review_state: str | None = None,
    **changes,
) -> Agreement:
    """Change an agreement's fields; `status` (with its `date`) records a step in its status history.

    An edit is not a review: the record keeps its review state unless `review_state` is given.
    """
    unknown = set(changes) - set(_PLAIN_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    agreement._history_user = user
    edited = [name for name, value in changes.items() if getattr(agreement, name) != value]
    if "secondary_types" in changes:
        changes["secondary_types"] = [t for t in changes["secondary_types"] if t != changes.get("type", agreement.type)]
    for name, value in changes.items():
        setattr(agreement, name, value)
    locked = set(edited) - {"confidence"}

    if parties is not None:
        countries = services.countries_by_code(parties)
        current = set(agreement.memberships.values_list("country__code", flat=True))
        if set(countries) != current:
            AgreementParty.objects.filter(agreement=agreement).exclude(country__code__in=countries).delete()
            AgreementParty.objects.bulk_create(
                AgreementParty(agreement=agreement, country=country)
                for code, country in countries.items()
                if code not in current
            )
            locked.add("parties")

    if status is not None:
        already = agreement.status_changes.filter(
            status=status, date=date.value if date else None, date_precision=date.precision if date else ""
        ).exists()
        if not already:
            StatusChange.objects.create(
                agreement=agreement,
                status=status,
                date=date.value if date else None,
                date_precision=date.precision if date else "",
                note=f"Added through the API by {user}" if user else "Added through the API",
            )
            locked |= {"status", "date"} if date else {"status"}

    agreement.locked_fields = sorted({*agreement.locked_fields, *locked})
    agreement.save()
    services.agreement_sync_parties(agreement=agreement)
    services.agreement_sync_status(agreement=agreement)
    if review_state is not None and review_state != agreement.review_state:
        services.agreement_review(agreement=agreement, state=review_state, user=user)
    agreement.refresh_from_db()
    return agreement
