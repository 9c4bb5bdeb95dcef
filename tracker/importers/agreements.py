"""The one bulk write every agreement importer shares: records in, agreements, parties and status history out.

Re-importing is safe: a record is matched to the agreement imported before from the same data set (any release),
only what changed is written, the fields an analyst locked are left alone, and every write is recorded in the
edit history (bulk writes through simple_history's helpers, which skip model signals but write history rows).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from tracker.models import (
    STATUS_ORDER,
    Agreement,
    AgreementLink,
    AgreementParty,
    Country,
    Origin,
    ReviewState,
    StatusChange,
    party_key,
)
from tracker.partial_dates import PartialDate
from tracker.search import search_index_agreements
from tracker.services import latest_status_change

BATCH = 1000


@dataclass(frozen=True)
class Member:
    code: str
    joined_on: datetime.date | None = None
    left_on: datetime.date | None = None


@dataclass(frozen=True)
class Step:
    status: str
    date: PartialDate | None


@dataclass
class AgreementRecord:
    """One agreement as a data set describes it, already mapped onto the tracker's vocabulary."""

    source_id: str
    title: str
    type: str
    members: list[Member]
    steps: list[Step]
    secondary_types: list[str] = field(default_factory=list)
    name: str = ""
    summary: str = ""
    attributes: dict = field(default_factory=dict)
    links: list[tuple[str, str]] = field(default_factory=list)  # (kind, source id of the target)


@dataclass
class ImportReport:
    dataset: str
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    locked_kept: int = 0
    unmapped_members: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def unmapped_count(self) -> int:
        return sum(self.unmapped_members.values())

    def __str__(self) -> str:
        text = (
            f"{self.dataset}: {self.read} records read, {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.skipped} skipped, {self.locked_kept} locked fields kept; "
            f"{self.unmapped_count} member entries not mapped to a country"
        )
        if self.unmapped_members:
            text += " (" + ", ".join(f"{code} ×{n}" for code, n in sorted(self.unmapped_members.items())) + ")"
        return text + "".join(f"\n  {note}" for note in self.notes)


# Agreement field → the name an analyst's lock uses (Agreement.locked_fields).
_LOCKS = {
    "title": "title",
    "name": "name",
    "type": "type",
    "secondary_types": "secondary_types",
    "summary": "summary",
}
_STATUS_FIELDS = ("status", "status_date", "status_date_precision", "start_date")


def import_note(dataset: str) -> str:
    """Marks the status changes an import wrote, so a later import replaces its own and never an analyst's."""
    return f"Imported from {dataset.split('-')[0].upper()}"


def _status_fields(steps: list[Step]) -> dict:
    changes = [
        StatusChange(status=step.status, date=step.date.value if step.date else None, date_precision=_precision(step))
        for step in steps
    ]
    latest = latest_status_change(changes)
    dated = [change.date for change in changes if change.date]
    return {
        "status": latest.status,
        "status_date": latest.date,
        "status_date_precision": latest.date_precision,
        "start_date": min(dated) if dated else latest.date,
    }


def _precision(step: Step) -> str:
    return step.date.precision if step.date else ""


def _members_by_code(members: Iterable[Member]) -> dict[str, Member]:
    """One membership per country: spells of the same country are joined (earliest entry, latest exit)."""
    merged: dict[str, Member] = {}
    for member in members:
        known = merged.get(member.code)
        if known is None:
            merged[member.code] = member
            continue
        joined = None if None in (known.joined_on, member.joined_on) else min(known.joined_on, member.joined_on)
        left = None if None in (known.left_on, member.left_on) else max(known.left_on, member.left_on)
        merged[member.code] = Member(member.code, joined, left)
    return merged


