"""Server-rendered pages: the analysts' dashboard. Views only translate requests into selector and service calls."""

from __future__ import annotations

import functools

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from tracker import charts, selectors, services
from tracker.filters import AgreementFilter
from tracker.models import Agreement, AgreementParty, AgreementStatus, AgreementType, Country, ReviewState
from tracker.partial_dates import PartialDate

PAGE_SIZE = 25


def readable(view):
    """Pages are public, like the API, unless API_REQUIRE_LOGIN asks for a login to read anything."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if getattr(settings, "API_REQUIRE_LOGIN", False) and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper


def reviewer(view):
    """Review actions: a logged-in analyst allowed to change agreements, by POST (with its CSRF token)."""
    return require_POST(login_required(permission_required("tracker.change_agreement", raise_exception=True)(view)))


def _filtered(request: HttpRequest, queryset, *, defaults: dict | None = None, drop: tuple[str, ...] = ()):
    """The shared AgreementFilter over the page's query string (always bound: unbound shows rejected records)."""
    data = request.GET.copy()
    for name in ("page", *drop):
        data.pop(name, None)
    for name, value in (defaults or {}).items():
        if name not in request.GET:
            data[name] = value
    filterset = AgreementFilter(data, queryset=queryset)
    return filterset, filterset.qs


