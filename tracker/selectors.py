"""Reads that span models. Views, the API and commands call these rather than querying on their own."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.db.models import (
    Count,
    DateField,
    Exists,
    F,
    FloatField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from tracker.models import (
    Agreement,
    AgreementLink,
    AgreementParty,
    AgreementStatus,
    AgreementType,
    Country,
    LinkKind,
    ReviewState,
    StatusChange,
)
from tracker.partial_dates import PartialDate
from tracker.search import search_filter, search_ranked


@dataclass(frozen=True)
class Overview:
    countries: int
    former_countries: int
    agreements: int
    unreviewed: int
    by_type: dict[str, int]
    latest: list[Agreement]


# The article states the home page counts (parsed ones are the rest; duplicates apart from failures, since a copy
# caught is no fault); their index answers each at once.
INGESTION_HEALTH_STATES = ("pending", "processing", "failed", "unsupported", "duplicate")


def overview(*, latest: int = 10) -> Overview:
    country_counts = Country.objects.aggregate(all=Count("id"), former=Count("id", filter=Q(is_former=True)))
    visible = Agreement.objects.visible()
    by_type = dict(visible.values_list("type").annotate(n=Count("id")).order_by())
    return Overview(
        countries=country_counts["all"] - country_counts["former"],
        former_countries=country_counts["former"],
        agreements=visible.count(),
        unreviewed=visible.filter(review_state=ReviewState.UNREVIEWED).count(),
        by_type=by_type,
        latest=list(visible.prefetch_related("parties").order_by("-created_at")[:latest]),
    )


# ---------------------------------------------------------------------------------------------------------------------
# Reads for the JSON API (and the pages that will share them)

# Agreements counted on country pages and in ties: what lists show by default.
_COUNTED = ~Q(review_state=ReviewState.REJECTED) & Q(merged_into__isnull=True)


def agreements_attach_details(agreements: Iterable[Agreement]) -> list[Agreement]:
    """Give each agreement `party_rows`, `status_rows`, `citation_rows` and `support`: three queries for any number.

    Plain rows rather than prefetch_related: Django's prefetching builds a queryset per instance, which costs more
    than the queries themselves on a page of fifty agreements.
    """
    agreements = list(agreements)
    by_id = {agreement.pk: agreement for agreement in agreements}
    for agreement in agreements:
        agreement.party_rows, agreement.status_rows, agreement.citation_rows = [], [], []
        agreement.support = Support(articles=0, sources=0)
    if not by_id:
        return agreements
    parties = (
        AgreementParty.objects.filter(agreement_id__in=by_id)
        .order_by("country__name")  # lists of parties read by name, as titles do
        .values_list("agreement_id", "country__code", "country__name")
    )
    for agreement_id, code, name in parties:
        by_id[agreement_id].party_rows.append({"code": code, "name": name})
    changes = (
        StatusChange.objects.filter(agreement_id__in=by_id)
        .order_by("date", "id")
        .values("id", "agreement_id", "status", "date", "date_precision", "note")
    )
    for change in changes:
        by_id[change["agreement_id"]].status_rows.append(change)
    # The citation model lives in `articles`, which tracker never imports: reach it through the relation instead.
    citation_model = Agreement._meta.get_field("citations").related_model
    citations = (
        citation_model.objects.filter(agreement_id__in=by_id)
        .order_by("article_id", "start", "id")
        .values("id", "agreement_id", "quote", "start", "end", "fields", "confidence", "article_id")
        .annotate(
            article_title=F("article__title"),
            article_url=F("article__url"),
            article_site=F("article__site"),
            article_publisher=F("article__publisher"),
        )
    )
    outlets: dict[int, dict[int, str]] = {pk: {} for pk in by_id}
    for citation in citations:
        article_id = citation.pop("article_id")
        outlets[citation["agreement_id"]][article_id] = outlet(
            article_id=article_id, site=citation.pop("article_site"), publisher=citation.pop("article_publisher")
        )
        citation["article"] = {
            "id": article_id,
            "title": citation.pop("article_title"),
            "url": citation.pop("article_url"),
        }
        by_id[citation["agreement_id"]].citation_rows.append(citation)
    for pk, agreement in by_id.items():
        agreement.support = Support(articles=len(outlets[pk]), sources=len(set(outlets[pk].values())))
    return agreements


@dataclass(frozen=True)
class Support:
    """How many articles cite an agreement, and how many independent publishers they come from. Copies of one
    story are duplicates that cite nothing, so a story syndicated by twenty outlets counts once."""

    articles: int
    sources: int


def outlet(*, article_id: int, site: str, publisher: str) -> str:
    """Who published an article, for counting independent sources: the registrable domain of its address, else the
    publisher it names; an article with neither is a source of its own."""
    if site:
        return site
    if publisher.strip():
        return "publisher:" + " ".join(publisher.casefold().split())
    return f"article:{article_id}"


def _by_type_annotations(prefix: str) -> dict[str, Count]:
    return {
        f"n_{kind}": Count(
            f"{prefix}agreement",
            filter=Q(**{f"{prefix}agreement__type": kind})
            & ~Q(**{f"{prefix}agreement__review_state": ReviewState.REJECTED})
            & Q(**{f"{prefix}agreement__merged_into__isnull": True}),
        )
        for kind in AgreementType.values
    }


def countries_with_counts() -> QuerySet[Country]:
    """Countries, each annotated `n_<type>`: how many visible agreements of each type it is a party to."""
    return Country.objects.annotate(**_by_type_annotations("memberships__")).prefetch_related(
        Prefetch("successors", queryset=Country.objects.only("id", "code"))
    )


def counts_by_type(row: object) -> dict[str, int]:
    return {kind: getattr(row, f"n_{kind}", 0) for kind in AgreementType.values}


@dataclass(frozen=True)
class PairTimeline:
    a: Country
    b: Country
    agreements: list[Agreement]
    events: list[TimelineEvent]
    per_year: list[YearCounts]


@dataclass(frozen=True)
class TimelineEvent:
    agreement: Agreement
    change: dict


@dataclass(frozen=True)
class YearCounts:
    year: int
    counts: dict[str, int]


def pair_timeline(*, a: Country, b: Country) -> PairTimeline:
    """Every visible agreement between two countries, their status changes in time order, and counts per year.

    A year counts an agreement by the year of its earliest known date (`start_date`); undated ones are not counted.
    """
    agreements = agreements_attach_details(
        Agreement.objects.between(a, b).filter(_COUNTED).order_by(F("start_date").asc(nulls_last=True), "id")
    )
    events = [
        TimelineEvent(agreement=agreement, change=change)
        for agreement in agreements
        for change in agreement.status_rows
    ]
    # Undated steps last; a step known to the year sorts before one known to the day in the same year.
    events.sort(
        key=lambda e: (e.change["date"] is None, e.change["date"] or datetime.date.max, e.agreement.id, e.change["id"])
    )
    years: dict[int, dict[str, int]] = {}
    for agreement in agreements:
        if agreement.start_date is not None:
            counts = years.setdefault(agreement.start_date.year, dict.fromkeys(AgreementType.values, 0))
            counts[agreement.type] += 1
    per_year = [YearCounts(year=year, counts=counts) for year, counts in sorted(years.items())]
    return PairTimeline(a=a, b=b, agreements=agreements, events=events, per_year=per_year)


@dataclass(frozen=True)
class Partner:
    country: Country
    agreements: int
    first_year: int | None
    last_year: int | None
    counts: dict[str, int]


def country_partners(*, country: Country) -> list[Partner]:
    """The countries `country` shares visible agreements with, most agreements first, then the most recent.

    First and last years are those of the earliest known date and of the latest current-status date.
    """
    return partners_among(country=country, agreements=Agreement.objects.filter(_COUNTED))


class ChangeKind(models.TextChoices):
    CREATED = "created", "created"
    UPDATED = "updated", "updated"
    MERGED = "merged", "merged into another agreement"
    DELETED = "deleted", "deleted"


def agreement_changes(*, since: datetime.datetime | None = None) -> QuerySet:
    """The edit history of agreements since a moment, oldest first: one row per save, deletion or merge.

    Rows are django-simple-history records; `change_kind(row)` names what happened.
    """
    rows = Agreement.history.all()
    if since is not None:
        rows = rows.filter(history_date__gt=since)
    return rows.only("history_id", "id", "history_date", "history_type", "merged_into_id", "review_state").order_by(
        "history_id"
    )


def change_kind(row: object) -> str:
    if row.history_type == "-":
        return ChangeKind.DELETED
    if row.history_type == "+":
        return ChangeKind.CREATED
    return ChangeKind.MERGED if row.merged_into_id else ChangeKind.UPDATED


# ---------------------------------------------------------------------------------------------------------------------
# Reads for the dashboard pages (tracker/views.py, articles/views.py)
#
# Articles, citations and mentions live in `articles`, which tracker never imports: their models are reached through
# the relations that point at tracker's models, as `agreements_attach_details` does.


def _article_models() -> tuple[type[models.Model], type[models.Model], type[models.Model]]:
    citation = Agreement._meta.get_field("citations").related_model
    article = citation._meta.get_field("article").related_model
    mention = Country._meta.get_field("mentions").related_model
    return article, citation, mention


def counted_agreements() -> QuerySet[Agreement]:
    """Agreements the pages count: not rejected, not merged into another."""
    return Agreement.objects.filter(_COUNTED)


@dataclass(frozen=True)
class PairActivity:
    a: Country
    b: Country
    agreements: int


def active_pairs(*, since: datetime.date, limit: int = 8) -> list[PairActivity]:
    """Pairs of countries with the most agreements whose current status dates from `since` on: two queries."""
    rows = list(
        AgreementParty.objects.filter(
            agreement__in=counted_agreements().filter(status_date__gte=since).values("pk"),
            country_id__lt=F("agreement__memberships__country_id"),
        )
        .values("country_id", other=F("agreement__memberships__country_id"))
        .annotate(n=Count("agreement_id", distinct=True))
        .order_by("-n", "country_id", "other")[:limit]
    )
    countries = Country.objects.in_bulk({row["country_id"] for row in rows} | {row["other"] for row in rows})
    pairs = []
    for row in rows:
        a, b = sorted((countries[row["country_id"]], countries[row["other"]]), key=lambda c: c.code)
        pairs.append(PairActivity(a=a, b=b, agreements=row["n"]))
    return pairs


@dataclass(frozen=True)
class Dashboard:
    agreements: int
    by_type: dict[str, int]
    by_status: dict[str, int]
    review_queue: int
    latest_agreements: list[Agreement]
    latest_articles: list[dict]
    ingestion: dict[str, int]
    polling: dict
    active_pairs: list[PairActivity]
    since: datetime.date


def dashboard(*, today: datetime.date, latest: int = 8) -> Dashboard:
    """The home page: what is new, counts by type and status, the review queue, busy pairs, ingestion health."""
    article_model, _, _ = _article_models()
    counted = counted_agreements()
    # One pass over the agreements for the three counts; the ingestion states that matter use their index.
    by_type: dict[str, int] = dict.fromkeys(AgreementType.values, 0)
    by_status: dict[str, int] = dict.fromkeys(AgreementStatus.values, 0)
    queued = 0
    for kind, status, review, n in (
        counted.values_list("type", "status", "review_state").annotate(n=Count("id")).order_by()
    ):
        by_type[kind] = by_type.get(kind, 0) + n
        by_status[status] = by_status.get(status, 0) + n
        queued += n if review == ReviewState.UNREVIEWED else 0
    since = today - datetime.timedelta(days=365)
    states = dict(
        article_model.objects.filter(state__in=INGESTION_HEALTH_STATES)
        .values_list("state")
        .annotate(n=Count("id"))
        .order_by()
    )
    ingestion = {state: states.get(state, 0) for state in INGESTION_HEALTH_STATES}
    ingestion["waiting"] = ingestion["pending"] + ingestion["processing"]
    # Newest first by id: ids grow with creation time and the primary key's index answers at once.
    articles = list(
        article_model.objects.order_by("-id").values(
            "id", "title", "url", "publisher", "published_on", "published_precision", "state", "created_at"
        )[:latest]
    )
    for article in articles:
        article["published"] = PartialDate.from_parts(article["published_on"], article["published_precision"])
    source_model = article_model._meta.get_field("source").related_model
    polling = source_model.objects.filter(active=True).aggregate(
        sources=Count("id"), failing=Count("id", filter=Q(consecutive_failures__gt=0)), last_poll=Max("last_polled_at")
    )
    return Dashboard(
        agreements=sum(by_type.values()),
        by_type=by_type,
        by_status=by_status,
        review_queue=queued,
        latest_agreements=agreements_attach_details(counted.order_by("-id")[:latest]),
        latest_articles=articles,
        ingestion=ingestion,
        polling=polling,
        active_pairs=active_pairs(since=since),
        since=since,
    )


_EARLIEST, _LATEST = datetime.date.min, datetime.date.max


def _membership_overlapping(country: Country) -> QuerySet[AgreementParty]:
    """`country`'s membership of the outer membership's agreement, if the two were parties at the same time. A state
    and its successor share a split membership (the Soviet Union until 1991-12-25, Russia from the next day): they
    were never partners under it. An open end (no joined_on or left_on) is the agreement's own."""
    return (
        AgreementParty.objects.filter(agreement=OuterRef("agreement_id"), country=country)
        .alias(
            since=Coalesce("joined_on", Value(_EARLIEST), output_field=DateField()),
            until=Coalesce("left_on", Value(_LATEST), output_field=DateField()),
            other_since=Coalesce(OuterRef("joined_on"), Value(_EARLIEST), output_field=DateField()),
            other_until=Coalesce(OuterRef("left_on"), Value(_LATEST), output_field=DateField()),
        )
        .filter(since__lte=F("other_until"), other_since__lte=F("until"))
    )


