"""Article routes, under the same /api/v1/ prefix as the tracker's (see tracker/urls.py)."""

from rest_framework.routers import SimpleRouter

from articles.api import views

app_name = "articles_api"

router = SimpleRouter()
router.register("articles", views.ArticleViewSet, basename="article")
router.register("sources", views.SourceViewSet, basename="source")

urlpatterns = router.urls
