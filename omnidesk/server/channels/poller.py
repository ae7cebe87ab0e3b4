"""Long polling, one abstraction for every platform that offers it: Telegram ``getUpdates``, VK's Bots Long Poll API
and MAX's ``GET /updates``; exactly one poll loop per channel across all server processes and instances.

The usual on-premise case is a server with no public address: it asks the platform (a long-poll request) instead of
being called. Two pollers of one channel would each confirm the other's updates away, so a poller first takes a
PostgreSQL session-level advisory lock keyed by the channel (``pg_try_advisory_lock``) on a connection it keeps for as
long as it polls; the other processes stand by and retry. When the holder dies its connection closes, the lock is
free, and a standby takes over from the stored position. On SQLite (one server process) the lock is the process's own.

The position rule: each poll asks from the last confirmed position (Telegram: ``offset = update_id + 1`` in
``channel_settings.last_update_id``; VK: server, key and ``ts``; MAX: the ``marker``, both in the channel's
``options.poll_position``). A position is stored only after the items before it are committed through the same
:class:`InboundHandler` as the webhook, so a crash redelivers (the platform's ids make that a no-op) and never loses
one. A poll-mode channel (``options.mode = poll``) is polled by the server's workers (:class:`ChannelPollers`);
``omnidesk channel poll ID`` runs the same loop in the foreground.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field

import httpx
from sqlalchemy import select, text, update
from sqlalchemy.orm.attributes import flag_modified

from omnidesk.channels.base import InboundItem, SendFailure
from omnidesk.channels.max import longpoll as max_longpoll
from omnidesk.channels.telegram.connector import TelegramConnector
from omnidesk.channels.vk import longpoll as vk_longpoll
from omnidesk.server.admin.models import Channel
from omnidesk.server.channels import service
from omnidesk.server.channels.inbound import InboundHandler, TryLater
from omnidesk.server.channels.models import ChannelSettings
from omnidesk.server.config import Settings
from omnidesk.server.db import Database, utcnow

log = logging.getLogger("omnidesk.channels.poll")

LOCK_BASE = 0x0D7E_6000_0000_0000  # advisory-lock key space of the channel pollers: LOCK_BASE + channel id
STANDBY_RETRY = 2.0
RESCAN = 10.0
POLLABLE = ("telegram", "vk", "max")


def lock_key(channel_id: int) -> int:
    return LOCK_BASE + channel_id


@dataclass
class Batch:
    """Items of one poll step and the position to confirm once they are committed."""

    items: list[InboundItem] = field(default_factory=list)
    update_id: int | None = None  # Telegram: confirmed into last_update_id
    position: dict | None = None  # VK / MAX: confirmed into options.poll_position
    error: str | None = None  # an unreadable update: recorded on the channel, then passed (or it would block all)


async def fetch(client: httpx.AsyncClient, connector, last: int | None, options: dict, wait: int) -> list[Batch]:
    """One long poll of the channel's platform, as batches to store and confirm in order."""
    if isinstance(connector, TelegramConnector):
        batches = []
        for entry in await connector.get_updates(client, None if last is None else last + 1, wait):
            update_id = entry.get("update_id") if isinstance(entry, dict) else None
            if not isinstance(update_id, int) or (last is not None and update_id <= last):
                continue
            try:
                batches.append(Batch(connector.parse_update(entry), update_id=update_id))
            except (ValueError, KeyError, TypeError) as exc:
                batches.append(Batch(update_id=update_id, error=f"update {update_id}: {exc}"))
        return batches
    saved = dict(options.get("poll_position") or {})
    if connector.kind == "vk":
        position = vk_longpoll.Position(saved.get("server"), saved.get("key"), saved.get("ts"))
        items, position = await vk_longpoll.poll(client, connector, position, wait=wait)
        return [Batch(items, position={"server": position.server, "key": position.key, "ts": position.ts})]
    if connector.kind == "max":
        items, marker = await max_longpoll.poll(client, connector, saved.get("marker"), timeout=wait)
        return [Batch(items, position={"marker": marker})]
    raise ValueError(f"a {connector.kind} channel has no long polling: only {', '.join(POLLABLE)}")


