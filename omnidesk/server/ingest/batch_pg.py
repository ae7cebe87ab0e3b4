"""Group commit for ingest on PostgreSQL: the messages that arrive together are stored together.

Each inbound request hands its message to the process's `IngestBatcher` and waits. A writer takes every message
waiting at that moment (up to ``max_batch``) and stores them in ONE transaction with set-based statements over
arrays: look up duplicates, identities and open conversations; create the customers, identities and conversations
that first-time senders need; insert the messages and their timeline entries; update each conversation once; append
the events. Only after the commit does each request get its answer, so an acknowledged message is a committed one,
exactly as on the general path, but one commit (one WAL flush) and a handful of round trips serve the whole batch
instead of a dozen statements per message. Batches form by themselves: while a writer commits, the next requests
queue up; under light load a batch is one message and nothing waits for a timer.

The batch handles a message whose sender has ONE identifier (the usual case for every messenger). It declines, so
that the general path (``ingest._ingest_once``, the single definition of the rules, and the only path on SQLite)
stores the message instead:
- a message carrying further identifiers (a web form with phone and e-mail): attaching them may raise suggestions;
- any unique-key race with a concurrent writer (another process storing the same external id, identity or open
  conversation), a deadlock, or a conversation resolved meanwhile: the whole batch rolls back and every message in
  it goes the general path, which retries until it finds what the winner stored. These are rare; correctness never
  depends on the batch.
Within a batch, a repeated external id is stored once and answered as a duplicate with the same ids; two messages
of one first-time sender create one customer, identity and conversation.

For a new customer the batch writes what the general path writes: the customer (display name = the sender's name or
identifier), its identity, its duplicate-detection keys, the ``customer.create`` audit record, and the conversation
in the channel's queue; then the message like any other. The fuzzy duplicate check of the new customers
(``duplicates_service.suggest_for``) runs right after the commit, off the acknowledgement path.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import asyncpg

from omnidesk.domain import csat
from omnidesk.domain.duplicates import CustomerFacts
from omnidesk.domain.enums import ConversationStatus, Direction, EventType, MessageKind
from omnidesk.domain.identity import Identifier
from omnidesk.protocol import ChannelOut, ConversationOut, CustomerBrief, InboundAck, InboundMessage, MessageOut
from omnidesk.protocol.customers import TimelineKind
from omnidesk.server.conversations.serialize import preview
from omnidesk.server.db import Database, utcnow
from omnidesk.server.duplicates.service import all_keys  # the keys the general path writes, by the same function
from omnidesk.server.routing import service as routing_service  # the routing the general path asks, by the same rules
from omnidesk.server.sla import batch as sla_batch  # the SLA rule the general path applies, set-wise
from omnidesk.server.sla.service import sla_out

log = logging.getLogger("omnidesk.ingest")

IN, TEXT, OPEN = Direction.IN.value, MessageKind.TEXT.value, ConversationStatus.OPEN.value
RESOLVED = ConversationStatus.RESOLVED.value

# Per message: an already stored copy, the sender's identity, and that identity's open conversation on the channel.
# Each is a LATERAL subquery with LIMIT 1 (the keys are unique anyway) so that the planner cannot turn it into a join
# over the whole table: whatever the statistics say, every lookup is an index probe per message. The conversations
# found are locked in id order (concurrent batches cannot deadlock each other) and re-read after the lock, so a merge
# that moved one meanwhile is seen (its customer_id) and one resolved meanwhile is noticed (its status).
LOOKUP = f"""
WITH found AS MATERIALIZED (
    SELECT inp.ord, d.message_id, d.conversation_id AS dup_conversation_id, d.customer_id AS dup_customer_id,
           i.id AS identity_id, i.customer_id AS identity_customer_id, c.id AS conversation_id
    FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY
        AS inp(channel_id, external_id, kind, value, ord)
    LEFT JOIN LATERAL (
        SELECT m.id AS message_id, m.conversation_id, cv.customer_id
        FROM messages m JOIN conversations cv ON cv.id = m.conversation_id
        WHERE m.channel_id = inp.channel_id AND m.external_id = inp.external_id
        LIMIT 1
    ) AS d ON true
    LEFT JOIN LATERAL (
        SELECT id, customer_id FROM identities WHERE kind = inp.kind AND value = inp.value LIMIT 1
    ) AS i ON true
    LEFT JOIN LATERAL (
        SELECT cv.id FROM conversations cv
        WHERE cv.customer_id = i.customer_id AND cv.channel_id = inp.channel_id AND cv.identity_id = i.id
          AND cv.status <> '{RESOLVED}'
        LIMIT 1
    ) AS c ON true
), locked AS MATERIALIZED (
    SELECT cv.id, cv.customer_id, cv.status FROM conversations cv
    WHERE cv.id IN (SELECT conversation_id FROM found WHERE message_id IS NULL)
    ORDER BY cv.id
    FOR UPDATE
)
SELECT found.*, locked.customer_id AS locked_customer_id, locked.status AS locked_status
FROM found LEFT JOIN locked ON locked.id = found.conversation_id
"""

# Known identities about to get a new conversation: held against a concurrent merge moving them, owner re-read.
LOCK_IDENTITIES = "SELECT id, customer_id FROM identities WHERE id = ANY($1::bigint[]) ORDER BY id FOR SHARE"

# Ids for the rows a batch creates, from the tables' own sequences, in one round trip.
NEXT_IDS = """
SELECT ARRAY(SELECT nextval(pg_get_serial_sequence('customers', 'id')) FROM generate_series(1, $1)),
       ARRAY(SELECT nextval(pg_get_serial_sequence('identities', 'id')) FROM generate_series(1, $1)),
       ARRAY(SELECT nextval(pg_get_serial_sequence('conversations', 'id')) FROM generate_series(1, $2))
