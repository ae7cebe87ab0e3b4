"""Rebuild the reports' roll-ups from the raw facts: ``omnidesk analytics rebuild``: the per-conversation rows
(``conversation_sla``), then the daily and hourly roll-ups from them (omnidesk.server.analytics.rollup.rebuild_all).

Each conversation's history is replayed, in time order, through the same domain functions that maintain the row
live (omnidesk.domain.sla via omnidesk.server.sla.service.plan_inbound): its customer messages, its operators'
replies (not the survey question the server sends, which has no author), its status changes from the timeline, and
the warnings and breaches due by ``now``. A customer's rating reply (timeline ``csat_rated``) is not a customer
message for the clock, as live. Conversations are read in pages by id, so memory stays flat at any size; policies are
today's (a policy changed since applies to the rebuilt history), and so are the queues' hours: the business
durations (``frt_business`` / ``res_business``, omnidesk.server.sla.service.business_values) are recomputed in each
conversation's current queue calendar.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict

from sqlalchemy import delete, insert, select

from omnidesk.domain import sla
from omnidesk.domain.enums import Direction, MessageKind
from omnidesk.protocol.customers import SURVEY_ANSWER_KINDS, TimelineKind
from omnidesk.server.admin.models import Channel
from omnidesk.server.analytics import rollup
from omnidesk.server.conversations.models import Conversation, Message
from omnidesk.server.customers.models import Customer
from omnidesk.server.db import Database, utcnow
from omnidesk.server.sla.models import ConversationSla
from omnidesk.server.sla.service import business_values, load_rules, plan_inbound, row_values
from omnidesk.server.timeline.models import TimelineEntry

# Replay order of events at the same instant: what happened first in one transaction.
_IN, _STATUS, _OUT = 0, 1, 2


async def rebuild(db: Database, *, now: dt.datetime | None = None, page: int = 2000) -> int:
    """Recompute every conversation's row; the number of conversations rebuilt."""
    now = now or utcnow()
    done = 0
    last_id = 0
    while True:
        async with db.session() as session:
            rules = await load_rules(session)
            convs = (
                await session.execute(
                    select(Conversation.id, Conversation.queue_id, Channel.kind, Customer.segment)
                    .join(Channel, Channel.id == Conversation.channel_id)
                    .join(Customer, Customer.id == Conversation.customer_id)
                    .where(Conversation.id > last_id)
                    .order_by(Conversation.id)
                    .limit(page)
                )
            ).all()
            if not convs:
                break
            ids = [c.id for c in convs]
            history: dict[int, list[tuple]] = defaultdict(list)
            ratings = set(
                (
                    await session.scalars(
                        select(TimelineEntry.message_id).where(
                            TimelineEntry.conversation_id.in_(ids), TimelineEntry.kind.in_(SURVEY_ANSWER_KINDS)
                        )
                    )
                ).all()
            )
            messages = await session.execute(
                select(Message.id, Message.conversation_id, Message.created_at, Message.direction, Message.author_id)
                .where(Message.conversation_id.in_(ids), Message.kind == MessageKind.TEXT.value)
                .order_by(Message.id)
            )
            for m in messages:
                if m.direction == Direction.IN.value:
                    if m.id not in ratings:
                        history[m.conversation_id].append((m.created_at, _IN, m.id, None))
                elif m.author_id is not None:
                    history[m.conversation_id].append((m.created_at, _OUT, m.id, None))
            statuses = await session.execute(
                select(TimelineEntry.id, TimelineEntry.conversation_id, TimelineEntry.at, TimelineEntry.payload).where(
                    TimelineEntry.conversation_id.in_(ids), TimelineEntry.kind == TimelineKind.STATUS_CHANGED.value
                )
            )
            for s in statuses:
                history[s.conversation_id].append((s.at, _STATUS, s.id, (s.payload or {}).get("to")))
            # Which alerts were sent is a record of notifications, not a fact to recompute: kept where known, so a
            # rebuild never sends one twice (and a lost row does not send old ones again: all due by now count sent).
            sent = dict(
                (
                    await session.execute(
                        select(ConversationSla.conversation_id, ConversationSla.alerted).where(
                            ConversationSla.conversation_id.in_(ids)
                        )
                    )
                ).all()
            )
            rows, empty = [], []
            for conv in convs:
                clock = replay(rules, history.get(conv.id, []), conv.queue_id, conv.kind, conv.segment, now)
                if conv.id in sent:
                    clock = dataclasses.replace(clock, alerted=sent[conv.id])
                if clock.started_at is None:
                    empty.append(conv.id)
                else:
                    business = business_values(rules, conv.queue_id, clock)
                    rows.append({"conversation_id": conv.id, **row_values(clock), **business})
            if empty:
                await session.execute(delete(ConversationSla).where(ConversationSla.conversation_id.in_(empty)))
            if rows:  # one statement for the page
                await session.execute(delete(ConversationSla).where(ConversationSla.conversation_id.in_(ids)))
                await session.execute(insert(ConversationSla), rows)
            await session.commit()
        done += len(convs)
        last_id = ids[-1]
    await rollup.rebuild_all(db)  # the daily and hourly roll-ups from the rebuilt rows
    return done


def replay(rules, events: list[tuple], queue_id, channel_kind, segment, now: dt.datetime) -> sla.Clock:
    """One conversation's clock from its events (at, kind, id, status)."""
    clock = sla.Clock()
    for at, kind, _id, status in sorted(events, key=lambda e: (e[0], e[1], e[2])):
        if kind == _IN:
            clock = plan_inbound(rules, clock, queue_id=queue_id, channel_kind=channel_kind, segment=segment, at=at)
        elif kind == _OUT:
            clock = sla.on_agent_reply(clock, at)
        elif status and clock.started_at is not None:
            clock = sla.on_status(clock, rules.calendar(rules.policy(clock.policy_id)), status, at)
    clock, _alerts = sla.alerts_due(clock, now)
    return clock