def partners_among(*, country: Country, agreements: QuerySet[Agreement]) -> list[Partner]:
    """Like `country_partners`, over a chosen set of agreements (a page's filters): two queries."""
    shared = agreements.filter(Exists(AgreementParty.objects.filter(agreement=OuterRef("pk"), country=country)))
    rows = list(
        AgreementParty.objects.filter(agreement__in=shared.values("pk"))
        .exclude(country=country)
        .filter(Exists(_membership_overlapping(country)))
        .values("country")
        .annotate(
            n=Count("agreement", distinct=True),
            first=Min("agreement__start_date"),
            last=Max(Coalesce("agreement__status_date", "agreement__start_date")),
            **{f"n_{kind}": Count("agreement", filter=Q(agreement__type=kind)) for kind in AgreementType.values},
        )
        .order_by("-n", F("last").desc(nulls_last=True), "country")
    )
    partners = Country.objects.in_bulk([row["country"] for row in rows])
    return [
        Partner(
            country=partners[row["country"]],
            agreements=row["n"],
            first_year=row["first"].year if row["first"] else None,
            last_year=row["last"].year if row["last"] else None,
            counts={kind: row[f"n_{kind}"] for kind in AgreementType.values},
        )
        for row in rows
    ]


def per_year_by_type(*, agreements: QuerySet[Agreement]) -> tuple[list[YearCounts], dict[str, int]]:
    """Agreements per year of their earliest known date, by type, and the totals by type (undated ones included,
    though no year counts them). One query."""
    rows = (
        agreements.annotate(year=models.functions.ExtractYear("start_date"))
        .values_list("year", "type")
        .annotate(n=Count("id"))
        .order_by()
    )
    years: dict[int, dict[str, int]] = {}
    totals = dict.fromkeys(AgreementType.values, 0)
    for year, kind, n in rows:
        totals[kind] += n
        if year is not None:
            years.setdefault(year, dict.fromkeys(AgreementType.values, 0))[kind] += n
    return [YearCounts(year=year, counts=counts) for year, counts in sorted(years.items())], totals


