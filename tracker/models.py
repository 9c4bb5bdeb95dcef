"""The core domain: countries, agreements between them, and how each agreement's status changed over time."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from tracker.partial_dates import PartialDate, Precision


class CountryQuerySet(models.QuerySet):
    def current(self) -> CountryQuerySet:
        return self.filter(is_former=False)

    def former(self) -> CountryQuerySet:
        return self.filter(is_former=True)


class Country(models.Model):
    """A state, current (ISO 3166-1) or former (ISO 3166-3, or with no ISO code at all)."""

    code = models.CharField(
        max_length=16,
        unique=True,
        help_text="The tracker's identifier: the ISO 3166-1 alpha-3 code, the ISO 3166-3 code of a former state, "
        "or a made-up code for a state that never had one.",
    )
    alpha2 = models.CharField("ISO alpha-2", max_length=2, blank=True)
    numeric = models.CharField("ISO numeric", max_length=3, blank=True)
    name = models.CharField("common name", max_length=128)
    official_name = models.CharField(max_length=255, blank=True)
    names = models.JSONField("name variants", default=list, blank=True, help_text="Other names news uses.")
    demonyms = models.JSONField("demonyms and adjectives", default=list, blank=True)
    capitals = models.JSONField(default=list, blank=True)
    seats = models.JSONField(
        "seats of government", default=list, blank=True, help_text="Metonyms such as “the Kremlin”, “Whitehall”."
    )
    region = models.CharField(max_length=64, blank=True)
    subregion = models.CharField(max_length=64, blank=True)
    is_former = models.BooleanField("former state", default=False)
    valid_from = models.PositiveSmallIntegerField(null=True, blank=True, help_text="First year the state existed.")
    valid_to = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Last year the state existed.")
    successors = models.ManyToManyField(
        "self", symmetrical=False, related_name="predecessors", blank=True, help_text="States that succeeded it."
    )
    cow_code = models.PositiveSmallIntegerField("COW code", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = CountryQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=r"^[A-Z][A-Z0-9-]{1,15}$"), name="country_code_format"),
            models.CheckConstraint(
                condition=Q(alpha2="") | Q(alpha2__regex=r"^[A-Z]{2}$"), name="country_alpha2_format"
            ),
            models.CheckConstraint(
                condition=Q(numeric="") | Q(numeric__regex=r"^[0-9]{3}$"), name="country_numeric_format"
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="country_valid_years_ordered",
            ),
            models.UniqueConstraint(
                fields=["alpha2"], condition=~Q(alpha2="") & Q(is_former=False), name="country_unique_current_alpha2"
            ),
            models.UniqueConstraint(fields=["cow_code", "valid_from"], name="country_unique_cow_period"),
        ]
        indexes = [models.Index(fields=["region", "subregion"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("admin:tracker_country_change", args=[self.pk])


class AgreementType(models.TextChoices):
    """The closed set of domains (TAXONOMY.md)."""

    DEFENSE = "defense", "Defence"
    SECURITY = "security", "Security"
    ECONOMIC = "economic", "Economic"
    ENERGY = "energy", "Energy"
    NUCLEAR = "nuclear", "Nuclear"
    DIPLOMATIC = "diplomatic", "Diplomatic"
    TECHNOLOGY = "technology", "Technology"
    OTHER = "other", "Other"


class AgreementStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    SIGNED = "signed", "Signed"
    IN_FORCE = "in_force", "In force"
    TERMINATED = "terminated", "Terminated"


# The order an instrument normally goes through; used to pick the latest stage and to catch impossible histories.
STATUS_ORDER = {status: rank for rank, status in enumerate(AgreementStatus.values)}


class Origin(models.TextChoices):
    MANUAL = "manual", "Entered by an analyst"
    EXTRACTED = "extracted", "Extracted from news"
    IMPORTED = "imported", "Imported from a data set"


class ReviewState(models.TextChoices):
    UNREVIEWED = "unreviewed", "Unreviewed"
    CONFIRMED = "confirmed", "Confirmed"
    REJECTED = "rejected", "Rejected"


class AgreementQuerySet(models.QuerySet):
    def involving(self, country: Country) -> AgreementQuerySet:
        return self.filter(parties=country)

    def between(self, a: Country, b: Country) -> AgreementQuerySet:
        return self.filter(parties=a).filter(parties=b)

    def with_party_set(self, codes: list[str] | tuple[str, ...]) -> AgreementQuerySet:
        return self.filter(party_key=party_key(codes))

    def visible(self) -> AgreementQuerySet:
        """What pages and the API show by default: everything but rejected records."""
        return self.exclude(review_state=ReviewState.REJECTED)

    def unreviewed(self) -> AgreementQuerySet:
        return self.filter(review_state=ReviewState.UNREVIEWED)


def party_key(codes: list[str] | tuple[str, ...] | set[str]) -> str:
    """A canonical, indexable key of a set of parties: sorted codes joined by spaces."""
    return " ".join(sorted(set(codes)))


class Agreement(models.Model):
    """A formal instrument between two or more states: a treaty, pact, accord, MoU, protocol, convention, deal."""

    title = models.CharField(max_length=300)
    name = models.CharField(max_length=200, blank=True, help_text="The name it is known by, e.g. “New START”.")
    parties = models.ManyToManyField(Country, through="AgreementParty", related_name="agreements")
    party_key = models.CharField(
        max_length=1000, blank=True, db_index=True, editable=False, help_text="Sorted party codes, kept in step."
    )
    type = models.CharField("domain type", max_length=16, choices=AgreementType.choices)
    secondary_types = models.JSONField(default=list, blank=True, help_text="Other domains the instrument covers.")
    status = models.CharField(
        "current status", max_length=16, choices=AgreementStatus.choices, default=AgreementStatus.PROPOSED
    )
    status_date = models.DateField("date of the current status", null=True, blank=True)
    status_date_precision = models.CharField(max_length=5, choices=Precision.choices, blank=True)
    start_date = models.DateField(
        null=True, blank=True, db_index=True, help_text="The earliest known date in its history, for time lines."
    )
    summary = models.TextField(blank=True)
    attributes = models.JSONField(
        default=dict,
        blank=True,
        help_text="Source-specific facts with no column of their own, e.g. ATOP obligations of imported alliances.",
    )
    confidence = models.FloatField(default=1.0, help_text="0 to 1: how sure the tracker is of this record.")
    origin = models.CharField(max_length=16, choices=Origin.choices, default=Origin.MANUAL)
    review_state = models.CharField(max_length=16, choices=ReviewState.choices, default=ReviewState.UNREVIEWED)
    source_dataset = models.CharField(max_length=32, blank=True, help_text="For imported records, e.g. “atop-4.01”.")
    source_id = models.CharField(max_length=64, blank=True, help_text="The record's id in its source data set.")
    locked_fields = models.JSONField(
        default=list,
        blank=True,
        help_text="Fields an analyst confirmed or edited: extraction and re-import never overwrite them.",
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_from", editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    history = HistoricalRecords()
    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(type__in=AgreementType.values), name="agreement_type_valid"),
            models.CheckConstraint(condition=Q(status__in=AgreementStatus.values), name="agreement_status_valid"),
            models.CheckConstraint(condition=Q(origin__in=Origin.values), name="agreement_origin_valid"),
            models.CheckConstraint(condition=Q(review_state__in=ReviewState.values), name="agreement_review_valid"),
            models.CheckConstraint(
                condition=Q(confidence__gte=0) & Q(confidence__lte=1), name="agreement_confidence_0_1"
            ),
            models.CheckConstraint(
                condition=(Q(status_date__isnull=True) & Q(status_date_precision=""))
                | (Q(status_date__isnull=False) & Q(status_date_precision__in=Precision.values)),
                name="agreement_status_date_has_precision",
            ),
            models.CheckConstraint(condition=~Q(merged_into=models.F("id")), name="agreement_not_merged_into_itself"),
            models.UniqueConstraint(
                fields=["source_dataset", "source_id"], condition=~Q(source_id=""), name="agreement_unique_source_id"
            ),
        ]
        indexes = [
            models.Index(fields=["type", "status"]),
            models.Index(fields=["review_state", "-created_at"]),
            models.Index(fields=["status_date"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("admin:tracker_agreement_change", args=[self.pk])

    @property
    def current_status_date(self) -> PartialDate | None:
        return PartialDate.from_parts(self.status_date, self.status_date_precision)

    @property
    def types(self) -> list[str]:
        return [self.type, *[t for t in self.secondary_types if t != self.type]]


class AgreementParty(models.Model):
    """A state's membership of an agreement; accessions and withdrawals carry their dates."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="memberships")
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="memberships")
    joined_on = models.DateField(null=True, blank=True)
    left_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "party"
        verbose_name_plural = "parties"
        constraints = [
            models.UniqueConstraint(fields=["agreement", "country"], name="party_unique_per_agreement"),
            models.CheckConstraint(
                condition=Q(joined_on__isnull=True) | Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="party_left_after_joining",
            ),
        ]
        indexes = [models.Index(fields=["country", "agreement"])]

    def __str__(self) -> str:
        return f"{self.country} in {self.agreement}"


