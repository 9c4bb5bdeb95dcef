"""Keep search entries in step with the records they describe (bulk writes call tracker/search.py themselves)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from tracker.models import Agreement, AgreementParty, Country
from tracker.search import search_index_agreements, search_index_countries

# What an agreement's entry is made of; a save of other fields (status, review state) leaves its entry as it was.
AGREEMENT_SEARCH_FIELDS = frozenset({"title", "name", "summary", "type", "secondary_types", "party_key"})


@receiver(post_save, sender=Agreement)
def agreement_saved(sender, instance: Agreement, raw: bool = False, update_fields=None, **kwargs) -> None:
    if raw or (update_fields is not None and not AGREEMENT_SEARCH_FIELDS & set(update_fields)):
        return
    search_index_agreements([instance.pk])


@receiver(post_save, sender=AgreementParty)
def party_saved(sender, instance: AgreementParty, raw: bool = False, **kwargs) -> None:
    # A party removed is seen through the agreement's party_key, which every path that removes one updates.
    if not raw:
        search_index_agreements([instance.agreement_id])


@receiver(post_save, sender=Country)
def country_saved(sender, instance: Country, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    search_index_countries([instance.pk])
    search_index_agreements(AgreementParty.objects.filter(country=instance).values_list("agreement_id", flat=True))
