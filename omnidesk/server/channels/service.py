"""Provider channels: creating them (credentials sealed), their connector configuration, health, templates.

Every provider kind (Telegram, WhatsApp, Viber, VK, Meta/Messenger, Instagram, MAX) keeps one ``channel_settings``
row and is reached by the platform at one webhook address, ``/hooks/{kind}/{channel_id}``.

Credentials live only in ``channel_settings.secrets`` as one Fernet token (see crypto.py); they are decrypted into a
:class:`ChannelConfig` for the connector and never returned by the API nor written to the log or the audit trail.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import secrets as pysecrets
import time
from dataclasses import dataclass

import httpx
from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.channels import connector_for
from omnidesk.channels.base import ChannelConfig, Connector, Health
from omnidesk.channels.telegram.connector import TelegramConnector
from omnidesk.domain.enums import ChannelKind, EventType
from omnidesk.protocol.channels import ChannelHealth, HealthCheck, ProviderChannelOut
from omnidesk.server.admin.models import Channel
from omnidesk.server.admin.service import create_api_channel
from omnidesk.server.audit import service as audit
from omnidesk.server.audit.service import Actor
from omnidesk.server.channels import crypto, kinds
from omnidesk.server.channels.models import ChannelSettings, ChannelTemplate
from omnidesk.server.config import Settings
from omnidesk.server.conversations.models import Conversation, Message
from omnidesk.server.conversations.serialize import message_out, message_query
from omnidesk.server.db import Database, utcnow
from omnidesk.server.events.service import emit_many

PROVIDERS = (ChannelKind.TELEGRAM.value, ChannelKind.WHATSAPP.value)
MESSENGERS = tuple(kinds.KINDS)  # viber, vk, meta, instagram, max: credentials as the administrator gives them
HOOK_KINDS = PROVIDERS + MESSENGERS  # the kinds a platform delivers to at /hooks/{kind}/{channel_id}
COMMENT_KINDS = frozenset({"vk", "meta", "instagram"})

# The Bot API puts the bot's token in every URL (/bot<token>/method): httpx logs request URLs at INFO, so the token
# is cut out of those records before any handler sees them ("secrets never in logs").
_BOT_TOKEN = re.compile(r"/bot\d+:[A-Za-z0-9_-]+")


class RedactBotTokens(logging.Filter):
    @staticmethod
    def _clean(value):
        if isinstance(value, str | httpx.URL):
            return _BOT_TOKEN.sub("/bot<token>", str(value))
        return value

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(self._clean(a) for a in record.args)
        if isinstance(record.msg, str):
            record.msg = _BOT_TOKEN.sub("/bot<token>", record.msg)
        return True


for _name in ("httpx", "httpcore"):
    if not any(isinstance(f, RedactBotTokens) for f in logging.getLogger(_name).filters):
        logging.getLogger(_name).addFilter(RedactBotTokens())


def http_client(timeout: float = 30.0) -> httpx.AsyncClient:
    """Outbound HTTP to the platforms: honours HTTPS_PROXY/HTTP_PROXY/NO_PROXY and the system CA bundle."""
    return httpx.AsyncClient(timeout=timeout, follow_redirects=False, trust_env=True)


def webhook_path(kind: str, channel_id: int) -> str:
    return f"/hooks/{kind}/{channel_id}"


def webhook_url(public_url: str | None, kind: str, channel_id: int) -> str | None:
    if not public_url:
        return None
    return public_url.rstrip("/") + webhook_path(kind, channel_id)


def _check_base(url: str | None) -> str | None:
    if url is None or not url.strip():
        return None
    url = url.strip().rstrip("/")
    if not url.lower().startswith(("http://", "https://")):
        raise ValueError("the API base must start with http:// or https://")
    return url


def config_of(settings: Settings, channel: Channel, row: ChannelSettings) -> ChannelConfig:
    options = dict(row.options or {})
    return ChannelConfig(
        channel_id=channel.id,
        name=channel.name,
        api_base=row.api_base,
        webhook_url=webhook_url(options.get("public_url") or settings.public_url, channel.kind, channel.id),
        secrets=crypto.unseal(settings, row.secrets) if row.secrets else {},
        options=options,
    )


async def load(session: AsyncSession, settings: Settings, channel_id: int) -> tuple[Channel, Connector] | None:
    row = (
        await session.execute(
            select(Channel, ChannelSettings)
            .join(ChannelSettings, ChannelSettings.channel_id == Channel.id)
            .where(Channel.id == channel_id)
        )
    ).first()
    if row is None:
        return None
    return row.Channel, connector_for(row.Channel.kind, config_of(settings, row.Channel, row.ChannelSettings))


@dataclass
class _Cached:
    until: float
    channel: Channel | None
    connector: Connector | None


class ConnectorCache:
    """Channel id -> (channel, connector) for the webhook hot path; a few seconds stale at most."""

    def __init__(self, ttl: float = 10.0) -> None:
        self.ttl = ttl
        self._items: dict[int, _Cached] = {}
        self._touched: dict[int, float] = {}

    async def get(
        self, db: Database, settings: Settings, channel_id: int, *, disabled: bool = False
    ) -> tuple[Channel, Connector] | None:
        """The channel and its connector; a disabled channel only with ``disabled`` (the webhook says so in words
        once a request is verified)."""
        now = time.monotonic()
        hit = self._items.get(channel_id)
        if hit is None or hit.until < now:
            async with db.session() as session:
                found = await load(session, settings, channel_id)
                if found:
                    session.expunge(found[0])
            hit = _Cached(now + self.ttl, *(found or (None, None)))
            if len(self._items) > 1000:
                self._items.clear()
            self._items[channel_id] = hit
        if hit.channel is None or not (hit.channel.is_active or disabled):
            return None
        return hit.channel, hit.connector

    def forget(self, channel_id: int) -> None:
        self._items.pop(channel_id, None)

    def should_touch(self, channel_id: int, every: float = 5.0) -> bool:
        """Whether to record "last update" now (at most every few seconds per channel, not per request)."""
        now = time.monotonic()
        if now - self._touched.get(channel_id, 0.0) < every:
            return False
        self._touched[channel_id] = now
        return True


async def touch(db: Database, channel_id: int, *, update_id: int | None = None, error: str | None = None) -> None:
    values: dict = {"last_update_at": utcnow()}
    if update_id is not None:
        values["last_update_id"] = update_id
    if error is not None:
        values["last_error"] = error[:1000]
    async with db.session() as session:
        await session.execute(update(ChannelSettings).where(ChannelSettings.channel_id == channel_id).values(**values))
        await session.commit()


async def count_rejected(db: Database, channel_id: int, reason: str) -> None:
    async with db.session() as session:
        await session.execute(
            update(ChannelSettings)
            .where(ChannelSettings.channel_id == channel_id)
            .values(rejected=ChannelSettings.rejected + 1, last_error=f"refused an inbound request: {reason}"[:1000])
        )
        await session.commit()


async def create_provider_channel(
    session: AsyncSession,
    settings: Settings,
    *,
    kind: str,
    name: str,
    secrets: dict[str, str],
    options: dict,
    api_base: str | None = None,
    queue_id: int | None = None,
    actor: Actor | None = None,
) -> tuple[Channel, ChannelConfig]:
    """Create a Telegram or WhatsApp channel with its sealed credentials. The caller commits."""
    if kind not in PROVIDERS:
        raise ValueError(f"not a provider channel kind: {kind}")
    if not name.strip():
        raise ValueError("the channel needs a name")
    if kind == ChannelKind.TELEGRAM.value:
        secrets = {**secrets, "webhook_secret": pysecrets.token_urlsafe(32)}
        if options.get("mode") not in ("webhook", "poll"):
            raise ValueError("mode must be webhook or poll")
        if options["mode"] == "webhook" and not (options.get("public_url") or settings.public_url):
            raise ValueError("webhook mode needs the server's public URL (--public-url or the public_url setting)")
    for field, value in secrets.items():
        if not value or not value.strip() or any(c in value for c in "\r\n"):
            raise ValueError(f"{field} is missing or contains a line break")
    base = _check_base(api_base)
    channel, _token = await create_api_channel(session, name=name, queue_id=queue_id, kind=ChannelKind(kind))
    return channel, await _configure(session, settings, channel, kind, secrets, options, base, actor)


@dataclass(frozen=True)
class Created:
    channel: Channel
    generated: dict[str, str]  # secrets made here, shown once (to enter in the platform's console)
    comments: Channel | None = None  # where the platform's public comments become conversations of kind "comment"

    @property
    def hook_path(self) -> str:
        return webhook_path(self.channel.kind, self.channel.id)


async def create_messenger_channel(
    session: AsyncSession,
    settings: Settings,
    *,
    kind: str,
    name: str,
    secrets: dict[str, str],
    options: dict[str, str] | None = None,
    api_base: str | None = None,
    queue_id: int | None = None,
    actor: Actor | None = None,
) -> Created:
    """A Viber, VK, Meta, Instagram or MAX channel with its sealed credentials (the caller commits). ValueError for
    bad input, :class:`crypto.SecretsUnreadable` without a usable key (checked before anything is written)."""
    options = {k: str(v) for k, v in (options or {}).items()}
    secrets = {k: str(v) for k, v in secrets.items() if v is not None}
    kinds.check(kind, secrets, options)
    if not name.strip():
        raise ValueError("the channel needs a name")
    base = _check_base(api_base)
    generated = {}
    for field in kinds.KINDS[kind].generated:
        if not secrets.get(field):
            secrets[field] = generated[field] = kinds.generate(kind)
    sealed = crypto.seal(settings, secrets)  # before anything is written: no key, no channel
    channel, _token = await create_api_channel(session, name=name, queue_id=queue_id, kind=ChannelKind(kind))
    comments = None
    if kind in COMMENT_KINDS:
        # Public comments get a channel of their own, so that a customer's comment and their private messages are two
        # conversations (the open conversation is per customer, channel and identity), sharing the credentials.
        comments, _token = await create_api_channel(
            session, name=f"{name.strip()[:180]} · comments", queue_id=channel.queue_id, kind=ChannelKind(kind)
        )
        twin = {**options, "comments_for": str(channel.id)}
        twin.pop("mode", None)  # the main channel polls for both
        session.add(_settings_row(comments.id, sealed, twin, base))
        options = {**options, "comments_channel": str(comments.id)}
    session.add(_settings_row(channel.id, sealed, options, base))
    await session.flush()
    # The audit names what was set, never a value.
    await audit.record(
        session,
        actor,
        "channel.create",
        "channel",
        channel.id,
        {"name": channel.name, "kind": kind, "secrets": sorted(secrets), "options": options, "api_base": base},
    )
    return Created(channel, generated, comments)


def _settings_row(channel_id: int, sealed: str, options: dict, base: str | None) -> ChannelSettings:
    return ChannelSettings(
        channel_id=channel_id, secrets=sealed, options=options, api_base=base, rejected=0, updated_at=utcnow()
    )


async def update_secrets(session: AsyncSession, settings: Settings, channel_id: int, **changes: str) -> None:
    """Change some secrets of a channel (VK's confirmation string learnt at registration, a renewed token), and of
    its comments channel, which shares them."""
    row = await session.get(ChannelSettings, channel_id)
    if row is None or not row.secrets:
        raise ValueError(f"channel {channel_id} has no credentials")
    secrets = crypto.unseal(settings, row.secrets)
    secrets.update({k: v for k, v in changes.items() if v})
    row.secrets = crypto.seal(settings, secrets)
    row.updated_at = utcnow()
    companion = (row.options or {}).get("comments_channel")
    if companion:
        twin = await session.get(ChannelSettings, int(companion))
        if twin is not None:
            twin.secrets = row.secrets
    await session.flush()


async def configure_existing(
    session: AsyncSession,
    settings: Settings,
    channel_id: int,
    *,
    secrets: dict[str, str],
    options: dict,
    api_base: str | None = None,
    actor: Actor | None = None,
) -> ChannelConfig:
    """Give an existing channel of a provider kind its credentials (the demo's seeded channels). Caller commits.
    The returned config's secrets include the ones made here (Telegram's and MAX's webhook secret, VK's secret key,
    Meta's verify token): what the platform (or the demo standing in for it) must be told."""
    channel = await session.get(Channel, channel_id)
    if channel is None or channel.kind not in HOOK_KINDS:
        raise ValueError(f"no provider channel {channel_id}")
    if channel.kind == ChannelKind.TELEGRAM.value and "webhook_secret" not in secrets:
        secrets = {**secrets, "webhook_secret": pysecrets.token_urlsafe(32)}
    if channel.kind in MESSENGERS:
        options = {k: str(v) for k, v in options.items() if v is not None}
        kinds.check(channel.kind, secrets, options)
        secrets = dict(secrets)
        for field in kinds.KINDS[channel.kind].generated:
            secrets.setdefault(field, kinds.generate(channel.kind))
    return await _configure(session, settings, channel, channel.kind, secrets, options, _check_base(api_base), actor)


async def _configure(session, settings, channel, kind, secrets, options, base, actor) -> ChannelConfig:
    row = ChannelSettings(
        channel_id=channel.id,
        secrets=crypto.seal(settings, secrets),
        options={k: v for k, v in options.items() if v is not None},
        api_base=base,
        rejected=0,
        updated_at=utcnow(),
    )
    session.add(row)
    await session.flush()
    shown = {k: v for k, v in row.options.items() if k != "public_url"}
    await audit.record(
        session, actor, "channel.configure", "channel", channel.id, {"kind": kind, "options": shown, "api_base": base}
    )
    return config_of(settings, channel, row)


async def connect_telegram(config: ChannelConfig, client: httpx.AsyncClient) -> dict:
    """Check the token (getMe) and set the webhook or remove it (poll mode: getUpdates answers 409 while one is set)."""
    connector = TelegramConnector(config)
    me = await connector.get_me(client)
    if config.options.get("mode") == "webhook":
        assert config.webhook_url
        await connector.set_webhook(client, config.webhook_url, config.secrets["webhook_secret"])
    else:
        await connector.delete_webhook(client)
    return me


async def disable(session: AsyncSession, channel_id: int, actor: Actor | None) -> bool:
    result = await session.execute(update(Channel).where(Channel.id == channel_id).values(is_active=False))
    if result.rowcount != 1:
        return False
    await audit.record(session, actor, "channel.disable", "channel", channel_id)
    return True


def channel_out(
    settings: Settings, channel: Channel, row: ChannelSettings | None, generated: dict | None = None
) -> ProviderChannelOut:
    """A channel as the admin API and ``omnidesk channel show`` give it: its configuration, never a credential."""
    options = dict(row.options or {}) if row else {}
    public = options.get("public_url") or settings.public_url
    hooked = row is not None and channel.kind in HOOK_KINDS
    return ProviderChannelOut(
        webhook_path=webhook_path(channel.kind, channel.id) if hooked else None,
        generated=generated or {},
        id=channel.id,
        kind=channel.kind,
        name=channel.name,
        active=channel.is_active,
        queue_id=channel.queue_id,
        options=options,
        api_base=row.api_base if row else None,
        webhook_url=webhook_url(public, channel.kind, channel.id) if hooked else channel.webhook_url,
        last_update_at=row.last_update_at if row else None,
        rejected=row.rejected if row else 0,
        last_error=row.last_error if row else None,
    )


def health_report(
    channel: Channel, row: ChannelSettings, platform: Health, now: dt.datetime | None = None
) -> ChannelHealth:
    """The channel's health in words ("token valid, webhook set, last update 5 s ago"): what the platform answered,
    whether the channel is enabled, when its last update came and how many forged requests were refused."""
    checks = [HealthCheck(name=n, ok=ok, detail=d) for n, ok, d in platform.checks]
    if not channel.is_active:
        checks.append(HealthCheck(name="active", ok=False, detail="the channel is disabled"))
    last = row.last_update_at
    ago = ((now or utcnow()) - last).total_seconds() if last else None
    checks.append(
        HealthCheck(
            name="updates",
            ok=True,
            detail=f"last update {ago:.0f} s ago" if ago is not None else "no update received yet",
        )
    )
    if row.rejected:
        checks.append(HealthCheck(name="rejected", ok=True, detail=f"{row.rejected} unverified requests refused"))
    return ChannelHealth(
        id=channel.id,
        ok=platform.ok and channel.is_active,
        checks=checks,
        last_update_at=last,
        last_update_seconds=ago,
        rejected=row.rejected,
    )


class NoTemplates(LookupError):
    """The channel does not exist or its kind has no templates."""


async def sync_channel_templates(
    session: AsyncSession, settings: Settings, channel_id: int, client: httpx.AsyncClient, actor: Actor | None
) -> int:
    """Fetch the approved templates from the business account, replace the stored ones and audit it (the caller
    commits). :class:`NoTemplates` without such a channel; the platform's refusal as :class:`SendFailure`."""
    found = await load(session, settings, channel_id)
    if found is None or not found[1].capabilities.templates:
        raise NoTemplates(f"no channel with templates has id {channel_id}")
    count = await sync_templates(session, found[1], client)
    await audit.record(session, actor, "channel.templates_sync", "channel", channel_id, {"count": count})
    return count


async def sync_templates(session: AsyncSession, connector: Connector, client: httpx.AsyncClient) -> int:
    found = await connector.templates(client)
    channel_id = connector.config.channel_id
    await session.execute(delete(ChannelTemplate).where(ChannelTemplate.channel_id == channel_id))
    now = utcnow()
    seen = set()
    for t in found:
        if (t.name, t.language) in seen:
            continue
        seen.add((t.name, t.language))
        await session.execute(
            insert(ChannelTemplate).values(
                channel_id=channel_id,
                name=t.name[:512],
                language=t.language[:16],
                status=t.status[:32],
                category=(t.category or None) and t.category[:32],
                body=t.body,
                parameters=t.parameters,
                synced_at=now,
            )
        )
    return len(seen)


async def last_inbound_at(session: AsyncSession, conversation_id: int) -> dt.datetime | None:
    from sqlalchemy import func

    return await session.scalar(
        select(func.max(Message.sent_at)).where(Message.conversation_id == conversation_id, Message.direction == "in")
    )


async def announce_message(session: AsyncSession, db: Database, message_id: int) -> None:
    """A ``message.updated`` event for the message's conversation audience (in the caller's transaction)."""
    row = (
        await session.execute(message_query().where(Message.id == message_id).execution_options(populate_existing=True))
    ).one()
    conv = (
        await session.execute(
            select(Conversation.queue_id, Conversation.assignee_id).where(
                Conversation.id == row.Message.conversation_id
            )
        )
    ).one()
    await emit_many(
        session,
        db,
        [(EventType.MESSAGE_UPDATED.value, {"message": message_out(row).model_dump(mode="json")})],
        queue_id=conv.queue_id,
        user_id=conv.assignee_id,
    )
