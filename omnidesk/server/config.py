"""Server settings: environment variables ``OMNIDESK_*`` and an optional TOML file.

Precedence, highest first: explicit overrides (command-line flags), environment variables, the TOML file named by
``OMNIDESK_CONFIG`` (or ``--config``), then the defaults below. Every command reads the same settings.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import os
import secrets
import zoneinfo
from pathlib import Path
from typing import Annotated, Any

import platformdirs
from pydantic import Field, field_validator
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

APP_NAME = "omnidesk"


def default_database_url() -> str:
    data_dir = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    return f"sqlite:///{data_dir / 'omnidesk.db'}"


def named_zone(name: str) -> dt.tzinfo:
    """An IANA time zone by name (UTC too); ValueError naming it when there is none such."""
    if name.strip().upper() == "UTC":
        return dt.UTC
    try:
        return zoneinfo.ZoneInfo(name.strip())
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone: {name!r} (an IANA name such as Europe/Kyiv)") from None


def local_zone() -> dt.tzinfo:
    """The machine's time zone with its summer time rules: $TZ, else /etc/localtime, else UTC."""
    name = os.environ.get("TZ", "").lstrip(":")
    if name:
        try:
            return named_zone(name)
        except ValueError:
            pass
    try:
        with open("/etc/localtime", "rb") as file:
            return zoneinfo.ZoneInfo.from_file(file, key="localtime")
    except (OSError, ValueError):
        return dt.UTC


