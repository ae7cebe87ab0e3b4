"""The PostgreSQL fast path of ingest: a known sender writing into their open conversation.

That is the bulk of live traffic, and the general path (``ingest._ingest_once``) spends most of its time in the ORM,
not in the database: about a dozen statements, each built and compiled in Python. Here the same writes go straight
through asyncpg as three prepared statements in one transaction (look up, write, append events) plus BEGIN and COMMIT,
so one server process keeps up with PostgreSQL instead of the other way round.

It handles exactly one case and declines everything else by returning None before anything is written (the
transaction is rolled back), so the general path stays the single definition of the rules:
- the message is new on this channel (a repeated external id is answered here with the stored ids);
- the sender's single identifier already belongs to a customer (no extra identifiers to attach or suggest);
- that identity has an open (not resolved) conversation on this channel.
The rows written are the ones the general path writes for that case: the message, the customer's timeline entry,
the conversation's activity, and the message.created + conversation.updated events. The API tests run on SQLite
(general path only) and PostgreSQL (this path for returning senders) and must agree.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

import asyncpg

from omnidesk.domain.enums import ConversationStatus, Direction, EventType, MessageKind
from omnidesk.domain.identity import Identifier
from omnidesk.protocol import ChannelOut, ConversationOut, CustomerBrief, InboundAck, InboundMessage, MessageOut
from omnidesk.protocol.customers import TimelineKind
from omnidesk.server.db import Database, utcnow
from omnidesk.server.serialize import preview

log = logging.getLogger("omnidesk.ingest")

LOOKUP = """
SELECT d.message_id, d.conversation_id AS dup_conversation_id, d.customer_id AS dup_customer_id,
       i.id AS identity_id, i.customer_id, c.id AS conversation_id
FROM (SELECT 1) AS one
LEFT JOIN LATERAL (
    SELECT m.id AS message_id, m.conversation_id, cv.customer_id
    FROM messages m JOIN conversations cv ON cv.id = m.conversation_id
    WHERE m.channel_id = $1 AND m.external_id = $2
) AS d ON true
LEFT JOIN identities i ON i.kind = $3 AND i.value = $4
LEFT JOIN LATERAL (
    SELECT cv.id FROM conversations cv
    WHERE cv.customer_id = i.customer_id AND cv.channel_id = $1 AND cv.identity_id = i.id
      AND cv.status <> 'resolved'
    FOR UPDATE
) AS c ON true
"""

WRITE = f"""
WITH msg AS (
    INSERT INTO messages (conversation_id, channel_id, external_id, direction, kind, text, sent_at, created_at)
    VALUES ($1, $2, $3, '{Direction.IN.value}', '{MessageKind.TEXT.value}', $4, $5, $6)
    RETURNING id
), tl AS (
    INSERT INTO timeline_items (customer_id, kind, at, conversation_id, channel_id, message_id, payload)
    SELECT $7, '{TimelineKind.MESSAGE_IN.value}', $5, $1, $2, msg.id, '{{}}'::jsonb FROM msg
), upd AS (
    UPDATE conversations
    SET unread_count = unread_count + 1, last_message_at = $6, last_message_preview = $8,
        last_message_direction = '{Direction.IN.value}', status = '{ConversationStatus.OPEN.value}', updated_at = $6
    WHERE id = $1
    RETURNING id, channel_id, customer_id, queue_id, status, assignee_id, last_message_at, last_message_preview,
              last_message_direction, unread_count, created_at
)
SELECT msg.id AS message_id, upd.*, cu.display_name AS customer_name, ch.kind AS channel_kind,
       ch.name AS channel_name, u.display_name AS assignee_name
