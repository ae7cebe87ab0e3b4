"""The demo's SLA policies, satisfaction surveys and report history, so Reports is meaningful on first start.

Policies (chats answered within half an hour, e-mail within an office hour) and a Kyiv office calendar are created, the
reports' roll-up is rebuilt from the seeded weeks of messages and status changes (the same replay as
``omnidesk analytics rebuild``: breaches are whatever the history missed), and about half of the resolved
conversations get a customer's rating.
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import insert, select

from omnidesk.domain.enums import ConversationStatus
from omnidesk.protocol.customers import TimelineKind
from omnidesk.server.analytics.rebuild import rebuild
from omnidesk.server.conversations.models import Conversation
from omnidesk.server.csat.models import CsatSettings, CsatSurvey
from omnidesk.server.db import Database
from omnidesk.server.queues.models import Queue
from omnidesk.server.sla.models import BusinessCalendar, SlaPolicy
from omnidesk.server.sla.service import forget_rules
from omnidesk.server.timeline.models import TimelineEntry

CHATS = ("telegram", "whatsapp", "viber", "vk", "meta", "webchat", "api")
SCORES = (5, 5, 5, 4, 4, 3, 2, 1)
NPS_SCORES = (10, 10, 9, 9, 9, 8, 8, 7, 6, 5, 3)  # mostly promoters, some passives and detractors


async def seed_reports(db: Database, *, rng: random.Random, now: dt.datetime) -> int:
    """Policies, calendar and surveys; returns the number of ratings."""
    async with db.session() as session:
        queue_id = await session.scalar(select(Queue.id).order_by(Queue.id).limit(1))
        office = BusinessCalendar(
            name="Kyiv office",
            timezone="Europe/Kyiv",
            hours={d: [["09:00", "18:00"]] for d in ("mon", "tue", "wed", "thu", "fri")},
            country="UA",
            closed_days=[],
            open_days=[],
        )
        session.add(office)
        await session.flush()
        for kind in CHATS:
            session.add(
                SlaPolicy(
                    name=f"Chat ({kind})",
                    channel_kind=kind,
                    first_response_seconds=30 * 60,
                    next_response_seconds=30 * 60,
                    resolution_seconds=4 * 3600,
                    warn_fraction=0.8,
                    escalation="notify",
                    position=0,
                    active=True,
                )
            )
        session.add(
            SlaPolicy(
                name="E-mail and forms",
                first_response_seconds=3600,
                resolution_seconds=2 * 9 * 3600,
                calendar_id=office.id,
                warn_fraction=0.8,
                escalation="notify",
                position=10,
                active=True,
            )
        )
        session.add(CsatSettings(queue_id=queue_id, enabled=True, delay_seconds=0, questions={}))
        await session.commit()
    forget_rules()
    await rebuild(db, now=now)
    async with db.session() as session:
        resolved = (
            await session.execute(
                select(Conversation, TimelineEntry.at)
                .join(TimelineEntry, TimelineEntry.conversation_id == Conversation.id)
                .where(
                    Conversation.status == ConversationStatus.RESOLVED.value,
                    TimelineEntry.kind == TimelineKind.STATUS_CHANGED.value,
                )
                .order_by(Conversation.id)
            )
        ).all()
        rows = []
        seen = set()
        for conv, resolved_at in resolved:
            if conv.id in seen or rng.random() > 0.55:
                continue
            seen.add(conv.id)
            answered = min(resolved_at + dt.timedelta(minutes=rng.randint(2, 90)), now)
            rows.append(
                {
                    "conversation_id": conv.id,
                    "customer_id": conv.customer_id,
                    "channel_id": conv.channel_id,
                    "queue_id": conv.queue_id,
                    "operator_id": conv.assignee_id,
                    "requested_at": resolved_at,
                    "score": rng.choice(SCORES),
                    # Half of those who rated also answered the 0-10 "would you recommend us?" that follows.
                    "nps": rng.choice(NPS_SCORES) if rng.random() < 0.5 else None,
                    "answered_at": answered,
                    "language": None,
                }
            )
        if rows:
            await session.execute(insert(CsatSurvey), rows)
        await session.commit()
    return len(rows)
