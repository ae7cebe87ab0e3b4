"""The event log and its fan-out: writes append events, the sequencer orders them, the hub streams them.

Ordering (the pitfall in shared/DESIGN.md): ids from a sequence are taken before commit, so with concurrent writers
id 101 can become visible before id 100, and a reader that moved past 101 would never see 100. Here writers insert
events with ``seq`` NULL in their own transaction; one sequencer at a time (a PostgreSQL transaction-scoped advisory
lock; SQLite is serial anyway) numbers *committed* rows in a short transaction of its own. A reader only ever sees
``seq`` values that were assigned after every lower one was committed, so "everything after n" is always complete.

Fan-out: the sequencer's transaction sends NOTIFY ``omnidesk_events``; every server process runs a hub that LISTENs,
reads the new rows once, keeps the recent ones in memory and wakes its streams. The event table stays the truth: a
hub also polls, so a lost notification delays an event by at most the poll interval and never drops it.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import itertools
import json
import logging
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event as sa_event
from sqlalchemy import func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.server.db import Database, utcnow
from omnidesk.server.events.models import EventRow

log = logging.getLogger("omnidesk.events")

SEQ_CHANNEL = "omnidesk_seq"
EVENTS_CHANNEL = "omnidesk_events"
SEQUENCER_LOCK = 0x4F4D4E49_0001  # "OMNI" 1: the transaction lock that serialises numbering
LEADER_LOCK = 0x4F4D4E49_0002  # session lock held by the process that runs the sequencer loop
BATCH = 5000


async def emit(
    session: AsyncSession,
    db: Database,
    type_: str,
    payload: dict[str, Any],
    *,
    queue_id: int | None,
    user_id: int | None = None,
) -> None:
    """Append an event in the caller's transaction; it is streamed once that transaction commits."""
    await emit_many(session, db, [(type_, payload)], queue_id=queue_id, user_id=user_id)


def conversation_of(payload: dict[str, Any]) -> int | None:
    """The conversation an event's payload is about, if one (its ``conversation``, ``message``, ``activity`` or
    ``mention``); the PostgreSQL ingest batch derives the same from the payloads it writes."""
    conversation = payload.get("conversation")
    if isinstance(conversation, dict):
        value = conversation.get("id")
    else:
        value = payload.get("conversation_id")
        for key in ("message", "activity", "mention"):
            inner = payload.get(key)
            if value is None and isinstance(inner, dict):
                value = inner.get("conversation_id")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


async def emit_many(
    session: AsyncSession,
    db: Database,
    events: Iterable[tuple[str, dict[str, Any]]],
    *,
    queue_id: int | None,
    user_id: int | None = None,
    also_queues: Iterable[int] = (),
) -> None:
    """Append events in the caller's transaction for ``queue_id`` (and ``also_queues``: one row, several queues)."""
    now = utcnow()
    extra = sorted({q for q in also_queues if q != queue_id}) or None
    rows = [
        {
            "type": t,
            "payload": p,
            "at": now,
            "queue_id": queue_id,
            "queue_ids": extra,
            "user_id": user_id,
            "conversation_id": conversation_of(p),
            "seq": None,
        }
        for t, p in events
    ]
    if not rows:
        return
    await session.execute(insert(EventRow), rows)
    info = session.sync_session.info
    if not info.get("omnidesk_event_pending"):
        info["omnidesk_event_pending"] = True
        # No NOTIFY inside the writer's transaction: PostgreSQL serialises the commits of every transaction that
        # notified (a database-wide lock held through the WAL flush), which caps ingest at one commit at a time.
        # The commit hook wakes this process's sequencer; a standby process forwards the wake-up (see Sequencer).

        def _after_commit(_session) -> None:
            info.pop("omnidesk_event_pending", None)
            db.local_commit_signal.set()

        def _after_rollback(_session, *_previous) -> None:
            info.pop("omnidesk_event_pending", None)

        sa_event.listen(session.sync_session, "after_commit", _after_commit, once=True)
        sa_event.listen(session.sync_session, "after_soft_rollback", _after_rollback, once=True)


async def head(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.coalesce(func.max(EventRow.seq), 0))) or 0)


async def sequence_batch(db: Database) -> int:
    """Number the committed, unnumbered events in insert order; return how many were numbered."""
    async with db.session() as session:
        await db.advisory_xact_lock(session, SEQUENCER_LOCK)
        base = await head(session)
        result = await session.execute(
            text(
                "UPDATE events SET seq = :base + r.rn FROM ("
                " SELECT id, row_number() OVER (ORDER BY id) AS rn FROM events"
                " WHERE seq IS NULL ORDER BY id LIMIT :batch) AS r"
                " WHERE events.id = r.id"
            ),
            {"base": base, "batch": BATCH},
        )
        count = result.rowcount or 0
        if count:
            await db.notify(session, EVENTS_CHANNEL, str(base + count))
        await session.commit()
    return count


