"""Reading each mailbox: exactly one reader per mailbox across processes and servers, IDLE or polling, by UID.

On PostgreSQL a reader holds ``pg_try_advisory_lock`` on its own connection for as long as it reads; another process
or server that fails to take it waits as a hot standby and takes over within ``standby_interval`` when the holder
dies (its connection closes, the lock goes). On SQLite (one server process) an in-process lock is enough.

The (UIDVALIDITY, last UID) position is kept in ``mail_positions``: it advances only after the messages up to it are
committed, so a crash re-reads at most the last batch, which the Message-ID external id turns into duplicates that
change nothing. A new UIDVALIDITY (the folder was recreated) starts the folder again from its first message, with
the same protection against doubles.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import zlib

from sqlalchemy import select, text

from omnidesk.channels.email.imap import ImapSettings, Mailbox
from omnidesk.server.db import Database, utcnow
from omnidesk.server.email.models import MailboxPosition
from omnidesk.server.email.service import email_channels, store_mail
from omnidesk.server.ingest.service import ChannelRef

log = logging.getLogger("omnidesk.email")

LOCK_NAMESPACE = 0x6F6D6D61  # "omma": advisory locks of mailbox readers


def lock_key(channel_id: int) -> int:
    return (LOCK_NAMESPACE << 32 | zlib.crc32(f"mail:{channel_id}".encode())) & 0x7FFFFFFFFFFFFFFF


def imap_settings(options: dict, secrets: dict) -> ImapSettings:
    return ImapSettings(
        host=options["imap_host"],
        port=int(options["imap_port"]),
        username=options.get("username") or options["address"],
        password=secrets.get("password", ""),
        tls=bool(options.get("imap_tls", True)),
        folder=options.get("folder") or "INBOX",
    )


async def load_position(db: Database, channel_id: int, folder: str) -> tuple[int | None, int]:
    async with db.session() as session:
        row = await session.get(MailboxPosition, (channel_id, folder))
        found = (row.uidvalidity, row.last_uid) if row else (None, 0)
        await session.rollback()
        return found


async def save_position(db: Database, channel_id: int, folder: str, uidvalidity: int, last_uid: int) -> None:
    async with db.session() as session:
        row = await session.get(MailboxPosition, (channel_id, folder))
        if row is None:
            session.add(
                MailboxPosition(channel_id=channel_id, folder=folder, uidvalidity=uidvalidity, last_uid=last_uid)
            )
        else:
            row.uidvalidity, row.last_uid, row.updated_at = uidvalidity, last_uid, utcnow()
        await session.commit()


async def read_once(db: Database, channel: ChannelRef, options: dict, mailbox: Mailbox, batch: int = 200) -> int:
    """Store every message after the saved position; return how many were fetched."""
    folder = mailbox.settings.folder
    uidvalidity, last_uid = await load_position(db, channel.id, folder)
    if uidvalidity != mailbox.uidvalidity:
        if uidvalidity is not None:
            log.warning("mailbox of channel %s: UIDVALIDITY changed, reading %s again", channel.id, folder)
        last_uid = 0
        await save_position(db, channel.id, folder, mailbox.uidvalidity, 0)
    fetched = 0
    while True:
        found = await mailbox.fetch_after(last_uid, batch)
        if not found:
            return fetched
        for item in found:
            await store_mail(db, channel, options, item.raw)
            last_uid = item.uid
        fetched += len(found)
        await save_position(db, channel.id, folder, mailbox.uidvalidity, last_uid)


class MailboxReader:
    """One mailbox's reader task: take the lock, then read, wait for news (IDLE or a poll interval), read again."""

    def __init__(
        self,
        db: Database,
        channel: ChannelRef,
        options: dict,
        secrets: dict,
        *,
        standby_interval: float = 5.0,
        retry_delay: float = 5.0,
    ) -> None:
        self.db = db
        self.channel = channel
        self.options = options
        self.secrets = secrets
        self.standby_interval = standby_interval
        self.retry_delay = retry_delay
        self.holding = asyncio.Event()
        self.reads = 0

    async def run(self) -> None:
        if self.db.sqlite:
            await self._read_forever()
            return
        key = lock_key(self.channel.id)
        while True:
            async with self.db.engine.connect() as conn:
                got = (await conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key})).scalar()
                await conn.commit()
                if got:
                    try:
                        await self._read_forever(conn)
                    finally:
                        with contextlib.suppress(Exception):
                            await conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                            await conn.commit()
                        self.holding.clear()
            await asyncio.sleep(self.standby_interval)

    async def _read_forever(self, lock_conn=None) -> None:
        self.holding.set()
        interval = float(self.options.get("poll_interval", 60.0))
        while True:
            try:
                async with Mailbox(imap_settings(self.options, self.secrets)) as mailbox:
                    while True:
                        if lock_conn is not None:  # the lock lives as long as this connection: check it is alive
                            await lock_conn.execute(text("SELECT 1"))
                        self.reads += await read_once(self.db, self.channel, self.options, mailbox)
                        await mailbox.wait_for_news(interval)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                if lock_conn is not None and lock_conn.closed:
                    raise
                log.warning("mailbox of channel %s: %s; reconnecting in %ss", self.channel.id, exc, self.retry_delay)
                await asyncio.sleep(self.retry_delay)


class MailWorker:
    """Starts a reader for every active e-mail channel, and for channels added later (checked every ``rescan``)."""

    def __init__(self, db: Database, *, rescan: float = 30.0) -> None:
        self.db = db
        self.rescan = rescan
        self.readers: dict[int, asyncio.Task] = {}
        self.wake = asyncio.Event()  # set when a channel is added through this process: look at once

    async def run(self) -> None:
        try:
            while True:
                try:
                    for channel, options, secrets in await email_channels(self.db):
                        if channel.id not in self.readers or self.readers[channel.id].done():
                            reader = MailboxReader(self.db, channel, options, secrets)
                            self.readers[channel.id] = asyncio.create_task(reader.run(), name=f"mail-{channel.id}")
                except Exception:
                    log.exception("could not list the e-mail channels")
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.wake.wait(), self.rescan)
                self.wake.clear()
        finally:
            for task in self.readers.values():
                task.cancel()
            for task in self.readers.values():
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task


__all__ = ["MailWorker", "MailboxReader", "lock_key", "read_once", "select"]