def _page(request: HttpRequest, queryset, size: int = PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def _window(filterset: AgreementFilter) -> tuple[int | None, int | None]:
    """The years a page's time window asks for ("from 2015"), so that its charts' axes follow it."""
    if not filterset.is_valid():
        return None, None
    bounds = (filterset.form.cleaned_data.get(name) for name in ("start_date_from", "start_date_to"))
    return tuple(bound.value.year if bound else None for bound in bounds)


def _filter_context(filterset: AgreementFilter, **extra) -> dict:
    data = filterset.data
    return {
        "filterset": filterset,
        "chosen_types": data.getlist("type") if isinstance(data, QueryDict) else [],
        "chosen_statuses": data.getlist("status") if isinstance(data, QueryDict) else [],
        "types": AgreementType.choices,
        "statuses": AgreementStatus.choices,
        **extra,
    }


@readable
def home(request: HttpRequest) -> HttpResponse:
    board = selectors.dashboard(today=timezone.localdate())
    type_rows = [(f"t-{kind}", label, board.by_type[kind]) for kind, label in AgreementType.choices]
    status_rows = [(f"s-{status}", label, board.by_status[status]) for status, label in AgreementStatus.choices]
    return render(
        request,
        "tracker/home.html",
        {
            "board": board,
            "type_rows": type_rows,
            "status_rows": status_rows,
            "type_chart": charts.bars(type_rows, label="Agreements by type"),
            "status_chart": charts.bars(status_rows, label="Agreements by current status"),
        },
    )


@readable
def country_detail(request: HttpRequest, code: str) -> HttpResponse:
    country = get_object_or_404(Country, code=code.upper())
    if code != country.code:
        return _redirect_keeping_query(request, reverse("country-detail", args=[country.code]))
    involving = Agreement.objects.filter(
        Exists(AgreementParty.objects.filter(agreement=OuterRef("pk"), country=country))
    )
    filterset, agreements = _filtered(request, involving, drop=("party", "a", "b"))
    partners = selectors.partners_among(country=country, agreements=agreements)
    per_year, by_type = selectors.per_year_by_type(agreements=agreements)
    paginator = Paginator(agreements.order_by("-start_date", "-id"), PAGE_SIZE)
    paginator.count = sum(by_type.values())  # known already: saves counting the same rows twice
    page = paginator.get_page(request.GET.get("page"))
    selectors.agreements_attach_details(page.object_list)
    used_types = [kind for kind in AgreementType.values if by_type.get(kind)]
    return render(
        request,
        "tracker/country_detail.html",
        _filter_context(
            filterset,
            country=country,
            successors=list(country.successors.all()),
            predecessors=list(country.predecessors.all()),
            partners=partners,
            top_partners=partners[:30],
            regions=selectors.partners_by_region(partners),
            by_type=[(kind, AgreementType(kind).label, by_type[kind]) for kind in used_types],
            per_year=per_year,
            used_types=used_types,
            year_chart=charts.responsive(
                lambda width: charts.stacked_years(
                    per_year,
                    label=f"Agreements of {country.name} per year, by type",
                    types=used_types,
                    width=width,
                    window=_window(filterset),
                    this_year=timezone.localdate().year,
                )
            ),
            legend=charts.legend(used_types),
            page=page,
        ),
    )


def _redirect_keeping_query(request: HttpRequest, path: str) -> HttpResponseRedirect:
    query = request.GET.urlencode()
    return HttpResponseRedirect(f"{path}?{query}" if query else path)


@readable
def pair_detail(request: HttpRequest, a: str, b: str) -> HttpResponse:
    codes = sorted({a.upper(), b.upper()})
    if len(codes) != 2:
        raise Http404("A pair needs two different countries.")
    found = Country.objects.in_bulk(codes, field_name="code")
    if len(found) != 2:
        raise Http404("Unknown country code.")
    if [a, b] != codes:
        return _redirect_keeping_query(request, reverse("pair-detail", args=codes))
    first, second = found[codes[0]], found[codes[1]]
    filterset, agreements = _filtered(request, Agreement.objects.all(), drop=("party", "a", "b"))
    pair = selectors.pair_history(a=first, b=second, agreements=agreements)
    used_types = [kind for kind in AgreementType.values if any(x.type == kind for x in pair.agreements)]
    title = f"{first.name} – {second.name}"
    return render(
        request,
        "tracker/pair_detail.html",
        _filter_context(
            filterset,
            pair=pair,
            title=title,
            used_types=used_types,
            legend=charts.legend(used_types),
            timeline=charts.responsive(
                lambda width: charts.timeline(
                    pair.agreements,
                    label=f"Agreements between {title} over time",
                    today=timezone.localdate(),
                    width=width,
                    window=_window(filterset),
                )
            ),
            year_chart=charts.responsive(
                lambda width: charts.stacked_years(
                    pair.per_year,
                    label=f"Agreements between {title} per year, by type",
                    types=used_types,
                    width=width,
                    window=_window(filterset),
                    this_year=timezone.localdate().year,
                )
            ),
        ),
    )


@readable
def agreement_list(request: HttpRequest) -> HttpResponse:
    filterset, agreements = _filtered(request, Agreement.objects.all())
    page = _page(request, agreements.order_by("-start_date", "-id"))
    selectors.agreements_attach_details(page.object_list)
    return render(request, "tracker/agreement_list.html", _filter_context(filterset, page=page))


@readable
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        detail = selectors.agreement_page(agreement_id=pk)
    except Agreement.DoesNotExist as error:
        raise Http404("No such agreement.") from error
    return render(
        request,
        "tracker/agreement_detail.html",
        {
            "detail": detail,
            "agreement": detail.agreement,
            "types": AgreementType.choices,
            "statuses": AgreementStatus.choices,
        },
    )


@readable
def review_queue(request: HttpRequest) -> HttpResponse:
    queued = Agreement.objects.filter(review_state=ReviewState.UNREVIEWED, merged_into__isnull=True)
    filterset, agreements = _filtered(request, queued, drop=("review_state",))
    # least confident first: the records most likely wrong are the ones worth an analyst's time
    ordered = agreements.order_by("confidence", "-created_at", "-id")
    page = _page(request, ordered, size=20)
    rows = selectors.review_rows(page.object_list)
    return render(
        request,
        "tracker/review_queue.html",
        _filter_context(filterset, page=page, rows=rows, can_review=request.user.has_perm("tracker.change_agreement")),
    )


def _back(request: HttpRequest, agreement: Agreement | None = None) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("review-queue")
    return redirect(target)


def _agreement_from(pk: int) -> Agreement:
    return get_object_or_404(Agreement, pk=pk)


@reviewer
def review_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = services.agreement_review(agreement=_agreement_from(pk), state=ReviewState.CONFIRMED, user=request.user)
    messages.success(request, f"Confirmed “{agreement.title}”.")
    return _back(request, agreement)


@reviewer
def review_reject(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = services.agreement_review(agreement=_agreement_from(pk), state=ReviewState.REJECTED, user=request.user)
    messages.success(request, f"Rejected “{agreement.title}”.")
    return _back(request, agreement)


@reviewer
def review_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Quick corrections: type, status (with its date) and title; blank fields are left as they are."""
    agreement = _agreement_from(pk)
    kind = request.POST.get("type") or None
    status = request.POST.get("status") or None
    if kind not in (None, *AgreementType.values) or status not in (None, *AgreementStatus.values):
        messages.error(request, "Unknown type or status.")
        return _back(request, agreement)
    try:
        date = PartialDate.parse(request.POST["date"]) if request.POST.get("date", "").strip() else None
    except ValueError as error:
        messages.error(request, str(error))
        return _back(request, agreement)
    fields = {name: value for name, value in (("title", request.POST.get("title")), ("type", kind)) if value}
    agreement = services.agreement_update(
        agreement=agreement,
        user=request.user,
        status=status,
        date=date,
        review_state=ReviewState.CONFIRMED if request.POST.get("confirm") else None,
        reason="Edited in review",
        **fields,
    )
    messages.success(request, f"Saved “{agreement.title}”.")
    return _back(request, agreement)


@reviewer
def review_merge(request: HttpRequest, pk: int) -> HttpResponse:
    duplicate = _agreement_from(pk)
    # The record to keep: chosen among the close candidates, or typed as a number (found by name in search).
    chosen = request.POST.get("target") or request.POST.get("target_id", "")
    try:
        target = Agreement.objects.get(pk=int(chosen.strip().lstrip("#")))
    except (ValueError, Agreement.DoesNotExist):
        messages.error(request, "Choose the agreement to keep (an existing agreement number).")
        return _back(request, duplicate)
    try:
        services.agreement_merge_into(duplicate=duplicate, target=target, user=request.user)
    except services.MergeError as error:
        messages.error(request, str(error))
        return _back(request, duplicate)
    messages.success(request, f"Merged #{duplicate.pk} into #{target.pk} “{target.title}”.")
    return _back(request, target)


@readable
def network(request: HttpRequest) -> HttpResponse:
    since = str(timezone.localdate().year - 10)
    filterset, agreements = _filtered(request, Agreement.objects.all(), defaults={"start_date_from": since})
    edges = selectors.network_edges(agreements=agreements)
    used_types = sorted({edge.main_type for edge in edges}, key=AgreementType.values.index)
    return render(
        request,
        "tracker/network.html",
        _filter_context(
            filterset,
            edges=edges,
            legend=charts.legend(used_types),
            chart=charts.network(edges, label="Strongest ties between countries: countries on a circle by region"),
        ),
    )


@readable
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:200]
    return render(request, "tracker/search.html", {"results": selectors.search(query=query), "q": query})
