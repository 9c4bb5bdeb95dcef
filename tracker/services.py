"""Writes to the core domain. Admin forms, commands, tasks and the API all call these, so behaviour is tested once."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, fields
from functools import cmp_to_key

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Exists, OuterRef

from tracker.models import (
    STATUS_ORDER,
    Agreement,
    AgreementLink,
    AgreementParty,
    AgreementType,
    Country,
    Origin,
    ReviewState,
    StatusChange,
    party_key,
)
from tracker.partial_dates import PartialDate
from tracker.reference import CountryRow, country_rows
from tracker.search import search_index_agreements, search_index_countries


@dataclass(frozen=True)
class LoadReport:
    created: int
    updated: int
    unchanged: int

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


# Fields the reference data owns outright; list fields are merged instead, so names an analyst added are kept.
_REFERENCE_FIELDS = ("alpha2", "numeric", "name", "official_name", "is_former", "valid_from", "valid_to")
_MERGED_LIST_FIELDS = ("names", "demonyms", "capitals", "seats")
_FILL_IF_BLANK_FIELDS = ("region", "subregion", "cow_code")


def _merged(existing: list[str], incoming: list[str]) -> list[str]:
    seen = {value.casefold() for value in existing}
    return [*existing, *[value for value in incoming if value.casefold() not in seen]]


@transaction.atomic
def countries_load(*, rows: Iterable[CountryRow] | None = None) -> LoadReport:
    """Load reference countries in bulk and idempotently: a second run changes nothing."""
    rows = list(rows if rows is not None else country_rows())
    existing = {country.code: country for country in Country.objects.all()}
    to_create, to_update = [], []
    for row in rows:
        country = existing.get(row.code)
        if country is None:
            to_create.append(Country(**{f.name: getattr(row, f.name) for f in fields(CountryRow)}))
            continue
        changed = False
        for name in _REFERENCE_FIELDS:
            if getattr(country, name) != getattr(row, name):
                setattr(country, name, getattr(row, name))
                changed = True
        for name in _MERGED_LIST_FIELDS:
            merged = _merged(getattr(country, name) or [], getattr(row, name))
            if merged != getattr(country, name):
                setattr(country, name, merged)
                changed = True
        for name in _FILL_IF_BLANK_FIELDS:
            if getattr(country, name) in ("", None) and getattr(row, name) not in ("", None):
                setattr(country, name, getattr(row, name))
                changed = True
        if changed:
            to_update.append(country)
    Country.objects.bulk_create(to_create, batch_size=500)
    update_fields = [*_REFERENCE_FIELDS, *_MERGED_LIST_FIELDS, *_FILL_IF_BLANK_FIELDS]
    Country.objects.bulk_update(to_update, update_fields, batch_size=500)
    if to_create or to_update:
        # Bulk writes send no signals: the search index learns the names here.
        search_index_countries()
        search_index_agreements(
            AgreementParty.objects.filter(country__in=to_update).values_list("agreement_id", flat=True)
        )
    return LoadReport(
        created=len(to_create), updated=len(to_update), unchanged=len(rows) - len(to_create) - len(to_update)
    )


def countries_by_code(codes: Iterable[str]) -> dict[str, Country]:
    codes = set(codes)
    found = {country.code: country for country in Country.objects.filter(code__in=codes)}
    missing = codes - found.keys()
    if missing:
        raise Country.DoesNotExist(f"Unknown country codes: {', '.join(sorted(missing))}")
    return found


def _comes_after(a: StatusChange, b: StatusChange) -> int:
    """Order two steps by date when their dates cannot overlap, otherwise by how far along the stage is."""
    a_date, b_date = a.partial_date, b.partial_date
    if a_date and b_date and (b_date.surely_before(a_date) or a_date.surely_before(b_date)):
        return 1 if b_date.surely_before(a_date) else -1
    return STATUS_ORDER[a.status] - STATUS_ORDER[b.status]


def latest_status_change(changes: Iterable[StatusChange]) -> StatusChange | None:
    """The stage an agreement is at now: "signed 2023-07" then "in force 2023" means in force."""
    changes = list(changes)
    return max(changes, key=cmp_to_key(_comes_after)) if changes else None


def status_fields(agreement: Agreement) -> dict:
    """The current status, its date and the start date that the agreement's status history implies."""
    changes = list(agreement.status_changes.all())
    latest = latest_status_change(changes)
    update = {}
    if latest is not None:
        update = {
            "status": latest.status,
            "status_date": latest.date,
            "status_date_precision": latest.date_precision,
        }
    dated = [change.date for change in changes if change.date is not None]
    update["start_date"] = min(dated) if dated else agreement.status_date
    return update


