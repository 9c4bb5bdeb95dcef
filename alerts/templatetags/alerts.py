"""`{% watch_links %}`: the feed links and the "Watch this" form of a filtered page."""

from __future__ import annotations

from django import template
from django.urls import reverse

register = template.Library()

# The page's own filter parameters a feed and a watchlist understand (dates and words only narrow a feed).
_FEED_PARAMETERS = (
    "party",
    "a",
    "b",
    "type",
    "status",
    "review_state",
    "origin",
    "min_confidence",
    "q",
    "start_date_from",
    "start_date_to",
)


@register.inclusion_tag("alerts/_watch.html", takes_context=True)
def watch_links(context, **page_filters) -> dict:
    """Page filters (party=…, a=…, b=…) are added to the query string's: a country page's filter is its country."""
    request = context["request"]
    query = request.GET.copy()
    for name in list(query):
        if name not in _FEED_PARAMETERS:
            del query[name]
    for name, value in page_filters.items():
        query[name] = value
    encoded = query.urlencode()
    suffix = f"?{encoded}" if encoded else ""
    return {
        "request": request,
        "user": context.get("user"),
        "csrf_token": context.get("csrf_token"),
        "agreements_feed": reverse("alerts:feed-agreements") + suffix,
        "status_feed": reverse("alerts:feed-status-changes") + suffix,
        "watch_url": reverse("alerts:watchlists") + suffix,
    }
