"""Reads that span models. Views, the API and commands call these rather than querying on their own."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.db.models import Count, Exists, F, Max, Min, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce

from tracker.models import Agreement, AgreementParty, AgreementType, Country, ReviewState, StatusChange


@dataclass(frozen=True)
class Overview:
    countries: int
    former_countries: int
    agreements: int
    unreviewed: int
    by_type: dict[str, int]
    latest: list[Agreement]


def overview(*, latest: int = 10) -> Overview:
    country_counts = Country.objects.aggregate(all=Count("id"), former=Count("id", filter=Q(is_former=True)))
    visible = Agreement.objects.visible()
    by_type = dict(visible.values_list("type").annotate(n=Count("id")).order_by())
    return Overview(
        countries=country_counts["all"] - country_counts["former"],
        former_countries=country_counts["former"],
        agreements=visible.count(),
        unreviewed=visible.filter(review_state=ReviewState.UNREVIEWED).count(),
        by_type=by_type,
        latest=list(visible.prefetch_related("parties").order_by("-created_at")[:latest]),
    )


# ---------------------------------------------------------------------------------------------------------------------
# Reads for the JSON API (and the pages that will share them)

# Agreements counted on country pages and in ties: what lists show by default.
_COUNTED = ~Q(review_state=ReviewState.REJECTED) & Q(merged_into__isnull=True)


def agreements_attach_details(agreements: Iterable[Agreement]) -> list[Agreement]:
    """Give each agreement `party_rows`, `status_rows` and `citation_rows`: three queries for any number of them.

    Plain rows rather than prefetch_related: Django's prefetching builds a queryset per instance, which costs more
    than the queries themselves on a page of fifty agreements.
    """
    agreements = list(agreements)
    by_id = {agreement.pk: agreement for agreement in agreements}
    for agreement in agreements:
        agreement.party_rows, agreement.status_rows, agreement.citation_rows = [], [], []
    if not by_id:
        return agreements
    parties = (
        AgreementParty.objects.filter(agreement_id__in=by_id)
        .order_by("country__code")
        .values_list("agreement_id", "country__code", "country__name")
    )
    for agreement_id, code, name in parties:
        by_id[agreement_id].party_rows.append({"code": code, "name": name})
    changes = (
        StatusChange.objects.filter(agreement_id__in=by_id)
        .order_by("date", "id")
        .values("id", "agreement_id", "status", "date", "date_precision", "note")
    )
    for change in changes:
        by_id[change["agreement_id"]].status_rows.append(change)
    # The citation model lives in `articles`, which tracker never imports: reach it through the relation instead.
    citation_model = Agreement._meta.get_field("citations").related_model
    citations = (
        citation_model.objects.filter(agreement_id__in=by_id)
        .order_by("article_id", "start", "id")
        .values("id", "agreement_id", "quote", "start", "end", "fields", "confidence", "article_id")
        .annotate(article_title=F("article__title"), article_url=F("article__url"))
    )
    for citation in citations:
        citation["article"] = {
            "id": citation.pop("article_id"),
            "title": citation.pop("article_title"),
            "url": citation.pop("article_url"),
        }
        by_id[citation["agreement_id"]].citation_rows.append(citation)
    return agreements


def _by_type_annotations(prefix: str) -> dict[str, Count]:
    return {
        f"n_{kind}": Count(
            f"{prefix}agreement",
            filter=Q(**{f"{prefix}agreement__type": kind})
            & ~Q(**{f"{prefix}agreement__review_state": ReviewState.REJECTED})
            & Q(**{f"{prefix}agreement__merged_into__isnull": True}),
        )
        for kind in AgreementType.values
    }


def countries_with_counts() -> QuerySet[Country]:
    """Countries, each annotated `n_<type>`: how many visible agreements of each type it is a party to."""
    return Country.objects.annotate(**_by_type_annotations("memberships__")).prefetch_related(
        Prefetch("successors", queryset=Country.objects.only("id", "code"))
    )


def counts_by_type(row: object) -> dict[str, int]:
    return {kind: getattr(row, f"n_{kind}", 0) for kind in AgreementType.values}


@dataclass(frozen=True)
class PairTimeline:
    a: Country
    b: Country
    agreements: list[Agreement]
    events: list[TimelineEvent]
    per_year: list[YearCounts]


@dataclass(frozen=True)
class TimelineEvent:
    agreement: Agreement
    change: dict


@dataclass(frozen=True)
class YearCounts:
    year: int
    counts: dict[str, int]


def pair_timeline(*, a: Country, b: Country) -> PairTimeline:
    """Every visible agreement between two countries, their status changes in time order, and counts per year.

    A year counts an agreement by the year of its earliest known date (`start_date`); undated ones are not counted.
    """
    agreements = agreements_attach_details(
        Agreement.objects.between(a, b).filter(_COUNTED).order_by(F("start_date").asc(nulls_last=True), "id")
    )
    events = [
        TimelineEvent(agreement=agreement, change=change)
        for agreement in agreements
        for change in agreement.status_rows
    ]
    # Undated steps last; a step known to the year sorts before one known to the day in the same year.
    events.sort(
        key=lambda e: (e.change["date"] is None, e.change["date"] or datetime.date.max, e.agreement.id, e.change["id"])
    )
    years: dict[int, dict[str, int]] = {}
    for agreement in agreements:
        if agreement.start_date is not None:
            counts = years.setdefault(agreement.start_date.year, dict.fromkeys(AgreementType.values, 0))
            counts[agreement.type] += 1
    per_year = [YearCounts(year=year, counts=counts) for year, counts in sorted(years.items())]
    return PairTimeline(a=a, b=b, agreements=agreements, events=events, per_year=per_year)


@dataclass(frozen=True)
class Partner:
    country: Country
    agreements: int
    first_year: int | None
    last_year: int | None
    counts: dict[str, int]


def country_partners(*, country: Country) -> list[Partner]:
    """The countries `country` shares visible agreements with, most agreements first, then the most recent.

    First and last years are those of the earliest known date and of the latest current-status date.
    """
    shared = Agreement.objects.filter(_COUNTED).filter(
        Exists(AgreementParty.objects.filter(agreement=OuterRef("pk"), country=country))
    )
    rows = (
        AgreementParty.objects.filter(agreement__in=shared)
        .exclude(country=country)
        .values("country")
        .annotate(
            n=Count("agreement", distinct=True),
            first=Min("agreement__start_date"),
            last=Max(Coalesce("agreement__status_date", "agreement__start_date")),
            **{f"n_{kind}": Count("agreement", filter=Q(agreement__type=kind)) for kind in AgreementType.values},
        )
        .order_by("-n", F("last").desc(nulls_last=True), "country")
    )
    rows = list(rows)
    partners = Country.objects.in_bulk([row["country"] for row in rows])
    return [
        Partner(
            country=partners[row["country"]],
            agreements=row["n"],
            first_year=row["first"].year if row["first"] else None,
            last_year=row["last"].year if row["last"] else None,
            counts={kind: row[f"n_{kind}"] for kind in AgreementType.values},
        )
        for row in rows
    ]


class ChangeKind(models.TextChoices):
    CREATED = "created", "created"
    UPDATED = "updated", "updated"
    MERGED = "merged", "merged into another agreement"
    DELETED = "deleted", "deleted"


def agreement_changes(*, since: datetime.datetime | None = None) -> QuerySet:
    """The edit history of agreements since a moment, oldest first: one row per save, deletion or merge.

    Rows are django-simple-history records; `change_kind(row)` names what happened.
    """
    rows = Agreement.history.all()
    if since is not None:
        rows = rows.filter(history_date__gt=since)
    return rows.only("history_id", "id", "history_date", "history_type", "merged_into_id", "review_state").order_by(
        "history_id"
    )


def change_kind(row: object) -> str:
    if row.history_type == "-":
        return ChangeKind.DELETED
    if row.history_type == "+":
        return ChangeKind.CREATED
    return ChangeKind.MERGED if row.merged_into_id else ChangeKind.UPDATED
