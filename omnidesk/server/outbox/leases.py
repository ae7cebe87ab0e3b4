"""Sending leases: on PostgreSQL one process at a time sends a rate-limited channel's replies, so the platform's
limits (``channels/limits.py``) hold across every server process and server, not per process.

The pacer's windows are in memory; N processes each pacing alone would send N times the limit and provoke 429s. So
for a channel of a rate-limited kind (Telegram, WhatsApp, VK, MAX) a process claims its outbox rows only while it
holds the channel's **sending lease**: a session advisory lock (``LOCK_BASE`` + channel id) on one connection the
process keeps for its leases. Its windows then see every send of the channel and stay exact. Other channels are
claimed by everyone as before (``FOR UPDATE SKIP LOCKED``).

* Taking a lease: a process scans (every ``SCAN_INTERVAL``) for rate-limited channels with due replies and tries the
  lock of those it does not hold; it takes more than its share (channels with work / outbox workers alive, counted
  by a shared advisory lock every worker holds) only when a channel has stood without a sender for ``TAKE_GRACE``.
  On taking it reads the channel's row in ``outbox_channels``: the platform's pause (a 429's Retry-After, written by
  whoever met it) and, if the last holder died (``held`` still set), one full window of quiet, since it may have
  sent in its last second; after a clean release, until ``quiet_after``. Rows still leased to the last holder are
  released at once (only a lease holder claims them, so their claimant has lost the lease): the new holder sends
  them now, not after the rows' own ``LEASE_SECONDS``; the claim's attempt number fences off a late outcome.
* Losing or giving one up: a holder releases a channel idle for ``IDLE_RELEASE``, one above its share when more
  workers are alive (a clean hand-off: it stops starting sends on the channel, waits for those on the wire, then
  writes ``quiet_after`` and unlocks), and all of them on shutdown. A process that dies loses its locks with its
  connection, so a standby takes over within a scan. Each delivery checks, just before it sends, that its process
  still holds the lease it was claimed under; if not, it hands its row back unsent.

What no lease can close: a reply on the wire when its process dies (or loses its database connection) may have
been accepted by a platform without an idempotency key (Telegram) and is sent again by the next holder. SQLite runs
one process: its pacing is in-process and there are no leases.
"""

from __future__ import annotations

import contextlib
import logging
import math
import time
from collections import Counter

from sqlalchemy import bindparam, text
from sqlalchemy.ext.asyncio import AsyncConnection

from omnidesk.channels.limits import LONGEST_WINDOW, PLATFORM_LIMITS, SendPacer
from omnidesk.server.db import Database, UTCDateTime, dialect_insert, utcnow
from omnidesk.server.outbox.models import OutboxChannel

log = logging.getLogger("omnidesk.outbox.leases")

LOCK_BASE = 0x0D7E_6100_0000_0000  # advisory-lock key space of the sending leases: LOCK_BASE + channel id
WORKERS_KEY = 0x0D7E_6100_FFFF_FFFF  # held shared by every outbox worker on PostgreSQL: counts them
SCAN_INTERVAL = 0.5
TAKE_GRACE = 2.0  # seconds a channel stands without a sender before a process above its share takes it
IDLE_RELEASE = 30.0
HANDOFF_AFTER = 3.0  # a lease is held at least this long before it is handed to a newcomer (no ping-pong)
LIMITED_KINDS = tuple(PLATFORM_LIMITS)


def lock_key(channel_id: int) -> int:
    return LOCK_BASE + channel_id