FROM msg, upd
JOIN customers cu ON cu.id = upd.customer_id
JOIN channels ch ON ch.id = upd.channel_id
LEFT JOIN users u ON u.id = upd.assignee_id
"""

EVENTS = """
INSERT INTO events (type, payload, at, queue_id, user_id)
VALUES ($1, $2::jsonb, $5, $6, $7), ($3, $4::jsonb, $5, $6, $7)
"""


# How often the fast path stored, answered a duplicate, or declined (process-wide; read by tests and metrics).
STATS = {"stored": 0, "duplicate": 0, "declined": 0}


class _Decline(Exception):
    """Not the fast path's case: roll back and let the general path handle the message."""


async def ingest_returning_sender(
    db: Database, channel_id: int, message: InboundMessage, identifier: Identifier
) -> InboundAck | None:
    """Store a returning sender's message in their open conversation; None when that is not the case."""
    async with db.engine.connect() as sa_conn:
        raw = await sa_conn.get_raw_connection()
        conn: asyncpg.Connection = raw.driver_connection  # type: ignore[assignment]
        try:
            async with conn.transaction():
                ack = await _write(conn, channel_id, message, identifier)
        except _Decline:
            STATS["declined"] += 1
            return None
        except asyncpg.UniqueViolationError:
            # A concurrent delivery of the same external id won the race: the general path answers with its ids.
            STATS["declined"] += 1
            return None
        except (asyncpg.PostgresConnectionError, asyncpg.InterfaceError, asyncpg.InternalClientError, OSError):
            # The pooled connection died with the database; nothing was committed. Drop it and let the general
            # path try on a fresh one.
            log.warning("database connection lost on the fast path; retrying on a new connection")
            await sa_conn.invalidate()
            STATS["declined"] += 1
            return None
    if ack.duplicate:
        STATS["duplicate"] += 1
    else:
        STATS["stored"] += 1
        db.local_commit_signal.set()
    return ack


async def _write(
    conn: asyncpg.Connection, channel_id: int, message: InboundMessage, identifier: Identifier
) -> InboundAck:
    found = await conn.fetchrow(LOOKUP, channel_id, message.external_id, identifier.kind.value, identifier.value)
    if found["message_id"] is not None:
        return InboundAck(
            message_id=found["message_id"],
            conversation_id=found["dup_conversation_id"],
            customer_id=found["dup_customer_id"],
            duplicate=True,
        )
    if found["conversation_id"] is None:
        raise _Decline
    now = utcnow()
    sent_at = _utc(message.sent_at) if message.sent_at else now
    row = await conn.fetchrow(
        WRITE,
        found["conversation_id"],
        channel_id,
        message.external_id,
        message.text,
        sent_at,
        now,
        found["customer_id"],
        preview(message.text),
    )
    message_out = MessageOut(
        id=row["message_id"],
        conversation_id=row["id"],
        direction=Direction.IN,
        kind=MessageKind.TEXT,
        author_id=None,
        text=message.text,
        sent_at=sent_at,
    )
    conversation = _conversation_out(row)
    await conn.execute(
        EVENTS,
        EventType.MESSAGE_CREATED.value,
        json.dumps({"message": message_out.model_dump(mode="json")}),
        EventType.CONVERSATION_UPDATED.value,
        json.dumps({"conversation": conversation.model_dump(mode="json")}),
        now,
        conversation.queue_id,
        conversation.assignee_id,
    )
    return InboundAck(message_id=row["message_id"], conversation_id=row["id"], customer_id=row["customer_id"])


def _utc(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _conversation_out(row: Any) -> ConversationOut:
    return ConversationOut(
        id=row["id"],
        channel=ChannelOut(id=row["channel_id"], kind=row["channel_kind"], name=row["channel_name"]),
        customer=CustomerBrief(id=row["customer_id"], name=row["customer_name"]),
        queue_id=row["queue_id"],
        status=row["status"],
        assignee_id=row["assignee_id"],
        assignee_name=row["assignee_name"],
        last_message_at=row["last_message_at"],
        last_message_preview=row["last_message_preview"],
        last_message_direction=row["last_message_direction"],
        unread_count=row["unread_count"],
        created_at=row["created_at"],
    )
