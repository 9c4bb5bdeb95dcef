"""Full-text search over countries, agreements and articles, the same on SQLite and on PostgreSQL.

Every record has a `SearchEntry`: its words in three fields — title, names (country names and their variants) and
body — after `search_text` has unified them, so that "Defence", "defense" and "Türkiye"/"Turkiye" are one word
each. SQLite indexes the entries in an FTS5 table kept in step by triggers; PostgreSQL with a GIN expression index
on a weighted `tsvector`. Both stem English words (Porter) and rank a word in a title above one in the text.
Migration tracker 0004 creates the index and builds the entries of existing rows; the signals in
tracker/signals.py and articles/signals.py, and the explicit calls after bulk writes, keep them up to date.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from breame.spelling import BRITISH_ENGLISH_SPELLINGS
from django.apps import apps
from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.db.models import Model, QuerySet
from django.db.models.expressions import RawSQL

SQLITE_TABLE = "tracker_search_fts"
POSTGRES_INDEX = "search_entry_gin"
# A PostgreSQL tsvector holds at most 1 MB; the opening of a very long article is what it is found by.
BODY_LIMIT = 100_000
# Ranking is costly, so only the most recent matches are ranked: a word found in every record must not mean
# ranking every record. Totals still count every match.
SEARCH_RANK_WINDOW = 500
# Title, names, body: a word in a title counts most, one deep in an article's text least.
SQLITE_WEIGHTS = (10.0, 4.0, 1.0)

# Words a person types between the ones they mean ("Iran and Bolivia"): dropped from queries on both back-ends,
# as PostgreSQL's English configuration drops them.
STOP_WORDS = frozenset(
    "a an and are as at be between by for from in into is of on or over the to was with".split()  # noqa: SIM905
)
_WORD = re.compile(r"\w+")
# "co-operation" is "cooperation": the hyphen would otherwise split it into two words.
_CO_HYPHEN = re.compile(r"\bco-(?=op|ord)")


def _american(match: re.Match) -> str:
    word = match.group(0)
    return BRITISH_ENGLISH_SPELLINGS.get(word, word)


def search_text(text: str) -> str:
    """Text as the index and queries see it: lower case, no diacritics, American spellings."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(char for char in text if not unicodedata.combining(char))
    return _WORD.sub(_american, _CO_HYPHEN.sub("co", text))


def search_words(query: str) -> list[str]:
    """The words of a query that must all match, in order, each unified as the index stores it."""
    return [word for word in _WORD.findall(search_text(query)) if word not in STOP_WORDS]


# ---------------------------------------------------------------------------------------------------------------------
# The entries


def _model(name: str, registry=None) -> type[Model]:
    # A migration passes its own registry: the models as they were at that point of the schema's history.
    app = "articles" if name == "Article" else "tracker"
    return (registry or apps).get_model(app, name)


def _entry_model(registry=None) -> type[Model]:
    return _model("SearchEntry", registry)


def country_search_names(country) -> list[str]:
    return [country.name, country.official_name, country.code, *(country.names or []), *(country.demonyms or [])]


def _joined(values: Iterable[str]) -> str:
    return search_text(" ".join(value for value in values if value))


def _type_words(agreement) -> list[str]:
    """The type vocabulary: a defence agreement is found by "defence", "defense" and its secondary types too."""
    labels = dict(type(agreement)._meta.get_field("type").choices)
    types = [agreement.type, *(agreement.secondary_types or [])]
    return [word for kind in types for word in (kind, labels.get(kind, ""))]


def search_index_agreements(ids: Iterable[int], *, registry=None) -> None:
    """Write the entries of these agreements: title and name, every party's names, types and summary."""
    agreement_model = _model("Agreement", registry)
    party_model = _model("AgreementParty", registry)
    ids = set(ids)
    names: dict[int, list[str]] = {pk: [] for pk in ids}
    for party in party_model.objects.filter(agreement_id__in=ids).select_related("country"):
        names[party.agreement_id].extend(country_search_names(party.country))
    entries = [
        _entry_model(registry)(
            agreement_id=agreement.pk,
            title=_joined([agreement.title, agreement.name]),
            names=_joined(names[agreement.pk]),
            body=_joined([*_type_words(agreement), agreement.summary]),
        )
        for agreement in agreement_model.objects.filter(pk__in=ids).only(
            "title", "name", "summary", "type", "secondary_types"
        )
    ]
    _replace_entries("agreement_id", ids, entries, registry)