@dataclass(frozen=True)
class RegionCount:
    region: str
    partners: int
    agreements: int


def partners_by_region(partners: list[Partner]) -> list[RegionCount]:
    regions: dict[str, list[int]] = {}
    for partner in partners:
        counts = regions.setdefault(partner.country.region or "Other / former states", [0, 0])
        counts[0] += 1
        counts[1] += partner.agreements
    return [
        RegionCount(region=region, partners=p, agreements=n)
        for region, (p, n) in sorted(regions.items(), key=lambda item: (-item[1][1], item[0]))
    ]


def pair_history(*, a: Country, b: Country, agreements: QuerySet[Agreement]) -> PairTimeline:
    """`pair_timeline` over a chosen (filtered) set of agreements: four queries."""
    rows = agreements_attach_details(
        agreements.filter(Exists(AgreementParty.objects.filter(agreement=OuterRef("pk"), country=a)))
        .filter(Exists(AgreementParty.objects.filter(agreement=OuterRef("pk"), country=b)))
        .order_by(F("start_date").asc(nulls_last=True), "id")
    )
    events = [
        TimelineEvent(agreement=agreement, change=change) for agreement in rows for change in agreement.status_rows
    ]
    events.sort(
        key=lambda e: (e.change["date"] is None, e.change["date"] or datetime.date.max, e.agreement.id, e.change["id"])
    )
    years: dict[int, dict[str, int]] = {}
    for agreement in rows:
        if agreement.start_date is not None:
            years.setdefault(agreement.start_date.year, dict.fromkeys(AgreementType.values, 0))[agreement.type] += 1
    per_year = [YearCounts(year=year, counts=counts) for year, counts in sorted(years.items())]
    return PairTimeline(a=a, b=b, agreements=rows, events=events, per_year=per_year)


