"""Reads that span models. Views, the API and commands call these rather than querying on their own."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from tracker.models import Agreement, Country, ReviewState


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