@transaction.atomic
def agreements_import(
    *, dataset: str, family: str, records: list[AgreementRecord], report: ImportReport | None = None
) -> ImportReport:
    """Write `records` as imported agreements of `dataset` (e.g. "atop-4.01"), matching earlier imports of the
    same `family` (e.g. "atop") by source id, so a newer release updates its records in place."""
    report = report or ImportReport(dataset=dataset)
    report.read += len(records)
    reason = f"import {dataset}"
    note = import_note(dataset)
    countries = dict(Country.objects.values_list("code", "pk"))
    for record in records:
        for member in record.members:
            if member.code not in countries:
                report.unmapped_members[member.code] = report.unmapped_members.get(member.code, 0) + 1
        record.members = [member for member in record.members if member.code in countries]
    usable = [record for record in records if len(_members_by_code(record.members)) >= 2]
    if len(usable) < len(records):
        kept = {record.source_id for record in usable}
        report.skipped += len(records) - len(usable)
        report.notes.append(
            f"{len(records) - len(usable)} records with fewer than two mapped parties were not imported: "
            + ", ".join(record.source_id for record in records if record.source_id not in kept)
        )

    existing = {
        agreement.source_id: agreement
        for agreement in Agreement.objects.filter(
            Q(source_dataset=family) | Q(source_dataset__startswith=f"{family}-"),
            source_id__in=[record.source_id for record in usable],
        )
    }
    memberships: dict[int, dict[int, AgreementParty]] = defaultdict(dict)
    for party in AgreementParty.objects.filter(agreement_id__in=[a.pk for a in existing.values()]):
        memberships[party.agreement_id][party.country_id] = party
    steps: dict[int, list[StatusChange]] = defaultdict(list)
    for change in StatusChange.objects.filter(agreement_id__in=[a.pk for a in existing.values()]):
        steps[change.agreement_id].append(change)

    now = timezone.now()
    new_agreements, changed_agreements, changed_fields = [], [], set()
    for record in usable:
        members = _members_by_code(record.members)
        values = {
            "title": record.title[:300],
            "name": record.name[:200],
            "type": record.type,
            "secondary_types": [t for t in record.secondary_types if t != record.type],
            "summary": record.summary,
            "attributes": record.attributes,
            "source_dataset": dataset,
            "party_key": party_key(list(members)),
            **_status_fields(record.steps),
        }
        agreement = existing.get(record.source_id)
        if agreement is None:
            new_agreements.append(
                Agreement(
                    origin=Origin.IMPORTED,
                    review_state=ReviewState.CONFIRMED,
                    source_id=record.source_id,
                    created_at=now,
                    updated_at=now,
                    **values,
                )
            )
            continue
        locked = set(agreement.locked_fields)
        changed = []
        for name, value in values.items():
            lock = _LOCKS.get(name)
            if name == "party_key":
                lock = "parties"
            elif name in _STATUS_FIELDS:
                lock = "status" if "status" in locked else "date"
            if getattr(agreement, name) == value:
                continue
            if lock in locked:
                report.locked_kept += 1
                continue
            setattr(agreement, name, value)
            changed.append(name)
        if changed:
            agreement.updated_at = now
            changed_agreements.append(agreement)
            changed_fields.update(changed)

    created = bulk_create_with_history(new_agreements, Agreement, batch_size=BATCH, default_change_reason=reason)
    if created and created[0].pk is None:  # databases that do not return keys from a bulk insert
        ids = dict(
            Agreement.objects.filter(source_dataset=dataset, source_id__in=[a.source_id for a in created]).values_list(
                "source_id", "pk"
            )
        )
        for agreement in created:
            agreement.pk = agreement.id = ids[agreement.source_id]
    if changed_agreements:
        bulk_update_with_history(
            changed_agreements,
            Agreement,
            [*sorted(changed_fields), "updated_at"],
            batch_size=BATCH,
            default_change_reason=reason,
        )
    report.created += len(created)
    report.updated += len(changed_agreements)
    report.unchanged += len(usable) - len(created) - len(changed_agreements)
    for agreement in created:
        existing[agreement.source_id] = agreement

    touched = {agreement.pk for agreement in changed_agreements}
    touched |= _sync_parties(usable, existing, memberships, countries, reason)
    touched |= _sync_steps(usable, existing, steps, note, reason)
    touched |= _sync_links(usable, existing, family, reason)
    # An agreement whose parties or history changed but whose own row did not still counts as updated.
    extra = touched - {a.pk for a in changed_agreements} - {a.pk for a in created}
    report.updated += len(extra)
    report.unchanged -= len(extra)
    # Bulk writes send no signals: the search index learns of the new and changed records here.
    search_index_agreements(touched | {a.pk for a in created})
    return report


