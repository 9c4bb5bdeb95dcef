from django.contrib import admin
from django.urls import path

from tracker import views

admin.site.site_header = "Alliance tracker"
admin.site.site_title = "Alliance tracker admin"
admin.site.index_title = "Curate countries, agreements and articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