def agreement_sync_status(*, agreement: Agreement) -> Agreement:
    """Keep the agreement's current status, its date and its start date in step with its status history."""
    changed = {name: value for name, value in status_fields(agreement).items() if getattr(agreement, name) != value}
    if changed:
        for name, value in changed.items():
            setattr(agreement, name, value)
        agreement.save(update_fields=[*changed, "updated_at"])
    return agreement


def agreement_sync_parties(*, agreement: Agreement) -> Agreement:
    key = party_key(list(agreement.memberships.values_list("country__code", flat=True)))
    if agreement.party_key != key:
        agreement.party_key = key
        agreement.save(update_fields=["party_key", "updated_at"])
    return agreement


@transaction.atomic
def agreement_create(
    *,
    title: str,
    party_codes: Iterable[str],
    type: str,
    status: str,
    date: PartialDate | None = None,
    secondary_types: Iterable[str] = (),
    name: str = "",
    summary: str = "",
    confidence: float = 1.0,
    origin: str,
    review_state: str = ReviewState.UNREVIEWED,
    source_dataset: str = "",
    source_id: str = "",
    created_by: AbstractBaseUser | None = None,
) -> Agreement:
    countries = countries_by_code(party_codes)
    if len(countries) < 2:
        raise ValueError("An agreement needs at least two different parties.")
    agreement = Agreement.objects.create(
        title=title,
        name=name,
        type=type,
        secondary_types=[t for t in secondary_types if t != type],
        status=status,
        status_date=date.value if date else None,
        status_date_precision=date.precision if date else "",
        start_date=date.value if date else None,
        summary=summary,
        confidence=confidence,
        origin=origin,
        review_state=review_state,
        source_dataset=source_dataset,
        source_id=source_id,
        created_by=created_by,
        party_key=party_key(list(countries)),
    )
    AgreementParty.objects.bulk_create(AgreementParty(agreement=agreement, country=c) for c in countries.values())
    StatusChange.objects.create(
        agreement=agreement,
        status=status,
        date=date.value if date else None,
        date_precision=date.precision if date else "",
    )
    search_index_agreements([agreement.pk])  # now that it has its parties
    return agreement


# What confirming a record locks against automatic changes.
CONFIRMED_LOCKS = ("parties", "type", "status", "title")


@transaction.atomic
def agreement_review(*, agreement: Agreement, state: str, user: AbstractBaseUser | None = None) -> Agreement:
    """Confirm or reject an agreement. Confirming locks its fields against later automatic changes."""
    update_fields = ["updated_at", *_apply_review(agreement, state)]
    agreement._history_user = user
    agreement.save(update_fields=update_fields)
    return agreement


def _apply_review(agreement: Agreement, state: str) -> list[str]:
    """Set a review state on the instance (unsaved); returns the fields it changed."""
    agreement.review_state = state
    if state != ReviewState.CONFIRMED:
        return ["review_state"]
    agreement.locked_fields = sorted({*agreement.locked_fields, *CONFIRMED_LOCKS})
    return ["review_state", "locked_fields"]


# ---------------------------------------------------------------------------------------------------------------------
# Review: quick edits and merging duplicates (the dashboard's review queue; the admin's change form does full edits)


def _save_with_reason(agreement: Agreement, *, user: AbstractBaseUser | None, reason: str, **kwargs) -> None:
    agreement._history_user = user
    agreement._change_reason = reason
    agreement.save(**kwargs)


EDITABLE_FIELDS = ("title", "name", "type", "secondary_types", "summary", "confidence")


def _title_for_type(agreement: Agreement, new_type: str) -> str | None:
    """An extracted record's title names its type ("Bolivia – Iran defence memorandum of understanding"); when the
    type is corrected the title follows ("… security memorandum …"). None when the title does not name the old type
    or a person wrote or locked it."""
    if agreement.origin != Origin.EXTRACTED or "title" in agreement.locked_fields or agreement.type == new_type:
        return None
    old = AgreementType(agreement.type).label.lower()
    new = "" if new_type == AgreementType.OTHER else AgreementType(new_type).label.lower()
    pattern = re.compile(rf"(?<=\s){re.escape(old)}\s", re.IGNORECASE)
    if agreement.type == AgreementType.OTHER or not pattern.search(agreement.title):
        return None
    return pattern.sub(f"{new} " if new else "", agreement.title, count=1)[:300]


