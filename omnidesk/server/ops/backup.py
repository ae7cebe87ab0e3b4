"""``omnidesk backup FILE`` and ``omnidesk restore FILE``: a consistent copy of the whole desk, and back.

A backup is one tar archive: a manifest (``omnidesk-backup.json``), the database (below), and the attachment store's
files on disk (``attachments/``: larger files live beside the database, content-addressed and immutable, so the copy is
taken after the database snapshot and restore puts back every file the snapshot refers to; each one's checksum is
checked on the way back). The channel key (``channel.key``, which decrypts the channels' credentials) goes in only with
``--with-key``: kept apart, a stolen backup does not give away the bots' tokens. Restore also takes the single-file
backups of earlier versions (a bare SQLite file or pg_dump archive).

* SQLite: SQLite's online backup API (a consistent snapshot while the server keeps running); restore checks the file
  (``PRAGMA integrity_check``, a schema OmniDesk knows) and copies it into place with the same API.
* PostgreSQL: ``pg_dump --format=custom`` (consistent, while the server runs) and ``pg_restore --clean --if-exists
  --no-owner --single-transaction`` (all or nothing). The password, if the URL has one, goes to the tools through
  ``PGPASSWORD``, never on their command line (where ``ps`` would show it).

Restore replaces everything in the target database: stop the OmniDesk servers first. Both commands write an audit
record (a restore writes it into the restored database, so the audit log says when its history was rewound).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from omnidesk.server.db import _sqlite_path, is_sqlite

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"
MANIFEST = "omnidesk-backup.json"
DATABASE_MEMBER = {"sqlite": "database.sqlite", "postgresql": "database.pgdump"}
KEY_MEMBER = "channel.key"
_STORED = re.compile(r"^attachments/([0-9a-f]{2})/([0-9a-f]{2})/([0-9a-f]{64})$")


@dataclass(frozen=True)
class Archived:
    """What a backup holds (or a restore put back)."""

    size: int
    files: int
    key: bool


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


def backup(database_url: str, target: Path, files_dir: Path | None = None, key_file: Path | None = None) -> Archived:
    """Write the backup archive to ``target``: the database, the files under ``files_dir`` (the attachment store),
    and ``key_file`` when given."""
    target = Path(target)
    if target.exists() and target.is_dir():
        raise BackupError(f"{target} is a folder: give the backup file's name")
    if key_file is not None and not Path(key_file).is_file():
        raise BackupError(f"no channel key at {key_file} to include (the server creates it with the first channel)")
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".omnidesk-backup-") as work:
        dump = Path(work) / "database"
        _dump_database(database_url, dump)
        kind = kind_of(dump)
        partial = target.with_name(target.name + ".partial")
        files = 0
        with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as archive:
            stored = sorted(Path(files_dir).glob("*/*/*")) if files_dir and Path(files_dir).is_dir() else []
            stored = [p for p in stored if p.is_file() and _STORED.match(f"attachments/{p.relative_to(files_dir)}")]
            manifest = {
                "format": "omnidesk-backup",
                "version": 1,
                "database": kind,
                "files": len(stored),
                "channel_key": key_file is not None,
                "created_at": dt.datetime.now(dt.UTC).isoformat(),
            }
            _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=2).encode())
            archive.add(dump, arcname=DATABASE_MEMBER[kind], recursive=False)
            for path in stored:  # after the snapshot: every file it refers to was written before it
                try:
                    archive.add(path, arcname=f"attachments/{path.relative_to(files_dir).as_posix()}", recursive=False)
                    files += 1
                except FileNotFoundError:  # removed by retention since the snapshot: no longer referred to
                    continue
            if key_file is not None:
                info = archive.gettarinfo(str(key_file), arcname=KEY_MEMBER)
                info.mode = 0o600
                with open(key_file, "rb") as f:
                    archive.addfile(info, f)
        partial.replace(target)  # a half-written backup never carries the final name
    return Archived(target.stat().st_size, files, key_file is not None)


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = len(data), 0o644, int(dt.datetime.now(dt.UTC).timestamp())
    archive.addfile(info, io.BytesIO(data))


def _dump_database(database_url: str, partial: Path) -> None:
    """The database alone: SQLite's online backup, or pg_dump's custom archive, at ``partial``."""
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


def kind_of(path: Path) -> str:
    with open(path, "rb") as f:
        head = f.read(16)
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_MAGIC):
        return "postgresql"
    raise BackupError(f"{path} is not an OmniDesk backup (neither SQLite nor a pg_dump custom archive)")


def restore(database_url: str, source: Path, files_dir: Path | None = None, key_file: Path | None = None) -> Archived:
    """Replace the database's contents with the backup in ``source``; put its files back under ``files_dir`` and its
    channel key at ``key_file`` (never over a different key: that would make the current credentials unreadable)."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"backup file not found: {source}")
    if not tarfile.is_tarfile(source):
        _restore_database(database_url, source)  # a single-file backup of an earlier version
        return Archived(source.stat().st_size, 0, False)
    with tarfile.open(source, "r") as archive:
        try:
            manifest = json.loads(archive.extractfile(MANIFEST).read())
            member = DATABASE_MEMBER[manifest["database"]]
        except (KeyError, AttributeError, ValueError, TypeError):
            raise BackupError(f"{source} is not an OmniDesk backup (a tar archive without its manifest)") from None
        names = set(archive.getnames())
        key = archive.extractfile(KEY_MEMBER).read() if KEY_MEMBER in names else None
        if key is not None and key_file is not None and Path(key_file).is_file():
            if Path(key_file).read_bytes() != key:
                raise BackupError(
                    f"the backup's channel key differs from the one at {key_file}: move that key away first "
                    "(the restored channels need the backup's key)"
                )
        with tempfile.TemporaryDirectory(prefix=".omnidesk-restore-") as work:
            dump = Path(work) / "database"
            with archive.extractfile(member) as src, open(dump, "wb") as dst:
                shutil.copyfileobj(src, dst)
            _restore_database(database_url, dump)
        files = 0
        for info in archive.getmembers():
            found = _STORED.match(info.name)
            if not found or not info.isfile() or files_dir is None:
                continue
            data = archive.extractfile(info).read()
            if hashlib.sha256(data).hexdigest() != found.group(3):
                raise BackupError(f"{info.name} in {source} is damaged (its checksum does not match)")
            path = Path(files_dir).joinpath(*found.groups())  # built from the checked name, never the member's path
            if not path.is_file():
                path.parent.mkdir(parents=True, exist_ok=True)
                partial = path.with_name(path.name + ".partial")
                partial.write_bytes(data)
                partial.replace(path)
            files += 1
        restored_key = False
        if key is not None and key_file is not None and not Path(key_file).is_file():
            Path(key_file).parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as out:
                out.write(key)
            restored_key = True
    return Archived(source.stat().st_size, files, restored_key or key is not None)


def _restore_database(database_url: str, source: Path) -> None:
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