# How much article text to show on each side of a quote on an agreement's page.
CONTEXT_CHARS = 240


def _context(text: str, start: int, end: int, quote: str) -> dict:
    """The quote in its surrounding text, cut at word boundaries; falls back to the stored quote if offsets drifted."""
    if not text or end > len(text) or start >= end:
        return {"before": "", "quote": quote, "after": "", "cut_before": False, "cut_after": False}
    lo, hi = max(0, start - CONTEXT_CHARS), min(len(text), end + CONTEXT_CHARS)
    if lo > 0 and " " in text[lo:start]:
        lo = text.index(" ", lo) + 1
    if hi < len(text) and " " in text[end:hi]:
        hi = text.rindex(" ", end, hi)
    return {
        "before": text[lo:start],
        "quote": text[start:end],
        "after": text[end:hi],
        "cut_before": lo > 0,
        "cut_after": hi < len(text),
    }


@dataclass(frozen=True)
class AgreementPage:
    agreement: Agreement
    memberships: list[AgreementParty]
    citations: list[dict]
    links: list[dict]
    merged_from: list[Agreement]
    history: list


# A link read from its target: "Superseded by", never "Supersedes by".
LINK_PASSIVE = {LinkKind.AMENDS: "Amended by", LinkKind.RENEWS: "Renewed by", LinkKind.SUPERSEDES: "Superseded by"}