def _sync_parties(records, agreements, memberships, countries, reason) -> set[int]:
    create, update, delete, touched = [], [], [], set()
    for record in records:
        agreement = agreements[record.source_id]
        if "parties" in agreement.locked_fields:
            continue
        current = memberships.get(agreement.pk, {})
        wanted = {countries[code]: member for code, member in _members_by_code(record.members).items()}
        for country_id, member in wanted.items():
            party = current.get(country_id)
            if party is None:
                create.append(
                    AgreementParty(
                        agreement_id=agreement.pk,
                        country_id=country_id,
                        joined_on=member.joined_on,
                        left_on=member.left_on,
                    )
                )
                touched.add(agreement.pk)
            elif (party.joined_on, party.left_on) != (member.joined_on, member.left_on):
                party.joined_on, party.left_on = member.joined_on, member.left_on
                update.append(party)
                touched.add(agreement.pk)
        for country_id, party in current.items():
            if country_id not in wanted:
                delete.append(party.pk)
                touched.add(agreement.pk)
    bulk_create_with_history(create, AgreementParty, batch_size=BATCH, default_change_reason=reason)
    if update:
        bulk_update_with_history(
            update, AgreementParty, ["joined_on", "left_on"], batch_size=BATCH, default_change_reason=reason
        )
    if delete:
        for party in AgreementParty.objects.filter(pk__in=delete):
            party._change_reason = reason
            party.delete()
    return touched


def _sync_steps(records, agreements, steps, note, reason) -> set[int]:
    create, delete, touched = [], [], set()
    for record in records:
        agreement = agreements[record.source_id]
        if {"status", "date"} & set(agreement.locked_fields):
            continue
        wanted = {(step.status, step.date.value if step.date else None, _precision(step)) for step in record.steps}
        have = {(c.status, c.date, c.date_precision): c for c in steps.get(agreement.pk, [])}
        for key in sorted(wanted - have.keys(), key=lambda k: (k[1] or datetime.date.min, STATUS_ORDER[k[0]])):
            create.append(
                StatusChange(agreement_id=agreement.pk, status=key[0], date=key[1], date_precision=key[2], note=note)
            )
            touched.add(agreement.pk)
        for key, change in have.items():
            if key not in wanted and change.note == note and change.citation_id is None:
                delete.append(change.pk)
                touched.add(agreement.pk)
    bulk_create_with_history(create, StatusChange, batch_size=BATCH, default_change_reason=reason)
    if delete:
        for change in StatusChange.objects.filter(pk__in=delete):
            change._change_reason = reason
            change.delete()
    return touched


def _sync_links(records, agreements, family, reason) -> set[int]:
    wanted = {
        (agreements[record.source_id].pk, kind, agreements[target].pk)
        for record in records
        for kind, target in record.links
        if target in agreements
    }
    if not wanted:
        return set()
    have = set(
        AgreementLink.objects.filter(source_id__in={source for source, _, _ in wanted}).values_list(
            "source_id", "kind", "target_id"
        )
    )
    create = [AgreementLink(source_id=s, kind=k, target_id=t) for s, k, t in sorted(wanted - have)]
    bulk_create_with_history(create, AgreementLink, batch_size=BATCH, default_change_reason=reason)
    return {link.source_id for link in create}
