"""Server settings: environment variables ``OMNIDESK_*`` and an optional TOML file.

Precedence, highest first: explicit overrides (command-line flags), environment variables, the TOML file named by
``OMNIDESK_CONFIG`` (or ``--config``), then the defaults below. Every command reads the same settings.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import platformdirs
from pydantic import Field, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

APP_NAME = "omnidesk"


def default_database_url() -> str:
    data_dir = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    return f"sqlite:///{data_dir / 'omnidesk.db'}"


def async_database_url(url: str) -> str:
    """Turn the URL an admin writes into the one SQLAlchemy's async engine needs.

    ``sqlite:///path`` → ``sqlite+aiosqlite:///path``; ``postgresql://`` or ``postgres://`` →
    ``postgresql+asyncpg://``. A URL that already names a driver is left alone.
    """
    url = url.strip()
    scheme, sep, rest = url.partition("://")
    if not sep:
        raise ValueError(f"not a database URL: {url!r} (expected sqlite:///path or postgresql://user@host/db)")
    scheme = scheme.lower()
    if scheme == "sqlite":
        return "sqlite+aiosqlite://" + rest
    if scheme in ("postgresql", "postgres"):
        return "postgresql+asyncpg://" + rest
    if scheme in ("sqlite+aiosqlite", "postgresql+asyncpg"):
        return url
    raise ValueError(f"unsupported database {scheme!r}: use sqlite:/// or postgresql://")


class Settings(BaseSettings):
    """All server settings. Field names map to ``OMNIDESK_<NAME>`` environment variables."""

    model_config = SettingsConfigDict(env_prefix="OMNIDESK_", extra="ignore")

    database_url: str = Field(default_factory=default_database_url, description="sqlite:///… or postgresql://…")
    host: str = Field("127.0.0.1", description="Address the API listens on.")
    port: int = Field(8080, ge=1, le=65535, description="Port the API listens on.")
    default_region: str = Field("UA", description="Region for phone numbers written without a country code.")
    access_token_ttl: int = Field(900, ge=30, description="Access token lifetime, seconds.")
    refresh_token_ttl: int = Field(30 * 24 * 3600, ge=60, description="Refresh token lifetime, seconds.")
    login_max_failures: int = Field(5, ge=1, description="Failed logins per user or address before throttling.")
    login_window: int = Field(900, ge=10, description="Window in seconds over which failed logins are counted.")
    max_body_bytes: int = Field(1_048_576, ge=1024, description="Largest accepted request body, bytes.")
    heartbeat_interval: float = Field(15.0, gt=0, description="Seconds between heartbeats on the event stream.")
    outbox_max_attempts: int = Field(12, ge=1, description="Delivery attempts before a reply is marked failed.")
    outbox_base_delay: float = Field(1.0, gt=0, description="First retry delay, seconds; doubles per attempt.")
    outbox_max_delay: float = Field(300.0, gt=0, description="Longest delay between delivery attempts, seconds.")
    outbox_timeout: float = Field(10.0, gt=0, description="Timeout of one webhook delivery, seconds.")
    webhook_secret: str | None = Field(None, description="Shared secret for the HMAC signature of webhook POSTs.")
    workers: bool = Field(True, description="Run the background workers (outbox, event sequencer) in this process.")
    processes: int = Field(
        0,
        ge=0,
        le=64,
        description="Server processes sharing the port (PostgreSQL only); 0 = one per CPU core, at most 8.",
    )
    log_level: str = Field("info", description="debug, info, warning or error.")
    db_pool_size: int = Field(20, ge=1, description="PostgreSQL connection pool size per process.")

    @field_validator("database_url")
    @classmethod
    def _check_url(cls, value: str) -> str:
        async_database_url(value)
        return value

    @field_validator("default_region")
    @classmethod
    def _upper_region(cls, value: str) -> str:
        return value.strip().upper()

    @property
    def async_url(self) -> str:
        return async_database_url(self.database_url)

    @property
    def server_processes(self) -> int:
        """How many processes `omnidesk server` runs: always one on SQLite (a single writer), else as configured."""
        if self.is_sqlite:
            return 1
        return self.processes or max(1, min(8, os.cpu_count() or 1))

    @property
    def is_sqlite(self) -> bool:
        return self.async_url.startswith("sqlite")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        config_file = os.environ.get("OMNIDESK_CONFIG")
        if config_file:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=Path(config_file)))
        return tuple(sources)


def load_settings(config_file: str | None = None, **overrides: Any) -> Settings:
    """Settings from file and environment, with non-None ``overrides`` on top (command-line flags)."""
    if config_file:
        if not Path(config_file).is_file():
            raise FileNotFoundError(f"configuration file not found: {config_file}")
        os.environ["OMNIDESK_CONFIG"] = config_file
    return Settings(**{k: v for k, v in overrides.items() if v is not None})