def async_database_url(url: str) -> str:
    """Turn the URL an admin writes into the one SQLAlchemy's async engine needs.

    ``sqlite:///path`` → ``sqlite+aiosqlite:///path``; ``postgresql://`` or ``postgres://`` →
    ``postgresql+asyncpg://``. A URL that already names a driver is left alone.
    """
    url = url.strip()
    scheme, sep, rest = url.partition("://")
    if not sep:
        # The value itself is not repeated: it may hold a password.
        raise ValueError("not a database URL: use postgresql://user@host:5432/db or sqlite:///path")
    scheme = scheme.lower()
    if scheme == "sqlite":
        return "sqlite+aiosqlite://" + rest
    if scheme in ("postgresql", "postgres"):
        return "postgresql+asyncpg://" + rest
    if scheme in ("sqlite+aiosqlite", "postgresql+asyncpg"):
        return url
    raise ValueError(f"unsupported database URL scheme {scheme!r}: use postgresql:// or sqlite://")


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
    search_pool_size: int = Field(
        4,
        ge=0,
        le=64,
        description="PostgreSQL only: connections per process kept for history search, each with the search "
        "dictionaries loaded when it opens (PostgreSQL loads hunspell dictionaries into each connection on first use, "
        "about a second); 0: searches share the main pool and pay that load on each connection's first search.",
    )
    sqlite_busy_timeout: float = Field(
        30.0,
        gt=0,
        le=600,
        description="SQLite only: seconds a request waits for the database's write lock (another process holding it: "
        "a backup, a migration, a stuck tool) before it is answered 503 with Retry-After.",
    )
    organisation_name: str = Field(
        "OmniDesk", max_length=200, description="The organisation's name at the top of exported and printed histories."
    )
    # Work organisation (issue 11).
    offline_grace: float = Field(
        120.0, ge=0, description="Seconds an offline operator keeps their conversations before they return to queue."
    )
    assign_interval: float = Field(1.0, gt=0, description="Seconds between passes of push assignment.")
    presence_timeout: float = Field(
        180.0, gt=0, description="Seconds of silence from an operator's client after which they count as offline."
    )

    # --- hardening (issue 17) ------------------------------------------------------------------------------------
    trusted_proxies: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description=(
            "Addresses or networks of reverse proxies whose X-Forwarded-For is believed (e.g. ['127.0.0.1']). "
            "Empty: the header is ignored and the peer address is the client."
        ),
    )
    login_max_failures_per_address: int = Field(
        50, ge=1, description="Failed logins from one address (any user names) in the window before it is refused."
    )
    login_max_delay: float = Field(
        60.0, gt=0, description="Longest wait between attempts on one account under attack (progressive delay), s."
    )
    login_alert_failures: int = Field(
        25, ge=1, description="Failed logins on one account in the window that raise an alert to admins."
    )
    stream_recheck_interval: float = Field(
        2.0, gt=0, description="Seconds between re-checks of an open event stream's session, role and queues."
    )
    webhook_allowed_hosts: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description=(
            "Host names, addresses or networks webhooks may target (e.g. ['crm.example.com', '10.20.0.0/16']). "
            "Empty: any host."
        ),
    )
    unlinked_customers_visible: bool = Field(
        True,
        description=(
            "Whether operators see (and may merge) customers that have no conversation yet; "
            "False: only supervisors and admins do."
        ),
    )
    audit_key: str = Field(
        default_factory=lambda: secrets.token_hex(32),
        repr=False,
        description="Key for the tags by which the audit log tells unknown user names apart without storing them.",
    )
    # --- provider channels and attachments (omnidesk/server/channels, omnidesk/server/attachments) ----------------
    channel_key: str | None = Field(
        None,
        description="Fernet key(s) encrypting channel credentials at rest, comma-separated (newest first, for "
        "rotation). Without it the key is read from channel_key_file.",
        repr=False,
    )
    channel_key_file: str | None = Field(
        None,
        description="File holding the channel-credentials key; created (mode 0600) on first use. Default: "
        "channel.key in data_dir.",
    )
    data_dir: str | None = Field(
        None, description="Where the server keeps files (attachments, the key file). Default: the user data dir."
    )
    public_url: str | None = Field(
        None,
        description="The server's public base URL, for platform webhooks and the e-mail survey's links "
        "(https://desk.example.com); without it e-mail surveys are text only.",
    )
    public_file_link_hours: int = Field(
        168,
        ge=1,
        le=24 * 90,
        description="How long the public address of a reply's file stays valid (Viber and Instagram fetch files "
        "operators send from <public_url>/files/...; without public_url such files are refused). Hours.",
    )
    attachment_max_bytes: int = Field(20 * 1024 * 1024, ge=1024, description="Largest attachment, bytes.")
    attachment_db_max_bytes: int = Field(
        64 * 1024, ge=0, description="Attachments up to this size are kept in the database, larger ones on disk."
    )
    telegram_pollers: bool = Field(True, description="Run the long-poll workers (poll-mode Telegram, VK, MAX) here.")
    telegram_poll_timeout: int = Field(25, ge=0, le=50, description="getUpdates long-poll timeout, seconds.")

    # --- Operations: metrics and logs (omnidesk/server/ops; admin workstream) ---------------------------------------
    metrics_token: str | None = Field(
        None, repr=False, description="Bearer token Prometheus sends to GET /metrics; unset = loopback scrapes only."
    )
    log_format: str = Field("text", pattern="^(text|json)$", description="text, or json: one JSON object per line.")

    # --- Retention (omnidesk/server/retention; admin workstream) ---------------------------------------------------
    audit_retention_months: int = Field(
        24, ge=12, description="Months the audit log is kept (at least 12); `omnidesk retention run` prunes older rows."
    )
    retention_schedule: bool = Field(
        True, description="Apply the retention policies by themselves once a day (with the background workers)."
    )
    retention_time: str = Field(
        "02:30", description="Local time of day (HH:MM, 24-hour) of the daily retention run, in retention_time_zone."
    )
    retention_time_zone: str = Field(
        "", description="IANA time zone of retention_time, e.g. Europe/Kyiv; empty = the server machine's time zone."
    )

    # --- Directory sign-in: LDAP / Active Directory (omnidesk/server/auth_ldap; admin workstream) -----------------
    ldap_url: str | None = Field(
        None, description="ldaps://dc.example.org:636 or ldap://dc.example.org:389 (with ldap_start_tls); unset = off."
    )
    ldap_start_tls: bool = Field(False, description="Upgrade an ldap:// connection with StartTLS before binding.")
    ldap_ca_file: str | None = Field(
        None, description="PEM file of the corporate CA the directory's certificate is checked against."
    )
    ldap_bind_dn: str | None = Field(None, description="The service account that looks users up.")
    ldap_bind_password: str | None = Field(None, repr=False, description="The service account's password.")
    ldap_user_base: str | None = Field(None, description="Where users are searched, e.g. ou=people,dc=example,dc=org.")
    ldap_user_filter: str = Field(
        "(|(sAMAccountName={username})(uid={username}))",
        description="How a user is found; {username} is replaced by the escaped sign-in name.",
    )
    ldap_disabled_filter: str = Field(
        "(userAccountControl:1.2.840.113556.1.4.803:=2)",
        description="Entries matching this are disabled accounts (default: Active Directory's ACCOUNTDISABLE bit).",
    )
    ldap_group_base: str | None = Field(
        None,
        description="Where groups naming the user as member/uniqueMember/memberUid are searched (besides memberOf).",
    )
    ldap_nested_groups: str = Field(
        "auto",
        pattern="^(auto|in_chain|recursive|off)$",
        description="Groups inside groups count: in_chain (Active Directory's LDAP_MATCHING_RULE_IN_CHAIN), recursive "
        "(level by level, for OpenLDAP and others), auto (in_chain when the directory is Active Directory), or off.",
    )
    ldap_group_roles: dict[str, str] = Field(
        default_factory=dict, description="Group DN -> operator, supervisor or admin; the highest mapped role wins."
    )
    ldap_group_queues: dict[str, list[str]] = Field(
        default_factory=dict, description="Group DN -> names of the queues its members work in."
    )
    ldap_default_role: str | None = Field(
        None, description="Role of a directory user in no mapped group; unset = such users are refused."
    )
    ldap_timeout: float = Field(5.0, gt=0, description="Seconds to wait for the directory server.")

    @field_validator("database_url")
    @classmethod
    def _check_url(cls, value: str) -> str:
        async_database_url(value)
        return value

    @field_validator("retention_time")
    @classmethod
    def _check_retention_time(cls, value: str) -> str:
        from omnidesk.domain.retention import parse_time

        return parse_time(value).strftime("%H:%M")

    @field_validator("retention_time_zone")
    @classmethod
    def _check_retention_zone(cls, value: str) -> str:
        value = value.strip()
        if value:
            named_zone(value)
        return value

    @property
    def retention_zone(self) -> dt.tzinfo:
        """The zone of ``retention_time``: the one named, else the machine's own (with its summer time rules)."""
        return named_zone(self.retention_time_zone) if self.retention_time_zone else local_zone()

    @field_validator("default_region")
    @classmethod
    def _upper_region(cls, value: str) -> str:
        return value.strip().upper()

    @field_validator("trusted_proxies", "webhook_allowed_hosts", mode="before")
    @classmethod
    def _split_list(cls, value: Any) -> Any:
        if isinstance(value, str):  # OMNIDESK_TRUSTED_PROXIES=10.0.0.1,10.0.0.2 as well as a JSON list
            value = value.strip()
            if value.startswith("["):
                return json.loads(value)
            return [v.strip() for v in value.split(",") if v.strip()]
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _check_networks(cls, value: list[str]) -> list[str]:
        for item in value:
            try:
                ipaddress.ip_network(item, strict=False)
            except ValueError:
                raise ValueError(f"trusted_proxies: {item!r} is not an address or network") from None
        return value

    @property
    def trusted_networks(self) -> tuple:
        return tuple(ipaddress.ip_network(v, strict=False) for v in self.trusted_proxies)

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
    def files_dir(self) -> Path:
        """The server's data directory (attachments, the channel key file)."""
        if self.data_dir:
            return Path(self.data_dir)
        return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))

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
