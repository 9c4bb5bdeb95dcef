"""Keep an article's search entry in step with it (tracker/search.py); the parse's bulk update calls it itself."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from articles.models import Article
from tracker.search import search_index_articles

ARTICLE_SEARCH_FIELDS = frozenset({"title", "publisher", "text"})


@receiver(post_save, sender=Article)
def article_saved(sender, instance: Article, raw: bool = False, update_fields=None, **kwargs) -> None:
    if raw or (update_fields is not None and not ARTICLE_SEARCH_FIELDS & set(update_fields)):
        return
    search_index_articles([instance.pk])
