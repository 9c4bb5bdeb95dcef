from django.apps import AppConfig


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = "Countries and agreements"

    def ready(self) -> None:
        from tracker import signals  # noqa: F401  (connects the search index's receivers)