def search_index_countries(ids: Iterable[int] | None = None, *, registry=None) -> None:
    """Write the entries of these countries (all of them by default): every name they are known by."""
    countries = _model("Country", registry).objects.all()
    if ids is not None:
        countries = countries.filter(pk__in=set(ids))
    entries = [
        _entry_model(registry)(
            country_id=country.pk, title=_joined([country.name]), names=_joined(country_search_names(country))
        )
        for country in countries
    ]
    _replace_entries("country_id", [entry.country_id for entry in entries], entries, registry)


def search_index_articles(ids: Iterable[int], *, registry=None) -> None:
    """Write the entries of these articles: title, publisher and the opening of the text."""
    ids = set(ids)
    articles = _model("Article", registry).objects.filter(pk__in=ids).only("title", "publisher", "text")
    entries = [
        _entry_model(registry)(
            article_id=article.pk,
            title=_joined([article.title]),
            names=_joined([article.publisher]),
            body=search_text(article.text[:BODY_LIMIT]),
        )
        for article in articles
    ]
    _replace_entries("article_id", ids, entries, registry)


def search_index_rebuild(*, registry=None) -> None:
    """Every entry anew (migration tracker 0004 builds them so for the rows that existed before)."""
    search_index_countries(registry=registry)
    agreement_ids = list(_model("Agreement", registry).objects.values_list("pk", flat=True))
    article_ids = list(_model("Article", registry).objects.values_list("pk", flat=True))
    for start in range(0, max(len(agreement_ids), len(article_ids)), 1000):
        search_index_agreements(agreement_ids[start : start + 1000], registry=registry)
        search_index_articles(article_ids[start : start + 1000], registry=registry)


def _replace_entries(key: str, ids: Iterable[int], entries: list, registry=None) -> None:
    ids = list(ids)
    entry_model = _entry_model(registry)
    for start in range(0, len(ids), 500):
        entry_model.objects.filter(**{f"{key}__in": ids[start : start + 500]}).delete()
    entry_model.objects.bulk_create(entries, batch_size=500)


# ---------------------------------------------------------------------------------------------------------------------
# The index (built by migration tracker 0004)


def search_entry_vector() -> SearchVector:
    """PostgreSQL's weighted document as migration 0004 indexed it (0005 stores it in a column instead)."""
    return (
        SearchVector("title", weight="A", config="english")
        + SearchVector("names", weight="B", config="english")
        + SearchVector("body", weight="C", config="english")
    )


SQLITE_CREATE = [
    f"CREATE VIRTUAL TABLE {SQLITE_TABLE} USING fts5(title, names, body, content='tracker_searchentry', "
    "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')",
    f"CREATE TRIGGER tracker_search_fts_insert AFTER INSERT ON tracker_searchentry BEGIN INSERT INTO {SQLITE_TABLE}"
    "(rowid, title, names, body) VALUES (new.id, new.title, new.names, new.body); END",
    f"CREATE TRIGGER tracker_search_fts_delete AFTER DELETE ON tracker_searchentry BEGIN INSERT INTO {SQLITE_TABLE}"
    f"({SQLITE_TABLE}, rowid, title, names, body) VALUES ('delete', old.id, old.title, old.names, old.body); END",
    f"CREATE TRIGGER tracker_search_fts_update AFTER UPDATE ON tracker_searchentry BEGIN INSERT INTO {SQLITE_TABLE}"
    f"({SQLITE_TABLE}, rowid, title, names, body) VALUES ('delete', old.id, old.title, old.names, old.body); "
    f"INSERT INTO {SQLITE_TABLE}(rowid, title, names, body) VALUES (new.id, new.title, new.names, new.body); END",
]
# PostgreSQL keeps each entry's weighted vector in a stored generated column (migration 0005): matching then never
# recomputes a vector, where an expression index had the server rebuild every matching article's vector to recheck
# it (counting 100,000 matching articles took 4 s, 0.2 s from the column).
POSTGRES_DOCUMENT = (
    "setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(names, '')), 'B') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(body, '')), 'C')"
)
POSTGRES_DOCUMENT_INDEX = "search_entry_document_gin"
POSTGRES_CREATE = [
    f"ALTER TABLE tracker_searchentry ADD COLUMN document tsvector GENERATED ALWAYS AS ({POSTGRES_DOCUMENT}) STORED",
    f"CREATE INDEX {POSTGRES_DOCUMENT_INDEX} ON tracker_searchentry USING gin (document)",
    f"DROP INDEX IF EXISTS {POSTGRES_INDEX}",
]

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS tracker_search_fts_insert",
    "DROP TRIGGER IF EXISTS tracker_search_fts_delete",
    "DROP TRIGGER IF EXISTS tracker_search_fts_update",
    f"DROP TABLE IF EXISTS {SQLITE_TABLE}",
]


