"""Article pages: the extracted text with what the engine found highlighted, and what it produced."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from articles.highlight import KINDS, article_spans, highlight
from articles.models import Article, IngestionState
from articles.selectors import RATE_WINDOW_DAYS, agreement_share, items_per_day, sources_with_health
from tracker import selectors
from tracker.views import readable


@readable
def article_list(request: HttpRequest) -> HttpResponse:
    articles = selectors.articles_list()
    state = request.GET.get("state", "")
    if state in IngestionState.values:
        articles = articles.filter(state=state)
    page = Paginator(articles, 25).get_page(request.GET.get("page"))
    return render(
        request, "articles/article_list.html", {"page": page, "state": state, "states": IngestionState.choices}
    )


@readable
def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        detail = selectors.article_page(article_id=pk)
    except Article.DoesNotExist as error:
        raise Http404("No such article.") from error
    spans = article_spans(citations=detail.citations, mentions=detail.mentions)
    return render(
        request,
        "articles/article_detail.html",
        {
            "detail": detail,
            "article": detail.article,
            "segments": highlight(detail.article.text, spans),
            "kinds": KINDS,
        },
    )


@readable
def source_list(request: HttpRequest) -> HttpResponse:
    sources = list(sources_with_health().order_by("-active", "name"))
    rows = [{"source": s, "per_day": items_per_day(s), "share": agreement_share(s)} for s in sources]
    return render(request, "articles/source_list.html", {"rows": rows, "window": RATE_WINDOW_DAYS})
