"""Documents in, evidence out: articles as received, the citations they give agreements, and the countries they name."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from tracker.models import Agreement, Country
from tracker.partial_dates import PartialDate, Precision


class IngestionState(models.TextChoices):
    PENDING = "pending", "Pending"
    PROCESSING = "processing", "Processing"
    PARSED = "parsed", "Parsed"
    FAILED = "failed", "Failed"
    # A copy of an earlier article (the same address, the same bytes or the same story): it adds no citation.
    DUPLICATE = "duplicate", "Duplicate"
    # Read, stored and kept, but in a language the engine has no lexicon for: no agreements, and never "parsed".
    UNSUPPORTED = "unsupported", "Unsupported language"


class PublishedSource(models.TextChoices):
    GIVEN = "given", "Given by a person"
    PAGE = "page", "The page's metadata"
    DATELINE = "dateline", "The story's dateline"


class LanguageSource(models.TextChoices):
    SUBMITTED = "submitted", "Given by a person"
    DECLARED = "declared", "Declared by the page"
    DETECTED = "detected", "Detected from the text"


class SubmissionKind(models.TextChoices):
    TEXT = "text", "Pasted text"
    FILE = "file", "Uploaded file"
    URL = "url", "URL"


def content_hash(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


class SourceKind(models.TextChoices):
    WIRE = "wire", "Wire service"
    STATE_AGENCY = "state_agency", "State news agency"
    GOVERNMENT = "government", "Government"
    NEWSPAPER = "newspaper", "Newspaper"
    THINK_TANK = "think_tank", "Think tank"


class Source(models.Model):
    """A news outlet whose feed is polled: what it is, and the state of its polling (conditional GET, failures)."""

    name = models.CharField(max_length=200, unique=True)
    home_page = models.URLField(max_length=2000, blank=True)
    feed_url = models.URLField(
        max_length=2000, unique=True, help_text="RSS 0.9x/1.0/2.0, Atom or JSON Feed, fetched by the tracker."
    )
    language = models.CharField(max_length=16, blank=True)
    country = models.ForeignKey(Country, null=True, blank=True, on_delete=models.SET_NULL, related_name="sources")
    kind = models.CharField(max_length=16, choices=SourceKind.choices, default=SourceKind.NEWSPAPER)
    notes = models.TextField(blank=True)
    active = models.BooleanField(default=False, help_text="Only active sources are polled.")
    poll_interval = models.PositiveIntegerField(default=900, help_text="Seconds between two polls of the feed.")
    etag = models.CharField(max_length=500, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    last_polled_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_new_item_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_error = models.TextField(blank=True, editable=False, help_text="Why the last poll failed, in words.")
    consecutive_failures = models.PositiveSmallIntegerField(default=0, editable=False)
    next_poll_at = models.DateTimeField(
        null=True, blank=True, help_text="When the source is due; empty means at the next scheduling round."
    )
    polling_since = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="While a poll runs: when it claimed the source."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=SourceKind.values), name="source_kind_valid"),
            models.CheckConstraint(condition=Q(poll_interval__gte=60), name="source_poll_interval_min"),
        ]
        indexes = [models.Index(fields=["active", "next_poll_at"])]

    def __str__(self) -> str:
        return self.name

    @property
    def failing(self) -> bool:
        return self.consecutive_failures > 0


class FeedHost(models.Model):
    """One origin (scheme, host, port) feeds are fetched from: its robots.txt, and who may send it a request now.

    Kept in the database so that every worker honours the same one-request-at-a-time and minimum interval.
    """

    origin = models.CharField(max_length=300, unique=True)
    busy_until = models.DateTimeField(null=True, blank=True, help_text="A request to it is under way until then.")
    last_request_at = models.DateTimeField(null=True, blank=True)
    robots_txt = models.TextField(blank=True)
    robots_fetched_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.origin


class ArticleQuerySet(models.QuerySet):
    def in_state(self, state: str) -> ArticleQuerySet:
        return self.filter(state=state)


class Article(models.Model):
    """A news document. The row is stored before anything parses it, and its raw bytes are kept forever."""

    url = models.URLField(
        max_length=2000,
        null=True,
        blank=True,
        unique=True,
        help_text="The canonical address (articles/duplicates.py): every variant of it finds this article.",
    )
    submitted_url = models.URLField(
        max_length=2000,
        blank=True,
        help_text="The address as submitted, tracking parameters and all (the canonical one is fetched).",
    )
    site = models.CharField(
        max_length=253, blank=True, help_text="The registrable domain of the address: the publisher it counts as."
    )
    fingerprint = models.CharField(
        max_length=16, blank=True, help_text="SimHash of the extracted text, to find copies of the same story."
    )
    duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="copies",
        help_text="The earlier article this one copies; a duplicate adds no citation.",
    )
    content_hash = models.CharField(
        max_length=64,
        null=True,
        blank=True,
        unique=True,
        help_text="SHA-256 of the raw document: one article per document.",
    )
    submission = models.CharField(max_length=8, choices=SubmissionKind.choices, default=SubmissionKind.TEXT)
    filename = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    raw = models.BinaryField("raw document", blank=True, default=b"", editable=False)
    title = models.CharField(max_length=500, blank=True)
    publisher = models.CharField(max_length=200, blank=True)
    published_on = models.DateField("publication date", null=True, blank=True)
    published_precision = models.CharField(
        max_length=5, choices=Precision.choices, blank=True, help_text="How precisely the publication date is known."
    )
    published_source = models.CharField(
        max_length=8,
        choices=PublishedSource.choices,
        blank=True,
        help_text="Where the publication date came from. Given by a person it is final; otherwise read at parse.",
    )
    language = models.CharField(
        max_length=16, blank=True, help_text="ISO 639-1 code. Given at submission it is final; otherwise read at parse."
    )
    language_source = models.CharField(
        max_length=9, choices=LanguageSource.choices, blank=True, help_text="Where the language came from."
    )
    text = models.TextField("extracted text", blank=True)
    state = models.CharField(max_length=16, choices=IngestionState.choices, default=IngestionState.PENDING)
    error = models.TextField(blank=True, help_text="Why the last attempt failed, in words.")
    attempts = models.PositiveSmallIntegerField(default=0, help_text="How many times a worker has taken it up.")
    retries = models.PositiveSmallIntegerField(
        default=0, help_text="How many of those attempts met a transient fault (a slow site, HTTP 5xx) and retried."
    )
    claim_token = models.CharField(
        max_length=64, blank=True, editable=False, help_text="The task that holds the article while processing it."
    )
    parse_summary = models.JSONField(
        default=dict, blank=True, help_text="What the last parse found: agreements created, merged, mentions."
    )
    extractor_version = models.CharField(max_length=32, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.ForeignKey(
        Source,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
        help_text="The feed it came from.",
    )
    state_changed_at = models.DateTimeField(auto_now_add=True)
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text="While a worker parses it: when that worker last showed it was alive."
    )
    queued_at = models.DateTimeField(
        null=True, blank=True, help_text="While pending: when its parse task was last handed to the broker."
    )
    parsed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    countries = models.ManyToManyField(Country, through="CountryMention", related_name="articles")

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=IngestionState.values), name="article_state_valid"),
            models.CheckConstraint(
                condition=Q(content_hash__isnull=True) | Q(content_hash__regex=r"^[0-9a-f]{64}$"),
                name="article_content_hash_format",
            ),
            models.CheckConstraint(
                condition=~Q(state=IngestionState.FAILED) | ~Q(error=""), name="article_failure_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(state=IngestionState.UNSUPPORTED) | ~Q(language=""),
                name="article_unsupported_names_its_language",
            ),
            models.CheckConstraint(
                condition=~Q(state=IngestionState.DUPLICATE) | Q(duplicate_of__isnull=False),
                name="article_duplicate_has_original",
            ),
            models.CheckConstraint(condition=~Q(duplicate_of=F("pk")), name="article_not_its_own_duplicate"),
        ]
        indexes = [
            models.Index(fields=["state", "state_changed_at"]),
            models.Index(fields=["-published_on"]),
            models.Index(fields=["site"]),
        ]

    def __str__(self) -> str:
        return self.title or self.url or f"Article #{self.pk}"

    @property
    def published(self) -> PartialDate | None:
        return PartialDate.from_parts(self.published_on, self.published_precision)


class CitedField(models.TextChoices):
    PARTIES = "parties", "parties"
    TYPE = "type", "type"
    STATUS = "status", "status"
    DATE = "date", "date"


class Citation(models.Model):
    """An article's evidence for an agreement: the quote, where it sits in the article text, and what it supports."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="citations")
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="citations")
    quote = models.TextField("evidence quote")
    start = models.PositiveIntegerField(help_text="Offset of the quote's first character in the article text.")
    end = models.PositiveIntegerField(help_text="Offset just past the quote's last character.")
    fields = models.JSONField(default=list, blank=True, help_text="Which agreement fields this quote supports.")
    field_spans = models.JSONField(
        default=dict, blank=True, help_text="For each field, the [start, end] of the words that justified it."
    )
    confidence = models.FloatField(default=1.0)
    extractor_version = models.CharField(max_length=32, blank=True, help_text="Empty when an analyst added it.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["article", "start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="citation_span_ordered"),
            models.CheckConstraint(
                condition=Q(confidence__gte=0) & Q(confidence__lte=1), name="citation_confidence_0_1"
            ),
            models.UniqueConstraint(fields=["article", "agreement", "start", "end"], name="citation_unique_span"),
        ]
        indexes = [models.Index(fields=["agreement", "article"])]

    def __str__(self) -> str:
        return f"“{self.quote[:80]}” ({self.article})"


class MentionRole(models.TextChoices):
    PARTY = "party", "Party"
    HOST_OR_MEDIATOR = "host_or_mediator", "Host or mediator"
    THIRD_PARTY = "third_party", "Reacting third party"
    MENTIONED = "mentioned", "Merely mentioned"


class CountryMention(models.Model):
    """A country an article names, with the role it plays in the story."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="mentions")
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="mentions")
    role = models.CharField(max_length=20, choices=MentionRole.choices, default=MentionRole.MENTIONED)
    spans = models.JSONField(default=list, blank=True, help_text="[start, end] offsets of each mention in the text.")

    class Meta:
        ordering = ["article", "role", "country__name"]
        constraints = [
            models.UniqueConstraint(fields=["article", "country"], name="mention_unique_per_article"),
            models.CheckConstraint(condition=Q(role__in=MentionRole.values), name="mention_role_valid"),
        ]
        indexes = [models.Index(fields=["country", "role"])]

    def __str__(self) -> str:
        return f"{self.country} ({self.get_role_display()})"
