"""JSON shapes of the API. Partial dates are "YYYY", "YYYY-MM" or "YYYY-MM-DD" strings beside a precision field."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tracker.models import Agreement, AgreementStatus, AgreementType, Country, ReviewState
from tracker.partial_dates import PartialDate, Precision
from tracker.selectors import ChangeKind, agreement_links, change_kind, counts_by_type

PARTIAL_DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"


@extend_schema_field({"type": "string", "nullable": True, "pattern": PARTIAL_DATE_PATTERN, "example": "2023-07"})
class PartialDateField(serializers.Field):
    """A date at the precision it is known, read from (and written to) a date column and a precision column."""

    def __init__(self, *, date_attr: str, precision_attr: str, **kwargs):
        self.date_attr, self.precision_attr = date_attr, precision_attr
        kwargs.setdefault("source", "*")
        super().__init__(**kwargs)

    def to_representation(self, instance) -> str | None:
        if isinstance(instance, Mapping):
            partial = PartialDate.from_parts(instance[self.date_attr], instance[self.precision_attr])
        else:
            partial = PartialDate.from_parts(getattr(instance, self.date_attr), getattr(instance, self.precision_attr))
        return partial.iso() if partial else None

    def to_internal_value(self, data) -> PartialDate:
        if not isinstance(data, str):
            raise serializers.ValidationError("Write the date as a string: YYYY, YYYY-MM or YYYY-MM-DD.")
        try:
            return PartialDate.parse(data)
        except ValueError as error:
            raise serializers.ValidationError(str(error), code="invalid_partial_date") from error


# Necessary, not sufficient: the host must be valid too. Leading and trailing spaces are trimmed before validation.
HTTP_URL_PATTERN = r"^\s*[Hh][Tt][Tt][Pp][Ss]?://\S+\s*$"


@extend_schema_field({"type": "string", "pattern": HTTP_URL_PATTERN, "example": "https://example.org/news"})
class HttpUrlField(serializers.CharField):
    """An http(s) address, the only kind the fetcher follows (other schemes used to be accepted, then failed).

    Not a URLField, which the schema calls `format: uri`: Django's validator accepts internationalised addresses
    (IRIs: non-ASCII hosts and paths) that are not URIs, and refuses URIs of other schemes (mailto:, urn:). It runs
    here rather than among the field's validators so that the schema keeps the pattern it is declared with.
    """

    default_error_messages = {"invalid_url": "Give an http or https URL."}
    _is_url = URLValidator(schemes=["http", "https"])

    def to_internal_value(self, data) -> str:
        value = super().to_internal_value(data)
        try:
            self._is_url(value)
        except DjangoValidationError:
            self.fail("invalid_url")
        return value


@extend_schema_field({"type": "string", "nullable": True, "enum": [*Precision.values, None]})
class PrecisionField(serializers.CharField):
    def to_representation(self, value) -> str | None:
        return value or None


def _counts_schema(description: str) -> dict:
    return {
        "type": "object",
        "description": description,
        "properties": {kind: {"type": "integer", "minimum": 0} for kind in AgreementType.values},
        "required": list(AgreementType.values),
    }


@extend_schema_field(_counts_schema("Visible agreements by domain type."))
class CountsByTypeField(serializers.Field):
    def __init__(self, **kwargs):
        kwargs.setdefault("source", "*")
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, instance) -> dict[str, int]:
        return counts_by_type(instance) if not isinstance(instance, dict) else instance


# --- Countries --------------------------------------------------------------------------------------------------------


class CountryRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Country
        fields = ["code", "name"]


class RowSerializer(serializers.Serializer):
    """Read-only rows that are already plain dicts of JSON-ready values (see selectors.agreements_attach_details).

    The declared fields document the shape; representing copies the keys, because DRF's per-field machinery costs
    more than the database on a page of fifty agreements with their parties, status history and citations.
    """

    def to_representation(self, row):
        return {name: row[name] for name in self.fields}


class PartySerializer(RowSerializer):
    code = serializers.CharField()
    name = serializers.CharField()


class DetailUrlField(serializers.HyperlinkedIdentityField):
    """A record's API URL, reversed once per serializer rather than once per record."""

    def get_url(self, obj, view_name, request, format):
        template = getattr(self, "_template", None)
        if template is None:
            placeholder = "0" if self.lookup_field == "pk" else "XX"
            url = self.reverse(view_name, kwargs={self.lookup_url_kwarg: placeholder}, request=request, format=format)
            template = self._template = url.replace(f"/{placeholder}/", "/{}/")
        return template.format(getattr(obj, self.lookup_field))


class CountrySerializer(serializers.ModelSerializer):
    url = DetailUrlField(view_name="api:country-detail", lookup_field="code")
    partners_url = DetailUrlField(view_name="api:country-partners", lookup_field="code")
    successors = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    agreement_counts = CountsByTypeField()

    class Meta:
        model = Country
        fields = [
            "code",
            "name",
            "official_name",
            "alpha2",
            "numeric",
            "region",
            "subregion",
            "is_former",
            "valid_from",
            "valid_to",
            "successors",
            "cow_code",
            "agreement_counts",
            "url",
            "partners_url",
        ]
        extra_kwargs = {
            "valid_from": {"help_text": "First year the state existed (former states and newer states)."},
            "valid_to": {"help_text": "Last year the state existed; null while it exists."},
        }


