"""Pages of the alerts: the inbox, watchlists, and unsubscribing from an e-mail's link. Views only translate."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from alerts import services
from alerts.models import Delivery, EmailMode, Watchlist
from tracker.models import Country


class WatchlistForm(forms.Form):
    name = forms.CharField(max_length=120)
    email = forms.ChoiceField(choices=EmailMode.choices, initial=EmailMode.NONE, label="E-mail")


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    items = Delivery.objects.filter(watchlist__owner=request.user).select_related("event", "watchlist")
    page = Paginator(items.order_by("read_at", "-id") if request.GET.get("unread") else items, 50).get_page(
        request.GET.get("page")
    )
    return render(request, "alerts/inbox.html", {"page": page})


@require_POST
@login_required
def mark_read(request: HttpRequest) -> HttpResponse:
    ids = [int(value) for value in request.POST.getlist("delivery") if value.isdigit()]
    services.inbox_mark_read(user=request.user, delivery_ids=ids or None)
    return redirect("alerts:inbox")


def _default_name(criteria: dict) -> str:
    names = list(Country.objects.filter(code__in=criteria["countries"]).values_list("name", flat=True))
    words = [" – ".join(names) or "All agreements", *criteria["types"], *criteria["statuses"]]
    return " · ".join(words).replace("_", " ")[:120]


@login_required
def watchlists(request: HttpRequest) -> HttpResponse:
    """The user's watchlists; with a filter's query string, the form to watch it ("Watch this")."""
    criteria = services.watchlist_criteria_from_query(request.GET)
    form = WatchlistForm(request.POST or None, initial={"name": _default_name(criteria)})
    if request.method == "POST" and form.is_valid():
        try:
            services.watchlist_save(owner=request.user, **form.cleaned_data, **criteria)
        except Country.DoesNotExist as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Watching “{form.cleaned_data['name']}”.")
            return redirect("alerts:watchlists")
    rows = [
        (watchlist, services.watchlist_describe(watchlist))
        for watchlist in Watchlist.objects.filter(owner=request.user).prefetch_related("countries")
    ]
    watching = any(criteria[name] for name in ("countries", "types", "statuses", "review_states", "origins"))
    return render(
        request,
        "alerts/watchlists.html",
        {"rows": rows, "form": form, "criteria": criteria, "watching": watching or criteria["min_confidence"]},
    )


@require_POST
@login_required
def watchlist_delete(request: HttpRequest, pk: int) -> HttpResponse:
    # Another user's watchlist is a 404: its existence is not theirs to know.
    watchlist = get_object_or_404(Watchlist, pk=pk, owner=request.user)
    watchlist.delete()
    messages.success(request, f"Stopped watching “{watchlist.name}”.")
    return redirect("alerts:watchlists")


# The signed token is the credential, and mail clients' one-click unsubscribe (RFC 8058) posts without a CSRF token.
@csrf_exempt
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The e-mails' link: a signed token, no login needed. GET asks, POST acts (mail scanners follow links)."""
    watchlist = services.watchlist_from_unsubscribe_token(token)
    if watchlist is None:
        raise Http404("This link is not valid.")
    done = False
    if request.method == "POST":
        services.watchlist_unsubscribe(watchlist=watchlist)
        done = True
    return render(request, "alerts/unsubscribe.html", {"watchlist": watchlist, "done": done})
