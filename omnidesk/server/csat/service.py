"""Satisfaction surveys: asked once per resolved conversation in its channel, answered by the customer's reply.

On resolve, a queue with surveys on gets a survey row (``requested_at`` = now + the queue's delay) that asks what
the queue asks: CSAT (1-5), NPS (0-10) or both (omnidesk.domain.csat: CSAT first, NPS after its answer). The SLA
worker (which runs once across instances) asks the due questions: each, in the customer's language, is an outgoing
message of the conversation through the outbox like any reply, with the answers as buttons (or quick replies) where
the channel has them and the text "reply with a number" everywhere. The survey then ``awaits`` that question's
answer: a customer's next message on that channel that reads as one (omnidesk.domain.csat.parse_answer) while no
conversation is open there is stored in the resolved conversation (never reopening it), the survey gets the score
or NPS (and comment), the customer's timeline an entry, and the reports count it for the conversation's operator.
A CSAT answer in a survey that asks both makes NPS due at once; the worker's next tick asks it.
By e-mail (with the server's ``public_url``) the question also carries one link per score to a public page
(omnidesk.server.csat.links); the page's answer goes through ``answer_by_link`` into the same ``record_answer``.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.channels import CONNECTORS
from omnidesk.channels.api.connector import ApiConnector
from omnidesk.domain import csat
from omnidesk.domain.enums import DeliveryStatus, Direction, EventType, MessageKind
from omnidesk.protocol.customers import TimelineKind
from omnidesk.server.admin.models import Channel
from omnidesk.server.channels.models import MessageDetails
from omnidesk.server.conversations.models import Conversation, Message
from omnidesk.server.conversations.serialize import (
    conversation_out,
    conversation_query,
    message_out,
    message_query,
    preview,
)
from omnidesk.server.csat import links
from omnidesk.server.csat.models import CsatSettings, CsatSurvey, CsatSurveyLink
from omnidesk.server.customers.models import Customer
from omnidesk.server.db import Database
from omnidesk.server.events.service import emit_many
from omnidesk.server.outbox.models import OutboxItem
from omnidesk.server.security import token_hash
from omnidesk.server.timeline.service import record_item


async def on_resolved(session: AsyncSession, conversation_id: int, now: dt.datetime) -> CsatSurvey | None:
    """Plan the survey of a just-resolved conversation when its queue asks for one (once per conversation)."""
    conv = await session.get(Conversation, conversation_id)
    if conv is None or conv.queue_id is None:
        return None
    settings = await session.get(CsatSettings, conv.queue_id)
    if settings is None or not settings.enabled or settings.asks not in csat.ASKS:
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
        asks=settings.asks,
    )
    session.add(survey)
    await session.flush()
    return survey


async def send_due(
    session: AsyncSession, db: Database, now: dt.datetime, limit: int = 200, *, public_url: str | None = None
) -> int:
    """Ask every planned question whose time has come (a survey's first, or NPS after a CSAT answer); the number.
    With the server's ``public_url`` an e-mail question carries one link per score (omnidesk.server.csat.links)."""
    first = (
        await session.scalars(
            _claim(
                db,
                select(CsatSurvey)
                .where(
                    CsatSurvey.message_id.is_(None), CsatSurvey.requested_at <= now, CsatSurvey.answered_at.is_(None)
                )
                .order_by(CsatSurvey.requested_at)
                .limit(limit),
            )
        )
    ).all()
    for survey in first:
        await _ask(session, db, survey, csat.first_question(survey.asks), now, public_url)
    nps_due = (
        await session.scalars(
            _claim(
                db,
                select(CsatSurvey)
                .where(CsatSurvey.nps_message_id.is_(None), CsatSurvey.nps_requested_at <= now)
                .order_by(CsatSurvey.nps_requested_at)
                .limit(limit),
            )
        )
    ).all()
    for survey in nps_due:
        await _ask(session, db, survey, csat.NPS, now, public_url)
    return len(first) + len(nps_due)


def _claim(db: Database, query):
    """On PostgreSQL the due surveys are locked (skipping those another tick holds): each question is asked once
    even when two workers tick at the same moment (a standby taking over, a tick run by hand)."""
    query = query.execution_options(populate_existing=True)
    return query if db.sqlite else query.with_for_update(skip_locked=True)


def answer_choices(kind: str, options: tuple[str, ...]) -> dict:
    """The answers as buttons where the channel declares it shows that many (Telegram), else as quick replies
    (Viber, VK, Messenger, Instagram, MAX, the web chat's widget), else nothing: the text says "reply with a
    number" (WhatsApp with its 3 buttons, e-mail, a webhook gateway). Read from the connector's declared
    capabilities; each button or quick reply sends its number as the customer's text, which is the answer."""
    connector_class = CONNECTORS.get(kind, ApiConnector)
    caps = connector_class.capabilities
    if not connector_class.delivers_itself:
        return {}  # a webhook gateway gets the text only
    if caps.buttons and caps.max_buttons >= len(options):
        return {"buttons": [{"title": o, "payload": o} for o in options]}
    if caps.quick_replies:
        return {"quick_replies": list(options)}
    return {}


async def _ask(
    session: AsyncSession, db: Database, survey: CsatSurvey, which: str, now: dt.datetime, public_url: str | None
) -> None:
    language = await session.scalar(select(Customer.language).where(Customer.id == survey.customer_id))
    settings = await session.get(CsatSettings, survey.queue_id) if survey.queue_id is not None else None
    custom = (settings.nps_questions if which == csat.NPS else settings.questions) if settings else None
    body = csat.question(language, custom or None, which)
    channel = (
        await session.execute(select(Channel.webhook_url, Channel.kind).where(Channel.id == survey.channel_id))
    ).one()
    connector_class = CONNECTORS.get(channel.kind, ApiConnector)
    # The rule of an operator's reply (omnidesk.server.channels.replies.prepare).
    deliverable = connector_class.delivers_itself or bool(channel.webhook_url) or channel.kind == "webchat"
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
    choices = answer_choices(channel.kind, csat.NPS_BUTTONS if which == csat.NPS else csat.BUTTONS)
    if choices:
        session.add(MessageDetails(message_id=message_id, payload=choices, complete=True))
        await session.flush()
    if deliverable and channel.kind == "email":  # the e-mail version: one link per score (else the text alone)
        await links.create(session, survey, which, message_id, public_url, now)
    if deliverable:
        await session.execute(
            insert(OutboxItem).values(
                message_id=message_id, channel_id=survey.channel_id, state="pending", next_attempt_at=now
            )
        )
    if survey.message_id is None:
        survey.message_id = message_id
    if which == csat.NPS:
        survey.nps_message_id = message_id
        survey.nps_requested_at = survey.nps_requested_at or now
    survey.awaiting, survey.asked_at = which, now
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
    """The asked, unanswered survey this message answers, with its score (or NPS) and comment; None: an ordinary
    message. The survey's ``awaiting`` says which question the text must answer."""
    if csat.parse_rating(text) is None and csat.parse_nps(text) is None:
        return None
    survey = await session.scalar(
        select(CsatSurvey)
        .where(
            CsatSurvey.customer_id == customer_id,
            CsatSurvey.channel_id == channel_id,
            CsatSurvey.awaiting.is_not(None),
            CsatSurvey.asked_at >= now - dt.timedelta(days=csat.ANSWER_DAYS),
        )
        .order_by(CsatSurvey.asked_at.desc())
        .limit(1)
    )
    if survey is None:
        return None
    answer = csat.parse_answer(survey.awaiting, text)
    return None if answer is None else (survey, answer[0], answer[1])


async def closed_questions(session: AsyncSession, message_ids: list[int], now: dt.datetime) -> set[int]:
    """Of these messages, the survey questions that no longer wait for their answer (answered, or asked longer
    than omnidesk.domain.csat.ANSWER_DAYS ago): their answer buttons would answer nothing (the web chat's history
    leaves them out)."""
    if not message_ids:
        return set()
    ids = set(message_ids)
    rows = (
        await session.execute(
            select(
                CsatSurvey.message_id, CsatSurvey.nps_message_id, CsatSurvey.asks, CsatSurvey.awaiting,
                CsatSurvey.asked_at,
            ).where(or_(CsatSurvey.message_id.in_(ids), CsatSurvey.nps_message_id.in_(ids)))
        )
    ).all()  # fmt: skip
    closed = set()
    for r in rows:
        for message_id, which in ((r.message_id, csat.first_question(r.asks)), (r.nps_message_id, csat.NPS)):
            if message_id in ids and not csat.awaits(r.awaiting, which, r.asked_at, now):
                closed.add(message_id)
    return closed


async def record_answer(
    session: AsyncSession, survey: CsatSurvey, score: int, comment: str | None, message_id: int, now: dt.datetime
) -> None:
    """The answer to the awaited question on the survey and on the customer's timeline (the message itself the
    caller stored); NPS becomes due when it follows."""
    which = survey.awaiting or csat.CSAT
    if which == csat.NPS:
        survey.nps = score
        kind, payload = TimelineKind.NPS_RATED, {"nps": score, "comment": comment, "operator_id": survey.operator_id}
    else:
        survey.score = score
        kind, payload = TimelineKind.CSAT_RATED, {"score": score, "comment": comment, "operator_id": survey.operator_id}
    if comment is not None:
        survey.comment = comment if survey.comment is None else f"{survey.comment}\n{comment}"
    survey.answered_at = survey.answered_at or now  # the first answer: the day the reports count the survey on
    survey.awaiting = None
    if csat.after_answer(survey.asks, which) == csat.NPS and survey.nps_requested_at is None:
        survey.nps_requested_at = now  # the worker's next tick asks it
    await record_item(
        session,
        customer_id=survey.customer_id,
        kind=kind,
        at=now,
        conversation_id=survey.conversation_id,
        channel_id=survey.channel_id,
        message_id=message_id,
        payload=payload,
    )


async def edit_settings(
    session: AsyncSession,
    queue_id: int,
    *,
    enabled: bool | None = None,
    asks: str | None = None,
    delay_seconds: int | None = None,
    questions: dict[str, str | None] | None = None,
    nps_questions: dict[str, str | None] | None = None,
    replace_questions: bool = False,
) -> tuple[CsatSettings, dict]:
    """Change what is given of a queue's survey settings, keep the rest; a question text None (or empty) goes back
    to ours, and with ``replace_questions`` every language not given does too. Checked as the API checks them
    (omnidesk.protocol.csat.CsatSettingsIn): ValueError in words. The settings and what changed; the caller commits
    and audits."""
    from pydantic import ValidationError

    from omnidesk.protocol.csat import CsatSettingsIn

    row = await session.get(CsatSettings, queue_id)
    current = {
        "enabled": row.enabled if row else False,
        "asks": (row.asks if row else None) or csat.CSAT,
        "delay_seconds": row.delay_seconds if row else 0,
        "questions": dict((row.questions if row else None) or {}),
        "nps_questions": dict((row.nps_questions if row else None) or {}),
    }
    wanted = {k: dict(v) if isinstance(v, dict) else v for k, v in current.items()}
    for key, value in (("enabled", enabled), ("asks", asks), ("delay_seconds", delay_seconds)):
        if value is not None:
            wanted[key] = value
    for key, texts in (("questions", questions), ("nps_questions", nps_questions)):
        if replace_questions:
            wanted[key] = {}
        for language, text in (texts or {}).items():
            if text and text.strip():
                wanted[key][language] = text
            else:
                wanted[key].pop(language, None)
    try:
        checked = CsatSettingsIn(**wanted).model_dump()
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ValueError(f"survey settings: {where}: {first['msg']}") from None
    changes = {k: v for k, v in checked.items() if v != current[k]}
    if row is None:
        row = CsatSettings(queue_id=queue_id, questions={})
        session.add(row)
    for key, value in checked.items():
        setattr(row, key, value)
    await session.flush()
    return row, changes


async def link_survey(
    session: AsyncSession, db: Database, token: str, now: dt.datetime, *, lock: bool = False
) -> tuple[str, CsatSurvey | None, str | None]:
    """What a survey link finds: (state, survey, question); state ``unknown`` for no token of ours, else
    omnidesk.domain.csat.link_state's (``open``, ``answered``, ``expired``). With ``lock`` (the answer's POST) the
    survey row is locked on PostgreSQL, so two answers at once record one."""
    link = await links.find(session, token)
    if link is None:
        return "unknown", None, None
    query = select(CsatSurvey).where(CsatSurvey.id == link.survey_id).execution_options(populate_existing=True)
    if lock and not db.sqlite:
        query = query.with_for_update()
    survey = await session.scalar(query)
    if survey is None:
        return "unknown", None, None
    return csat.link_state(survey.awaiting, link.question, link.expires_at, now), survey, link.question


async def answer_by_link(
    session: AsyncSession, db: Database, token: str, score_text: str | None, comment: str | None, now: dt.datetime
) -> tuple[str, CsatSurvey | None, str | None, int | None]:
    """Record a link's answer (the page's POST) as a text reply's is recorded (``record_answer``: the survey row,
    the timeline entry, NPS due after CSAT when both are asked; the conversation stays resolved). (outcome, survey,
    question, score): outcome ``recorded``, ``unknown``, ``expired``, ``answered`` (refused: one answer per
    question), ``pick`` (no valid score) or ``too_long`` (the comment). The caller commits."""
    state, survey, which = await link_survey(session, db, token, now, lock=True)
    if state != csat.OPEN:
        return state, survey, which, None
    score = csat.parse_score(which, score_text)
    if score is None:
        return "pick", survey, which, None
    comment = (comment or "").strip() or None
    if comment is not None and len(comment) > links.MAX_COMMENT:
        return "too_long", survey, which, score
    await record_answer(session, survey, score, comment, None, now)
    await session.execute(
        update(CsatSurveyLink).where(CsatSurveyLink.token_hash == token_hash(token)).values(answered_at=now)
    )
    return "recorded", survey, which, score