# How a link reads from the agreement it points at.
INVERSE_LINK = {"amends": "amended_by", "renews": "renewed_by", "supersedes": "superseded_by"}


def agreement_links(*, agreement: Agreement) -> list[dict]:
    """The agreements this one amends, renews or supersedes, then those that do so to it. One query."""
    rows = (
        AgreementLink.objects.filter(Q(source=agreement) | Q(target=agreement))
        .values_list("kind", "source_id", "source__title", "target_id", "target__title")
        .order_by("id")
    )
    links = []
    for kind, source_id, source_title, target_id, target_title in rows:
        outgoing = source_id == agreement.pk
        links.append(
            {
                "direction": "out" if outgoing else "in",
                "kind": kind,
                "relation": kind if outgoing else INVERSE_LINK[kind],
                "label": kind.capitalize() if outgoing else LINK_PASSIVE[kind],
                "other_id": target_id if outgoing else source_id,
                "other_title": target_title if outgoing else source_title,
            }
        )
    return sorted(links, key=lambda link: link["direction"] != "out")


def agreement_page(*, agreement_id: int, history: int = 15) -> AgreementPage:
    """One agreement with its parties, status history, every citation in context, links and edit history."""
    agreement = Agreement.objects.select_related("merged_into", "created_by").get(pk=agreement_id)
    agreements_attach_details([agreement])
    for row in agreement.status_rows:
        row["partial"] = PartialDate.from_parts(row["date"], row["date_precision"])
    memberships = list(agreement.memberships.select_related("country").order_by("country__name"))
    _, citation_model, _ = _article_models()
    citations = list(
        citation_model.objects.filter(agreement=agreement)
        .select_related("article")
        .only(
            "id", "quote", "start", "end", "fields", "confidence", "extractor_version",
            "article__id", "article__title", "article__url", "article__publisher", "article__published_on",
            "article__published_precision", "article__text",
        )
        .order_by("article__published_on", "article_id", "start")
    )  # fmt: skip
    rows = [
        {
            "citation": citation,
            "article": citation.article,
            "published": citation.article.published,
            "context": _context(citation.article.text, citation.start, citation.end, citation.quote),
        }
        for citation in citations
    ]
    links = agreement_links(agreement=agreement)
    merged_from = list(agreement.merged_from.only("id", "title"))
    records = list(agreement.history.select_related("history_user").order_by("-history_date", "-history_id")[:history])
    return AgreementPage(
        agreement=agreement,
        memberships=memberships,
        citations=rows,
        links=links,
        merged_from=merged_from,
        history=records,
    )