class ChannelPoller:
    """One channel's poll loop (``run``), holding the channel's lock while it polls."""

    def __init__(
        self,
        db: Database,
        settings: Settings,
        channel_id: int,
        batcher=None,
        *,
        retry: float = STANDBY_RETRY,
        require_poll_mode: bool = True,
    ):
        self.db = db
        self.settings = settings
        self.channel_id = channel_id
        self.batcher = batcher
        self.retry = retry
        self.require_poll_mode = require_poll_mode
        self.holding = asyncio.Event()
        self.handled = 0  # confirmed batches (Telegram: updates)
        self.stored = 0  # messages handed to ingest

    async def run(self) -> None:
        async with service.http_client(timeout=self.settings.telegram_poll_timeout + 15) as client:
            while True:
                try:
                    await self._hold_and_poll(client)
                except asyncio.CancelledError:
                    raise
                except Exception:
                    log.exception("channel %s: poller failed; retrying", self.channel_id)
                self.holding.clear()
                await asyncio.sleep(self.retry)

    async def _hold_and_poll(self, client: httpx.AsyncClient, *, once: bool = False) -> None:
        if self.db.sqlite:
            await self._poll(client, once=once)
            return
        async with self.db.engine.connect() as conn:
            got = await conn.scalar(text("SELECT pg_try_advisory_lock(:k)"), {"k": lock_key(self.channel_id)})
            await conn.commit()
            if not got:
                if once:
                    raise ValueError(f"another process polls channel {self.channel_id}")
                return  # another process polls this channel: stand by
            try:
                await self._poll(client, conn, once=once)
            finally:
                with contextlib.suppress(Exception):
                    await conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": lock_key(self.channel_id)})
                    await conn.commit()

    async def poll_once(self) -> int:
        """One poll without waiting (``omnidesk channel poll ID --once``): the number of messages stored."""
        async with service.http_client(timeout=30) as client:
            await self._hold_and_poll(client, once=True)
        return self.stored

    async def _load(self):
        async with self.db.session() as session:
            found = await service.load(session, self.settings, self.channel_id)
            offset = await session.scalar(
                select(ChannelSettings.last_update_id).where(ChannelSettings.channel_id == self.channel_id)
            )
            if found:
                session.expunge(found[0])
            await session.rollback()
        return found, offset

    def _wanted(self, found) -> bool:
        if found is None or not found[0].is_active or found[0].kind not in POLLABLE:
            return False
        return not self.require_poll_mode or found[1].config.options.get("mode") == "poll"

    async def _poll(self, client: httpx.AsyncClient, conn=None, *, once: bool = False) -> None:
        self.holding.set()
        log.info("channel %s: this process polls it", self.channel_id)
        handler = InboundHandler(self.db, self.settings, self.batcher)
        while True:
            found, last = await self._load()
            if not self._wanted(found):
                if once:
                    raise ValueError(f"channel {self.channel_id} has no long polling (active telegram, vk or max only)")
                return
            channel, connector = found
            if conn is not None:  # the lock's connection must stay alive; a dead one means the lock is gone
                await conn.execute(text("SELECT 1"))
                await conn.commit()
            wait = 0 if once else self.settings.telegram_poll_timeout
            try:
                batches = await fetch(client, connector, last, dict(connector.config.options), wait)
            except SendFailure as failure:
                if once:
                    raise
                await service.touch(self.db, self.channel_id, error=f"long poll: {failure.reason}")
                await asyncio.sleep(failure.retry_after or self.retry)
                continue
            except httpx.HTTPError as exc:
                if once:
                    raise
                log.warning("channel %s: long poll failed: %s", self.channel_id, type(exc).__name__)
                await asyncio.sleep(self.retry)
                continue
            for batch in batches:
                if batch.error is not None:
                    log.warning("channel %s: %s unreadable", self.channel_id, batch.error)
                    await service.touch(self.db, self.channel_id, update_id=batch.update_id, error=batch.error)
                    continue
                try:
                    acks = await handler.handle(channel, connector, batch.items, client)
                except (TryLater, SendFailure, httpx.HTTPError) as exc:
                    log.info("channel %s: a batch later: %s", self.channel_id, exc)
                    if once:
                        return
                    await asyncio.sleep(self.retry)
                    break  # the same position again: nothing confirmed, nothing lost
                await self._confirm(batch)
                self.handled += 1
                self.stored += len(acks)
                for item in batch.items:
                    if isinstance(connector, TelegramConnector) and item.external_id.startswith("callback:"):
                        with contextlib.suppress(SendFailure, httpx.HTTPError):
                            await connector.answer_callback(client, item.external_id.split(":", 1)[1])
            if once:
                return

    async def _confirm(self, batch: Batch) -> None:
        async with self.db.session() as session:
            if batch.update_id is not None:
                await session.execute(
                    update(ChannelSettings)
                    .where(ChannelSettings.channel_id == self.channel_id)
                    .values(last_update_id=batch.update_id, last_update_at=utcnow())
                )
            else:
                row = await session.get(ChannelSettings, self.channel_id)
                row.options = {**(row.options or {}), "poll_position": batch.position}
                row.last_update_at = utcnow()
                flag_modified(row, "options")
            await session.commit()


TelegramPoller = ChannelPoller  # the name of channels I


class ChannelPollers:
    """Keeps one :class:`ChannelPoller` per active poll-mode channel in this process (they contend for the locks)."""

    def __init__(self, db: Database, settings: Settings, batcher=None) -> None:
        self.db = db
        self.settings = settings
        self.batcher = batcher
        self.tasks: dict[int, asyncio.Task] = {}
        self.wake = asyncio.Event()  # set when a channel is added or disabled: look again now

    async def _wanted(self) -> set[int]:
        async with self.db.session() as session:
            rows = (
                await session.execute(
                    select(Channel.id, ChannelSettings.options)
                    .join(ChannelSettings, ChannelSettings.channel_id == Channel.id)
                    .where(Channel.kind.in_(POLLABLE), Channel.is_active)
                )
            ).all()
            await session.rollback()
        return {r.id for r in rows if (r.options or {}).get("mode") == "poll"}

    async def run(self) -> None:
        try:
            while True:
                try:
                    wanted = await self._wanted()
                except Exception:
                    log.exception("could not list the channels to poll")
                    wanted = set(self.tasks)
                for channel_id in wanted - set(self.tasks):
                    poller = ChannelPoller(self.db, self.settings, channel_id, self.batcher)
                    self.tasks[channel_id] = asyncio.create_task(poller.run(), name=f"channel-poll-{channel_id}")
                for channel_id in set(self.tasks) - wanted:
                    self.tasks.pop(channel_id).cancel()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.wake.wait(), RESCAN)
                self.wake.clear()
        finally:
            for task in self.tasks.values():
                task.cancel()
            for task in self.tasks.values():
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task


TelegramPollers = ChannelPollers
