"""The one agreement filter: the HTML lists and the JSON API read the same query parameters the same way."""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, QuerySet
from drf_spectacular.utils import extend_schema_field

from tracker.forms import PartialDateFormField
from tracker.models import (
    Agreement,
    AgreementParty,
    AgreementStatus,
    AgreementType,
    Country,
    Origin,
    ReviewState,
)
from tracker.partial_dates import PartialDate
from tracker.search import search_filter

UNKNOWN_COUNTRY = "Unknown country code “%(value)s”: use a code from /api/v1/countries/, e.g. IRN."


def unknown_country_message(code: str) -> str:
    return UNKNOWN_COUNTRY % {"value": code}


class CountryCodeField(forms.ModelChoiceField):
    """A country by its tracker code, in any letter case: `IRN`, `irn`."""

    default_error_messages = {"invalid_choice": UNKNOWN_COUNTRY}

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Country.objects.all())
        kwargs["to_field_name"] = "code"
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().upper()
        return super().to_python(value)


@extend_schema_field({"type": "string", "pattern": r"^[A-Za-z][A-Za-z0-9-]{1,15}$", "example": "IRN"})
class CountryCodeFilter(django_filters.Filter):
    field_class = CountryCodeField

    def filter(self, qs: QuerySet, value: Country | None) -> QuerySet:
        if value is None:
            return qs
        # EXISTS rather than a join: no duplicate rows, and it composes with the other party filters.
        return qs.filter(Exists(AgreementParty.objects.filter(agreement=OuterRef("pk"), country=value)))


class PartialDateBound(django_filters.Filter):
    """`…_from=2000` keeps dates on or after 1 Jan 2000; `…_to=2000` keeps dates up to 31 Dec 2000."""

    field_class = PartialDateFormField

    def __init__(self, *args, upper: bool = False, **kwargs):
        self.upper = upper
        super().__init__(*args, **kwargs)

    def filter(self, qs: QuerySet, value: PartialDate | None) -> QuerySet:
        if value is None:
            return qs
        if self.upper:
            return qs.filter(**{f"{self.field_name}__lte": value.last_day()})
        return qs.filter(**{f"{self.field_name}__gte": value.value})


def choice_errors(choices) -> dict:
    """A wrong value is answered with the values that would do."""
    valid = ", ".join(value for value, _ in choices)
    return {"invalid_choice": f"“%(value)s” is not one of the choices: {valid}."}


# Pairs of bounds of one range: the lower must not come after the upper.
DATE_RANGES = (("start_date_from", "start_date_to"), ("status_date_from", "status_date_to"))


class AgreementFilterForm(forms.Form):
    def clean(self) -> dict:
        cleaned = super().clean()
        for lower, upper in DATE_RANGES:
            low, high = cleaned.get(lower), cleaned.get(upper)
            if low and high and low.value > high.last_day():
                self.add_error(upper, f"The range is reversed: {upper} comes before {lower}.")
        return cleaned


class AgreementFilter(django_filters.FilterSet):
    """Filters for agreement lists. Without `review_state`, rejected agreements and merged duplicates are hidden."""

    # Orderings a cursor can follow: the first column never null, with a unique tie-break or itself unique.
    ORDERINGS = {
        "id": ("id",),
        "-id": ("-id",),
        "updated_at": ("updated_at",),
        "-updated_at": ("-updated_at",),
    }

    party = CountryCodeFilter(help_text="A party's country code, e.g. RUS: agreements it is a party to.")
    a = CountryCodeFilter(help_text="With `b`: agreements between two countries (both parties), e.g. a=IRN&b=BOL.")
    b = CountryCodeFilter(help_text="The other country of the pair (see `a`).")
    type = django_filters.MultipleChoiceFilter(
        choices=AgreementType.choices,
        error_messages=choice_errors(AgreementType.choices),
        help_text="Domain type; repeat for several (type=defense&type=security).",
    )
    status = django_filters.MultipleChoiceFilter(
        choices=AgreementStatus.choices,
        error_messages=choice_errors(AgreementStatus.choices),
        help_text="Current status.",
    )
    review_state = django_filters.MultipleChoiceFilter(
        choices=ReviewState.choices,
        error_messages=choice_errors(ReviewState.choices),
        help_text="Review state. When absent, rejected agreements are left out.",
    )
    origin = django_filters.MultipleChoiceFilter(choices=Origin.choices, error_messages=choice_errors(Origin.choices))
    start_date_from = PartialDateBound(
        field_name="start_date", help_text="Earliest known date on or after this partial date (YYYY[-MM[-DD]])."
    )
    start_date_to = PartialDateBound(field_name="start_date", upper=True, help_text="Earliest known date up to this.")
    status_date_from = PartialDateBound(field_name="status_date", help_text="Date of the current status from this.")
    status_date_to = PartialDateBound(field_name="status_date", upper=True, help_text="Current status date up to this.")
    min_confidence = django_filters.NumberFilter(
        field_name="confidence",
        lookup_expr="gte",
        min_value=0,
        max_value=1,
        help_text="Only agreements at least this sure (0 to 1).",
    )
    q = django_filters.CharFilter(
        method="search",
        max_length=200,
        help_text="Words that must all appear in the title, name, summary, types or the parties' names "
        "(British and American spellings alike, e.g. q=Bolivia defence).",
    )
    updated_since = django_filters.IsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text="ISO 8601 date-time: agreements created or changed since then. Deletions and merges are "
        "reported by the change feed (/api/v1/agreements/changes/).",
    )
    ordering = django_filters.ChoiceFilter(
        method="order",
        choices=[(key, key) for key in ORDERINGS],
        error_messages=choice_errors([(key, key) for key in ORDERINGS]),
        help_text="Sort order; default -id (newest records first).",
    )

    class Meta:
        model = Agreement
        form = AgreementFilterForm
        fields: list[str] = []

    def search(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return search_filter(qs, query=value)

    def order(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.order_by(*self.ORDERINGS[value]) if value else qs

    @property
    def chosen_ordering(self) -> tuple[str, ...] | None:
        value = self.form.cleaned_data.get("ordering") if self.is_bound and self.is_valid() else None
        return self.ORDERINGS.get(value) if value else None

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        if not self.form.cleaned_data.get("review_state"):
            queryset = queryset.visible().filter(merged_into__isnull=True)
        return super().filter_queryset(queryset)


def parse_datetime_param(value: str) -> datetime.datetime:
    """An ISO 8601 date-time from a query string, as the filters read it (`Z` and offsets accepted)."""
    field = django_filters.fields.IsoDateTimeField()
    return field.clean(value)
