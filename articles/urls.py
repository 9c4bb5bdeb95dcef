"""Article pages of the dashboard (included by the root URLconf, tracker/urls.py)."""

from django.urls import path

from articles import views

urlpatterns = [
    path("articles/", views.article_list, name="article-list"),
    path("articles/<int:pk>/", views.article_detail, name="article-detail"),
    path("sources/", views.source_list, name="source-list"),
]
