from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles and ingestion"

    def ready(self) -> None:
        from articles import signals  # noqa: F401  (connects the search index's receivers)
