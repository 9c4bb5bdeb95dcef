"""Backups of the whole database: every source document lives in it.

PostgreSQL is dumped with pg_dump in its custom format (compressed, restored with pg_restore); SQLite is copied with
SQLite's online backup, which gives a consistent file while other processes write. A backup file's suffix says which.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection

POSTGRES_SUFFIX = ".dump"
SQLITE_SUFFIX = ".sqlite3"


class BackupError(Exception):
    pass


def _is_sqlite() -> bool:
    return connection.vendor == "sqlite"


def _postgres_arguments() -> tuple[list[str], dict[str, str]]:
    """pg_dump/pg_restore connection options and environment, from the Django connection's settings."""
    settings = connection.settings_dict
    arguments = ["--dbname", settings["NAME"]]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings.get(key):
            arguments += [option, str(settings[key])]
    env = {**os.environ}
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = settings["PASSWORD"]  # never on the command line, where `ps` shows it
    return arguments, env


def _run(command: list[str], env: dict[str, str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (Debian: apt-get install postgresql-client)")
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def _sqlite_copy(source_path, target_path) -> None:
    with (
        contextlib.closing(sqlite3.connect(source_path)) as source,
        contextlib.closing(sqlite3.connect(target_path)) as target,
    ):
        source.backup(target)


def database_backup(*, directory: Path, now: datetime.datetime | None = None) -> Path:
    """Write a backup of the default database into the directory; returns its path."""
    directory.mkdir(parents=True, exist_ok=True)
    stamp = (now or datetime.datetime.now(datetime.UTC)).strftime("%Y%m%dT%H%M%SZ")
    target = directory / f"tracker-{stamp}{SQLITE_SUFFIX if _is_sqlite() else POSTGRES_SUFFIX}"
    # Written under a temporary name, so that a half-written file is never taken for a backup.
    partial = target.with_name(target.name + ".partial")
    if _is_sqlite():
        _sqlite_copy(connection.settings_dict["NAME"], partial)
    else:
        arguments, env = _postgres_arguments()
        dump = ["pg_dump", "--format", "custom", "--no-owner", "--no-privileges", "--file", str(partial)]
        _run([*dump, *arguments], env)
    partial.replace(target)
    return target


def database_restore(*, path: Path) -> None:
    """Replace the default database's content with the backup's."""
    if not path.is_file():
        raise BackupError(f"no backup at {path}")
    if _is_sqlite() != (path.suffix == SQLITE_SUFFIX):
        raise BackupError(f"{path.name} is not a backup of a {connection.vendor} database")
    connection.close()  # the restore replaces tables this process may hold open
    if _is_sqlite():
        _sqlite_copy(path, connection.settings_dict["NAME"])
    else:
        arguments, env = _postgres_arguments()
        restore = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction"]
        _run([*restore, *arguments, str(path)], env)


def backups_prune(*, directory: Path, keep: int) -> list[Path]:
    """Delete all but the `keep` newest backups in the directory; returns those deleted."""
    backups = sorted(
        (p for p in directory.glob("tracker-*") if p.suffix in (POSTGRES_SUFFIX, SQLITE_SUFFIX)), reverse=True
    )
    old = backups[keep:] if keep > 0 else []
    for path in old:
        path.unlink()
    return old
