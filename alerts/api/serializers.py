from __future__ import annotations

from rest_framework import serializers

from alerts import services
from alerts.models import CHOICE_SETS, EmailMode, Watchlist, Webhook, WebhookDelivery
from articles.fetching import FetchError
from tracker.models import Country


def _choices(name: str) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.ChoiceField(choices=CHOICE_SETS[name]), required=False, help_text="Empty: any."
    )


class WatchlistSerializer(serializers.ModelSerializer):
    countries = serializers.ListField(
        child=serializers.CharField(max_length=16),
        required=False,
        help_text="Country codes that must all be parties: one country, or two for a pair. Empty: any.",
    )
    types = _choices("types")
    statuses = _choices("statuses")
    review_states = _choices("review_states")
    origins = _choices("origins")
    email = serializers.ChoiceField(choices=EmailMode.choices, required=False, default=EmailMode.NONE)
    min_confidence = serializers.FloatField(min_value=0, max_value=1, required=False, default=0.0)

    class Meta:
        model = Watchlist
        fields = [
            "id",
            "name",
            "countries",
            "types",
            "statuses",
            "review_states",
            "origins",
            "min_confidence",
            "email",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]

    def to_representation(self, instance: Watchlist) -> dict:
        return {
            "id": instance.pk,
            "name": instance.name,
            "countries": sorted(c.code for c in instance.countries.all()),
            **{name: instance.chosen(name) for name in CHOICE_SETS},
            "min_confidence": instance.min_confidence,
            "email": instance.email,
            "created_at": instance.created_at.isoformat().replace("+00:00", "Z"),
        }

    def validate_countries(self, codes: list[str]) -> list[str]:
        codes = sorted({code.strip().upper() for code in codes})
        known = set(Country.objects.filter(code__in=codes).values_list("code", flat=True))
        unknown = [code for code in codes if code not in known]
        if unknown:
            raise serializers.ValidationError(f"Unknown country codes: {', '.join(unknown)}")
        return codes

    def save(self, **kwargs) -> Watchlist:
        data = {**self.validated_data}
        if self.instance is not None:
            current = self.to_representation(self.instance)
            data = {
                name: data.get(name, current[name])
                for name in ("name", "countries", *CHOICE_SETS, "min_confidence", "email")
            }
        self.instance = services.watchlist_save(owner=self.context["request"].user, watchlist=self.instance, **data)
        return self.instance


class WebhookSerializer(serializers.ModelSerializer):
    watchlist = serializers.PrimaryKeyRelatedField(queryset=Watchlist.objects.none())

    class Meta:
        model = Webhook
        fields = ["id", "watchlist", "url", "active", "secret", "rotated_at", "created_at"]
        read_only_fields = ["id", "secret", "rotated_at", "created_at"]
        extra_kwargs = {"secret": {"help_text": "Signs every delivery (X-Tracker-Signature); see the description."}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            # Only one's own watchlists: another user's id is "does not exist", as on every other endpoint.
            self.fields["watchlist"].queryset = Watchlist.objects.filter(owner=request.user)

    def validate_url(self, url: str) -> str:
        try:
            services.webhook_target_check(url)
        except FetchError as error:
            raise serializers.ValidationError(str(error)) from error
        return url

    def create(self, validated_data: dict) -> Webhook:
        return Webhook.objects.create(owner=self.context["request"].user, **validated_data)


class WebhookDeliverySerializer(serializers.ModelSerializer):
    kind = serializers.CharField(source="event.kind")
    agreement_id = serializers.IntegerField(source="event.agreement_id")

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "event",
            "kind",
            "agreement_id",
            "state",
            "attempts",
            "last_status",
            "last_error",
            "next_attempt_at",
            "delivered_at",
            "created_at",
        ]
