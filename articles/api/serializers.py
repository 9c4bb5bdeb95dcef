"""JSON shapes of articles: what was received, its parsing state, and the evidence it gives agreements."""

from __future__ import annotations

from rest_framework import serializers

from articles.models import Article, IngestionState, MentionRole
from tracker.api.serializers import HttpUrlField, PartialDateField, PrecisionField


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
    submitted_url = serializers.CharField(help_text="The address exactly as submitted; empty for a text or a file.")
    published = PartialDateField(date_attr="published_on", precision_attr="published_precision")
    published_precision = PrecisionField()
    state = serializers.ChoiceField(
        choices=IngestionState.choices,
        help_text="pending → processing → parsed, or failed (see `error`), or duplicate (see `duplicate_of`).",
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
            "submitted_url",
            "title",
            "publisher",
            "published",
            "published_precision",
            "language",
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
    language = serializers.CharField(required=False, allow_blank=True, max_length=16)

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