"""

# New customers with their identity, keys and audit record, and every conversation the batch opens: one statement
# (foreign keys are checked at its end, when all of it is there).
CREATE = f"""
WITH cu AS (
    INSERT INTO customers (id, display_name, created_at, updated_at)
    SELECT id, name, $1, $1 FROM unnest($2::bigint[], $3::text[]) AS t(id, name)
), ident AS (
    INSERT INTO identities (id, customer_id, kind, value, created_at)
    SELECT id, customer_id, kind, value, $1
    FROM unnest($4::bigint[], $2::bigint[], $5::text[], $6::text[]) AS t(id, customer_id, kind, value)
), keys AS (
    INSERT INTO customer_keys (customer_id, key) SELECT * FROM unnest($7::bigint[], $8::text[])
), audit AS (
    INSERT INTO audit_log (at, user_id, username, ip, action, object_type, object_id, details)
    SELECT $1, NULL, username, NULL, 'customer.create', 'customer', id::text, details
    FROM unnest($2::bigint[], $9::text[], $10::jsonb[]) AS t(id, username, details)
)
INSERT INTO conversations (id, customer_id, channel_id, identity_id, queue_id, status, last_message_at,
                           last_message_preview, unread_count, created_at, updated_at,
                           priority, required_skill, max_wait_s, routing_rule_id, waiting_since)
SELECT id, customer_id, channel_id, identity_id, queue_id, '{OPEN}', $1, '', 0, $1, $1,
       priority, required_skill, max_wait_s, routing_rule_id, $1
FROM unnest($11::bigint[], $12::bigint[], $13::bigint[], $14::bigint[], $15::bigint[],
            $16::int[], $17::text[], $18::int[], $19::bigint[])
    AS t(id, customer_id, channel_id, identity_id, queue_id, priority, required_skill, max_wait_s, routing_rule_id)
