"""Admin forms for analysts: countries, and agreements with their parties, status history and links."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Case, Q, QuerySet, Value, When
from django.db.models.functions import Length
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from tracker import services
from tracker.forms import PartialDateFormField
from tracker.models import (
    Agreement,
    AgreementLink,
    AgreementParty,
    AgreementStatus,
    AgreementType,
    Country,
    Origin,
    ReviewState,
    StatusChange,
)
from tracker.roles import is_curator

# Fields an analyst's edit protects from later extraction or re-import.
LOCKABLE_FIELDS = ("title", "name", "type", "secondary_types", "summary")


@admin.register(Country)
class CountryAdmin(SimpleHistoryAdmin):
    list_display = ("name", "code", "alpha2", "numeric", "region", "subregion", "is_former", "valid_from", "valid_to")
    list_filter = ("is_former", "region", "subregion")
    search_fields = ("name", "official_name", "code", "alpha2", "names", "demonyms", "capitals")
    filter_horizontal = ("successors",)
    ordering = ("name",)

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str):
        """Matches ranked by how well the name fits what was typed, then by name: "United St" puts United States
        first, before the countries whose other names or capitals merely contain both words."""
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = " ".join(search_term.split())
        if not term:
            return queryset, may_have_duplicates
        rank = Case(
            When(Q(name__iexact=term) | Q(code__iexact=term), then=Value(0)),
            When(name__istartswith=term, then=Value(1)),
            When(name__icontains=term, then=Value(2)),
            default=Value(3),
        )
        # Annotated, not aliased: ordering by them must also work on a DISTINCT query (PostgreSQL requires it).
        ranked = queryset.annotate(fit=rank, name_length=Length("name"))
        return ranked.order_by("fit", "name_length", "name"), may_have_duplicates

    fieldsets = (
        (None, {"fields": ("code", "name", "official_name", "alpha2", "numeric", "region", "subregion")}),
        ("How news names it", {"fields": ("names", "demonyms", "capitals", "seats")}),
        ("Former states", {"fields": ("is_former", "valid_from", "valid_to", "cow_code", "successors")}),
    )


class StatusChangeForm(forms.ModelForm):
    when = PartialDateFormField(label="Date")

    class Meta:
        model = StatusChange
        fields = ("status", "when", "note")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.partial_date:
            self.initial["when"] = self.instance.partial_date.iso()

    def save(self, commit=True):
        partial = self.cleaned_data.get("when")
        self.instance.date = partial.value if partial else None
        self.instance.date_precision = partial.precision if partial else ""
        return super().save(commit=commit)


class StatusHistoryFormSet(forms.BaseInlineFormSet):
    """A history must run forward: no entry into force or termination before signature, and so on."""

    def clean(self):
        super().clean()
        steps = [
            (form.cleaned_data["status"], form.cleaned_data.get("when"))
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        if not steps:
            raise ValidationError("Give the agreement at least one status (for example: signed, 2023-07).")
        labels = dict(AgreementStatus.choices)
        order = list(AgreementStatus.values)
        for earlier_status, earlier_date in steps:
            for later_status, later_date in steps:
                if not (earlier_date and later_date):
                    continue
                if order.index(later_status) > order.index(earlier_status) and later_date.surely_before(earlier_date):
                    raise ValidationError(
                        f"“{labels[later_status]}” ({later_date.iso()}) cannot come before "
                        f"“{labels[earlier_status]}” ({earlier_date.iso()})."
                    )


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    form = StatusChangeForm
    formset = StatusHistoryFormSet
    extra = 0
    min_num = 1
    fields = ("status", "when", "note", "citation")
    readonly_fields = ("citation",)
    verbose_name = "status change"
    verbose_name_plural = "status history"


class PartiesFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        countries = [
            form.cleaned_data["country"]
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE") and form.cleaned_data.get("country")
        ]
        if len(set(countries)) < 2:
            raise ValidationError(
                "An agreement needs at least two parties: add the other state(s). "
                "An instrument between one state and an organisation (EU, NATO, IAEA) is not tracked."
            )


class AgreementPartyInline(admin.TabularInline):
    model = AgreementParty
    formset = PartiesFormSet
    autocomplete_fields = ("country",)
    extra = 0
    min_num = 2
    fields = ("country", "joined_on", "left_on")


class AgreementLinkInline(admin.TabularInline):
    model = AgreementLink
    fk_name = "source"
    autocomplete_fields = ("target",)
    extra = 0
    verbose_name = "link to another agreement"
    verbose_name_plural = "links to other agreements (this agreement amends / renews / supersedes …)"


class AgreementForm(forms.ModelForm):
    secondary_types = forms.MultipleChoiceField(
        choices=AgreementType.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Agreement
        fields = ("title", "name", "type", "secondary_types", "summary", "confidence", "review_state")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("type") in (cleaned.get("secondary_types") or []):
            cleaned["secondary_types"] = [t for t in cleaned["secondary_types"] if t != cleaned["type"]]
        return cleaned


@admin.action(description="Confirm selected agreements")
def confirm_agreements(modeladmin, request: HttpRequest, queryset: QuerySet[Agreement]) -> None:
    for agreement in queryset:
        services.agreement_review(agreement=agreement, state=ReviewState.CONFIRMED, user=request.user)
    modeladmin.message_user(request, f"{queryset.count()} agreement(s) confirmed.", messages.SUCCESS)


@admin.action(description="Reject selected agreements")
def reject_agreements(modeladmin, request: HttpRequest, queryset: QuerySet[Agreement]) -> None:
    for agreement in queryset:
        services.agreement_review(agreement=agreement, state=ReviewState.REJECTED, user=request.user)
    modeladmin.message_user(request, f"{queryset.count()} agreement(s) rejected.", messages.SUCCESS)


@admin.register(Agreement)
class AgreementAdmin(SimpleHistoryAdmin):
    form = AgreementForm
    inlines = [AgreementPartyInline, StatusChangeInline, AgreementLinkInline]
    list_display = (
        "title",
        "party_list",
        "type",
        "status",
        "status_when",
        "review_state",
        "origin",
        "confidence",
    )
    list_filter = ("type", "status", "review_state", "origin", "start_date", "source_dataset")
    list_select_related = ()
    search_fields = ("title", "name", "summary", "parties__name", "parties__code", "parties__official_name")
    date_hierarchy = "start_date"
    actions = [confirm_agreements, reject_agreements]
    readonly_fields = (
        "status",
        "status_when",
        "start_date",
        "origin",
        "source_dataset",
        "source_id",
        "locked_fields",
        "merged_into",
        "created_by",
        "created_at",
        "updated_at",
    )
    fieldsets = (
        (None, {"fields": ("title", "name", "type", "secondary_types", "summary")}),
        ("Status (from the status history below)", {"fields": ("status", "status_when", "start_date")}),
        ("Review", {"fields": ("review_state", "confidence", "locked_fields")}),
        (
            "Provenance",
            {
                "fields": (
                    "origin",
                    "source_dataset",
                    "source_id",
                    "merged_into",
                    "created_by",
                    "created_at",
                    "updated_at",
                )
            },
        ),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("parties")

    @admin.display(description="parties")
    def party_list(self, agreement: Agreement) -> str:
        return ", ".join(sorted(country.name for country in agreement.parties.all()))

    @admin.display(description="status date", ordering="status_date")
    def status_when(self, agreement: Agreement) -> str:
        partial = agreement.current_status_date
        return partial.display() if partial else "—"

    def save_model(self, request, obj: Agreement, form, change):
        if not change:
            obj.origin = Origin.MANUAL
            obj.created_by = request.user
            if is_curator(request.user) and obj.review_state == ReviewState.UNREVIEWED:
                # A curator's own entry is curated data: it does not wait in the review queue.
                obj.review_state = ReviewState.CONFIRMED
                obj.locked_fields = sorted({*obj.locked_fields, *services.CONFIRMED_LOCKS})
        else:
            edited = [name for name in form.changed_data if name in LOCKABLE_FIELDS]
            if edited:
                obj.locked_fields = sorted({*obj.locked_fields, *edited})
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        agreement = form.instance
        if change:
            touched = set()
            for formset in formsets:
                if formset.has_changed():
                    touched |= {"parties"} if formset.model is AgreementParty else set()
                    touched |= {"status", "date"} if formset.model is StatusChange else set()
            if touched:
                agreement.locked_fields = sorted({*agreement.locked_fields, *touched})
                agreement.save(update_fields=["locked_fields", "updated_at"])
        services.agreement_sync_parties(agreement=agreement)
        services.agreement_sync_status(agreement=agreement)


@admin.register(AgreementLink)
class AgreementLinkAdmin(SimpleHistoryAdmin):
    list_display = ("source", "kind", "target", "created_at")
    list_filter = ("kind",)
    autocomplete_fields = ("source", "target")
    search_fields = ("source__title", "target__title")
