"""/api/v1/: countries, agreements, ties, exports, and the schema with its offline documentation."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from tracker.api import views

app_name = "api"

router = SimpleRouter()
router.register("countries", views.CountryViewSet, basename="country")
router.register("agreements", views.AgreementViewSet, basename="agreement")

urlpatterns = [
    *router.urls,
    path("ties/", views.TiesView.as_view(), name="ties"),
    path("exports/agreements.csv", views.AgreementsCsvView.as_view(), name="export-agreements-csv"),
    path("exports/agreements.json", views.AgreementsJsonView.as_view(), name="export-agreements-json"),
    path("exports/dyad-years.csv", views.DyadYearsCsvView.as_view(), name="export-dyad-years"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", views.RedocView.as_view(url_name="api:schema"), name="redoc"),
    path("redoc/redoc.standalone.js", views.redoc_bundle, name="redoc-bundle"),
]