"""

# The routing rules' view of known customers who open a new conversation (only when a rule looks at the profile).
PROFILES = "SELECT id, segment, language, tags, attributes FROM customers WHERE id = ANY($1::bigint[])"

# The messages, their timeline entries, and each conversation's new state, in one statement. Messages get their ids
# in arrival order; each conversation row comes back with its new messages' ids and external ids.
STORE = f"""
WITH inp AS (
    SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::timestamptz[], $6::bigint[])
        WITH ORDINALITY AS t(conversation_id, channel_id, external_id, text, sent_at, customer_id, ord)
), msg AS (
    INSERT INTO messages (conversation_id, channel_id, external_id, direction, kind, text, sent_at, created_at)
    SELECT conversation_id, channel_id, external_id, '{IN}', '{TEXT}', text, sent_at, $7 FROM inp ORDER BY ord
    RETURNING id, conversation_id, channel_id, external_id
), tl AS (
    INSERT INTO timeline_items (customer_id, kind, at, conversation_id, channel_id, message_id, payload)
    SELECT inp.customer_id, '{TimelineKind.MESSAGE_IN.value}', inp.sent_at, inp.conversation_id, inp.channel_id,
           msg.id, '{{}}'::jsonb
    FROM msg JOIN inp USING (channel_id, external_id)
), upd AS (
    UPDATE conversations cv
    SET unread_count = cv.unread_count + u.n, last_message_at = $7, last_message_preview = u.preview,
        last_message_direction = '{IN}', status = '{OPEN}', updated_at = $7
    FROM unnest($8::bigint[], $9::int[], $10::text[]) AS u(id, n, preview)
    WHERE cv.id = u.id
    RETURNING cv.id, cv.channel_id, cv.customer_id, cv.queue_id, cv.status, cv.assignee_id, cv.last_message_at,
              cv.last_message_preview, cv.last_message_direction, cv.unread_count, cv.created_at,
              cv.priority, cv.waiting_since, cv.revision
)
SELECT upd.*, cu.display_name AS customer_name, cu.segment AS customer_segment, ch.kind AS channel_kind,
       ch.name AS channel_name, us.display_name AS assignee_name,
       (SELECT array_agg(msg.id ORDER BY msg.id) FROM msg WHERE msg.conversation_id = upd.id) AS message_ids,
       (SELECT array_agg(msg.external_id ORDER BY msg.id) FROM msg WHERE msg.conversation_id = upd.id) AS externals,
       -- The customer's oldest unanswered message (as conversations/serialize.unanswered_since_expr): the last
       -- message is now theirs; this statement's own messages are not yet visible in the table, so both count.
       LEAST(
           (SELECT min(m.sent_at) FROM messages m
            WHERE m.conversation_id = upd.id AND m.direction = '{IN}' AND m.sent_at > COALESCE(
                (SELECT max(o.sent_at) FROM messages o WHERE o.conversation_id = upd.id AND o.direction = 'out'),
                '-infinity')),
           (SELECT min(inp.sent_at) FROM inp
            WHERE inp.conversation_id = upd.id AND inp.sent_at > COALESCE(
                (SELECT max(o.sent_at) FROM messages o WHERE o.conversation_id = upd.id AND o.direction = 'out'),
                '-infinity'))
       ) AS unanswered_since
FROM upd
JOIN customers cu ON cu.id = upd.customer_id
JOIN channels ch ON ch.id = upd.channel_id
LEFT JOIN users us ON us.id = upd.assignee_id
"""

APPEND_EVENTS = """
INSERT INTO events (type, payload, at, queue_id, user_id, conversation_id)
SELECT type, payload, $3, queue_id, user_id, conversation_id
FROM unnest($1::text[], $2::jsonb[], $4::bigint[], $5::bigint[], $6::bigint[])
    AS t(type, payload, queue_id, user_id, conversation_id)
