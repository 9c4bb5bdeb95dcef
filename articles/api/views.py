"""Article endpoints: read articles with their evidence, and submit documents for parsing."""

from __future__ import annotations

import django_filters
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from articles.api.serializers import (
    ArticleDetailSerializer,
    ArticleSerializer,
    ArticleSubmitSerializer,
    SourceSerializer,
    SubmissionSerializer,
)
from articles.models import Article, Citation, CountryMention, IngestionState, Source, SourceKind, SubmissionKind
from articles.selectors import sources_with_health
from tracker.api.pagination import Cursor
from tracker.api.permissions import ReadOnly, ReadOrModelPermissions
from tracker.api.views import QueryFilterBackend


class ArticleFilter(django_filters.FilterSet):
    state = django_filters.MultipleChoiceFilter(choices=IngestionState.choices, help_text="Ingestion state.")

    class Meta:
        model = Article
        fields: list[str] = []


_CITATION_FIELDS = ("id", "article_id", "quote", "start", "end", "fields", "confidence", "agreement__title")


def articles_with_evidence(*, with_text: bool = False) -> QuerySet[Article]:
    """Articles with their citations and mentions, without their raw documents, in a constant number of queries."""
    queryset = Article.objects.defer("raw") if with_text else Article.objects.defer("raw", "text")
    return queryset.prefetch_related(
        Prefetch(
            "citations",
            queryset=Citation.objects.select_related("agreement")
            .only(
                "id", "article_id", "quote", "start", "end", "fields", "confidence", "agreement__id", "agreement__title"
            )
            .order_by("start", "id"),
        ),
        Prefetch("mentions", queryset=CountryMention.objects.select_related("country")),
    )


@extend_schema_view(
    list=extend_schema(summary="Articles", description="Newest first, with their citations and named countries."),
    retrieve=extend_schema(
        summary="One article",
        description="With its extracted text (citation offsets point into it). Poll it after a submission until "
        "`state` is parsed or failed.",
    ),
    create=extend_schema(
        summary="Submit a document",
        description="Needs a token and the `articles.add_article` permission. The document is stored, then parsed in "
        "the background: the answer is 202 with the new article's id and a status URL to poll. A document already "
        "known (same URL, or the same bytes) is not parsed again: the answer is 200 with the existing article and "
        "`duplicate: true`. One that failed is queued to be parsed again instead (attempts reset): that is how to "
        "retry it, and the answer is 202 with `duplicate: true`. A URL's fragment and an empty query are dropped "
        "before the comparison. Every answer has the same shape and a Location header.",
        request=ArticleSubmitSerializer,
        responses={202: SubmissionSerializer, 200: SubmissionSerializer},
    ),
)
class ArticleViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    queryset = Article.objects.all()
    serializer_class = ArticleSerializer
    permission_classes = [ReadOrModelPermissions]
    pagination_class = Cursor
    filter_backends = [QueryFilterBackend]
    filterset_class = ArticleFilter
    ordering = "-id"
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[Article]:
        return articles_with_evidence(with_text=self.action == "retrieve")

    def get_serializer_class(self):
        return ArticleDetailSerializer if self.action == "retrieve" else ArticleSerializer

    def create(self, request: Request, *args, **kwargs) -> Response:
        # Imported here: the ingestion pipeline (and its extraction engine) loads only when a document comes in.
        from articles.services import article_submit

        form = ArticleSubmitSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        common = {name: data[name] for name in ("title", "publisher", "published", "language") if name in data}
        if data.get("url"):
            source = {"url": data["url"], "submission": SubmissionKind.URL}
        elif data.get("html"):
            source = {"raw": data["html"].encode("utf-8"), "submission": SubmissionKind.FILE}
            source["content_type"] = "text/html; charset=utf-8"
        else:
            source = {"raw": data["text"].encode("utf-8"), "submission": SubmissionKind.TEXT}
            source["content_type"] = "text/plain; charset=utf-8"
        result = article_submit(**source, **common, user=request.user)
        article = Article.objects.only("id", "state").get(pk=result.article.pk)
        status_url = request.build_absolute_uri(reverse("articles_api:article-detail", args=[article.pk]))
        body = {"id": article.pk, "state": article.state, "duplicate": not result.created, "status_url": status_url}
        code = status.HTTP_202_ACCEPTED if result.created or result.requeued else status.HTTP_200_OK
        return Response(SubmissionSerializer(body).data, status=code, headers={"Location": status_url})


class SourceFilter(django_filters.FilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=SourceKind.choices, help_text="Kind of outlet.")
    active = django_filters.BooleanFilter(help_text="Only sources that are polled (true) or not (false).")

    class Meta:
        model = Source
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(
        summary="News sources",
        description="The feeds the tracker polls, by name, with the health of their polling and their articles.",
    ),
    retrieve=extend_schema(summary="One news source"),
)
class SourceViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Source.objects.all()
    serializer_class = SourceSerializer
    permission_classes = [ReadOnly]
    pagination_class = Cursor
    filter_backends = [QueryFilterBackend]
    filterset_class = SourceFilter
    ordering = "id"
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[Source]:
        return sources_with_health()