class ChannelLeases:
    """The sending leases of one outbox worker. ``enabled`` only on PostgreSQL; on SQLite every method is a no-op
    and every delivery may send."""

    def __init__(self, db: Database, pacer: SendPacer) -> None:
        self.db = db
        self.pacer = pacer
        self.enabled = not db.sqlite
        self.held: dict[int, int] = {}  # channel id -> the epoch it was taken in (a delivery's claim token)
        self.kinds: dict[int, str] = {}
        self.taken_at: dict[int, float] = {}
        self.releasing: set[int] = set()  # handing off: no new sends start
        self.sending: Counter[int] = Counter()  # deliveries on the wire per channel
        self.conn: AsyncConnection | None = None
        self.epoch = 0
        self.next_scan = 0.0
        self.free_since: dict[int, float] = {}
        self.idle_since: dict[int, float] = {}

    # -- what the claim and the deliveries ask -------------------------------------------------------------------

    def claim_filter(self) -> tuple[str, dict, list]:
        """A condition on the claimed row ``o``: not a rate-limited channel, or one whose lease this process holds."""
        if not self.enabled:
            return "", {}, []
        held = [c for c in self.held if c not in self.releasing] or [-1]
        sql = (
            " AND (o.channel_id IN :lease_held OR o.channel_id NOT IN"
            " (SELECT id FROM channels WHERE kind IN :lease_kinds))"
        )
        params = [bindparam("lease_held", expanding=True), bindparam("lease_kinds", expanding=True)]
        return sql, {"lease_held": held, "lease_kinds": list(LIMITED_KINDS)}, params

    def token(self, channel_id: int) -> int | None:
        """The lease a row of ``channel_id`` was claimed under (None: the channel needs none)."""
        return self.held.get(channel_id) if self.enabled else None

    def start_sending(self, channel_id: int, token: int | None) -> bool:
        """Just before a send: may it go? (Its lease is still held, and not being handed off.) Counts it on the wire
        until ``done_sending``."""
        if token is not None and (self.held.get(channel_id) != token or channel_id in self.releasing):
            return False
        self.sending[channel_id] += 1
        return True

    def done_sending(self, channel_id: int) -> None:
        self.sending[channel_id] -= 1
        if self.sending[channel_id] <= 0:
            del self.sending[channel_id]

    async def paused(self, channel_id: int, seconds: float) -> None:
        """The platform asked us to wait: keep it for whoever sends this channel next."""
        if not self.enabled or channel_id not in self.held:
            return
        async with self.db.session() as session:
            await session.execute(
                text(
                    "UPDATE outbox_channels SET paused_until = greatest(coalesce(paused_until, clock_timestamp()),"
                    " clock_timestamp() + make_interval(secs => :s)) WHERE channel_id = :c"
                ),
                {"s": float(seconds), "c": channel_id},
            )
            await session.commit()

    # -- the scan ------------------------------------------------------------------------------------------------

    async def scan(self, force: bool = False) -> None:
        """Take, keep and give up leases (at most every ``SCAN_INTERVAL``)."""
        now = time.monotonic()
        if not self.enabled or (now < self.next_scan and not force):
            return
        self.next_scan = now + SCAN_INTERVAL
        try:
            await self._scan(now)
        except Exception:
            log.exception("outbox sending leases: the scan failed; giving up every lease")
            await self._lost()

    async def _connect(self) -> AsyncConnection:
        if self.conn is None:
            conn = await self.db.engine.connect()
            try:
                await conn.execution_options(isolation_level="AUTOCOMMIT")
                await conn.execute(text("SELECT pg_advisory_lock_shared(:k)"), {"k": WORKERS_KEY})
            except Exception:
                await conn.close()
                raise
            self.conn = conn
        return self.conn

    async def _lost(self) -> None:
        """The lease connection failed: PostgreSQL frees its locks, so nothing held here may be sent any more."""
        self.held.clear()
        self.releasing.clear()
        if self.conn is not None:
            with contextlib.suppress(Exception):
                await self.conn.invalidate()
            with contextlib.suppress(Exception):
                await self.conn.close()
        self.conn = None

    async def _scan(self, now: float) -> None:
        conn = await self._connect()
        busy = {
            row.channel_id: row.kind
            for row in await conn.execute(
                text(
                    "SELECT DISTINCT o.channel_id, c.kind FROM outbox o JOIN channels c ON c.id = o.channel_id"
                    " WHERE o.state = 'pending' AND o.next_attempt_at <= :now AND c.kind IN :kinds"
                ).bindparams(bindparam("now", type_=UTCDateTime()), bindparam("kinds", expanding=True)),
                {"now": utcnow(), "kinds": list(LIMITED_KINDS)},
            )
        }
        for channel_id in list(self.releasing):  # hand-offs whose last send has come back
            if not self.sending[channel_id]:
                await self.release(channel_id)
        mine = [c for c in self.held if c in busy and c not in self.releasing]
        for channel_id in list(self.held):
            if channel_id in busy:
                self.idle_since.pop(channel_id, None)
            elif now - self.idle_since.setdefault(channel_id, now) >= IDLE_RELEASE:
                self.releasing.add(channel_id)
        wanted = [c for c in busy if c not in self.held]
        if not wanted and len(mine) <= 1:
            return
        alive = await conn.scalar(text(_COUNT_WORKERS), {"hi": WORKERS_KEY >> 32, "lo": _lo(WORKERS_KEY)})
        workers = max(1, int(alive or 0))
        share = math.ceil(len(busy) / workers)
        if len(mine) > share and workers > 1:  # a newcomer: hand it the channel taken last, once held a while
            last = max(mine, key=lambda c: self.taken_at.get(c, 0.0))
            if now - self.taken_at.get(last, 0.0) >= HANDOFF_AFTER:
                self.releasing.add(last)
                mine.remove(last)
        for channel_id in wanted:
            free_for = now - self.free_since.setdefault(channel_id, now)
            if len(mine) >= share and free_for < TAKE_GRACE:
                continue
            if await self.take(channel_id, busy[channel_id]):
                mine.append(channel_id)
                self.free_since.pop(channel_id, None)
            else:
                self.free_since[channel_id] = now  # someone sends it: not standing free

    async def take(self, channel_id: int, kind: str) -> bool:
        conn = await self._connect()
        if not await conn.scalar(text("SELECT pg_try_advisory_lock(:k)"), {"k": lock_key(channel_id)}):
            return False
        try:
            async with self.db.session() as session:
                row = (
                    await session.execute(
                        text(
                            "SELECT held, extract(epoch FROM quiet_after - clock_timestamp()) AS quiet,"
                            " extract(epoch FROM paused_until - clock_timestamp()) AS paused"
                            " FROM outbox_channels WHERE channel_id = :c FOR UPDATE"
                        ),
                        {"c": channel_id},
                    )
                ).one_or_none()
                wait = 0.0
                if row is not None:
                    quiet = LONGEST_WINDOW if row.held else float(row.quiet or 0.0)
                    wait = max(0.0, quiet, float(row.paused or 0.0))
                insert = dialect_insert(session)(OutboxChannel).values(channel_id=channel_id, held=True)
                await session.execute(insert.on_conflict_do_update(index_elements=["channel_id"], set_={"held": True}))
                # Rows the last holder claimed and never finished: their claimant has lost the lease.
                await session.execute(
                    text(
                        "UPDATE outbox SET lease_until = NULL"
                        " WHERE channel_id = :c AND state = 'pending' AND lease_until IS NOT NULL"
                    ),
                    {"c": channel_id},
                )
                await session.commit()
        except Exception:
            with contextlib.suppress(Exception):
                await conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": lock_key(channel_id)})
            raise
        if wait > 0:
            self.pacer.pause(channel_id, wait, kind)
        self.epoch += 1
        self.held[channel_id] = self.epoch
        self.kinds[channel_id] = kind
        self.taken_at[channel_id] = time.monotonic()
        self.idle_since.pop(channel_id, None)
        log.info("channel %s: sending lease taken (quiet for %.2f s first)", channel_id, wait)
        return True

    async def release(self, channel_id: int) -> None:
        """Give the lease up cleanly: the next holder waits only until this process's windows are empty."""
        self.held.pop(channel_id, None)
        self.releasing.discard(channel_id)
        self.idle_since.pop(channel_id, None)
        if self.conn is None:
            return
        quiet = self.pacer.quiet_in(channel_id)
        with contextlib.suppress(Exception):  # if this fails "held" stays set: the next holder waits a full window
            async with self.db.session() as session:
                await session.execute(
                    text(
                        "UPDATE outbox_channels SET held = false,"
                        " quiet_after = clock_timestamp() + make_interval(secs => :q) WHERE channel_id = :c"
                    ),
                    {"q": quiet, "c": channel_id},
                )
                await session.commit()
        await self.conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": lock_key(channel_id)})
        log.info("channel %s: sending lease released", channel_id)

    async def close(self) -> None:
        """On shutdown, after the deliveries in flight: release every lease and the connection."""
        if self.conn is None:
            return
        try:
            for channel_id in list(self.held):
                await self.release(channel_id)
        except Exception:
            log.warning("outbox sending leases: release on shutdown failed (the connection's end frees them)")
        with contextlib.suppress(Exception):
            await self.conn.close()
        self.conn = None


def _lo(key: int) -> int:
    return key & 0xFFFF_FFFF


# An advisory lock on a bigint key shows in pg_locks as classid = high 32 bits, objid = low 32 bits, objsubid 1.
_COUNT_WORKERS = (
    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1"
    " AND classid::bigint = :hi AND objid::bigint = :lo"
    " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
)
