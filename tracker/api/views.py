"""JSON API v1 endpoints. They only translate: reads come from selectors, writes go through services."""

from __future__ import annotations

import csv
import functools
import json
import time
from collections.abc import Iterable
from itertools import islice
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db.models import QuerySet
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.template import Context, Template
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.settings import spectacular_settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularRedocView
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tracker import dyads, selectors, services
from tracker.api.exceptions import InvalidQuery
from tracker.api.pagination import Cursor
from tracker.api.permissions import ReadOnly, ReadOrModelPermissions
from tracker.api.serializers import (
    AgreementDetailSerializer,
    AgreementSerializer,
    AgreementWriteSerializer,
    ChangeSerializer,
    CountrySerializer,
    PartnerSerializer,
    TiesSerializer,
)
from tracker.filters import AgreementFilter, parse_datetime_param, unknown_country_message
from tracker.models import Agreement, Country, Origin, ReviewState
from tracker.partial_dates import PartialDate
from tracker.roles import is_curator

# Read by DRF itself on every endpoint (`?format=json` picks the renderer).
ALWAYS_ACCEPTED = frozenset({"format"})


def reject_unknown_parameters(request: Request, accepted: Iterable[str]) -> None:
    """A misspelt parameter is a 400, not a silent no-op: `?partie=RUS` must not return the whole database."""
    accepted = set(accepted)
    unknown = sorted(set(request.query_params) - accepted - ALWAYS_ACCEPTED)
    if unknown:
        names = ", ".join(sorted(accepted)) or "none"
        raise InvalidQuery({name: [f"Unknown parameter “{name}”. Accepted here: {names}."] for name in unknown})


def _pagination_parameters(view) -> set[str]:
    paginator = getattr(view, "paginator", None)
    return {paginator.cursor_query_param, paginator.page_size_query_param} if paginator else set()


class QueryFilterBackend(DjangoFilterBackend):
    """django-filter, reporting a bad query as `invalid_filter` and telling the paginator the chosen ordering."""

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        reject_unknown_parameters(
            request, {*filterset.filters, *_pagination_parameters(view), *getattr(view, "query_parameters", ())}
        )
        if not filterset.is_valid():
            # The form's own messages, already formatted. django-filter's translate_validation %-formats each
            # message again, so a `%` in the user's text (quoted back in the message) made a 500.
            raise InvalidQuery({name: list(messages) for name, messages in filterset.errors.items()})
        view.chosen_ordering = getattr(filterset, "chosen_ordering", None)
        return filterset.qs


# --- Countries --------------------------------------------------------------------------------------------------------


class PartnersSerializer(serializers.Serializer):
    country = CountrySerializer()
    partners = PartnerSerializer(many=True)


@extend_schema_view(
    list=extend_schema(summary="Countries", description="Every country, current and former, by code."),
    retrieve=extend_schema(summary="One country", description="Look up by tracker code, e.g. IRN (any case)."),
)
class CountryViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Country.objects.all()
    serializer_class = CountrySerializer
    permission_classes = [ReadOnly]
    pagination_class = Cursor
    ordering = "code"
    lookup_field = "code"
    lookup_value_regex = r"[A-Za-z][A-Za-z0-9-]{1,15}"

    def get_queryset(self) -> QuerySet[Country]:
        return selectors.countries_with_counts()

    def list(self, request: Request, *args, **kwargs) -> Response:
        reject_unknown_parameters(request, _pagination_parameters(self))
        return super().list(request, *args, **kwargs)

    def get_object(self) -> Country:
        self.kwargs["code"] = self.kwargs["code"].upper()
        return super().get_object()

    @extend_schema(
        summary="A country's partners",
        description="The countries it shares visible agreements with, ranked by the number of agreements, then by "
        "the most recent; with the first and last years and counts by type.",
        responses=PartnersSerializer,
    )
    @action(detail=True, pagination_class=None)
    def partners(self, request: Request, code: str) -> Response:
        country = get_object_or_404(selectors.countries_with_counts(), code=code.upper())
        data = {"country": country, "partners": selectors.country_partners(country=country)}
        return Response(PartnersSerializer(data, context=self.get_serializer_context()).data)


