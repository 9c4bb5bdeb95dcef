"""/api/v1/: countries, agreements, ties, exports, and the schema with its offline documentation."""

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from tracker.api import views

app_name = "api"

# The bundled Swagger UI and Redoc (drf-spectacular-sidecar, local files) set styles from script and draw icons from
# data: URLs, and Redoc parses in a blob: worker; their scripts stay external files ('self'), the split view included.
docs_policy = csp_update(
    {"style-src": [SELF, UNSAFE_INLINE], "img-src": [SELF, "data:"], "worker-src": [SELF, "blob:"]}
)

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
    path("docs/", docs_policy(SpectacularSwaggerSplitView.as_view(url_name="api:schema")), name="docs"),
    path("redoc/", docs_policy(views.RedocView.as_view(url_name="api:schema")), name="redoc"),
    path("redoc/redoc.standalone.js", views.redoc_bundle, name="redoc-bundle"),
]
