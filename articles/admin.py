"""Admin for articles: what came in, its ingestion state, and what it says about which agreements."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from articles import polling, services
from articles.forms import ArticleSubmitForm
from articles.languages import language_code
from articles.models import Article, Citation, CountryMention, LanguageSource, PublishedSource, Source
from tracker.admin import AgreementAdmin
from tracker.models import Agreement
from tracker.search import search_filter


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


class ArticleChangeForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = ("language",)  # the admin adds the fieldsets' other fields

    def clean_language(self) -> str:
        return language_code(self.cleaned_data["language"])


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleChangeForm
    actions = [reparse_articles]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("display_title", "state", "attempts", "publisher", "published_on", "submission", "created_at")
    list_filter = ("state", "submission", "language", "language_source", "publisher")
    # The box searches the full-text index (title, publisher, text: tracker/search.py) and the address;
    # `search_fields` only makes the admin show it.
    search_fields = ("url",)
    date_hierarchy = "created_at"
    inlines = [CountryMentionInline, ArticleCitationInline]

    def get_search_results(self, request: HttpRequest, queryset, search_term: str):
        term = search_term.strip()
        if not term:
            return queryset, False
        return search_filter(queryset, query=term) | queryset.filter(url__icontains=term), False

    readonly_fields = (
        "source",
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
        "language_source",
        "published_source",
        "submitted_by",
        "state_changed_at",
        "parsed_at",
        "created_at",
        "updated_at",
    )
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "title",
                    "url",
                    "submitted_url",
                    "site",
                    "source",
                    "publisher",
                    "published_on",
                    "published_precision",
                    "published_source",
                    "language",
                    "language_source",
                )
            },
        ),
        (
            "Ingestion",
            {
                "fields": (
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

    def save_model(self, request: HttpRequest, obj: Article, form, change: bool) -> None:
        if {"published_on", "published_precision"} & set(form.changed_data):
            obj.published_source = PublishedSource.GIVEN if obj.published_on else ""
        if "language" in form.changed_data:
            # A person said which language it is: that is final for every later parse (re-parse to apply it).
            obj.language_source = LanguageSource.SUBMITTED if obj.language else ""
        super().save_model(request, obj, form, change)

    @admin.display(description="title", ordering="title")
    def display_title(self, article: Article) -> str:
        return str(article)

    @admin.display(description="raw document")
    def raw_size(self, article: Article) -> str:
        return format_html("{} bytes, kept as received", len(article.raw or b""))


@admin.action(description="Poll selected sources now", permissions=["change"])
def poll_sources_now(modeladmin, request: HttpRequest, queryset) -> None:
    sources = list(queryset)
    for source in sources:
        polling.source_poll_now(source=source)
    modeladmin.message_user(request, f"{len(sources)} source(s) queued for polling now.", messages.SUCCESS)


@admin.action(description="Turn polling on for selected sources", permissions=["change"])
def activate_sources(modeladmin, request: HttpRequest, queryset) -> None:
    count = queryset.update(active=True)
    modeladmin.message_user(request, f"{count} source(s) will be polled.", messages.SUCCESS)


class HealthFilter(admin.SimpleListFilter):
    title = "health"
    parameter_name = "health"

    def lookups(self, request, model_admin):
        return [("failing", "Failing"), ("ok", "OK"), ("never", "Never polled")]

    def queryset(self, request, queryset):
        chosen = {
            "failing": {"consecutive_failures__gt": 0},
            "ok": {"consecutive_failures": 0, "last_polled_at__isnull": False},
            "never": {"last_polled_at__isnull": True},
        }.get(self.value())
        return queryset.filter(**chosen) if chosen else queryset


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    actions = [poll_sources_now, activate_sources]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("name", "kind", "country", "active", "health", "last_polled_at", "last_new_item_at", "next_poll_at")
    list_filter = ("active", HealthFilter, "kind", "language")
    search_fields = ("name", "feed_url", "home_page", "notes")
    autocomplete_fields = ("country",)
    readonly_fields = (
        "etag",
        "last_modified",
        "last_polled_at",
        "last_new_item_at",
        "last_error",
        "consecutive_failures",
        "polling_since",
        "created_at",
    )
    fieldsets = (
        (None, {"fields": ("name", "home_page", "feed_url", "language", "country", "kind", "notes")}),
        ("Polling", {"fields": ("active", "poll_interval", "next_poll_at")}),
        (
            "Health",
            {
                "fields": (
                    "last_polled_at",
                    "last_new_item_at",
                    "consecutive_failures",
                    "last_error",
                    "etag",
                    "last_modified",
                    "polling_since",
                    "created_at",
                )
            },
        ),
    )

    @admin.display(description="health", ordering="consecutive_failures")
    def health(self, source: Source) -> str:
        if source.consecutive_failures:
            return format_html(
                '<span class="source-failing">failing ({}×): {}</span>',
                source.consecutive_failures,
                source.last_error[:120],
            )
        return "OK" if source.last_polled_at else "never polled"


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