@transaction.atomic
def agreement_update(
    *,
    agreement: Agreement,
    user: AbstractBaseUser | None = None,
    parties: Iterable[str] | None = None,
    status: str | None = None,
    date: PartialDate | None = None,
    review_state: str | None = None,
    reason: str = "Edited",
    **changes,
) -> Agreement:
    """A person's edit of an agreement (API, review queue). Every field they change is locked against automatic
    changes, as the admin does.

    A new status, or a new date for the current one, becomes a step in the status history rather than an overwrite,
    so the history keeps what the articles said. An edit is not a review: the review state changes only when
    `review_state` is given. Nothing is written when nothing changed.
    """
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if "title" in changes:
        changes["title"] = (changes["title"] or "").strip()[:300] or agreement.title
    new_type = changes.get("type", agreement.type)
    if "type" in changes or "secondary_types" in changes:
        secondary = changes.get("secondary_types", agreement.secondary_types)
        changes["secondary_types"] = [t for t in secondary if t != new_type]
    edited = [name for name, value in changes.items() if getattr(agreement, name) != value]
    retitled = _title_for_type(agreement, new_type) if "type" in edited and "title" not in edited else None
    for name in edited:
        setattr(agreement, name, changes[name])
    locked = set(edited) - {"confidence"}
    if retitled:
        # Derived from the type the person chose, not typed by them: the title stays open to automatic updates.
        agreement.title = retitled
        edited.append("title")

    if parties is not None:
        countries = countries_by_code(parties)
        current = set(agreement.memberships.values_list("country__code", flat=True))
        if set(countries) != current:
            AgreementParty.objects.filter(agreement=agreement).exclude(country__code__in=countries).delete()
            AgreementParty.objects.bulk_create(
                AgreementParty(agreement=agreement, country=country)
                for code, country in countries.items()
                if code not in current
            )
            locked.add("parties")

    new_status = status or agreement.status
    if new_status != agreement.status or date is not None:
        value, precision = (date.value, date.precision) if date else (None, "")
        if not agreement.status_changes.filter(status=new_status, date=value, date_precision=precision).exists():
            by = f" by {user}" if user else ""
            StatusChange.objects.create(
                agreement=agreement, status=new_status, date=value, date_precision=precision, note=f"{reason}{by}"
            )
            locked |= {"status", "date"} if date else {"status"}

    reviewed = review_state is not None and review_state != agreement.review_state
    if edited or locked or reviewed:
        agreement.locked_fields = sorted({*agreement.locked_fields, *locked})
        what = sorted(locked | set(edited))
        if reviewed:
            _apply_review(agreement, review_state)
            what.append(f"review {review_state}")
        # The syncs save this same row; they write no history of their own, so that one action ("Save and
        # confirm") is one row in the edit history, holding every change it made.
        agreement.skip_history_when_saving = True
        try:
            agreement_sync_parties(agreement=agreement)
            agreement_sync_status(agreement=agreement)
        finally:
            del agreement.skip_history_when_saving
        _save_with_reason(agreement, user=user, reason=f"{reason}: {', '.join(what)}")
    agreement.refresh_from_db()
    return agreement


class MergeError(ValueError):
    """Two agreements that cannot be merged (the same record, or one already merged away)."""