# --- Agreements -------------------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Agreements",
        description="Filtered, cursor-paginated. Without `review_state`, rejected agreements and merged duplicates "
        "are left out. To poll what changed, use `updated_since` here and the change feed for deletions and merges.",
    ),
    retrieve=extend_schema(
        summary="One agreement",
        description="Any agreement by id, rejected or merged included, with its links to the agreements it "
        "amends, renews or supersedes and those that amend, renew or supersede it.",
        responses=AgreementDetailSerializer,
    ),
    create=extend_schema(
        summary="Add an agreement",
        description="Needs a token and the `tracker.add_agreement` permission. The agreement starts unreviewed "
        "unless `review_state` is given; `status` and `date` are its first status-history step.",
        request=AgreementWriteSerializer,
        responses={201: AgreementDetailSerializer},
    ),
    partial_update=extend_schema(
        summary="Change an agreement",
        description="Needs the `tracker.change_agreement` permission. Fields edited here are locked against "
        "automatic changes; `parties` replaces the parties; `status` (with `date`) adds a status-history step.",
        request=AgreementWriteSerializer(partial=True),
        responses={200: AgreementDetailSerializer},
    ),
)
class AgreementViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = Agreement.objects.all()
    serializer_class = AgreementSerializer
    permission_classes = [ReadOrModelPermissions]
    pagination_class = Cursor
    filter_backends = [QueryFilterBackend]
    filterset_class = AgreementFilter
    ordering = "-id"
    lookup_value_regex = r"[0-9]+"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        # Filters apply to lists only: a detail URL shows its agreement whatever its review state.
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def list(self, request: Request, *args, **kwargs) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        page = selectors.agreements_attach_details(page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        return self._detail(self.get_object(), status.HTTP_200_OK, fresh=True)

    def _detail(self, agreement: Agreement, status_code: int, fresh: bool = False) -> Response:
        [fresh] = selectors.agreements_attach_details([agreement if fresh else Agreement.objects.get(pk=agreement.pk)])
        data = AgreementDetailSerializer(fresh, context=self.get_serializer_context()).data
        headers = {"Location": data["url"]} if status_code == status.HTTP_201_CREATED else {}
        return Response(data, status=status_code, headers=headers)

    def create(self, request: Request, *args, **kwargs) -> Response:
        write = AgreementWriteSerializer(data=request.data)
        write.is_valid(raise_exception=True)
        data = write.validated_data
        agreement = services.agreement_create(
            title=data["title"],
            name=data.get("name", ""),
            party_codes=data["parties"],
            type=data["type"],
            secondary_types=data.get("secondary_types", ()),
            status=data["status"],
            date=data.get("date"),
            summary=data.get("summary", ""),
            confidence=data.get("confidence", 1.0),
            origin=Origin.MANUAL,
            created_by=request.user,
        )
        # A curator's own entry is curated data: it skips the review queue unless a review state is given.
        default_state = ReviewState.CONFIRMED if is_curator(request.user) else ReviewState.UNREVIEWED
        if data.get("review_state", default_state) != ReviewState.UNREVIEWED:
            state = data.get("review_state", default_state)
            services.agreement_review(agreement=agreement, state=state, user=request.user)
        return self._detail(agreement, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        agreement = self.get_object()
        write = AgreementWriteSerializer(data=request.data, partial=True)
        write.is_valid(raise_exception=True)
        agreement = services.agreement_update(
            agreement=agreement, user=request.user, reason="Edited through the API", **write.validated_data
        )
        return self._detail(agreement, status.HTTP_200_OK)

    def update(self, request: Request, *args, **kwargs) -> Response:
        return self.partial_update(request, *args, **kwargs)

    @extend_schema(
        summary="Change feed",
        description="Every creation, change, merge and deletion of an agreement since `since`, oldest first, one "
        "event per save. Poll it with the `at` of the last event you saw (overlap a little: events are idempotent). "
        "`deleted`: drop the record. `merged`: the record now lives in `merged_into`. `created`/`updated`: fetch it. "
        "A change of `review_state` to rejected means it left the default lists.",
        parameters=[
            OpenApiParameter(
                "since",
                OpenApiTypes.DATETIME,
                description="ISO 8601 date-time; events strictly after it. Omit for the whole history.",
            )
        ],
        responses=ChangeSerializer(many=True),
        filters=False,
    )
    @action(detail=False, filter_backends=[], serializer_class=ChangeSerializer)
    def changes(self, request: Request) -> Response:
        reject_unknown_parameters(request, {"since", *_pagination_parameters(self)})
        since = request.query_params.get("since")
        if since is not None:
            try:
                since = parse_datetime_param(since)
            except Exception as error:
                raise InvalidQuery({"since": [getattr(error, "messages", [str(error)])[0]]}) from error
        self.chosen_ordering = ("history_id",)
        page = self.paginate_queryset(selectors.agreement_changes(since=since))
        return self.get_paginated_response(ChangeSerializer(page, many=True).data)


# --- Ties -------------------------------------------------------------------------------------------------------------


COUNTRY_CODE = r"^[A-Za-z][A-Za-z0-9-]{1,15}$"


class PairQuery(serializers.Serializer):
    a = serializers.RegexField(COUNTRY_CODE, help_text="A country code, e.g. IRN (any case).")
    b = serializers.RegexField(COUNTRY_CODE, help_text="The other country code, e.g. BOL: not the same as `a`.")

    def validate(self, attrs: dict) -> dict:
        if attrs["a"].upper() == attrs["b"].upper():
            raise serializers.ValidationError({"b": ["Give two different countries."]})
        return attrs


class TiesView(APIView):
    permission_classes = [ReadOnly]

    @extend_schema(
        summary="Ties between two countries",
        description="Every visible agreement between `a` and `b` with its status history, all their status changes "
        "on one time line, and agreements per year by type (by the year of their earliest known date). `a` and `b` "
        "must be two different countries (in any letter case): the same code twice is a 400.",
        parameters=[PairQuery],
        responses=TiesSerializer,
    )
    def get(self, request: Request) -> Response:
        reject_unknown_parameters(request, {"a", "b"})
        query = PairQuery(data=request.query_params)
        if not query.is_valid():
            raise InvalidQuery(query.errors)
        codes = [query.validated_data[name].upper() for name in ("a", "b")]
        countries = Country.objects.in_bulk(codes, field_name="code")
        missing = {name: code for name, code in zip(("a", "b"), codes, strict=True) if code not in countries}
        if missing:
            # The same answer as the lists' `party`, `a` and `b` filters give for a code they do not know.
            raise InvalidQuery({name: [unknown_country_message(code)] for name, code in missing.items()})
        pair = selectors.pair_timeline(a=countries[codes[0]], b=countries[codes[1]])
        return Response(TiesSerializer(pair, context={"request": request}).data)


# --- Exports ----------------------------------------------------------------------------------------------------------


class FirstRenderer(BaseContentNegotiation):
    """Files are files whatever the Accept header says; errors still come as the JSON error format."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type

    def select_parser(self, request, parsers):
        return parsers[0]


class _Echo:
    def write(self, value: str) -> str:
        return value


AGREEMENT_CSV_COLUMNS = [
    "id",
    "title",
    "name",
    "parties",
    "type",
    "secondary_types",
    "status",
    "status_date",
    "status_date_precision",
    "start_date",
    "confidence",
    "origin",
    "review_state",
    "merged_into",
    "source_dataset",
    "source_id",
    "created_at",
    "updated_at",
]


class ExportView(APIView):
    permission_classes = [ReadOnly]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = FirstRenderer
    filename = ""

    def filtered(self, request: Request) -> QuerySet[Agreement]:
        backend = QueryFilterBackend()
        self.filterset_class = AgreementFilter
        return backend.filter_queryset(request, Agreement.objects.order_by("id"), self)

    def attachment(self, response: HttpResponse) -> HttpResponse:
        response["Content-Disposition"] = f'attachment; filename="{self.filename}"'
        return response


def _csv_row(row: dict) -> list:
    date = PartialDate.from_parts(row["status_date"], row["status_date_precision"])
    return [
        row["id"],
        row["title"],
        row["name"],
        row["party_key"],
        row["type"],
        " ".join(row["secondary_types"] or []),
        row["status"],
        date.iso() if date else "",
        row["status_date_precision"],
        row["start_date"].isoformat() if row["start_date"] else "",
        row["confidence"],
        row["origin"],
        row["review_state"],
        row["merged_into"] or "",
        row["source_dataset"],
        row["source_id"],
        row["created_at"].isoformat(),
        row["updated_at"].isoformat(),
    ]


# The same columns, read straight from the table: the parties come from the indexed party key.
_CSV_FIELDS = ["party_key" if column == "parties" else column for column in AGREEMENT_CSV_COLUMNS]


@extend_schema(
    summary="Agreements as CSV",
    description="Every agreement the list's filters select (same parameters, no pagination), one row each, in id "
    "order. `parties` holds the sorted party codes separated by spaces; `status_date` is a partial date.",
    filters=True,
    responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="CSV with a header row.")},
)
class AgreementsCsvView(ExportView):
    filename = "agreements.csv"

    def get(self, request: Request) -> StreamingHttpResponse:
        rows = self.filtered(request).values(*_CSV_FIELDS).iterator(chunk_size=2000)
        writer = csv.writer(_Echo())

        def body():
            yield writer.writerow(AGREEMENT_CSV_COLUMNS)
            for row in rows:
                yield writer.writerow(_csv_row(row))

        return self.attachment(StreamingHttpResponse(body(), content_type="text/csv; charset=utf-8"))


@extend_schema(
    summary="Agreements as JSON",
    description="Every agreement the list's filters select, as one JSON array of the list's records, in id order.",
    filters=True,
    responses={200: AgreementSerializer(many=True)},
)
class AgreementsJsonView(ExportView):
    filename = "agreements.json"

    def get(self, request: Request) -> StreamingHttpResponse:
        agreements = self.filtered(request).iterator(chunk_size=1000)
        context = {"request": request}

        def body():
            yield "["
            first = True
            for chunk in iter(lambda: list(islice(agreements, 1000)), []):
                for agreement in selectors.agreements_attach_details(chunk):
                    data = AgreementSerializer(agreement, context=context).data
                    yield ("" if first else ",") + json.dumps(data, ensure_ascii=False, default=str)
                    first = False
            yield "]"

        return self.attachment(StreamingHttpResponse(body(), content_type="application/json"))


class YearsQuery(serializers.Serializer):
    """The years of a dyad-year export, within the bounds of tracker/dyads.py (declared in the schema)."""

    def get_fields(self) -> dict:
        # Built per request: the latest year moves with the calendar.
        bounds = {"required": False, "min_value": dyads.FIRST_YEAR, "max_value": dyads.latest_year()}
        return {
            "start_year": serializers.IntegerField(
                **bounds,
                help_text=f"First year (default {dyads.FIRST_YEAR}, the first year of the data, or "
                f"{dyads.MAX_YEARS - 1} years before end_year once that is later).",
            ),
            "end_year": serializers.IntegerField(
                **bounds,
                help_text=f"Last year (default this year; at most {dyads.FUTURE_YEARS} years ahead). Not before "
                f"start_year, and at most {dyads.MAX_YEARS} years after it, counting both.",
            ),
            "columns": serializers.ChoiceField(
                choices=["tracker", "atop"],
                required=False,
                error_messages={"invalid_choice": "“{input}” is not one of the choices: tracker, atop."},
                help_text="`tracker` (default): the tracker's columns. `atop`: ATOP's dyad-year names (stateA, "
                "stateB, year, atopally, defense, offense, neutral, nonagg, consul) for merging with ATOP's files; "
                "pairs without COW codes are left out.",
            ),
        }

    def validate(self, attrs: dict) -> dict:
        start, end = dyads.default_years(start_year=attrs.get("start_year"), end_year=attrs.get("end_year"))
        if end < start:
            raise serializers.ValidationError({"end_year": [f"The last year ({end}) comes before start_year."]})
        if end - start + 1 > dyads.MAX_YEARS:
            raise serializers.ValidationError({"end_year": [f"At most {dyads.MAX_YEARS} years in one export."]})
        return {"start_year": start, "end_year": end, "columns": attrs.get("columns") or "tracker"}


def _csv_stream(chunks) -> StreamingHttpResponse:
    return StreamingHttpResponse(chunks, content_type="text/csv; charset=utf-8")


@extend_schema(
    summary="Dyad-years as CSV",
    description="One row per pair of countries per year with counts by type and status, in the layout of the "
    "Correlates of War and ATOP dyad-year files. The list's filters select the agreements counted. "
    f"Years run from {dyads.FIRST_YEAR} at the earliest to {dyads.FUTURE_YEARS} years past the current one at the "
    f"latest, {dyads.MAX_YEARS} years at most; beyond that the answer is a 400. The file is streamed and cut off "
    "(an incomplete response) if it takes longer than the server's export time limit. The default file, without "
    "filters or years, is cached until the data changes.",
    filters=True,
    parameters=[YearsQuery],
    responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="CSV with a header row.")},
)
class DyadYearsCsvView(ExportView):
    filename = "dyad-years.csv"
    query_parameters = ("start_year", "end_year", "columns")

    def get(self, request: Request) -> StreamingHttpResponse:
        query = YearsQuery(data=request.query_params)
        if not query.is_valid():
            raise InvalidQuery(query.errors)
        agreements = self.filtered(request)
        years = {name: query.validated_data[name] for name in ("start_year", "end_year")}
        atop = query.validated_data["columns"] == "atop"
        deadline = time.monotonic() + settings.EXPORT_TIME_LIMIT
        if not atop and _is_default(request, years):
            return self.attachment(_csv_stream(dyads.default_dyad_year_csv(deadline=deadline)))
        rows = dyads.dyad_year_tuples(agreements=agreements, **years)
        if atop:
            chunks = dyads.dyad_year_csv_chunks(dyads.atop_layout(rows), deadline=deadline, header=dyads.ATOP_COLUMNS)
        else:
            chunks = dyads.dyad_year_csv_chunks(rows, deadline=deadline)
        return self.attachment(_csv_stream(chunks))


def _is_default(request: Request, years: dict) -> bool:
    """The default file: no agreement filter set and the default years (unknown parameters are refused before, so
    `?x=1`, `?x=2`, … cannot make the server build the whole file again and again)."""
    start, end = dyads.default_years()
    filtered = any(request.query_params.get(name) for name in AgreementFilter.base_filters)
    return not filtered and years == {"start_year": start, "end_year": end}


@csrf_exempt  # it changes nothing; without this, a POST to a wrong address would get an HTML CSRF page
def not_found(request, *args, **kwargs) -> JsonResponse:
    """Any other address under /api/v1/: a 404 in the API's error format, not an HTML page."""
    return JsonResponse({"error": {"code": "not_found", "message": "No such API endpoint."}}, status=404)


# --- Documentation ----------------------------------------------------------------------------------------------------

# drf-spectacular's Redoc page asks Google for its fonts; analysts work offline, so the page uses the system's fonts.
_REDOC_OFFLINE = Template(
    """{% extends "drf_spectacular/redoc.html" %}{% load static %}{% block head %}<title>{{ title }}</title>
    <meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
    <link rel="icon" href="{% static 'img/favicon.svg' %}" type="image/svg+xml">
    <style>body { margin: 0; padding: 0; }</style>{% endblock head %}"""
)

REDOC_BUNDLE = "drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js"
# The one address Redoc's bundle fetches by itself: the logo beside "API docs by Redocly" in its sidebar.
REDOC_REMOTE_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"


@functools.cache
def redoc_offline_bundle() -> bytes:
    """The sidecar's Redoc bundle with its sidebar logo read from this server's static files, so the page makes no
    request to another site (the sidecar ships the bundle but not that image)."""
    path = finders.find(REDOC_BUNDLE)
    local = static("img/api-docs-logo.svg").encode()
    return Path(path).read_bytes().replace(REDOC_REMOTE_LOGO.encode(), local)


def redoc_bundle(request) -> HttpResponse:
    response = HttpResponse(redoc_offline_bundle(), content_type="application/javascript; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response


class RedocView(SpectacularRedocView):
    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        context = {
            "title": self.title,
            "redoc_standalone": reverse("api:redoc-bundle"),
            "schema_url": self._get_schema_url(request),
            "settings": self._dump(spectacular_settings.REDOC_UI_SETTINGS),
        }
        return HttpResponse(_REDOC_OFFLINE.render(Context(context)))
