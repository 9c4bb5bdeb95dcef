"""Atom feeds of agreements and of status changes, for any filter the lists accept (`?party=IRN&type=defense`)."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from tracker.filters import AgreementFilter
from tracker.models import Agreement, StatusChange

FEED_SIZE = 50


def _filtered(request) -> AgreementFilter:
    filterset = AgreementFilter(request.GET, queryset=Agreement.objects.all())
    if not filterset.is_valid():
        raise Http404("Invalid filter")
    return filterset


def _parties(agreement: Agreement) -> str:
    return ", ".join(m.country.name for m in agreement.memberships.all())


def _evidence(citations) -> tuple[str, object | None]:
    citation = next(iter(citations), None)
    return (citation.quote, citation.article) if citation else ("", None)


class AgreementFeed(Feed):
    feed_type = Atom1Feed
    title = "Alliance tracker: agreements"
    subtitle = "Agreements recorded or changed, newest first, for the filter in the address."

    def get_object(self, request):
        self.request = request
        return request

    def link(self, request) -> str:
        query = request.GET.urlencode()
        return reverse("agreement-list") + (f"?{query}" if query else "")

    def items(self, request):
        citations = Agreement._meta.get_field("citations").related_model.objects.select_related("article")
        return (
            _filtered(request)
            .qs.order_by("-updated_at", "-id")
            .prefetch_related("memberships__country", Prefetch("citations", citations.order_by("-id")))[:FEED_SIZE]
        )

    def item_title(self, item: Agreement) -> str:
        return item.title

    def item_link(self, item: Agreement) -> str:
        return reverse("agreement-detail", args=[item.pk])

    def item_updateddate(self, item: Agreement):
        return item.updated_at

    def item_pubdate(self, item: Agreement):
        return item.created_at

    def item_description(self, item: Agreement) -> str:
        # Plain text: the syndication framework escapes it, and scraped quotes never become markup.
        date = item.current_status_date
        quote, article = _evidence(item.citations.all())
        lines = [
            f"Parties: {_parties(item)}",
            f"Type: {item.get_type_display()}",
            f"Status: {item.get_status_display()}" + (f" ({date.display()})" if date else ""),
        ]
        if quote:
            lines.append(f"Evidence: “{quote}”")
        if article is not None:
            lines.append(f"Article: {self.request.build_absolute_uri(reverse('article-detail', args=[article.pk]))}")
        return "\n".join(lines)


class StatusChangeFeed(Feed):
    feed_type = Atom1Feed
    title = "Alliance tracker: status changes"
    subtitle = "Steps in the life of agreements (proposed, signed, in force, terminated), newest first."

    def get_object(self, request):
        self.request = request
        return request

    def link(self, request) -> str:
        query = request.GET.urlencode()
        return reverse("agreement-list") + (f"?{query}" if query else "")

    def items(self, request):
        return (
            StatusChange.objects.filter(agreement__in=_filtered(request).qs)
            .select_related("agreement", "citation__article")
            .prefetch_related("agreement__memberships__country")
            .order_by("-created_at", "-id")[:FEED_SIZE]
        )

    def item_title(self, item: StatusChange) -> str:
        return f"{item.get_status_display()}: {item.agreement.title}"

    def item_link(self, item: StatusChange) -> str:
        return reverse("agreement-detail", args=[item.agreement_id]) + f"#step-{item.pk}"

    def item_pubdate(self, item: StatusChange):
        return item.created_at

    def item_description(self, item: StatusChange) -> str:
        date = item.partial_date
        lines = [
            f"Parties: {_parties(item.agreement)}",
            f"Type: {item.agreement.get_type_display()}",
            f"Status: {item.get_status_display()} ({date.display() if date else 'date unknown'})",
        ]
        if item.citation_id:
            lines.append(f"Evidence: “{item.citation.quote}”")
            article = reverse("article-detail", args=[item.citation.article_id])
            lines.append(f"Article: {self.request.build_absolute_uri(article)}")
        return "\n".join(lines)
