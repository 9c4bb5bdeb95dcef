from django.contrib import admin

from alerts.models import Delivery, Event, Watchlist, Webhook, WebhookDelivery


@admin.register(Watchlist)
class WatchlistAdmin(admin.ModelAdmin):
    list_display = ("name", "owner", "email", "min_confidence", "created_at")
    list_filter = ("email",)
    search_fields = ("name", "owner__username")
    raw_id_fields = ("owner",)


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("at", "kind", "title", "party_key", "status")
    list_filter = ("kind",)
    raw_id_fields = ("agreement", "article")


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("event", "watchlist", "created_at", "read_at", "emailed_at")
    raw_id_fields = ("event", "watchlist")


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    list_display = ("url", "owner", "watchlist", "active", "rotated_at")
    raw_id_fields = ("owner", "watchlist")
    exclude = ("secret", "previous_secret")


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    """The delivery log."""

    list_display = ("event", "webhook", "state", "attempts", "last_status", "last_error", "updated_at")
    list_filter = ("state",)
    raw_id_fields = ("event", "webhook")
