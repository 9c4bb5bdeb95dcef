from django.contrib import admin
from django.urls import include, path, re_path

from tracker import views
from tracker.api import views as api_views

admin.site.site_header = "Alliance tracker"
admin.site.site_title = "Alliance tracker admin"
admin.site.index_title = "Curate countries, agreements and articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    # One API, two apps: the root URLconf is the only place that may know both (tracker never imports articles).
    path("api/v1/", include("tracker.api.urls")),
    path("api/v1/", include("articles.api.urls")),
    re_path(r"^api/", api_views.not_found),
]