# ---------------------------------------------------------------------------------------------------------------------
# Queries


def _entry_key(model: type[Model]) -> str:
    return {"country": "country_id", "agreement": "agreement_id", "article": "article_id"}[model._meta.model_name]


def _fts5_query(words: list[str]) -> str:
    # Each word quoted, so that nothing a person types is read as FTS5 syntax (NEAR, OR, *, column filters).
    return " ".join(f'"{word}"' for word in words)


def _sqlite_matches(key: str, words: list[str]) -> RawSQL:
    return RawSQL(
        f"SELECT e.{key} FROM {SQLITE_TABLE} JOIN tracker_searchentry e ON e.id = {SQLITE_TABLE}.rowid "
        f"WHERE {SQLITE_TABLE} MATCH %s AND e.{key} IS NOT NULL",
        [_fts5_query(words)],
    )


def _sqlite_rank(model: type[Model], key: str, words: list[str]) -> RawSQL:
    weights = ", ".join(str(weight) for weight in SQLITE_WEIGHTS)
    return RawSQL(
        f"SELECT -bm25({SQLITE_TABLE}, {weights}) FROM {SQLITE_TABLE} JOIN tracker_searchentry e "
        f"ON e.id = {SQLITE_TABLE}.rowid WHERE {SQLITE_TABLE} MATCH %s AND e.{key} = {model._meta.db_table}.id",
        [_fts5_query(words)],
    )


def _postgres_matches(key: str, words: list[str]) -> RawSQL:
    return RawSQL(
        f"SELECT {key} FROM tracker_searchentry WHERE {key} IS NOT NULL "
        "AND document @@ plainto_tsquery('english'::regconfig, %s)",
        [" ".join(words)],
    )


def _postgres_rank(model: type[Model], key: str, words: list[str]) -> RawSQL:
    return RawSQL(
        "SELECT ts_rank(document, plainto_tsquery('english'::regconfig, %s)) FROM tracker_searchentry "
        f"WHERE {key} = {model._meta.db_table}.id",
        [" ".join(words)],
    )


def search_filter(queryset: QuerySet, *, query: str) -> QuerySet:
    """The records of `queryset` whose entry holds every word of `query` (an empty query keeps them all)."""
    words = search_words(query)
    if not query.strip():
        return queryset
    if not words:
        return queryset.none()
    key = _entry_key(queryset.model)
    matches = _sqlite_matches if connection.vendor == "sqlite" else _postgres_matches
    return queryset.filter(pk__in=matches(key, words))


def search_ranked(queryset: QuerySet, *, query: str) -> QuerySet:
    """Matches best first (annotated `search_rank`), among the SEARCH_RANK_WINDOW most recent ones."""
    matches = search_filter(queryset, query=query)
    recent = matches.order_by("-pk").values("pk")[:SEARCH_RANK_WINDOW]
    ranked = queryset.filter(pk__in=recent)
    words = search_words(query)
    if not words:
        return ranked
    rank = _sqlite_rank if connection.vendor == "sqlite" else _postgres_rank
    search_rank = rank(queryset.model, _entry_key(queryset.model), words)
    return ranked.annotate(search_rank=search_rank).order_by("-search_rank", "-pk")