"""

# Whether any of (customer, channel) has a survey awaiting an answer (csat_surveys' "waiting" index).
WAITING_SURVEY = """
SELECT EXISTS (
    SELECT 1 FROM unnest($1::bigint[], $2::bigint[]) AS p(customer_id, channel_id)
    JOIN csat_surveys v ON v.customer_id = p.customer_id AND v.channel_id = p.channel_id
    WHERE v.awaiting IS NOT NULL AND v.asked_at >= $3
)
"""

# How batches went (process-wide; read by tests and the benchmark).
STATS = {"stored": 0, "duplicate": 0, "declined": 0, "batches": 0, "largest": 0}

AfterCommit = Callable[[list[CustomerFacts]], Awaitable[None]]


@dataclass(slots=True)
class Pending:
    """One inbound message waiting for its batch."""

    channel_id: int
    queue_id: int | None
    message: InboundMessage
    identifier: Identifier
    future: asyncio.Future = field(repr=False)
    channel_kind: str = "api"

    @property
    def key(self) -> tuple[int, str]:
        return self.channel_id, self.message.external_id


class _Decline(Exception):
    """The batch cannot store these safely: roll back; every message goes the general path."""


class IngestBatcher:
    """The process's group-commit writer for PostgreSQL (see the module docstring)."""

    def __init__(
        self, db: Database, *, max_batch: int = 200, writers: int = 2, after_commit: AfterCommit | None = None
    ) -> None:
        self.db = db
        self.max_batch = max_batch
        self.writers = writers
        self.after_commit = after_commit
        self._queue: asyncio.Queue[Pending] = asyncio.Queue()
        self._tasks: list[asyncio.Task] = []

    def start(self) -> None:
        if not self._tasks:
            self._tasks = [asyncio.create_task(self._writer(), name=f"ingest-writer-{i}") for i in range(self.writers)]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []
        while not self._queue.empty():  # nobody will write these now: the general path takes them
            pending = self._queue.get_nowait()
            if not pending.future.done():
                pending.future.set_result(None)

    async def submit(
        self,
        channel_id: int,
        queue_id: int | None,
        message: InboundMessage,
        identifier: Identifier,
        *,
        channel_kind: str = "api",
    ) -> InboundAck | None:
        """Store ``message`` in the next batch; None when the batch declined it (the caller takes the general path)."""
        if not self._tasks:
            return None
        future = asyncio.get_running_loop().create_future()
        self._queue.put_nowait(Pending(channel_id, queue_id, message, identifier, future, channel_kind))
        return await future

    async def _writer(self) -> None:
        while True:
            batch = [await self._queue.get()]
            while len(batch) < self.max_batch and not self._queue.empty():
                batch.append(self._queue.get_nowait())
            created: list[CustomerFacts] = []
            autos: list[tuple[int, str]] = []
            try:
                answers, created, autos = await self._store(batch)
            except asyncio.CancelledError:
                for pending in batch:
                    if not pending.future.done():
                        pending.future.set_result(None)
                raise
            except Exception as exc:  # nothing was committed: the general path decides each message
                if not isinstance(exc, _Decline):
                    log.warning("ingest batch of %d declined: %r", len(batch), exc)
                answers = [None] * len(batch)
            if autos:  # the routing rules' auto-replies: after the commit and before the acks, as on the general
                try:  # path (whoever reads the conversation after the ack finds its auto-reply, on either path)
                    await routing_service.send_auto_replies(self.db, autos)
                except Exception:
                    log.exception("auto-replies of %d new conversations failed", len(autos))
            for pending, answer in zip(batch, answers, strict=True):
                if answer is None:
                    STATS["declined"] += 1
                elif answer.duplicate:
                    STATS["duplicate"] += 1
                else:
                    STATS["stored"] += 1
                if not pending.future.done():
                    pending.future.set_result(answer)
            if created and self.after_commit is not None:
                try:
                    await self.after_commit(created)
                except Exception:  # suggestions are advisory; a full scan finds what is missed
                    log.exception("duplicate check of %d new customers failed", len(created))

    async def _store(
        self, batch: list[Pending]
    ) -> tuple[list[InboundAck | None], list[CustomerFacts], list[tuple[int, str]]]:
        book = await routing_service.book(self.db)
        autos: list[tuple[int, str]] = []
        async with self.db.engine.connect() as sa_conn:
            raw = await sa_conn.get_raw_connection()
            conn: asyncpg.Connection = raw.driver_connection  # type: ignore[assignment]
            try:
                # One round trip opens the transaction and asks for generic plans: the batch's statements are index
                # probes whatever the arrays hold, and planning each anew would cost more than running it.
                await conn.execute("BEGIN; SET LOCAL plan_cache_mode = force_generic_plan")
                try:
                    answers, created = await _write(conn, batch, book, autos, self.db.engine)
                except BaseException:
                    try:
                        await conn.execute("ROLLBACK")
                    except BaseException:
                        # Interrupted mid-statement (cancelled, or the connection broke): never return a connection
                        # that may still be inside a transaction to the pool.
                        await sa_conn.invalidate()
                        raise
                    raise
                await conn.execute("COMMIT")
            except (asyncpg.PostgresConnectionError, asyncpg.InterfaceError, asyncpg.InternalClientError, OSError):
                # The pooled connection died with the database and nothing was committed: drop it; the general
                # path retries every message of the batch on a fresh connection.
                await sa_conn.invalidate()
                raise
            except (asyncpg.UniqueViolationError, asyncpg.DeadlockDetectedError) as exc:
                raise _Decline(str(exc)) from exc
        STATS["batches"] += 1
        STATS["largest"] = max(STATS["largest"], len(batch))
        if any(a is not None and not a.duplicate for a in answers):
            self.db.local_commit_signal.set()
        return answers, created, autos


