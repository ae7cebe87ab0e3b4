"""Satisfaction surveys: asked once per resolved conversation in its channel, answered by the customer's reply.

On resolve, a queue with surveys on gets a survey row (``requested_at`` = now + the queue's delay). The SLA worker
(which runs once across instances) asks the due ones: the question, in the customer's language, is an outgoing
message of the conversation through the outbox like any reply. A customer's next message on that channel that reads
as a rating (omnidesk.domain.csat.parse_rating) while no conversation is open there is the answer: it is stored in
the resolved conversation (never reopening it), the survey gets the score and comment, the customer's timeline an
entry, and the reports count it for the conversation's operator.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domain import csat
from omnidesk.domain.enums import DeliveryStatus, Direction, EventType, MessageKind
from omnidesk.protocol.customers import TimelineKind
from omnidesk.server.admin.models import Channel
from omnidesk.server.conversations.models import Conversation, Message
from omnidesk.server.conversations.serialize import (
    conversation_out,
    conversation_query,
    message_out,
    message_query,
    preview,
)
from omnidesk.server.csat.models import CsatSettings, CsatSurvey
from omnidesk.server.customers.models import Customer
from omnidesk.server.db import Database
from omnidesk.server.events.service import emit_many
from omnidesk.server.outbox.models import OutboxItem
from omnidesk.server.timeline.service import record_item


async def on_resolved(session: AsyncSession, conversation_id: int, now: dt.datetime) -> CsatSurvey | None:
    """Plan the survey of a just-resolved conversation when its queue asks for one (once per conversation)."""
    conv = await session.get(Conversation, conversation_id)
    if conv is None or conv.queue_id is None:
        return None
    settings = await session.get(CsatSettings, conv.queue_id)
    if settings is None or not settings.enabled:
        return None
    if await session.scalar(select(CsatSurvey.id).where(CsatSurvey.conversation_id == conversation_id)):
        return None  # asked already (resolved, reopened, resolved again)
    survey = CsatSurvey(
        conversation_id=conversation_id,
        customer_id=conv.customer_id,
        channel_id=conv.channel_id,
        queue_id=conv.queue_id,
        operator_id=conv.assignee_id,
        requested_at=now + dt.timedelta(seconds=settings.delay_seconds),
    )
    session.add(survey)
    await session.flush()
    return survey


async def send_due(session: AsyncSession, db: Database, now: dt.datetime, limit: int = 200) -> int:
    """Ask every planned survey whose time has come; the number asked."""
    surveys = (
        await session.scalars(
            select(CsatSurvey)
            .where(CsatSurvey.message_id.is_(None), CsatSurvey.requested_at <= now, CsatSurvey.answered_at.is_(None))
            .order_by(CsatSurvey.requested_at)
            .limit(limit)
        )
    ).all()
    for survey in surveys:
        await _ask(session, db, survey, now)
    return len(surveys)


async def _ask(session: AsyncSession, db: Database, survey: CsatSurvey, now: dt.datetime) -> None:
    language = await session.scalar(select(Customer.language).where(Customer.id == survey.customer_id))
    settings = await session.get(CsatSettings, survey.queue_id) if survey.queue_id is not None else None
    body = csat.question(language, (settings.questions if settings else None) or None)
    webhook_url = await session.scalar(select(Channel.webhook_url).where(Channel.id == survey.channel_id))
    deliverable = bool(webhook_url)
    message_id = await session.scalar(
        insert(Message)
        .values(
            conversation_id=survey.conversation_id,
            channel_id=survey.channel_id,
            direction=Direction.OUT.value,
            kind=MessageKind.TEXT.value,
            author_id=None,
            text=body,
            sent_at=now,
            created_at=now,
            delivery_status=(DeliveryStatus.QUEUED if deliverable else DeliveryStatus.FAILED).value,
            delivery_error=None if deliverable else "the channel has no webhook URL to deliver replies to",
        )
        .returning(Message.id)
    )
    if deliverable:
        await session.execute(
            insert(OutboxItem).values(
                message_id=message_id, channel_id=survey.channel_id, state="pending", next_attempt_at=now
            )
        )
    survey.message_id = message_id
    survey.language = (language or "en")[:16]
    await session.execute(
        update(Conversation)
        .where(Conversation.id == survey.conversation_id)
        .values(last_message_at=now, last_message_preview=preview(body), last_message_direction=Direction.OUT.value)
    )
    await record_item(
        session,
        customer_id=survey.customer_id,
        kind=TimelineKind.MESSAGE_OUT,
        at=now,
        conversation_id=survey.conversation_id,
        channel_id=survey.channel_id,
        message_id=message_id,
    )
    await _emit(session, db, survey.conversation_id, message_id)


async def _emit(session: AsyncSession, db: Database, conversation_id: int, message_id: int) -> None:
    message = message_out((await session.execute(message_query().where(Message.id == message_id))).one())
    query = conversation_query().where(Conversation.id == conversation_id).execution_options(populate_existing=True)
    conversation = conversation_out((await session.execute(query)).one())
    await emit_many(
        session,
        db,
        [
            (EventType.MESSAGE_CREATED.value, {"message": message.model_dump(mode="json")}),
            (EventType.CONVERSATION_UPDATED.value, {"conversation": conversation.model_dump(mode="json")}),
        ],
        queue_id=conversation.queue_id,
        user_id=conversation.assignee_id,
    )


async def waiting_survey(
    session: AsyncSession, *, customer_id: int, channel_id: int, text: str, now: dt.datetime
) -> tuple[CsatSurvey, int, str | None] | None:
    """The asked, unanswered survey this message answers, with its score and comment; None: an ordinary message."""
    rating = csat.parse_rating(text)
    if rating is None:
        return None
    survey = await session.scalar(
        select(CsatSurvey)
        .where(
            CsatSurvey.customer_id == customer_id,
            CsatSurvey.channel_id == channel_id,
            CsatSurvey.answered_at.is_(None),
            CsatSurvey.message_id.is_not(None),
            CsatSurvey.requested_at >= now - dt.timedelta(days=csat.ANSWER_DAYS),
        )
        .order_by(CsatSurvey.requested_at.desc())
        .limit(1)
    )
    return None if survey is None else (survey, rating[0], rating[1])


async def record_answer(
    session: AsyncSession, survey: CsatSurvey, score: int, comment: str | None, message_id: int, now: dt.datetime
) -> None:
    """The rating on the survey and on the customer's timeline (the message itself the caller stored)."""
    survey.score = score
    survey.comment = comment
    survey.answered_at = now
    await record_item(
        session,
        customer_id=survey.customer_id,
        kind=TimelineKind.CSAT_RATED,
        at=now,
        conversation_id=survey.conversation_id,
        channel_id=survey.channel_id,
        message_id=message_id,
        payload={"score": score, "comment": comment, "operator_id": survey.operator_id},
    )