@transaction.atomic
def agreement_merge_into(*, duplicate: Agreement, target: Agreement, user: AbstractBaseUser | None = None) -> Agreement:
    """Fold a duplicate record into the one to keep; returns the target.

    Its citations, status steps, links and parties move to the target (what the target already has is kept once);
    records merged into the duplicate earlier now point at the target. The duplicate stays, rejected, with
    `merged_into` set, so links to it can be followed; both agreements' histories say who merged what.
    """
    ids = sorted({duplicate.pk, target.pk})
    if len(ids) == 1:
        raise MergeError("An agreement cannot be merged into itself.")
    rows = {row.pk: row for row in Agreement.objects.select_for_update().filter(pk__in=ids)}
    duplicate, target = rows[duplicate.pk], rows[target.pk]
    if duplicate.merged_into_id or target.merged_into_id:
        raise MergeError("One of these agreements was already merged into another; merge into the one that was kept.")

    # Citations live in `articles`, which tracker never imports: the relation gives the model (see selectors).
    citation_model = Agreement._meta.get_field("citations").related_model
    same_span = citation_model.objects.filter(
        agreement=target, article=OuterRef("article"), start=OuterRef("start"), end=OuterRef("end")
    )
    twins = citation_model.objects.filter(agreement=duplicate).filter(Exists(same_span))
    # A status step citing a twin citation keeps its evidence: point it at the target's copy first.
    for twin in twins:
        kept = citation_model.objects.get(agreement=target, article_id=twin.article_id, start=twin.start, end=twin.end)
        StatusChange.objects.filter(citation=twin).update(citation=kept)
    twins.delete()
    moved_citations = citation_model.objects.filter(agreement=duplicate).update(agreement=target)

    moved_steps = _merge_steps(duplicate=duplicate, target=target)

    moved_parties = 0
    if "parties" not in target.locked_fields:
        have = set(target.memberships.values_list("country_id", flat=True))
        for membership in duplicate.memberships.exclude(country_id__in=have):
            AgreementParty.objects.create(
                agreement=target,
                country_id=membership.country_id,
                joined_on=membership.joined_on,
                left_on=membership.left_on,
            )
            moved_parties += 1

    for link in AgreementLink.objects.filter(source=duplicate).exclude(target=target):
        AgreementLink.objects.get_or_create(source=target, kind=link.kind, target=link.target)
    for link in AgreementLink.objects.filter(target=duplicate).exclude(source=target):
        AgreementLink.objects.get_or_create(source=link.source, kind=link.kind, target=target)
    for earlier in Agreement.objects.filter(merged_into=duplicate):
        earlier.merged_into = target
        _save_with_reason(earlier, user=user, reason=f"Merged into #{target.pk} (via #{duplicate.pk})")

    duplicate.merged_into = target
    duplicate.review_state = ReviewState.REJECTED
    _save_with_reason(duplicate, user=user, reason=f"Merged into #{target.pk} as a duplicate")
    target.secondary_types = (
        [t for t in dict.fromkeys([*target.secondary_types, *duplicate.types]) if t != target.type]
        if "type" not in target.locked_fields
        else target.secondary_types
    )
    target.confidence = max(target.confidence, duplicate.confidence)
    # Parties and status follow from what moved; set here so that the merge is one row of the target's history.
    target.party_key = party_key(list(target.memberships.values_list("country__code", flat=True)))
    for name, value in status_fields(target).items():
        setattr(target, name, value)
    _save_with_reason(
        target,
        user=user,
        reason=f"Merged duplicate #{duplicate.pk} into this: {moved_citations} citations, {moved_steps} status steps, "
        f"{moved_parties} parties moved",
    )
    return target


def _merge_steps(*, duplicate: Agreement, target: Agreement) -> int:
    """One step per stage on the kept record: a stage it lacks moves over; a stage both have keeps the more precise
    of two dates that agree ("12 Mar 2024" over "Mar 2024"), and the target's own date when they disagree."""
    kept_steps: dict[str, StatusChange] = {}
    for step in target.status_changes.all():
        kept_steps.setdefault(step.status, step)
    moved = 0
    for step in duplicate.status_changes.all():
        kept = kept_steps.get(step.status)
        if kept is None:
            step.agreement = target
            step.note = (step.note + f" (from merged #{duplicate.pk})").strip()[:300]
            step.save(update_fields=["agreement", "note"])
            kept_steps[step.status] = step
            moved += 1
        else:
            _keep_the_better_step(kept, step)
    return moved


def _keep_the_better_step(kept: StatusChange, other: StatusChange) -> None:
    theirs, ours = other.partial_date, kept.partial_date
    changed = []
    if theirs and (ours is None or (theirs.overlaps(ours) and theirs.precision_rank > ours.precision_rank)):
        kept.date, kept.date_precision = other.date, other.date_precision
        changed += ["date", "date_precision"]
    if other.citation_id and not kept.citation_id:
        kept.citation_id = other.citation_id
        changed.append("citation")
    if changed:
        kept.save(update_fields=changed)