class StatusChange(models.Model):
    """One step in an agreement's life (proposed, signed, in force, terminated), with its date and its evidence."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(max_length=16, choices=AgreementStatus.choices)
    date = models.DateField(null=True, blank=True)
    date_precision = models.CharField(max_length=5, choices=Precision.choices, blank=True)
    citation = models.ForeignKey(
        "articles.Citation", null=True, blank=True, on_delete=models.SET_NULL, related_name="status_changes"
    )
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=AgreementStatus.values), name="status_change_status_valid"),
            models.CheckConstraint(
                condition=(Q(date__isnull=True) & Q(date_precision=""))
                | (Q(date__isnull=False) & Q(date_precision__in=Precision.values)),
                name="status_change_date_has_precision",
            ),
        ]
        indexes = [models.Index(fields=["agreement", "date"])]

    def __str__(self) -> str:
        when = self.partial_date.display() if self.partial_date else "date unknown"
        return f"{self.get_status_display()} ({when})"

    @property
    def partial_date(self) -> PartialDate | None:
        return PartialDate.from_parts(self.date, self.date_precision)


class LinkKind(models.TextChoices):
    AMENDS = "amends", "amends"
    RENEWS = "renews", "renews"
    SUPERSEDES = "supersedes", "supersedes"


class AgreementLink(models.Model):
    """“This agreement amends / renews / supersedes that one.”"""

    source = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="links_out")
    kind = models.CharField(max_length=16, choices=LinkKind.choices)
    target = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="links_in")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "kind", "target"], name="agreement_link_unique"),
            models.CheckConstraint(condition=~Q(source=models.F("target")), name="agreement_link_not_to_itself"),
            models.CheckConstraint(condition=Q(kind__in=LinkKind.values), name="agreement_link_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.kind} {self.target}"


class SearchEntry(models.Model):
    """The words one country, agreement or article is found by, ready for the full-text index.

    tracker/search.py writes them (spellings unified, diacritics dropped, parties' names added) and queries them:
    SQLite's FTS5 table mirrors this table through triggers, PostgreSQL indexes it with a GIN expression index.
    """

    country = models.OneToOneField(Country, null=True, on_delete=models.CASCADE, related_name="search_entry")
    agreement = models.OneToOneField(Agreement, null=True, on_delete=models.CASCADE, related_name="search_entry")
    article = models.OneToOneField("articles.Article", null=True, on_delete=models.CASCADE, related_name="search_entry")
    title = models.TextField(blank=True)
    names = models.TextField(blank=True, help_text="Country names and their variants.")
    body = models.TextField(blank=True)

    class Meta:
        verbose_name_plural = "search entries"
        constraints = [
            models.CheckConstraint(
                condition=Q(country__isnull=False, agreement__isnull=True, article__isnull=True)
                | Q(country__isnull=True, agreement__isnull=False, article__isnull=True)
                | Q(country__isnull=True, agreement__isnull=True, article__isnull=False),
                name="search_entry_one_record",
            ),
        ]

    def __str__(self) -> str:
        return self.title
