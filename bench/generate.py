"""Bulk test data for benchmarks: agreements with parties and status history, articles, and citations.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker_bench .venv/bin/python bench/generate.py

creates the database if needed, migrates it, loads the reference countries, then loads 100,000 agreements,
300,000 citations and 100,000 articles with PostgreSQL COPY (about half a minute). `generate()` is reusable from
other benchmarks once Django is set up; it appends to what is there, with ids after the existing ones.
The data is deterministic for a seed; history tables are left empty (bulk loads do not make history).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import random
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
os.environ.setdefault("DEBUG", "1")

TYPES = ["defense", "security", "economic", "energy", "nuclear", "diplomatic", "technology", "other"]
TYPE_WEIGHTS = [18, 12, 30, 10, 3, 15, 8, 4]
STATUSES = ["proposed", "signed", "in_force", "terminated"]
PRECISIONS = ["day", "month", "year"]
# Most agreements involve a few dozen active states: the ties and partners endpoints then see dense pairs.
ACTIVE_SHARE = 0.8
ACTIVE_COUNT = 60


def _copy(cursor, model, columns: list[str], rows) -> int:
    """COPY rows into the model's table; columns the rows leave out get the model's defaults (new columns too)."""
    from django.db import models

    rest = [
        field
        for field in model._meta.concrete_fields
        if field.column not in columns and not field.null and not field.primary_key and field.has_default()
    ]
    extra = tuple(
        json.dumps(field.get_default()) if isinstance(field, models.JSONField) else field.get_default()
        for field in rest
    )
    names = [*columns, *(field.column for field in rest)]
    count = 0
    quoted = ", ".join(f'"{name}"' for name in names)
    with cursor.copy(f"COPY {model._meta.db_table} ({quoted}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row((*row, *extra))
            count += 1
    return count


def _partial(rng: random.Random, start: datetime.date, span_days: int) -> tuple[datetime.date, str]:
    day = start + datetime.timedelta(days=rng.randrange(span_days))
    precision = rng.choices(PRECISIONS, weights=[5, 3, 2])[0]
    if precision == "year":
        day = day.replace(month=1, day=1)
    elif precision == "month":
        day = day.replace(day=1)
    return day, precision


def generate(*, agreements: int = 100_000, citations: int = 300_000, articles: int = 100_000, seed: int = 1) -> dict:
    """Load the rows with COPY in one transaction; returns the counts and the densest pair of countries."""
    from django.db import connection, transaction
    from django.utils import timezone

    from articles.models import Article, Citation
    from tracker.models import Agreement, AgreementParty, Country, StatusChange
    from tracker.search import search_index_rebuild

    rng = random.Random(seed)
    countries = list(Country.objects.filter(is_former=False).order_by("code").values_list("id", "code"))
    if len(countries) < ACTIVE_COUNT:
        raise RuntimeError("Load the reference countries first: manage.py load_countries")
    active = countries[:]
    rng.shuffle(active)
    active = active[:ACTIVE_COUNT]
    now = timezone.now()
    counts = {}
    with transaction.atomic(), connection.cursor() as wrapper:
        cursor = wrapper.cursor  # the psycopg cursor, for COPY

        def next_id(table: str) -> int:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
            return cursor.fetchone()[0]

        first_agreement = next_id("tracker_agreement")
        agreement_rows, party_rows, change_rows, pair_counts = [], [], [], {}
        for offset in range(agreements):
            agreement_id = first_agreement + offset
            size = rng.choices([2, 3, 4, 6], weights=[85, 9, 4, 2])[0]
            pool = active if rng.random() < ACTIVE_SHARE else countries
            parties = sorted(rng.sample(pool, size), key=lambda c: c[1])
            kind = rng.choices(TYPES, weights=TYPE_WEIGHTS)[0]
            signed, precision = _partial(rng, datetime.date(1946, 1, 1), 365 * 79)
            steps = [("signed", signed, precision)]
            if rng.random() < 0.4:
                later, later_precision = _partial(rng, signed + datetime.timedelta(days=366), 365 * 3)
                steps.append(("in_force", later, later_precision))
            if rng.random() < 0.1:
                steps.insert(0, ("proposed", *_partial(rng, signed - datetime.timedelta(days=900), 365)))
            status, status_date, status_precision = steps[-1]
            created = now - datetime.timedelta(seconds=agreements - offset)
            agreement_rows.append(
                (
                    agreement_id,
                    f"Agreement {agreement_id}: {kind} cooperation",
                    "",
                    " ".join(code for _, code in parties),
                    kind,
                    "[]",
                    status,
                    status_date,
                    status_precision,
                    min(step[1] for step in steps),
                    "",
                    round(rng.uniform(0.3, 1.0), 3),
                    rng.choices(["extracted", "manual", "imported"], weights=[70, 20, 10])[0],
                    rng.choices(["unreviewed", "confirmed", "rejected"], weights=[60, 37, 3])[0],
                    "",
                    "",
                    "[]",
                    created,
                    created,
                )
            )
            for country_id, _ in parties:
                party_rows.append((agreement_id, country_id))
            for step_status, step_date, step_precision in steps:
                change_rows.append((agreement_id, step_status, step_date, step_precision, "", created))
            if size == 2:
                key = (parties[0][1], parties[1][1])
                pair_counts[key] = pair_counts.get(key, 0) + 1
        counts["agreements"] = _copy(
            cursor,
            Agreement,
            [
                "id",
                "title",
                "name",
                "party_key",
                "type",
                "secondary_types",
                "status",
                "status_date",
                "status_date_precision",
                "start_date",
                "summary",
                "confidence",
                "origin",
                "review_state",
                "source_dataset",
                "source_id",
                "locked_fields",
                "created_at",
                "updated_at",
            ],
            agreement_rows,
        )
        counts["parties"] = _copy(cursor, AgreementParty, ["agreement_id", "country_id"], party_rows)
        counts["status_changes"] = _copy(
            cursor,
            StatusChange,
            ["agreement_id", "status", "date", "date_precision", "note", "created_at"],
            change_rows,
        )
        del agreement_rows, party_rows, change_rows

        first_article = next_id("articles_article")
        body = "The two governments signed a memorandum of understanding on defence cooperation. " * 6

        def article_rows():
            for offset in range(articles):
                article_id = first_article + offset
                published = datetime.date(1990, 1, 1) + datetime.timedelta(days=rng.randrange(365 * 35))
                yield (
                    article_id,
                    f"https://news.example/{seed}/{article_id}",
                    hashlib.sha256(f"{seed}:{article_id}".encode()).hexdigest(),
                    "url",
                    "",
                    "text/html",
                    b"",
                    f"Article {article_id}",
                    "News Example",
                    published,
                    "day",
                    "en",
                    body,
                    "parsed",
                    "",
                    1,
                    "",
                    json.dumps({}),
                    "bench",
                    now,
                    now,
                    now,
                    now,
                )

        counts["articles"] = _copy(
            cursor,
            Article,
            [
                "id",
                "url",
                "content_hash",
                "submission",
                "filename",
                "content_type",
                "raw",
                "title",
                "publisher",
                "published_on",
                "published_precision",
                "language",
                "text",
                "state",
                "error",
                "attempts",
                "claim_token",
                "parse_summary",
                "extractor_version",
                "state_changed_at",
                "parsed_at",
                "created_at",
                "updated_at",
            ],
            article_rows(),
        )

        def citation_rows():
            for offset in range(citations):
                # Spread over every agreement first, then at random: each agreement has at least one citation.
                agreement_id = first_agreement + (offset if offset < agreements else rng.randrange(agreements))
                start = (offset % 6) * 81
                yield (
                    first_article + offset % articles,
                    agreement_id,
                    body[start : start + 80],
                    start,
                    start + 80,
                    '["parties", "type"]',
                    "{}",
                    round(rng.uniform(0.3, 0.99), 3),
                    "bench",
                    now,
                )

        counts["citations"] = _copy(
            cursor,
            Citation,
            [
                "article_id",
                "agreement_id",
                "quote",
                "start",
                "end",
                "fields",
                "field_spans",
                "confidence",
                "extractor_version",
                "created_at",
            ],
            citation_rows(),
        )
        for table in ("tracker_agreement", "articles_article"):
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")
    # COPY sends no signal: the search entries are written as the migration writes those of existing rows.
    search_index_rebuild()
    with connection.cursor() as cursor:
        for table in (
            "tracker_searchentry",
            "tracker_agreement",
            "tracker_agreementparty",
            "tracker_statuschange",
            "articles_article",
            "articles_citation",
        ):
            cursor.execute(f"ANALYZE {table}")
    counts["densest_pair"] = max(pair_counts, key=pair_counts.get) if pair_counts else None
    return counts


def _ensure_database() -> None:
    """Create the database named in DATABASE_URL when it does not exist yet (PostgreSQL only)."""
    import environ
    import psycopg

    config = environ.Env.db_url_config(os.environ["DATABASE_URL"])
    if "postgresql" not in config["ENGINE"]:
        raise SystemExit("The benchmark data set is for PostgreSQL: set DATABASE_URL=postgres://…/tracker_bench")
    params = {"host": config["HOST"] or None, "port": config["PORT"] or None, "user": config["USER"] or None}
    params["password"] = config["PASSWORD"] or None
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]).fetchone():
            admin.execute(f'CREATE DATABASE "{config["NAME"]}"')


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--agreements", type=int, default=100_000)
    parser.add_argument("--citations", type=int, default=300_000)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        raise SystemExit("Set DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/tracker_bench")
    _ensure_database()

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("load_countries", verbosity=0)
    started = time.perf_counter()
    counts = generate(agreements=args.agreements, citations=args.citations, articles=args.articles, seed=args.seed)
    print(f"Loaded {counts} in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
