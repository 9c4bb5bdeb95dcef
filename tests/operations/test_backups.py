"""A backup restores into a fresh database with the same articles and agreements (PostgreSQL or SQLite, whichever
the suite runs on: CI runs both)."""

from __future__ import annotations

import contextlib
import datetime
import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from articles.services import article_submit
from tests import factories
from tests.processes import ROOT, database_url_for_subprocesses
from tracker.backups import backups_prune, database_backup

pytestmark = pytest.mark.django_db(transaction=True)

QUERIES = {
    "agreements": "SELECT id, title, type, status FROM tracker_agreement ORDER BY id",
    "articles": "SELECT id, content_hash, raw, state FROM articles_article ORDER BY id",
    "parties": "SELECT agreement_id, country_id FROM tracker_agreementparty ORDER BY agreement_id, country_id",
}


def _plain(rows) -> list[tuple]:
    # PostgreSQL returns binary columns as memoryview, SQLite as bytes.
    return [tuple(bytes(value) if isinstance(value, memoryview) else value for value in row) for row in rows]


def _rows_here() -> dict[str, list[tuple]]:
    rows = {}
    with connection.cursor() as cursor:
        for name, sql in QUERIES.items():
            cursor.execute(sql)
            rows[name] = _plain(cursor.fetchall())
    return rows


@contextlib.contextmanager
def fresh_database():
    """An empty database of the suite's engine, and its URL; dropped afterwards."""
    if connection.vendor == "sqlite":
        path = Path(connection.settings_dict["NAME"]).with_name(f"restore-{uuid.uuid4().hex[:8]}.sqlite3")
        try:
            yield f"sqlite:///{path}", lambda sql: sqlite3.connect(path).execute(sql).fetchall()
        finally:
            path.unlink(missing_ok=True)
        return
    name = f"{connection.settings_dict['NAME']}_restore"
    base = database_url_for_subprocesses().rsplit("/", 1)[0]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')

    def query(sql):
        with psycopg.connect(f"{base}/{name}") as restored:
            return restored.execute(sql).fetchall()

    try:
        yield f"{base}/{name}", query
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restores_into_a_fresh_database_with_the_same_articles_and_agreements(countries, tmp_path):
    if connection.vendor == "postgresql" and not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("pg_dump and pg_restore are not installed")
    factories.agreement("BOL", "IRN", title="Iran–Bolivia defence memorandum")
    factories.agreement("FRA", "GBR", type="economic", date="2010", title="Channel accord")
    article_submit(raw="A story about the Iran–Bolivia memorandum, with ünïcode.".encode(), enqueue=False)
    before = _rows_here()

    out = open(os.devnull, "w")  # noqa: SIM115
    call_command("backup", directory=tmp_path, keep=3, stdout=out)
    (backup,) = tmp_path.iterdir()

    with fresh_database() as (url, query):
        env = {**os.environ, "DATABASE_URL": url, "DEBUG": "1"}
        result = subprocess.run(
            [sys.executable, "manage.py", "restore", str(backup), "--no-input"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr
        restored = {name: _plain(query(sql)) for name, sql in QUERIES.items()}
    assert restored == before
    assert [title for _, title, _, _ in restored["agreements"]] == ["Iran–Bolivia defence memorandum", "Channel accord"]
    assert len(restored["articles"]) == 1 and "ünïcode".encode() in restored["articles"][0][2]


def test_old_backups_are_pruned_and_the_newest_kept(db, tmp_path):
    start = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    written = [database_backup(directory=tmp_path, now=start + datetime.timedelta(days=day)) for day in range(4)]
    removed = backups_prune(directory=tmp_path, keep=2)
    assert sorted(removed) == written[:2]
    assert sorted(tmp_path.iterdir()) == written[2:]


def test_restore_refuses_a_backup_of_the_other_engine(db, tmp_path):
    other = ".sqlite3" if connection.vendor == "postgresql" else ".dump"
    stray = tmp_path / f"tracker-20260101T000000Z{other}"
    stray.write_bytes(b"not ours")
    with pytest.raises(CommandError, match="is not a backup of a"):
        call_command("restore", str(stray), no_input=True)
