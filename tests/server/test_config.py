"""Settings: OMNIDESK_* environment, a TOML file (OMNIDESK_CONFIG or --config), database URLs as admins write them."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs
import pytest
from pydantic import ValidationError
from sqlalchemy import text

from omnidesk.server import migrate
from omnidesk.server.config import Settings, async_database_url, default_database_url, load_settings
from omnidesk.server.db import Database
from tests.server.conftest import omnidesk_here


@pytest.fixture
def clean_env(monkeypatch):
    """No OMNIDESK_* variable from the surrounding shell; OMNIDESK_CONFIG restored (load_settings sets it)."""
    for name in list(os.environ):
        if name.startswith("OMNIDESK_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("OMNIDESK_CONFIG", "")
    monkeypatch.delenv("OMNIDESK_CONFIG")
    return monkeypatch


def _toml(path: Path, body: str) -> Path:
    path.write_text(body, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("written", "used"),
    [
        ("sqlite:///var/lib/omnidesk/omnidesk.db", "sqlite+aiosqlite:///var/lib/omnidesk/omnidesk.db"),
        ("sqlite:////var/lib/omnidesk/omnidesk.db", "sqlite+aiosqlite:////var/lib/omnidesk/omnidesk.db"),
        ("postgresql://user@host:5432/omnidesk", "postgresql+asyncpg://user@host:5432/omnidesk"),
        ("postgres://user:pw@host/omnidesk", "postgresql+asyncpg://user:pw@host/omnidesk"),
        ("PostgreSQL://user@host/omnidesk", "postgresql+asyncpg://user@host/omnidesk"),
        ("  sqlite:///relative.db  ", "sqlite+aiosqlite:///relative.db"),
        ("postgresql+asyncpg://user@host/db", "postgresql+asyncpg://user@host/db"),
        ("sqlite+aiosqlite:///x.db", "sqlite+aiosqlite:///x.db"),
    ],
)
def test_plain_database_urls_get_the_async_driver(written, used):
    assert async_database_url(written) == used


@pytest.mark.parametrize("bad", ["mysql://root@host/db", "omnidesk.db", "postgresql+psycopg2://u@h/db", ""])
def test_unsupported_database_urls_are_refused_with_a_reason(bad, clean_env):
    with pytest.raises(ValidationError) as info:
        Settings(database_url=bad)
    assert "database" in str(info.value).lower() or "url" in str(info.value).lower()


async def test_a_plain_url_connects_through_the_async_driver(db_url):
    assert "+" not in db_url.split("://")[0]  # the fixtures hand out URLs as an admin writes them
    db = Database(db_url, pool_size=1)
    try:
        assert db.engine.dialect.driver in ("aiosqlite", "asyncpg")
        assert db.engine.dialect.driver == ("aiosqlite" if db_url.startswith("sqlite") else "asyncpg")
        async with db.session() as session:
            assert await session.scalar(text("SELECT 1")) == 1
    finally:
        await db.dispose()


def test_environment_variables_set_every_field(clean_env):
    clean_env.setenv("OMNIDESK_DATABASE_URL", "postgresql://desk@db.internal/omnidesk")
    clean_env.setenv("OMNIDESK_PORT", "9090")
    clean_env.setenv("OMNIDESK_DEFAULT_REGION", "pl")
    clean_env.setenv("OMNIDESK_WEBHOOK_SECRET", "s3")
    clean_env.setenv("OMNIDESK_WORKERS", "false")
    settings = load_settings()
    assert settings.database_url == "postgresql://desk@db.internal/omnidesk"
    assert settings.async_url == "postgresql+asyncpg://desk@db.internal/omnidesk"
    assert settings.port == 9090 and settings.default_region == "PL"
    assert settings.webhook_secret == "s3" and settings.workers is False
    assert not settings.is_sqlite


def test_bad_environment_value_is_refused(clean_env):
    clean_env.setenv("OMNIDESK_PORT", "eighty")
    with pytest.raises(ValidationError, match="port"):
        load_settings()


def test_toml_file_from_omnidesk_config_and_precedence(clean_env, tmp_path):
    config = _toml(
        tmp_path / "omnidesk.toml",
        'database_url = "sqlite:///srv/omnidesk/desk.db"\nport = 7000\nhost = "0.0.0.0"\nlogin_max_failures = 3\n',
    )
    clean_env.setenv("OMNIDESK_CONFIG", str(config))
    settings = load_settings()
    assert settings.database_url == "sqlite:///srv/omnidesk/desk.db" and settings.is_sqlite
    assert (settings.port, settings.host, settings.login_max_failures) == (7000, "0.0.0.0", 3)
    # The environment beats the file; a command-line flag beats both; None means "flag not given".
    clean_env.setenv("OMNIDESK_PORT", "7001")
    assert load_settings().port == 7001
    assert load_settings(port=7002).port == 7002
    assert load_settings(port=None).port == 7001


def test_config_argument_names_the_file(clean_env, tmp_path):
    config = _toml(tmp_path / "desk.toml", "port = 7100\n")
    assert load_settings(str(config)).port == 7100
    with pytest.raises(FileNotFoundError, match="not found"):
        load_settings(str(tmp_path / "missing.toml"))


def test_invalid_value_in_the_toml_file_is_refused(clean_env, tmp_path):
    config = _toml(tmp_path / "desk.toml", 'port = "many"\n')
    with pytest.raises(ValidationError, match="port"):
        load_settings(str(config))


def test_without_any_setting_the_database_is_sqlite_in_the_user_data_dir(clean_env):
    settings = load_settings()
    data_dir = Path(platformdirs.user_data_dir("omnidesk", appauthor=False))
    assert settings.database_url == default_database_url() == f"sqlite:///{data_dir / 'omnidesk.db'}"
    assert settings.is_sqlite


def test_db_upgrade_without_settings_creates_the_database_in_the_user_data_dir(clean_env, tmp_path):
    clean_env.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    result = omnidesk_here("db", "upgrade")
    assert result.returncode == 0, result.stderr
    database = tmp_path / "data" / "omnidesk" / "omnidesk.db"
    assert database.is_file()
    assert migrate.current_revision(f"sqlite:///{database}") == migrate.head_revision()


def test_cli_reads_the_toml_file_given_by_config_or_omnidesk_config(clean_env, tmp_path):
    clean_env.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    by_flag, by_env = tmp_path / "by-flag.db", tmp_path / "by-env.db"
    flag_config = _toml(tmp_path / "flag.toml", f'database_url = "sqlite:///{by_flag}"\n')
    env_config = _toml(tmp_path / "env.toml", f'database_url = "sqlite:///{by_env}"\n')
    result = omnidesk_here("--config", str(flag_config), "db", "upgrade")
    assert result.returncode == 0, result.stderr
    clean_env.setenv("OMNIDESK_CONFIG", str(env_config))
    result = omnidesk_here("db", "upgrade")
    assert result.returncode == 0, result.stderr
    assert by_flag.is_file() and by_env.is_file()
    assert not (tmp_path / "data").exists()  # the default location was not used
    result = omnidesk_here("--config", str(tmp_path / "nope.toml"), "db", "current")
    assert result.returncode == 4  # the configuration is invalid
    assert "configuration file not found" in result.stderr


def test_database_flag_beats_the_environment(clean_env, tmp_path):
    clean_env.setenv("OMNIDESK_DATABASE_URL", f"sqlite:///{tmp_path / 'from-env.db'}")
    result = omnidesk_here("db", "upgrade", database=f"sqlite:///{tmp_path / 'from-flag.db'}")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "from-flag.db").is_file() and not (tmp_path / "from-env.db").exists()