# The leader's numbering on PostgreSQL: one statement on the connection that holds the leader lock (so no other
# process numbers while it lives), committed on its own, with the hubs' NOTIFY delivered at that commit: one round
# trip per batch of events. It also takes the numbering lock that `sequence_batch` takes; should the two ever run
# at once, the unique index on seq refuses a doubled number and the loser numbers again on its next round.
SEQUENCE_PG = """
WITH base AS (SELECT coalesce(max(seq), 0) AS b FROM events, (SELECT pg_advisory_xact_lock($3)) AS numbering),
r AS (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM events WHERE seq IS NULL ORDER BY id LIMIT $1),
upd AS (UPDATE events SET seq = base.b + r.rn FROM r, base WHERE events.id = r.id RETURNING events.seq)
SELECT s.n, CASE WHEN s.n > 0 THEN pg_notify($2, s.top::text) END
FROM (SELECT count(*) AS n, max(seq) AS top FROM upd) AS s
"""


async def sequence_batch_on(conn) -> int:
    """Number committed, unnumbered events on the leader's asyncpg connection; return how many were numbered."""
    count, _ = await conn.fetchrow(SEQUENCE_PG, BATCH, EVENTS_CHANNEL, SEQUENCER_LOCK)
    return int(count)


@dataclass(slots=True, frozen=True)
class StreamedEvent:
    seq: int
    type: str
    queue_id: int | None
    user_id: int | None
    frame: bytes  # the ready-to-send SSE frame
    also_queues: tuple[int, ...] = ()  # further queues of the audience (a customer's change concerns all of them)
    conversation_id: int | None = None  # the conversation it is about: mentioned colleagues receive it too

    def visible_to(
        self, *, sees_all: bool, user_id: int, queue_ids: frozenset[int], mentioned_in: Collection[int] = ()
    ) -> bool:
        if sees_all:
            return True
        if self.user_id == user_id or (self.queue_id is not None and self.queue_id in queue_ids):
            return True
        if self.conversation_id is not None and self.conversation_id in mentioned_in:
            return True  # issue 11: a colleague mentioned in one of its notes reads it along
        return any(q in queue_ids for q in self.also_queues)


def _frame(row) -> bytes:
    body = json.dumps(
        {"id": row.seq, "type": row.type, "at": row.at.isoformat(), "payload": row.payload},
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return f"id: {row.seq}\nevent: {row.type}\ndata: {body}\n\n".encode()


def _frame_from_text(seq: int, type_: str, at, payload: str) -> bytes:
    """The same frame as `_frame`, from the payload's JSON text as PostgreSQL stores it: nothing decoded and encoded."""
    body = f'{{"id":{seq},"type":{json.dumps(type_)},"at":"{at.isoformat()}","payload":{payload}}}'
    return f"id: {seq}\nevent: {type_}\ndata: {body}\n\n".encode()


LOAD_PG = (
    "SELECT seq, type, at, payload::text AS payload, queue_id, user_id, conversation_id,"
    " CASE WHEN jsonb_typeof(queue_ids) = 'array'"  # SQL NULL or JSON null: no further queues
    " THEN ARRAY(SELECT jsonb_array_elements_text(queue_ids)::bigint) ELSE '{}'::bigint[] END AS also_queues"
    " FROM events WHERE seq > $1 ORDER BY seq LIMIT $2"
)


def _to_streamed(row) -> StreamedEvent:
    return StreamedEvent(
        row.seq, row.type, row.queue_id, row.user_id, _frame(row), tuple(row.queue_ids or ()), row.conversation_id
    )


_COLUMNS = (
    EventRow.seq,
    EventRow.type,
    EventRow.at,
    EventRow.payload,
    EventRow.queue_id,
    EventRow.queue_ids,
    EventRow.user_id,
    EventRow.conversation_id,
)


class EventHub:
    """Per-process fan-out: follows the numbered event log and wakes this process's streams."""

    def __init__(self, db: Database, *, ring_size: int = 20_000, poll_interval: float = 1.0) -> None:
        self.db = db
        self.ring: collections.deque[StreamedEvent] = collections.deque(maxlen=ring_size)
        self.last_seq = 0
        self.poll_interval = poll_interval
        self._wake = asyncio.Event()
        self._changed = asyncio.Event()
        self._listen_conn = None
        self.started = asyncio.Event()

    def wake(self) -> None:
        self._wake.set()

    async def _load_new(self) -> int:
        if self._listen_conn is not None:
            # PostgreSQL: on the hub's own LISTEN connection (no pool checkout), payloads kept as the stored text.
            try:
                rows = await self._listen_conn.fetch(LOAD_PG, self.last_seq, BATCH)
            except Exception:
                await self._drop_listen_conn()  # reconnected on the next round
                raise
            for r in rows:
                frame = _frame_from_text(r["seq"], r["type"], r["at"], r["payload"])
                also = tuple(r["also_queues"])
                self.ring.append(
                    StreamedEvent(r["seq"], r["type"], r["queue_id"], r["user_id"], frame, also, r["conversation_id"])
                )
            return self._advance(rows[-1]["seq"] if rows else None, len(rows))
        async with self.db.session() as session:
            rows = (
                await session.execute(
                    select(*_COLUMNS).where(EventRow.seq > self.last_seq).order_by(EventRow.seq).limit(BATCH)
                )
            ).all()
            await session.rollback()
        for row in rows:
            self.ring.append(_to_streamed(row))
        return self._advance(rows[-1].seq if rows else None, len(rows))

    def _advance(self, last: int | None, count: int) -> int:
        if last is not None:
            self.last_seq = last
            changed, self._changed = self._changed, asyncio.Event()
            changed.set()
        return count

    async def run(self) -> None:
        async with self.db.session() as session:
            self.last_seq = await head(session)
            await session.rollback()
        if not self.db.sqlite:
            self._listen_conn = await _listen(self.db, EVENTS_CHANNEL, self.wake)
        self.started.set()
        try:
            while True:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self.poll_interval)
                self._wake.clear()
                try:
                    if not self.db.sqlite and self._listen_conn is None:
                        self._listen_conn = await _listen(self.db, EVENTS_CHANNEL, self.wake)
                    while await self._load_new() >= BATCH:
                        pass
                except Exception:  # a database hiccup must not end the stream for everyone; retry next round
                    log.exception("event hub could not read new events")
                    await asyncio.sleep(self.poll_interval)
        finally:
            await self._drop_listen_conn()

    async def _drop_listen_conn(self) -> None:
        conn, self._listen_conn = self._listen_conn, None
        if conn is not None:
            with contextlib.suppress(Exception):
                await conn.close()

    async def wait_changed(self, timeout: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._changed.wait(), timeout)

    async def events_after(self, after: int, limit: int = 1000) -> list[StreamedEvent]:
        """Events with seq > after, oldest first: from memory when recent, else from the table."""
        if after >= self.last_seq:
            return []
        if self.ring and after >= self.ring[0].seq - 1:
            start = after - self.ring[0].seq + 1  # seq values are consecutive, so the ring is indexable
            return list(itertools.islice(self.ring, start, start + limit))
        async with self.db.session() as session:
            rows = (
                await session.execute(
                    select(*_COLUMNS)
                    .where(EventRow.seq > after, EventRow.seq <= self.last_seq)
                    .order_by(EventRow.seq)
                    .limit(limit)
                )
            ).all()
            await session.rollback()
        return [_to_streamed(row) for row in rows]


