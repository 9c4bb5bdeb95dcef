from django.contrib import admin
from django.urls import include, path, re_path

from tracker import health, metrics, views
from tracker.api import views as api_views

admin.site.site_header = "Alliance tracker"
admin.site.site_title = "Alliance tracker admin"
admin.site.index_title = "Curate countries, agreements and articles"

urlpatterns = [
    path("", views.home, name="home"),
    # /healthz and /livez (liveness) are answered by tracker.health.answer_liveness before any view.
    path("readyz", health.ReadinessView.as_view(), name="readyz"),
    path("metrics", metrics.metrics, name="metrics"),
    path("admin/", admin.site.urls),
    # Django's own sign-in, sign-out and password-reset views, so that analysts who are not staff can sign in.
    path("accounts/", include("django.contrib.auth.urls")),
    # One API, two apps: the root URLconf is the only place that may know both (tracker never imports articles).
    path("api/v1/", include("tracker.api.urls")),
    path("api/v1/", include("articles.api.urls")),
    path("api/v1/", include("alerts.api.urls")),
    re_path(r"^api/", api_views.not_found),
    # The dashboard: server-rendered pages.
    path("countries/<str:code>/", views.country_detail, name="country-detail"),
    path("pairs/<str:a>/<str:b>/", views.pair_detail, name="pair-detail"),
    path("agreements/", views.agreement_list, name="agreement-list"),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement-detail"),
    path("review/", views.review_queue, name="review-queue"),
    path("review/<int:pk>/confirm/", views.review_confirm, name="review-confirm"),
    path("review/<int:pk>/reject/", views.review_reject, name="review-reject"),
    path("review/<int:pk>/edit/", views.review_edit, name="review-edit"),
    path("review/<int:pk>/merge/", views.review_merge, name="review-merge"),
    path("network/", views.network, name="network"),
    path("search/", views.search, name="search"),
    path("", include("articles.urls")),
    path("", include("alerts.urls")),
]