@dataclass(frozen=True)
class ArticlePage:
    article: models.Model
    citations: list
    mentions: list
    agreements: list[Agreement]
    # Later articles recorded as duplicates of this one (syndicated copies, the same page at another address).
    copies: list


def article_page(*, article_id: int) -> ArticlePage:
    """An article with its citations, the agreements they support, the countries it names and its copies."""
    article_model, citation_model, mention_model = _article_models()
    article = article_model.objects.defer("raw").get(pk=article_id)
    citations = list(citation_model.objects.filter(article=article).order_by("start", "id"))
    mentions = list(
        mention_model.objects.filter(article=article).select_related("country").order_by("role", "country__name")
    )
    agreement_ids = list(dict.fromkeys(citation.agreement_id for citation in citations))
    agreements = (
        {a.pk: a for a in agreements_attach_details(Agreement.objects.filter(pk__in=agreement_ids))}
        if agreement_ids
        else {}
    )
    return ArticlePage(
        article=article,
        citations=citations,
        mentions=mentions,
        agreements=[agreements[pk] for pk in agreement_ids if pk in agreements],
        copies=list(article_model.objects.filter(duplicate_of=article).only("id", "title", "site", "publisher")),
    )


def articles_list() -> QuerySet:
    article_model, _, _ = _article_models()
    return article_model.objects.defer("raw", "text").order_by("-created_at", "-id")


@dataclass(frozen=True)
class ReviewRow:
    agreement: Agreement
    duplicates: list[Agreement]


def review_rows(agreements: Iterable[Agreement]) -> list[ReviewRow]:
    """Queued agreements with their details and the other records over the same parties (merge candidates).

    Four queries for a page of any size.
    """
    agreements = agreements_attach_details(agreements)
    keys = {agreement.party_key for agreement in agreements if agreement.party_key}
    same_parties: dict[str, list[Agreement]] = {}
    if keys:
        for other in (
            counted_agreements()
            .filter(party_key__in=keys)
            .only(
                "id", "title", "type", "status", "status_date", "status_date_precision", "start_date", "party_key",
                "review_state",
            )
            .order_by("start_date", "id")
        ):  # fmt: skip
            same_parties.setdefault(other.party_key, []).append(other)
    return [
        ReviewRow(
            agreement=agreement,
            duplicates=sorted(
                (other for other in same_parties.get(agreement.party_key, []) if other.pk != agreement.pk),
                key=lambda other, agreement=agreement: duplicate_closeness(agreement, other),
            ),
        )
        for agreement in agreements
    ]


