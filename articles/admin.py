"""Admin for articles: what came in, its ingestion state, and what it says about which agreements."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from articles import services
from articles.forms import ArticleSubmitForm
from articles.models import Article, Citation, CountryMention
from tracker.admin import AgreementAdmin
from tracker.models import Agreement


class CountryMentionInline(admin.TabularInline):
    model = CountryMention
    extra = 0
    fields = ("country", "role", "spans")
    readonly_fields = ("spans",)
    autocomplete_fields = ("country",)


class ArticleCitationInline(admin.TabularInline):
    model = Citation
    extra = 0
    fields = ("agreement", "quote", "fields", "confidence", "extractor_version")
    readonly_fields = ("agreement", "quote", "fields", "confidence", "extractor_version")
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


# Re-parsing rewrites the articles' citations: only for those who may change articles (an action without
# `permissions` is offered to anyone who may see the list).
@admin.action(description="Re-parse selected articles", permissions=["change"])
def reparse_articles(modeladmin, request: HttpRequest, queryset) -> None:
    articles = list(queryset)
    for article in articles:
        services.article_reparse(article=article)
    modeladmin.message_user(request, f"{len(articles)} article(s) queued for parsing again.", messages.SUCCESS)


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    actions = [reparse_articles]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("display_title", "state", "attempts", "publisher", "published_on", "submission", "created_at")
    list_filter = ("state", "submission", "language", "publisher")
    search_fields = ("title", "url", "publisher", "text")
    date_hierarchy = "created_at"
    inlines = [CountryMentionInline, ArticleCitationInline]
    readonly_fields = (
        "content_hash",
        "submitted_url",
        "site",
        "duplicate_of",
        "fingerprint",
        "text",
        "submission",
        "filename",
        "content_type",
        "raw_size",
        "state",
        "error",
        "attempts",
        "retries",
        "extractor_version",
        "submitted_by",
        "state_changed_at",
        "parsed_at",
        "created_at",
        "updated_at",
    )
    fieldsets = (
        (
            None,
            {"fields": ("title", "url", "submitted_url", "site", "publisher", "published_on", "published_precision")},
        ),
        (
            "Ingestion",
            {
                "fields": (
                    "language",
                    "state",
                    "duplicate_of",
                    "error",
                    "attempts",
                    "retries",
                    "extractor_version",
                    "state_changed_at",
                    "parsed_at",
                )
            },
        ),
        (
            "Document",
            {"fields": ("submission", "filename", "content_type", "raw_size", "content_hash", "fingerprint", "text")},
        ),
        ("Record", {"fields": ("submitted_by", "created_at", "updated_at")}),
    )

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context=None) -> HttpResponse:
        """Adding an article means submitting a document: it is stored as received, then parsed by a worker."""
        # Overriding add_view skips the check ModelAdmin.changeform_view makes: a staff user without
        # `articles.add_article` could submit documents.
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ArticleSubmitForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            result = services.article_submit(**form.submission_kwargs(), user=request.user)
            article = result.article
            article.refresh_from_db()
            if result.created:
                self.log_addition(request, article, "Submitted for parsing.")
                self.message_user(request, f"Article stored ({article.get_state_display().lower()}).", messages.SUCCESS)
            elif result.requeued:
                self.log_change(request, article, "Submitted again after failing: queued to be parsed again.")
                self.message_user(request, "This document had failed: it is queued to be parsed again.", messages.INFO)
            else:
                self.message_user(request, "This document is already known: here is its article.", messages.WARNING)
            return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": "Add article",
            "form": form,
            "opts": self.model._meta,
            "has_view_permission": self.has_view_permission(request),
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/articles/article/submit.html", context)

    @admin.display(description="title", ordering="title")
    def display_title(self, article: Article) -> str:
        return str(article)

    @admin.display(description="raw document")
    def raw_size(self, article: Article) -> str:
        return format_html("{} bytes, kept as received", len(article.raw or b""))


class CitationInline(admin.StackedInline):
    model = Citation
    extra = 0
    fields = ("article", "quote", "start", "end", "fields", "confidence", "extractor_version")
    readonly_fields = ("extractor_version",)
    autocomplete_fields = ("article",)


@admin.register(Citation)
class CitationAdmin(admin.ModelAdmin):
    list_display = ("__str__", "agreement", "article", "confidence", "extractor_version", "created_at")
    list_filter = ("extractor_version",)
    search_fields = ("quote", "agreement__title", "article__title")
    autocomplete_fields = ("article", "agreement")


class AgreementWithCitationsAdmin(AgreementAdmin):
    """The agreement form, with the articles that support it (articles builds on tracker, never the reverse)."""

    inlines = [*AgreementAdmin.inlines, CitationInline]


admin.site.unregister(Agreement)
admin.site.register(Agreement, AgreementWithCitationsAdmin)