async def _write(
    conn: asyncpg.Connection,
    batch: list[Pending],
    book: routing_service.RuleBook,
    autos: list[tuple[int, str]],
    db_key: Any = None,
) -> tuple[list[InboundAck | None], list[CustomerFacts]]:
    now = utcnow()
    answers: list[InboundAck | None] = [None] * len(batch)
    first_of: dict[tuple[int, str], int] = {}  # (channel, external id) -> its first occurrence in the batch
    for index, pending in enumerate(batch):
        first_of.setdefault(pending.key, index)
    unique = sorted(set(first_of.values()))
    found = await conn.fetch(
        LOOKUP,
        [batch[i].channel_id for i in unique],
        [batch[i].message.external_id for i in unique],
        [batch[i].identifier.kind.value for i in unique],
        [batch[i].identifier.value for i in unique],
    )
    rows = {unique[r["ord"] - 1]: r for r in found}

    target: dict[int, int] = {}  # batch index -> conversation id the message goes to
    customer_of: dict[int, int] = {}  # batch index -> customer id
    new_identity: dict[Identifier, list[int]] = {}  # first-time senders
    new_conversation: dict[tuple[int, int], list[int]] = {}  # (channel, identity) without an open conversation
    identity_customer: dict[int, int] = {}
    for index in unique:
        row = rows[index]
        if row["message_id"] is not None:
            answers[index] = InboundAck(
                message_id=row["message_id"],
                conversation_id=row["dup_conversation_id"],
                customer_id=row["dup_customer_id"],
                duplicate=True,
            )
        elif row["identity_id"] is None:
            new_identity.setdefault(batch[index].identifier, []).append(index)
        elif row["conversation_id"] is None:
            new_conversation.setdefault((batch[index].channel_id, row["identity_id"]), []).append(index)
            identity_customer[row["identity_id"]] = row["identity_customer_id"]
        elif row["locked_status"] is None or row["locked_status"] == RESOLVED:
            raise _Decline("a conversation was resolved or removed meanwhile")
        else:
            target[index] = row["conversation_id"]
            customer_of[index] = row["locked_customer_id"]
    if not target and not new_identity and not new_conversation:  # nothing but repeats
        return _repeats(batch, answers, first_of), []

    if new_conversation:
        await _decline_survey_answers(conn, batch, new_conversation, identity_customer, now)
    if identity_customer:
        owners = {r["id"]: r["customer_id"] for r in await conn.fetch(LOCK_IDENTITIES, list(identity_customer))}
        if owners.keys() != identity_customer.keys():
            raise _Decline("an identity was removed meanwhile")
        identity_customer.update(owners)
    created: list[CustomerFacts] = []
    opened: dict[tuple[int, int], int] = {}
    if new_identity or new_conversation:
        created, opened = await _create(
            conn, batch, new_identity, new_conversation, identity_customer, now, book, autos
        )
        for key, indexes in new_conversation.items():
            for index in indexes:
                target[index] = opened[key]
                customer_of[index] = identity_customer[key[1]]

    order = sorted(target)  # arrival order within the batch
    per_conversation: dict[int, list[int]] = {}
    for index in order:
        per_conversation.setdefault(target[index], []).append(index)
    sent_at = {i: _utc(batch[i].message.sent_at) if batch[i].message.sent_at else now for i in order}
    stored = await conn.fetch(
        STORE,
        [target[i] for i in order],
        [batch[i].channel_id for i in order],
        [batch[i].message.external_id for i in order],
        [batch[i].message.text for i in order],
        [sent_at[i] for i in order],
        [customer_of[i] for i in order],
        now,
        list(per_conversation),
        [len(v) for v in per_conversation.values()],
        [preview(batch[v[-1]].message.text) for v in per_conversation.values()],
    )
    clocks = await sla_batch.apply(
        conn,
        [sla_batch.Facts(r["id"], r["queue_id"], r["channel_kind"], r["customer_segment"]) for r in stored],
        now,
        db_key,
    )
    conversations: dict[int, ConversationOut] = {}
    message_id_of: dict[int, int] = {}
    for row in stored:
        conversations[row["id"]] = _conversation_out(row, sla_out(clocks.get(row["id"])))
        by_external = dict(zip(row["externals"], row["message_ids"], strict=True))
        for index in per_conversation[row["id"]]:
            message_id_of[index] = by_external[batch[index].message.external_id]
    if len(message_id_of) != len(order):
        raise _Decline("stored rows do not match the batch")  # cannot happen; never answer without an id

    # The events the general path writes, in the same order: each message, then its conversation's new state
    # (once per conversation per batch, after its last message).
    opened_ids = set(opened.values())
    types: list[str] = []
    payloads: list[str] = []
    queues: list[int | None] = []
    users: list[int | None] = []
    about: list[int] = []  # the conversation of each event (events.conversation_id, as emit_many derives it)

    def append(type_: EventType, key: str, model: MessageOut | ConversationOut, conversation: ConversationOut) -> None:
        # The payload the general path writes ({"message": ...} / {"conversation": ...}), serialised by pydantic.
        types.append(type_.value)
        payloads.append(f'{{"{key}":{model.model_dump_json()}}}')
        queues.append(conversation.queue_id)
        users.append(conversation.assignee_id)
        about.append(conversation.id)

    for index in order:
        conversation = conversations[target[index]]
        message_out = MessageOut(
            id=message_id_of[index],
            conversation_id=conversation.id,
            direction=Direction.IN,
            kind=MessageKind.TEXT,
            author_id=None,
            text=batch[index].message.text,
            sent_at=sent_at[index],
        )
        append(EventType.MESSAGE_CREATED, "message", message_out, conversation)
        if per_conversation[conversation.id][-1] == index:
            kind = EventType.CONVERSATION_CREATED if conversation.id in opened_ids else EventType.CONVERSATION_UPDATED
            append(kind, "conversation", conversation, conversation)
        answers[index] = InboundAck(
            message_id=message_id_of[index], conversation_id=conversation.id, customer_id=conversation.customer.id
        )
    await conn.execute(APPEND_EVENTS, types, payloads, now, queues, users, about)
    return _repeats(batch, answers, first_of), created