def duplicate_closeness(agreement: Agreement, other: Agreement) -> tuple:
    """How likely `other` (over the same parties) is the same instrument: same type first, then the nearest date;
    records with no date last. Smaller is closer."""
    dated = agreement.start_date and other.start_date
    days = abs((agreement.start_date - other.start_date).days) if dated else 10**9
    return (other.type != agreement.type, days, other.pk)


@dataclass(frozen=True)
class NetworkEdge:
    a: Country
    b: Country
    agreements: int
    counts: dict[str, int]
    weight: float = 0.0

    @property
    def main_type(self) -> str:
        return max(self.counts, key=lambda kind: (self.counts[kind], kind == AgreementType.OTHER))


def network_edges(*, agreements: QuerySet[Agreement], limit: int = 120) -> list[NetworkEdge]:
    """The strongest ties among a set of agreements: pairs of parties by weight, with their agreements by type.

    An agreement of n parties ties each of its n(n-1)/2 pairs with weight 1/(n-1), so each party's ties from it add up
    to one: a bilateral treaty counts 1 for its pair, a trade bloc of 28 members 1/27 for each pair of members.
    Counted whole, the pairs inside one bloc fill the picture (the EU's members share hundreds of trade agreements
    as one party); weighted, the picture shows who ties with whom across the world. Two queries."""
    size = Subquery(
        AgreementParty.objects.filter(agreement=OuterRef("agreement_id"))
        .order_by()
        .values("agreement")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = list(
        AgreementParty.objects.filter(
            agreement__in=agreements.values("pk"), country_id__lt=F("agreement__memberships__country_id")
        )
        .values("country_id", other=F("agreement__memberships__country_id"))
        .annotate(
            n=Count("agreement_id"),
            weight=Sum(Value(1.0, output_field=FloatField()) / (size - 1), output_field=FloatField()),
            **{f"n_{kind}": Count("agreement_id", filter=Q(agreement__type=kind)) for kind in AgreementType.values},
        )
        .order_by("-weight", "-n", "country_id", "other")[:limit]
    )
    countries = Country.objects.in_bulk({row["country_id"] for row in rows} | {row["other"] for row in rows})
    edges = []
    for row in rows:
        a, b = sorted((countries[row["country_id"]], countries[row["other"]]), key=lambda c: c.code)
        counts = {kind: row[f"n_{kind}"] for kind in AgreementType.values}
        edges.append(NetworkEdge(a=a, b=b, agreements=row["n"], counts=counts, weight=round(row["weight"], 2)))
    return edges


@dataclass(frozen=True)
class SearchResults:
    """The best matches of each kind, with the number of every match (the totals the page shows)."""

    query: str
    agreements: list[Agreement]
    countries: list[Country]
    articles: list[dict]
    agreement_total: int = 0
    country_total: int = 0
    article_total: int = 0


def search(*, query: str, limit: int = 20) -> SearchResults:
    """Countries, agreements and articles holding every word of `query`, best first (tracker/search.py)."""
    query = query.strip()
    if not query:
        return SearchResults(query=query, agreements=[], countries=[], articles=[])
    article_model, _, _ = _article_models()
    countries = Country.objects.all()
    agreements = counted_agreements()
    articles = article_model.objects.all()
    rows = list(
        search_ranked(articles, query=query).values(
            "id", "title", "url", "publisher", "published_on", "published_precision", "state"
        )[:limit]
    )
    for row in rows:
        row["published"] = PartialDate.from_parts(row["published_on"], row["published_precision"])
    return SearchResults(
        query=query,
        agreements=agreements_attach_details(search_ranked(agreements, query=query)[:limit]),
        countries=list(search_ranked(countries, query=query)[:limit]),
        articles=rows,
        agreement_total=search_filter(agreements, query=query).count(),
        country_total=search_filter(countries, query=query).count(),
        article_total=search_filter(articles, query=query).count(),
    )
