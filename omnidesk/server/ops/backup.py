"""``omnidesk backup FILE`` and ``omnidesk restore FILE``: a consistent copy of the whole database, and back.

* SQLite: SQLite's online backup API (a consistent snapshot while the server keeps running); restore checks the file
  (``PRAGMA integrity_check``, a schema OmniDesk knows) and copies it into place with the same API.
* PostgreSQL: ``pg_dump --format=custom`` (consistent, while the server runs) and ``pg_restore --clean --if-exists
  --no-owner --single-transaction`` (all or nothing). The password, if the URL has one, goes to the tools through
  ``PGPASSWORD``, never on their command line (where ``ps`` would show it).

Restore replaces everything in the target database: stop the OmniDesk servers first. Both commands write an audit
record (a restore writes it into the restored database, so the audit log says when its history was rewound).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

from omnidesk.server.db import _sqlite_path, is_sqlite

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"


class BackupError(RuntimeError):
    """What went wrong, in one line for the admin."""


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(f"{name} not found: install the PostgreSQL client tools (apt install postgresql-client)")
    return path


def _pg_target(database_url: str) -> tuple[str, dict[str, str]]:
    """A libpq connection URI without the password, and the environment that carries the password."""
    url = make_url(database_url)
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = url.password
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _last_line(run: subprocess.CompletedProcess) -> str:
    lines = (run.stderr or "").strip().splitlines()
    return lines[-1] if lines else f"exit status {run.returncode}"


def backup(database_url: str, target: Path) -> int:
    """Write the backup to ``target``; returns its size in bytes."""
    target = Path(target)
    if target.exists() and target.is_dir():
        raise BackupError(f"{target} is a folder: give the backup file's name")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    if is_sqlite(database_url):
        source = _sqlite_path(database_url)
        if source is None or not source.is_file():
            raise BackupError(f"no SQLite database at {source}")
        partial.unlink(missing_ok=True)
        with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as src, sqlite3.connect(partial) as dst:
            src.backup(dst)
        with sqlite3.connect(partial) as check:
            check.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    else:
        uri, env = _pg_target(database_url)
        run = subprocess.run(
            [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(partial), "--dbname", uri],
            env=env,
            capture_output=True,
            text=True,
        )
        if run.returncode != 0:
            partial.unlink(missing_ok=True)
            raise BackupError(
                f"pg_dump failed: {run.stderr.strip().splitlines()[-1] if run.stderr else run.returncode}"
            )
    partial.replace(target)  # a half-written backup never carries the final name
    return target.stat().st_size


def kind_of(path: Path) -> str:
    with open(path, "rb") as f:
        head = f.read(16)
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_MAGIC):
        return "postgresql"
    raise BackupError(f"{path} is not an OmniDesk backup (neither SQLite nor a pg_dump custom archive)")


def restore(database_url: str, source: Path) -> None:
    """Replace the database's contents with the backup in ``source``."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"backup file not found: {source}")
    kind = kind_of(source)
    if is_sqlite(database_url):
        if kind != "sqlite":
            raise BackupError("this is a PostgreSQL backup; the configured database is SQLite")
        with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as src:
            if src.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(f"{source} is damaged (integrity check failed)")
            if not src.execute("SELECT 1 FROM sqlite_master WHERE name = 'alembic_version'").fetchone():
                raise BackupError(f"{source} is an SQLite file but not an OmniDesk database")
            target = _sqlite_path(database_url)
            if target is None:
                raise BackupError("cannot restore into an in-memory database")
            target.parent.mkdir(parents=True, exist_ok=True)
            with sqlite3.connect(target) as dst:
                src.backup(dst)
        return
    if kind != "postgresql":
        raise BackupError("this is an SQLite backup; the configured database is PostgreSQL")
    uri, env = _pg_target(database_url)
    run = subprocess.run(
        [
            _pg_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            "--dbname",
            uri,
            str(source),
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    if run.returncode != 0:
        raise BackupError(f"pg_restore failed: {_last_line(run)}")