async def _decline_survey_answers(
    conn: asyncpg.Connection,
    batch: list[Pending],
    new_conversation: dict[tuple[int, int], list[int]],
    identity_customer: dict[int, int],
    now: dt.datetime,
) -> None:
    """A message that may answer a satisfaction survey (nothing open on its channel, it reads as a rating or an NPS
    number, a survey waits) is the general path's to decide (omnidesk.server.csat.service): rare, so the whole batch
    goes there."""
    pairs = [
        (identity_customer[identity_id], channel_id)
        for (channel_id, identity_id), indexes in new_conversation.items()
        if any(
            csat.parse_rating(batch[i].message.text) is not None or csat.parse_nps(batch[i].message.text) is not None
            for i in indexes
        )
    ]
    if not pairs:
        return
    waiting = await conn.fetchval(
        WAITING_SURVEY,
        [p[0] for p in pairs],
        [p[1] for p in pairs],
        now - dt.timedelta(days=csat.ANSWER_DAYS),
    )
    if waiting:
        raise _Decline("a message may answer a satisfaction survey")


async def _create(
    conn: asyncpg.Connection,
    batch: list[Pending],
    new_identity: dict[Identifier, list[int]],
    new_conversation: dict[tuple[int, int], list[int]],
    identity_customer: dict[int, int],
    now: dt.datetime,
    book: routing_service.RuleBook,
    autos: list[tuple[int, str]],
) -> tuple[list[CustomerFacts], dict[tuple[int, int], int]]:
    """Customers and identities for first-time senders, and the conversations the batch opens (those of known
    identities in ``new_conversation`` and those of the new ones, which are added to it): the new customers' facts,
    and the conversation id opened per (channel, identity)."""

    # A new sender writing on two channels in one batch needs one customer and two conversations.
    new_pairs = {(batch[i].channel_id, identifier) for identifier, indexes in new_identity.items() for i in indexes}
    customer_ids, identity_ids, conversation_ids = await conn.fetchrow(
        NEXT_IDS, len(new_identity), len(new_conversation) + len(new_pairs)
    )
    facts: list[CustomerFacts] = []
    for customer_id, identity_id, (identifier, indexes) in zip(
        customer_ids, identity_ids, new_identity.items(), strict=True
    ):
        name = (batch[indexes[0]].message.sender.name or identifier.value)[:200]
        facts.append(CustomerFacts(customer_id, name, (identifier,)))
        identity_customer[identity_id] = customer_id
        for index in indexes:
            new_conversation.setdefault((batch[index].channel_id, identity_id), []).append(index)
    key_owners: list[int] = []
    keys: list[str] = []
    for each in facts:
        for key in sorted(all_keys(each)):
            key_owners.append(each.id)
            keys.append(key)
    channels = [batch[indexes[0]].channel_id for indexes in new_identity.values()]
    opened = dict(zip(new_conversation, conversation_ids, strict=True))
    decisions = await _route(conn, batch, new_conversation, identity_customer, set(identity_ids), now, book)
    autos.extend((cid, d.auto_reply) for cid, d in zip(opened.values(), decisions, strict=True) if d.auto_reply)
    await conn.execute(
        CREATE,
        now,
        customer_ids,
        [f.name for f in facts],
        identity_ids,
        [i.kind.value for i in new_identity],
        [i.value for i in new_identity],
        key_owners,
        keys,
        [f"channel:{c}" for c in channels],
        [
            json.dumps({"identity": f"{i.kind.value}:{i.value}", "channel_id": c})
            for i, c in zip(new_identity, channels, strict=True)
        ],
        list(opened.values()),
        [identity_customer[identity_id] for _channel_id, identity_id in opened],
        [channel_id for channel_id, _identity_id in opened],
        [identity_id for _channel_id, identity_id in opened],
        [d.queue_id for d in decisions],
        [d.priority for d in decisions],
        [d.skill for d in decisions],
        [d.max_wait_s for d in decisions],
        [d.rule_id for d in decisions],
    )
    return facts, opened


