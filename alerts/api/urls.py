from rest_framework.routers import SimpleRouter

from alerts.api import views

app_name = "alerts-api"

router = SimpleRouter()
router.register("watchlists", views.WatchlistViewSet, basename="watchlist")
router.register("webhooks", views.WebhookViewSet, basename="webhook")

urlpatterns = router.urls
