"""Watchlists, the events they follow (read from the agreements' edit history) and what was delivered to whom."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q

from tracker.models import Agreement, AgreementStatus, AgreementType, Country, Origin, ReviewState
from tracker.partial_dates import PartialDate, Precision

# A watchlist's choices of types, statuses, review states and origins are bit sets: matching an event against ten
# thousand watchlists is then one integer test per row in a single query, on PostgreSQL and SQLite alike.
CHOICE_SETS = {
    "types": AgreementType.values,
    "statuses": AgreementStatus.values,
    "review_states": ReviewState.values,
    "origins": Origin.values,
}


def bit(choices: list[str], value: str) -> int:
    return 1 << choices.index(value)


def mask_of(choices: list[str], values) -> int:
    mask = 0
    for value in values or ():
        mask |= bit(choices, value)
    return mask


def values_of(choices: list[str], mask: int) -> list[str]:
    return [value for value in choices if mask & bit(choices, value)]


class EmailMode(models.TextChoices):
    NONE = "none", "No e-mail"
    IMMEDIATE = "immediate", "At once"
    DAILY = "daily", "Daily digest"


class Watchlist(models.Model):
    """A saved filter: the agreements a user follows. Empty criteria match everything."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watchlists")
    name = models.CharField(max_length=120)
    countries = models.ManyToManyField(
        Country, through="WatchedCountry", blank=True, help_text="Every one of them must be a party (two: a pair)."
    )
    type_mask = models.PositiveIntegerField(default=0, help_text="Bit set of domain types; 0: any.")
    status_mask = models.PositiveIntegerField(default=0, help_text="Bit set of statuses; 0: any.")
    review_mask = models.PositiveIntegerField(default=0, help_text="Bit set of review states; 0: any.")
    origin_mask = models.PositiveIntegerField(default=0, help_text="Bit set of origins; 0: any.")
    min_confidence = models.FloatField(default=0.0)
    email = models.CharField(max_length=16, choices=EmailMode.choices, default=EmailMode.NONE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_confidence__gte=0) & Q(min_confidence__lte=1), name="watchlist_confidence_0_1"
            ),
            models.CheckConstraint(condition=Q(email__in=EmailMode.values), name="watchlist_email_valid"),
        ]

    def __str__(self) -> str:
        return self.name

    def chosen(self, name: str) -> list[str]:
        """The chosen values of one choice set ("types", "statuses", "review_states", "origins")."""
        return values_of(CHOICE_SETS[name], getattr(self, _MASK_FIELDS[name]))

    def choose(self, name: str, values) -> None:
        setattr(self, _MASK_FIELDS[name], mask_of(CHOICE_SETS[name], values))


_MASK_FIELDS = {
    "types": "type_mask",
    "statuses": "status_mask",
    "review_states": "review_mask",
    "origins": "origin_mask",
}


class WatchedCountry(models.Model):
    watchlist = models.ForeignKey(Watchlist, on_delete=models.CASCADE, related_name="watched")
    country = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["watchlist", "country"], name="watched_country_unique")]

    def __str__(self) -> str:
        return f"{self.country} in {self.watchlist}"


class EventKind(models.TextChoices):
    CREATED = "created", "New agreement"
    STATUS_CHANGED = "status_changed", "Status changed"
    DATE_REFINED = "date_refined", "Date refined"
    MERGED = "merged", "Merged into another record"
    CONFIRMED = "confirmed", "Confirmed by an analyst"
    REJECTED = "rejected", "Rejected by an analyst"


class Event(models.Model):
    """One save of an agreement worth telling someone about, with the agreement as that save left it."""

    history_id = models.BigIntegerField(unique=True, help_text="The edit-history row this event was read from.")
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=EventKind.choices)
    at = models.DateTimeField(db_index=True)
    title = models.CharField(max_length=300)
    party_key = models.CharField(max_length=1000)
    type = models.CharField(max_length=16, choices=AgreementType.choices)
    status = models.CharField(max_length=16, choices=AgreementStatus.choices)
    status_date = models.DateField(null=True, blank=True)
    status_date_precision = models.CharField(max_length=5, choices=Precision.choices, blank=True)
    confidence = models.FloatField()
    review_state = models.CharField(max_length=16, choices=ReviewState.choices)
    origin = models.CharField(max_length=16, choices=Origin.choices)
    merged_into_id = models.BigIntegerField(null=True, blank=True)
    evidence = models.TextField(blank=True, help_text="The sentence that says so, when an article does.")
    article = models.ForeignKey("articles.Article", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(kind__in=EventKind.values), name="event_kind_valid")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"

    @property
    def date(self) -> PartialDate | None:
        return PartialDate.from_parts(self.status_date, self.status_date_precision)

    @property
    def party_codes(self) -> list[str]:
        return self.party_key.split()


class AlertCursor(models.Model):
    """How far the event reader got in the edit history (one row)."""

    last_history_id = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"read up to history row {self.last_history_id}"


class Delivery(models.Model):
    """An event that reached a watchlist: an item of its owner's inbox, and the e-mail sent (or due) for it."""

    watchlist = models.ForeignKey(Watchlist, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "deliveries"
        constraints = [models.UniqueConstraint(fields=["watchlist", "event"], name="delivery_once_per_watchlist")]
        indexes = [models.Index(fields=["watchlist", "read_at"]), models.Index(fields=["emailed_at", "watchlist"])]

    def __str__(self) -> str:
        return f"{self.event} → {self.watchlist}"


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class Webhook(models.Model):
    """A URL that receives a watchlist's events as signed JSON POSTs."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webhooks")
    watchlist = models.ForeignKey(Watchlist, on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(max_length=2000)
    secret = models.CharField(max_length=64, default=new_secret)
    previous_secret = models.CharField(max_length=64, blank=True, help_text="Still signed with during rotation.")
    rotated_at = models.DateTimeField(null=True, blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.url


class DeliveryState(models.TextChoices):
    PENDING = "pending", "Pending"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"


class WebhookDelivery(models.Model):
    """The delivery log: one row per event and webhook, with its attempts and the last answer."""

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="webhook_deliveries")
    state = models.CharField(max_length=16, choices=DeliveryState.choices, default=DeliveryState.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True, help_text="HTTP status of the last try.")
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "webhook deliveries"
        constraints = [
            models.UniqueConstraint(fields=["webhook", "event"], name="webhook_delivery_once"),
            models.CheckConstraint(condition=Q(state__in=DeliveryState.values), name="webhook_delivery_state_valid"),
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.event} → {self.webhook} ({self.state})"
