"""Schema migrations (Alembic) driven from code: ``omnidesk db upgrade`` and the readiness check use this."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

import omnidesk
from omnidesk.server.db import make_engine
from omnidesk.server.db.problems import missing_sqlite, sqlite_file


def migrations_dir() -> Path:
    """The migrations shipped in the wheel, else the repository's migrations/ folder."""
    package_dir = Path(omnidesk.__file__).resolve().parent
    for candidate in (package_dir / "_migrations", package_dir.parent / "migrations"):
        if (candidate / "env.py").is_file():
            return candidate
    raise FileNotFoundError("migrations folder not found (expected omnidesk/_migrations or ./migrations)")


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str) -> None:
    path = sqlite_file(database_url)
    if path is not None and not path.is_file():
        raise missing_sqlite(path)  # nothing to downgrade; and make no file
    command.downgrade(alembic_config(database_url), revision)


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


async def current_revision_async(engine) -> str | None:
    async with engine.connect() as conn:
        return await conn.run_sync(lambda sync_conn: MigrationContext.configure(sync_conn).get_current_revision())


def current_revision(database_url: str) -> str | None:
    """The schema version of the database at ``database_url``; reads only (an SQLite file that is not there is
    DatabaseMissing, not made)."""

    async def _read() -> str | None:
        engine = make_engine(database_url, pool_size=1, create=False)
        try:
            return await current_revision_async(engine)
        finally:
            await engine.dispose()

    return asyncio.run(_read())