class PartnerSerializer(serializers.Serializer):
    country = CountryRefSerializer()
    agreements = serializers.IntegerField(help_text="Visible agreements both countries are parties to.")
    first_year = serializers.IntegerField(allow_null=True, help_text="Year of the earliest known date.")
    last_year = serializers.IntegerField(allow_null=True, help_text="Year of the latest current-status date.")
    counts = CountsByTypeField(source=None)


# --- Agreements -------------------------------------------------------------------------------------------------------


class StatusChangeSerializer(RowSerializer):
    status = serializers.ChoiceField(choices=AgreementStatus.choices)
    date = PartialDateField(date_attr="date", precision_attr="date_precision")
    date_precision = PrecisionField()
    note = serializers.CharField()

    def to_representation(self, row):
        partial = PartialDate.from_parts(row["date"], row["date_precision"])
        return {
            "status": row["status"],
            "date": partial.iso() if partial else None,
            "date_precision": row["date_precision"] or None,
            "note": row["note"],
        }


class CitedArticleSerializer(RowSerializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    # The article's address as submitted: not `format: uri` (it may be an internationalised address, an IRI).
    url = serializers.CharField(allow_null=True, help_text="Where the article came from, as submitted.")


class CitationSerializer(RowSerializer):
    id = serializers.IntegerField()
    article = CitedArticleSerializer()
    quote = serializers.CharField(help_text="The evidence sentence, exactly as in the article text.")
    start = serializers.IntegerField(help_text="Offset of the quote in the article text.")
    end = serializers.IntegerField()
    fields = serializers.ListField(child=serializers.CharField(), help_text="Agreement fields the quote supports.")
    confidence = serializers.FloatField()

    def to_representation(self, row):
        return {**super().to_representation(row), "article": dict(row["article"])}


class SupportSerializer(serializers.Serializer):
    articles = serializers.IntegerField(help_text="Articles citing the agreement (copies of a story cite nothing).")
    sources = serializers.IntegerField(
        help_text="Independent sources among them: distinct publishers (the registrable domain of each address)."
    )


class AgreementSerializer(serializers.ModelSerializer):
    url = DetailUrlField(view_name="api:agreement-detail")
    parties = PartySerializer(source="party_rows", many=True, read_only=True)
    status_date = PartialDateField(date_attr="status_date", precision_attr="status_date_precision")
    status_date_precision = PrecisionField()
    start_date = serializers.DateField(
        allow_null=True, help_text="First day of the earliest known date in its history (for time lines)."
    )
    status_history = StatusChangeSerializer(source="status_rows", many=True, read_only=True)
    citations = CitationSerializer(source="citation_rows", many=True, read_only=True)
    support = SupportSerializer(read_only=True)
    merged_into = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="Set when this record was merged into another: follow that one."
    )

    class Meta:
        model = Agreement
        fields = [
            "id",
            "url",
            "title",
            "name",
            "parties",
            "type",
            "secondary_types",
            "status",
            "status_date",
            "status_date_precision",
            "start_date",
            "status_history",
            "summary",
            "confidence",
            "origin",
            "review_state",
            "source_dataset",
            "source_id",
            "merged_into",
            "citations",
            "support",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    # The API's most-read shape: built directly rather than field by field (same output, a fraction of the time;
    # tests/api assert whole payloads). The declared fields above still describe it in the schema.
    _PLAIN = ("id", "title", "name", "type", "secondary_types", "status", "summary", "confidence", "origin")
    _PLAIN_TAIL = ("review_state", "source_dataset", "source_id")

    def to_representation(self, agreement: Agreement) -> dict:
        fields = self.fields
        data = {"id": agreement.id, "url": fields["url"].to_representation(agreement)}
        data.update((name, getattr(agreement, name)) for name in self._PLAIN[1:5])
        data["parties"] = [dict(row) for row in agreement.party_rows]
        data["status"] = agreement.status
        data["status_date"] = fields["status_date"].to_representation(agreement)
        data["status_date_precision"] = agreement.status_date_precision or None
        data["start_date"] = agreement.start_date.isoformat() if agreement.start_date else None
        data["status_history"] = fields["status_history"].to_representation(agreement.status_rows)
        data.update((name, getattr(agreement, name)) for name in self._PLAIN[6:])
        data.update((name, getattr(agreement, name)) for name in self._PLAIN_TAIL)
        data["merged_into"] = agreement.merged_into_id
        data["citations"] = fields["citations"].to_representation(agreement.citation_rows)
        data["support"] = {"articles": agreement.support.articles, "sources": agreement.support.sources}
        data["created_at"] = fields["created_at"].to_representation(agreement.created_at)
        data["updated_at"] = fields["updated_at"].to_representation(agreement.updated_at)
        return data


class AgreementLinkSerializer(RowSerializer):
    relation = serializers.ChoiceField(
        choices=["amends", "renews", "supersedes", "amended_by", "renewed_by", "superseded_by"],
        help_text="How this agreement relates to the other: it `amends` it, or is `amended_by` it, and so on.",
    )
    agreement = serializers.IntegerField(help_text="The other agreement's id.")
    title = serializers.CharField()
    url = serializers.CharField(help_text="The other agreement in the API.")


class AgreementDetailSerializer(AgreementSerializer):
    """One agreement as its page shows it: with the agreements it amends, renews or supersedes, and back."""

    links = AgreementLinkSerializer(many=True, read_only=True)

    class Meta(AgreementSerializer.Meta):
        fields = [*AgreementSerializer.Meta.fields, "links"]
        read_only_fields = fields

    def to_representation(self, agreement: Agreement) -> dict:
        data = super().to_representation(agreement)
        request = self.context.get("request")
        data["links"] = [
            {
                "relation": link["relation"],
                "agreement": link["other_id"],
                "title": link["other_title"],
                "url": _agreement_url(link["other_id"], request),
            }
            for link in agreement_links(agreement=agreement)
        ]
        return data


def _agreement_url(agreement_id: int, request) -> str:
    path = reverse("api:agreement-detail", args=[agreement_id])
    return request.build_absolute_uri(path) if request else path


class AgreementWriteSerializer(serializers.Serializer):
    """The fields a client may set. On PATCH, every field is optional; a `status` (with its `date`) adds a step."""

    title = serializers.CharField(max_length=300)
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    parties = serializers.ListField(
        child=serializers.RegexField(r"^[A-Za-z][A-Za-z0-9-]{1,15}$", max_length=16),
        min_length=2,
        max_length=300,
        help_text="Country codes of the parties, at least two different ones.",
    )
    type = serializers.ChoiceField(choices=AgreementType.choices)
    secondary_types = serializers.ListField(
        child=serializers.ChoiceField(choices=AgreementType.choices), required=False, max_length=8
    )
    status = serializers.ChoiceField(choices=AgreementStatus.choices)
    date = PartialDateField(
        date_attr="date", precision_attr="date_precision", required=False, allow_null=True, source=None
    )
    summary = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    confidence = serializers.FloatField(required=False, min_value=0, max_value=1)
    review_state = serializers.ChoiceField(choices=ReviewState.choices, required=False)

    def validate_parties(self, codes: list[str]) -> list[str]:
        codes = sorted({code.upper() for code in codes})
        if len(codes) < 2:
            raise serializers.ValidationError("An agreement needs at least two different parties.", code="one_party")
        known = set(Country.objects.filter(code__in=codes).values_list("code", flat=True))
        unknown = [code for code in codes if code not in known]
        if unknown:
            raise serializers.ValidationError(f"Unknown country codes: {', '.join(unknown)}.", code="unknown_country")
        return codes

    def validate(self, attrs: dict) -> dict:
        if "date" in attrs and "status" not in attrs:
            raise serializers.ValidationError({"date": ["Give the `status` this date belongs to."]}, code="required")
        return attrs


# --- Ties and the change feed -----------------------------------------------------------------------------------------


class TimelineEventSerializer(serializers.Serializer):
    agreement_id = serializers.IntegerField(source="agreement.id")
    title = serializers.CharField(source="agreement.title")
    type = serializers.ChoiceField(choices=AgreementType.choices, source="agreement.type")
    status = serializers.ChoiceField(choices=AgreementStatus.choices, source="change.status")
    date = PartialDateField(date_attr="date", precision_attr="date_precision", source="change")
    date_precision = PrecisionField(source="change.date_precision")


class YearCountsSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    counts = CountsByTypeField(source=None)


class TiesSerializer(serializers.Serializer):
    a = CountryRefSerializer()
    b = CountryRefSerializer()
    agreements = AgreementSerializer(many=True, help_text="Every visible agreement between the two, oldest first.")
    timeline = TimelineEventSerializer(source="events", many=True, help_text="Every status change, in time order.")
    per_year = YearCountsSerializer(many=True, help_text="Agreements by the year of their earliest known date.")


class ChangeSerializer(serializers.Serializer):
    event_id = serializers.IntegerField(source="history_id", help_text="Increases with every event.")
    agreement_id = serializers.IntegerField(source="id")
    change = serializers.SerializerMethodField()
    at = serializers.DateTimeField(source="history_date")
    merged_into = serializers.IntegerField(source="merged_into_id", allow_null=True)
    review_state = serializers.ChoiceField(choices=ReviewState.choices)

    @extend_schema_field(
        {
            "type": "string",
            "enum": list(ChangeKind.values),
            "description": "created, updated, merged (follow `merged_into`) or deleted (drop the record).",
        }
    )
    def get_change(self, row) -> str:
        return change_kind(row)


class Error(serializers.Serializer):
    code = serializers.CharField(help_text="Machine-readable: invalid_filter, invalid, not_found, throttled, …")
    message = serializers.CharField()
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="For invalid_filter and invalid: each parameter or field with its problems.",
    )
    retry_after = serializers.IntegerField(required=False, help_text="For throttled: seconds to wait.")


class ErrorResponse(serializers.Serializer):
    error = Error()