async def _route(
    conn: asyncpg.Connection,
    batch: list[Pending],
    new_conversation: dict[tuple[int, int], list[int]],
    identity_customer: dict[int, int],
    new_identities: set[int],
    now: dt.datetime,
    book: routing_service.RuleBook,
) -> list[routing_service.Decision]:
    """Each new conversation's routing, decided by its first message exactly as the general path decides it."""
    if not book.rules:
        return [routing_service.Decision(queue_id=batch[v[0]].queue_id) for v in new_conversation.values()]
    profiles: dict[int, Any] = {}
    known = [identity_customer[i] for _c, i in new_conversation if i not in new_identities]
    if known and book.needs_customer:
        for row in await conn.fetch(PROFILES, known):
            profiles[row["id"]] = _Profile(
                row["segment"], row["language"], _json(row["tags"]), _json(row["attributes"])
            )
    decisions = []
    for (channel_id, identity_id), indexes in new_conversation.items():
        first = batch[indexes[0]]
        is_known = identity_id not in new_identities
        facts = routing_service.facts_for(
            channel_kind=first.channel_kind,
            channel_id=channel_id,
            text=first.message.text,
            at=now,
            known=is_known,
            profile=profiles.get(identity_customer[identity_id]) if is_known else None,
        )
        decisions.append(book.decide(facts, first.queue_id))
    return decisions


@dataclass(frozen=True, slots=True)
class _Profile:
    segment: str | None
    language: str | None
    tags: list | None
    attributes: dict | None


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _repeats(
    batch: list[Pending], answers: list[InboundAck | None], first_of: dict[tuple[int, str], int]
) -> list[InboundAck | None]:
    """Repeats of an external id within the batch are answered with the first one's ids, as duplicates."""
    for index, pending in enumerate(batch):
        first = first_of[pending.key]
        if first != index and answers[first] is not None:
            answers[index] = answers[first].model_copy(update={"duplicate": True})
    return answers


def _utc(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _conversation_out(row: Any, sla: Any = None) -> ConversationOut:
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
        priority=row["priority"],
        waiting_since=row["waiting_since"],
        unanswered_since=row["unanswered_since"],
        sla=sla,
        revision=row["revision"],  # the trigger's, as RETURNING sees it (migration 0029)
    )
