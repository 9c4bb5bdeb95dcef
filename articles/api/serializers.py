"""JSON shapes of articles: what was received, its parsing state, and the evidence it gives agreements."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from articles.languages import language_code
from articles.models import Article, IngestionState, MentionRole, Source, SourceKind
from tracker.api.serializers import CountryRefSerializer, HttpUrlField, PartialDateField, PrecisionField


class CitedAgreementSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.HyperlinkedIdentityField(view_name="api:agreement-detail")


class ArticleCitationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    agreement = CitedAgreementSerializer()
    quote = serializers.CharField(help_text="The evidence sentence, exactly as in the article text.")
    start = serializers.IntegerField(help_text="Offset of the quote's first character in `text`.")
    end = serializers.IntegerField(help_text="Offset just past its last character.")
    fields = serializers.ListField(child=serializers.CharField(), help_text="Agreement fields the quote supports.")
    confidence = serializers.FloatField()


class MentionSerializer(serializers.Serializer):
    code = serializers.CharField(source="country.code")
    name = serializers.CharField(source="country.name")
    role = serializers.ChoiceField(choices=MentionRole.choices)


class ArticleSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="articles_api:article-detail")
    # Not a URLField: the schema would call it `format: uri`, but addresses are kept as submitted and Django accepts
    # internationalised ones (non-ASCII paths and hosts) that are not URIs.
    source_url = serializers.CharField(
        source="url",
        allow_null=True,
        help_text="Where the document came from, in its canonical form: tracking parameters and the fragment dropped, "
        "corrected by the page's own canonical address on the same site (may hold non-ASCII).",
    )
    source = serializers.PrimaryKeyRelatedField(
        read_only=True, help_text="The news source whose feed brought it (`/api/v1/sources/{id}/`), or null."
    )
    submitted_url = serializers.CharField(help_text="The address exactly as submitted; empty for a text or a file.")
    published = PartialDateField(date_attr="published_on", precision_attr="published_precision")
    published_precision = PrecisionField()
    state = serializers.ChoiceField(
        choices=IngestionState.choices,
        help_text="pending → processing → parsed; or failed (see `error`), unsupported (a language not read: see "
        "`error`), or duplicate (see `duplicate_of`).",
    )
    duplicate_of = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="The earlier article this one copies; a duplicate cites nothing."
    )
    citations = ArticleCitationSerializer(many=True, read_only=True)
    mentions = MentionSerializer(many=True, read_only=True, help_text="Countries named, with their role.")

    class Meta:
        model = Article
        fields = [
            "id",
            "url",
            "source_url",
            "source",
            "submitted_url",
            "title",
            "publisher",
            "published",
            "published_precision",
            "published_source",
            "language",
            "language_source",
            "submission",
            "state",
            "error",
            "duplicate_of",
            "created_at",
            "parsed_at",
            "citations",
            "mentions",
        ]
        read_only_fields = fields


class ArticleDetailSerializer(ArticleSerializer):
    class Meta(ArticleSerializer.Meta):
        fields = [*ArticleSerializer.Meta.fields, "text"]
        read_only_fields = fields


class ArticleSubmitSerializer(serializers.Serializer):
    """Exactly one of `text`, `html` or `url`; the rest is optional metadata the parser would otherwise guess."""

    text = serializers.CharField(required=False, max_length=2_000_000, help_text="Plain text of the article.")
    html = serializers.CharField(required=False, max_length=5_000_000, help_text="An HTML page, as saved.")
    url = HttpUrlField(required=False, max_length=2000, help_text="An http(s) URL the server fetches.")
    title = serializers.CharField(required=False, allow_blank=True, max_length=500)
    publisher = serializers.CharField(required=False, allow_blank=True, max_length=200)
    published = PartialDateField(
        date_attr="published_on",
        precision_attr="published_precision",
        required=False,
        allow_null=True,
        source=None,
    )
    language = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=16,
        help_text="ISO 639-1 code (or a tag such as es-AR), final when given; otherwise detected from the text. "
        "The tracker reads en and es; an article in another language ends in the state `unsupported`.",
    )

    def validate_language(self, value: str) -> str:
        try:
            return language_code(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages[0], code="unknown_language") from error

    def validate(self, attrs: dict) -> dict:
        given = [name for name in ("text", "html", "url") if attrs.get(name)]
        if len(given) != 1:
            raise serializers.ValidationError("Give exactly one of: text, html, url.", code="one_source")
        return attrs


class SubmissionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    state = serializers.ChoiceField(choices=IngestionState.choices)
    duplicate = serializers.BooleanField(
        help_text="True when the same URL or the same bytes were submitted before (a failed one is queued again)."
    )
    status_url = serializers.URLField(help_text="Poll this article until `state` is parsed or failed.")


class SourceSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="articles_api:source-detail")
    # Kept as imported, possibly internationalised (IRIs): not declared `format: uri`, like articles' addresses.
    home_page = serializers.CharField()
    feed_url = serializers.CharField(help_text="The feed the tracker polls (RSS, Atom or JSON Feed).")
    country = CountryRefSerializer(allow_null=True, read_only=True)
    kind = serializers.ChoiceField(choices=SourceKind.choices)
    failing = serializers.BooleanField(help_text="True while its last poll failed (see `last_error`).")
    articles = serializers.IntegerField(source="articles_total", help_text="Articles that came from its feed.")
    articles_with_agreement = serializers.IntegerField(
        help_text="Parsed articles of the source that yielded at least one agreement."
    )

    class Meta:
        model = Source
        fields = [
            "id",
            "url",
            "name",
            "home_page",
            "feed_url",
            "language",
            "country",
            "kind",
            "notes",
            "active",
            "poll_interval",
            "last_polled_at",
            "last_new_item_at",
            "next_poll_at",
            "failing",
            "consecutive_failures",
            "last_error",
            "articles",
            "articles_with_agreement",
        ]
        read_only_fields = fields