async def _listen(db: Database, channel: str, callback) -> Any:
    """A dedicated asyncpg connection LISTENing on ``channel``; returns the connection (close it to stop)."""
    import asyncpg

    dsn = db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    conn = await asyncpg.connect(dsn)
    await conn.add_listener(channel, lambda *_args: callback())
    return conn


class Sequencer:
    """Numbers committed events. Every process runs one; a session advisory lock lets only one work at a time
    on PostgreSQL (the others are hot standbys that take over within a second when the leader dies)."""

    def __init__(self, db: Database, hub: EventHub | None, *, poll_interval: float = 0.5) -> None:
        self.db = db
        self.hub = hub
        self.poll_interval = poll_interval
        self.is_leader = asyncio.Event()

    async def _drain(self, leader_conn=None) -> None:
        while True:
            count = await (sequence_batch_on(leader_conn) if leader_conn is not None else sequence_batch(self.db))
            if count and self.hub is not None:
                self.hub.wake()
            if count < BATCH:
                return

    async def run(self) -> None:
        signal = self.db.local_commit_signal
        if self.db.sqlite:
            self.is_leader.set()
            await self._loop(signal)
            return
        import asyncpg

        dsn = self.db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        while True:
            conn = None
            try:
                conn = await asyncpg.connect(dsn)
                while not await conn.fetchval("SELECT pg_try_advisory_lock($1)", LEADER_LOCK):
                    await self._forward_wakeups(conn, signal, 1.0)
                await conn.add_listener(SEQ_CHANNEL, lambda *_a: signal.set())
                self.is_leader.set()
                log.info("this process now numbers events")
                await self._loop(signal, leader_conn=conn)
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError):
                log.exception("sequencer lost its database connection; retrying")
                self.is_leader.clear()
                await asyncio.sleep(1.0)
            finally:
                if conn is not None:
                    with contextlib.suppress(Exception):
                        await conn.close()

    async def _forward_wakeups(self, conn, signal: asyncio.Event, period: float) -> None:
        """As a standby, pass this process's commits on to the leader for `period` seconds, one NOTIFY per burst.

        The NOTIFY runs on its own connection outside any writer's transaction, so it costs no commit ordering."""
        deadline = asyncio.get_running_loop().time() + period
        while (left := deadline - asyncio.get_running_loop().time()) > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(signal.wait(), left)
                signal.clear()
                await conn.execute("SELECT pg_notify($1, '')", SEQ_CHANNEL)

    async def _loop(self, signal: asyncio.Event, leader_conn=None) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(signal.wait(), self.poll_interval)
            signal.clear()
            if leader_conn is not None and leader_conn.is_closed():
                raise OSError("leader connection closed")
            try:
                await self._drain(leader_conn)
            except Exception:
                if leader_conn is not None and leader_conn.is_closed():
                    raise OSError("leader connection closed") from None
                log.exception("sequencer batch failed; retrying")
                await asyncio.sleep(self.poll_interval)
