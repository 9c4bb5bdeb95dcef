"""Small template helpers shared by the dashboard pages."""

from __future__ import annotations

from django import template
from django.urls import reverse

from tracker import charts
from tracker.models import AgreementStatus, AgreementType
from tracker.partial_dates import PartialDate

register = template.Library()

_TYPE_LABELS = dict(AgreementType.choices)
_STATUS_LABELS = dict(AgreementStatus.choices)


@register.filter
def partial(value, precision: str = "") -> str:
    """A date at its precision: `{{ row.date|partial:row.date_precision }}` gives “Jul 2023”, never a made-up day."""
    date = PartialDate.from_parts(value, precision)
    return date.display() if date else ""


@register.filter
def type_label(value: str) -> str:
    return _TYPE_LABELS.get(value, value)


@register.filter
def status_label(value: str) -> str:
    return _STATUS_LABELS.get(value, value)


@register.filter
def get(mapping: dict, key):
    return mapping.get(key, "") if mapping else ""


@register.simple_tag
def pair_url(a: str, b: str) -> str:
    """The pair page in its canonical (alphabetical) order, so links never go through a redirect."""
    return reverse("pair-detail", args=sorted((a, b)))


@register.filter
def http_url(value: str | None) -> str:
    """The URL if it is http(s), else nothing: scraped URLs never become `javascript:` links."""
    value = (value or "").strip()
    return value if value.lower().startswith(("http://", "https://")) else ""


@register.filter
def type_stack(counts: dict[str, int]):
    """`{{ partner.counts|type_stack }}`: a small bar of agreements split by type."""
    return charts.type_stack(counts)
