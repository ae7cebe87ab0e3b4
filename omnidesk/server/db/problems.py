"""Why the database cannot be used, in one line an admin can act on (the ``omnidesk`` command prints these).

Every message names the database by host, port and name, or by its file, and never shows the URL's password.
"""

from __future__ import annotations

import getpass
import socket
from pathlib import Path

from sqlalchemy.engine import make_url

from omnidesk.server.config import async_database_url

# Exit statuses of the ``omnidesk`` command, the same as omnidesk/cli.py's (README "Exit statuses").
EXIT_DATABASE_UNREACHABLE = 5
EXIT_DATABASE_MISSING = 6

CHECK_URL = "check the database URL (--database, OMNIDESK_DATABASE_URL or database_url in the configuration file)"


class DatabaseProblem(Exception):
    """The database cannot be used; ``str()`` is the one line to show, with no password in it."""

    exit_code = EXIT_DATABASE_UNREACHABLE


class DatabaseUnreachable(DatabaseProblem):
    exit_code = EXIT_DATABASE_UNREACHABLE


class DatabaseMissing(DatabaseProblem):
    exit_code = EXIT_DATABASE_MISSING


class SchemaMissing(DatabaseProblem):
    """The database is there but holds no OmniDesk tables (or an older schema than the command needs)."""

    exit_code = 2


def sqlite_file(url: str) -> Path | None:
    """The file of an SQLite URL (None for an in-memory database or a PostgreSQL URL)."""
    async_url = async_database_url(url)
    if not async_url.startswith("sqlite"):
        return None
    rest = async_url.split(":///", 1)[1] if ":///" in async_url else ""
    if not rest or rest.startswith(":memory:"):
        return None
    return Path(rest.split("?", 1)[0])


def postgres_where(url: str) -> tuple[str, str, str]:
    """(``host:port`` or the socket directory, database name, role) of a PostgreSQL URL."""
    parsed = make_url(async_database_url(url))
    host = parsed.host or parsed.query.get("host") or "localhost"
    if isinstance(host, tuple):
        host = host[0]
    where = host if str(host).startswith("/") else f"{host}:{parsed.port or 5432}"
    return where, parsed.database or parsed.username or "", parsed.username or getpass.getuser()


def missing_sqlite(path: Path) -> DatabaseMissing:
    return DatabaseMissing(
        f"the SQLite database {path} does not exist: 'omnidesk db upgrade' creates it; or {CHECK_URL}"
    )


def _chain(exc: BaseException):
    seen: set[int] = set()
    todo = [exc]
    while todo:
        current = todo.pop(0)
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        todo += [getattr(current, "orig", None), current.__cause__, current.__context__]


def _raised_in(exc: BaseException, package: str) -> bool:
    tb = exc.__traceback__
    while tb is not None:
        if str(tb.tb_frame.f_globals.get("__name__", "")).startswith(package):
            return True
        tb = tb.tb_next
    return False


def explain(exc: BaseException, url: str | None) -> DatabaseProblem | None:
    """The problem behind ``exc`` (raised while using the database at ``url``), or None if it is not one."""
    for cause in _chain(exc):
        if isinstance(cause, DatabaseProblem):
            return cause
    if not url:
        return None
    try:
        sqlite = async_database_url(url).startswith("sqlite")
    except ValueError:
        return None
    return _explain_sqlite(exc, url) if sqlite else _explain_postgres(exc, url)


def _explain_sqlite(exc: BaseException, url: str) -> DatabaseProblem | None:
    import sqlite3

    path = sqlite_file(url) or ":memory:"
    for cause in _chain(exc):
        if not isinstance(cause, sqlite3.Error):
            continue
        text = str(cause)
        if "unable to open database file" in text:
            return DatabaseUnreachable(
                f"cannot open the SQLite database {path}: does its directory exist, and may "
                f"{getpass.getuser()} write to it? Or {CHECK_URL}"
            )
        if "database is locked" in text:
            return DatabaseUnreachable(
                f"the SQLite database {path} is locked by another program (a backup, a migration?): try again"
            )
        if "no such table" in text:
            return SchemaMissing(f"the SQLite database {path} has no OmniDesk tables yet: run 'omnidesk db upgrade'")
        if "file is not a database" in text:
            return DatabaseUnreachable(f"{path} is not an SQLite database: {CHECK_URL}")
    return None


def _explain_postgres(exc: BaseException, url: str) -> DatabaseProblem | None:
    try:
        import asyncpg
    except ImportError:  # pragma: no cover - asyncpg is a dependency
        return None
    where, name, role = postgres_where(url)
    errors = asyncpg.exceptions
    for cause in _chain(exc):
        if isinstance(cause, errors.InvalidCatalogNameError):
            return DatabaseMissing(
                f'database "{name}" does not exist on PostgreSQL at {where}: create it '
                f"(createdb --owner {role} {name}), then run 'omnidesk db upgrade'; or {CHECK_URL}"
            )
        if isinstance(cause, errors.InvalidPasswordError):
            return DatabaseUnreachable(
                f'PostgreSQL at {where} refused the password of role "{role}": check the user and password in the '
                "database URL (--database, OMNIDESK_DATABASE_URL or database_url in the configuration file)"
            )
        if isinstance(cause, errors.InvalidAuthorizationSpecificationError):
            return DatabaseUnreachable(f"PostgreSQL at {where} refused the login: {cause}; {CHECK_URL}")
        if isinstance(cause, errors.CannotConnectNowError):
            return DatabaseUnreachable(f"PostgreSQL at {where} does not accept connections yet ({cause}): try again")
        if isinstance(cause, errors.TooManyConnectionsError):
            return DatabaseUnreachable(f"PostgreSQL at {where} has no free connection slot ({cause}): try again")
        if isinstance(cause, errors.UndefinedTableError):
            return SchemaMissing(
                f"database \"{name}\" at {where} has no OmniDesk tables yet: run 'omnidesk db upgrade'"
            )
        if isinstance(cause, OSError) and _raised_in(cause, "asyncpg"):
            if isinstance(cause, socket.gaierror):
                reason = "unknown host (is the host name right?)"
            elif isinstance(cause, ConnectionRefusedError):
                reason = "connection refused (is it running, and listening there?)"
            elif isinstance(cause, TimeoutError):
                reason = "timed out (is it running, and does a firewall let the connection through?)"
            else:
                reason = (cause.strerror or str(cause)).lower()
            return DatabaseUnreachable(f"cannot reach PostgreSQL at {where}: {reason}; {CHECK_URL}")
    return None
