"""Presence, load and assignment: who is available, "take next" (pull), offering work (push), returning the work of
operators who went offline, and the figures of the supervisor board.

One conversation never goes to two operators: every assignment here is a conditional UPDATE (``assignee_id IS NULL``)
whose row count says whether this caller won; on PostgreSQL the candidate is also locked with SKIP LOCKED, so
concurrent takers pick different conversations instead of queueing on one.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Iterable

from sqlalchemy import and_, case, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domain import routing
from omnidesk.domain.enums import ConversationStatus, EventType
from omnidesk.protocol.customers import TimelineKind
from omnidesk.protocol.workorg import (
    ActivityOut,
    Assigned,
    Board,
    OfferOut,
    OfferOutcome,
    OperatorFigures,
    PresenceOut,
    PresenceStatus,
    QueueFigures,
    WaitingItem,
)
from omnidesk.server.admin.models import Channel
from omnidesk.server.conversations.models import Conversation
from omnidesk.server.conversations.serialize import conversation_out, conversation_query
from omnidesk.server.customers.models import Customer
from omnidesk.server.db import Database, utcnow
from omnidesk.server.events.service import emit_many
from omnidesk.server.presence.models import AssignmentOffer, Presence
from omnidesk.server.queues.models import Queue, QueueMember
from omnidesk.server.timeline.service import record_conversation_item
from omnidesk.server.users.models import User

log = logging.getLogger("omnidesk.presence")

OPEN = ConversationStatus.OPEN.value
WAITING_LIST_LIMIT = 500
IN_PROGRESS_LIMIT = 20_000
PRIORITIES = tuple(sorted(routing.Priority, reverse=True))  # urgent first


def waiting_condition():
    return and_(Conversation.assignee_id.is_(None), Conversation.status == OPEN)


def offered_to_another(user_id: int):
    """SQL of domain.routing.take_tier: the waiting conversation is held for a colleague it is offered to."""
    return and_(Conversation.offered_to_id.is_not(None), Conversation.offered_to_id != user_id)


def take_tier_sql(user_id: int):
    """domain.routing.take_tier as a CASE, to order "take next"'s candidates in SQL."""
    return case(
        (offered_to_another(user_id), int(routing.TakeTier.OFFERED_TO_ANOTHER)), else_=int(routing.TakeTier.FREE)
    )


# --- presence -------------------------------------------------------------------------------------------------------


async def member_queues(session: AsyncSession, user_id: int) -> list[int]:
    return list((await session.scalars(select(QueueMember.queue_id).where(QueueMember.user_id == user_id))).all())


async def presence_of(session: AsyncSession, user_id: int) -> PresenceOut:
    row = (
        await session.execute(
            select(User.id, User.display_name, Presence.status, Presence.changed_at)
            .outerjoin(Presence, Presence.user_id == User.id)
            .where(User.id == user_id)
        )
    ).one()
    return PresenceOut(
        user_id=row.id,
        display_name=row.display_name,
        status=row.status or PresenceStatus.OFFLINE,
        changed_at=row.changed_at,
    )


async def set_presence(session: AsyncSession, db: Database, user_id: int, status: PresenceStatus) -> PresenceOut:
    """Record ``status`` and tell colleagues (the user's queues) and supervisors. Going offline starts the grace
    period after which the user's open conversations return to their queues."""
    now = utcnow()
    current = await session.get(Presence, user_id, with_for_update=not db.sqlite)
    if current is None:
        current = Presence(user_id=user_id, status=status.value, changed_at=now)
        session.add(current)
    elif current.status == status.value:  # a heartbeat: alive, nothing changed, nothing to tell
        current.last_seen_at = now
        await session.flush()
        return await presence_of(session, user_id)
    current.last_seen_at = now
    current.status = status.value
    current.changed_at = now
    current.offline_since = now if status is PresenceStatus.OFFLINE else None
    await session.flush()
    out = await presence_of(session, user_id)
    queues = await member_queues(session, user_id)
    await emit_many(
        session,
        db,
        [(EventType.PRESENCE_UPDATED.value, {"presence": out.model_dump(mode="json")})],
        queue_id=queues[0] if queues else None,
        user_id=user_id,
        also_queues=queues[1:],
    )
    return out


async def list_presence(session: AsyncSession, queue_ids: Iterable[int] | None) -> list[PresenceOut]:
    """Presence of every active user (``queue_ids`` None), or of the members of these queues."""
    query = (
        select(User.id, User.display_name, Presence.status, Presence.changed_at)
        .outerjoin(Presence, Presence.user_id == User.id)
        .where(User.is_active.is_(True))
        .order_by(User.display_name, User.id)
    )
    if queue_ids is not None:
        query = query.where(User.id.in_(select(QueueMember.user_id).where(QueueMember.queue_id.in_(list(queue_ids)))))
    return [
        PresenceOut(
            user_id=r.id,
            display_name=r.display_name,
            status=r.status or PresenceStatus.OFFLINE,
            changed_at=r.changed_at,
        )
        for r in (await session.execute(query)).all()
    ]


# --- assignment -------------------------------------------------------------------------------------------------------


async def emit_conversation(session: AsyncSession, db: Database, conversation_id: int, *, also_queues=()) -> None:
    row = (
        await session.execute(
            conversation_query().where(Conversation.id == conversation_id).execution_options(populate_existing=True)
        )
    ).one()
    out = conversation_out(row)
    await emit_many(
        session,
        db,
        [(EventType.CONVERSATION_UPDATED.value, {"conversation": out.model_dump(mode="json")})],
        queue_id=out.queue_id,
        user_id=out.assignee_id,
        also_queues=also_queues,
    )


async def claim(session: AsyncSession, conversation_id: int, user_id: int) -> bool:
    """Give a waiting conversation to ``user_id`` if nobody has it yet; False when someone was faster. An offer of
    it still pending can no longer be accepted (``withdraw_offers`` ends it after the commit)."""
    now = utcnow()
    result = await session.execute(
        update(Conversation)
        .where(Conversation.id == conversation_id, Conversation.assignee_id.is_(None))
        .values(assignee_id=user_id, offered_to_id=None, waiting_since=None, updated_at=now)
    )
    if result.rowcount != 1:
        return False
    await session.execute(update(Presence).where(Presence.user_id == user_id).values(last_assigned_at=now))
    return True


async def _member_skills(session: AsyncSession, user_id: int) -> dict[int, set[str]]:
    rows = (
        await session.execute(select(QueueMember.queue_id, QueueMember.skills).where(QueueMember.user_id == user_id))
    ).all()
    # Both spellings: SQLite's lower() folds ASCII only, so a Cyrillic skill is also matched as written.
    return {r.queue_id: {s for skill in (r.skills or ()) for s in (skill, skill.casefold())} for r in rows}


async def take_next(session: AsyncSession, db: Database, user_id: int, queue_ids: Iterable[int] | None) -> int | None:
    """The next waiting conversation for ``user_id`` among ``queue_ids`` (None: every queue), needing no skill the
    user lacks in that queue, in the order of domain.routing.choose_next (a conversation offered to a colleague only
    when nothing else waits; then highest priority, then longest waiting); assigned to them, or None when none
    waits."""
    skills = await _member_skills(session, user_id)
    queues = list(queue_ids) if queue_ids is not None else None
    if queues is not None and not queues:
        return None
    able = [Conversation.required_skill.is_(None)]
    able += [
        and_(
            Conversation.queue_id == q,
            or_(Conversation.required_skill.in_(sorted(s)), func.lower(Conversation.required_skill).in_(sorted(s))),
        )
        for q, s in skills.items()
        if s
    ]
    if not db.sqlite and queues is not None and len(queues) <= 50:
        return await _take_next_by_probes(session, user_id, queues, or_(*able))
    query = select(Conversation.id).where(waiting_condition(), or_(*able))
    if queues is not None:
        query = query.where(Conversation.queue_id.in_(queues))
    query = query.order_by(
        take_tier_sql(user_id), Conversation.priority.desc(), Conversation.waiting_since, Conversation.id
    ).limit(1)
    if not db.sqlite:
        # One row, locked, skipping rows other takers hold: fifty concurrent takers get fifty different rows.
        query = query.with_for_update(skip_locked=True, of=Conversation)
    for _attempt in range(50):
        candidate = await session.scalar(query)
        if candidate is None:
            return None
        if await claim(session, candidate, user_id):
            return candidate
    return None


async def _take_next_by_probes(session: AsyncSession, user_id: int, queues: list[int], able) -> int | None:
    """PostgreSQL: one index probe per (tier, priority, queue) on ix_conversations_waiting, in the order of
    domain.routing.choose_next, instead of sorting every waiting row; each probe locks its row with SKIP LOCKED, so
    concurrent takers spread out. Probes of a tier stop at its first priority with work: the tier's heads are
    compared by the domain's own key."""
    tiers = {
        routing.TakeTier.FREE: ~offered_to_another(user_id),
        routing.TakeTier.OFFERED_TO_ANOTHER: offered_to_another(user_id),
    }
    for _attempt in range(50):
        best = None
        for tier in routing.TakeTier:
            for priority in PRIORITIES:
                found = []
                for queue_id in queues:
                    row = (
                        await session.execute(
                            select(Conversation.id, Conversation.waiting_since, Conversation.offered_to_id)
                            .where(
                                waiting_condition(),
                                Conversation.queue_id == queue_id,
                                Conversation.priority == priority,
                                tiers[tier],
                                able,
                            )
                            .order_by(Conversation.waiting_since, Conversation.id)
                            .limit(1)
                            .with_for_update(skip_locked=True, of=Conversation)
                        )
                    ).first()
                    if row is not None:
                        found.append(routing.WaitingWork(row.id, priority, row.waiting_since, row.offered_to_id))
                if found:
                    best = routing.choose_next(found, user_id)
                    break
            if best is not None:
                break
        if best is None:
            return None
        if await claim(session, best.conversation_id, user_id):
            return best.conversation_id
    return None


async def loads(session: AsyncSession, user_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """Open conversations assigned to each user, per class of work (chat, email, call)."""
    ids = list(user_ids)
    out: dict[int, dict[str, int]] = {u: {} for u in ids}
    if not ids:
        return out
    rows = (
        await session.execute(
            select(Conversation.assignee_id, Channel.kind, func.count())
            .join(Channel, Channel.id == Conversation.channel_id)
            .where(Conversation.assignee_id.in_(ids), Conversation.status != ConversationStatus.RESOLVED.value)
            .group_by(Conversation.assignee_id, Channel.kind)
        )
    ).all()
    for assignee, kind, n in rows:
        cls = routing.channel_class(kind)
        out[assignee][cls] = out[assignee].get(cls, 0) + n
    return out


async def offer_waiting(
    session: AsyncSession, db: Database, *, limit: int = 200, now: dt.datetime | None = None
) -> list[tuple[int, int]]:
    """Push mode: give waiting conversations of auto-assign queues to the least-loaded online member with the skill
    and free capacity (domain.routing.choose_operator), or, where the queue has an offer timeout, offer them to that
    member (who accepts or declines; a pending offer counts against their capacity, and who declined or let one
    expire is not offered it again for the queue's ``offer_cooldown_s``, domain.routing.still_refused). ``now``: the
    clock (tests drive time through it). Returns (conversation, operator) pairs assigned or offered."""
    now = now or utcnow()
    settings = (
        await session.execute(select(Queue.id, Queue.offer_timeout_s, Queue.offer_cooldown_s).where(Queue.auto_assign))
    ).all()
    timeouts = {q.id: q.offer_timeout_s for q in settings}
    cooldowns = {q.id: q.offer_cooldown_s for q in settings}
    queue_ids = list(timeouts)
    if not queue_ids:
        return []
    members = (
        await session.execute(
            select(QueueMember, Presence.status, Presence.last_assigned_at)
            .join(User, User.id == QueueMember.user_id)
            .outerjoin(Presence, Presence.user_id == QueueMember.user_id)
            .where(QueueMember.queue_id.in_(queue_ids), User.is_active.is_(True))
        )
    ).all()
    online = {m.QueueMember.user_id for m in members if m.status == PresenceStatus.ONLINE.value}
    if not online:
        return []
    load = await loads(session, online)
    for user_id, kind, n in (
        await session.execute(
            select(AssignmentOffer.user_id, Channel.kind, func.count())
            .join(Conversation, Conversation.id == AssignmentOffer.conversation_id)
            .join(Channel, Channel.id == Conversation.channel_id)
            .where(AssignmentOffer.outcome.is_(None), AssignmentOffer.user_id.in_(online))
            .group_by(AssignmentOffer.user_id, Channel.kind)
        )
    ).all():
        cls = routing.channel_class(kind)
        load[user_id][cls] = load[user_id].get(cls, 0) + n
    waiting = (
        await session.execute(
            select(Conversation.id, Conversation.queue_id, Conversation.required_skill, Channel.kind)
            .join(Channel, Channel.id == Conversation.channel_id)
            .where(waiting_condition(), Conversation.queue_id.in_(queue_ids), Conversation.offered_to_id.is_(None))
            .order_by(Conversation.priority.desc(), Conversation.waiting_since, Conversation.id)
            .limit(limit)
        )
    ).all()
    refused = await _recently_refused(session, [(c.id, c.queue_id) for c in waiting], cooldowns, now)
    last: dict[int, float] = {}
    for m in members:
        if m.last_assigned_at is not None:
            last[m.QueueMember.user_id] = m.last_assigned_at.timestamp()
    assigned = []
    for conv in waiting:
        candidates = [
            routing.OperatorLoad(
                user_id=m.QueueMember.user_id,
                online=m.QueueMember.user_id in online,
                skills=frozenset(m.QueueMember.skills or ()),
                capacity=dict(m.QueueMember.capacity or {}),
                load=load.get(m.QueueMember.user_id, {}),
                last_assigned=last.get(m.QueueMember.user_id, 0.0),
                member_priority=m.QueueMember.priority,
            )
            for m in members
            if m.QueueMember.queue_id == conv.queue_id and (conv.id, m.QueueMember.user_id) not in refused
        ]
        chosen = routing.choose_operator(candidates, channel_kind=conv.kind, skill=conv.required_skill)
        if chosen is None:
            continue
        timeout = timeouts.get(conv.queue_id) or 0
        if timeout > 0:
            if await offer(session, db, conv.id, chosen, timeout, now=now) is None:
                continue
        elif await claim(session, conv.id, chosen):
            await record_conversation_item(
                session, conv.id, TimelineKind.ASSIGNED, {"from": None, "to": chosen, "by": None, "auto": True}
            )
            await emit_conversation(session, db, conv.id)
        else:
            continue
        cls = routing.channel_class(conv.kind)
        load[chosen][cls] = load[chosen].get(cls, 0) + 1
        last[chosen] = now.timestamp()
        assigned.append((conv.id, chosen))
    return assigned


# --- offers: push mode with an offer timeout ------------------------------------------------------------------------

REFUSED = (OfferOutcome.DECLINED.value, OfferOutcome.EXPIRED.value)


async def _recently_refused(
    session: AsyncSession, conversations: list[tuple[int, int]], cooldowns: dict[int, int], now: dt.datetime
) -> set[tuple[int, int]]:
    """(conversation, operator) pairs still within their queue's decline cooldown (domain.routing.still_refused)."""
    if not conversations:
        return set()
    queue_of = dict(conversations)
    longest = max((cooldowns.get(q, 0) for q in queue_of.values()), default=0)
    if longest <= 0:
        return set()
    rows = await session.execute(
        select(AssignmentOffer.conversation_id, AssignmentOffer.user_id, AssignmentOffer.decided_at).where(
            AssignmentOffer.conversation_id.in_(list(queue_of)),
            AssignmentOffer.outcome.in_(REFUSED),
            AssignmentOffer.decided_at > now - dt.timedelta(seconds=longest),  # narrows the rows; the rule decides
        )
    )
    return {
        (r.conversation_id, r.user_id)
        for r in rows
        if routing.still_refused(r.decided_at, cooldowns.get(queue_of[r.conversation_id], 0), now)
    }


async def offer_out(session: AsyncSession, offer_id: int) -> OfferOut:
    row = (
        await session.execute(
            _offer_query().where(AssignmentOffer.id == offer_id).execution_options(populate_existing=True)
        )
    ).one()
    return _offer_of(row)


def _offer_query():
    return (
        select(AssignmentOffer, Conversation.queue_id, Conversation.last_message_preview, Customer.display_name)
        .add_columns(Channel.kind, User.display_name.label("user_name"))
        .join(Conversation, Conversation.id == AssignmentOffer.conversation_id)
        .join(Customer, Customer.id == Conversation.customer_id)
        .join(Channel, Channel.id == Conversation.channel_id)
        .join(User, User.id == AssignmentOffer.user_id)
    )


def _offer_of(row) -> OfferOut:
    o = row.AssignmentOffer
    return OfferOut(
        id=o.id,
        conversation_id=o.conversation_id,
        queue_id=row.queue_id,
        customer_name=row.display_name or "",
        channel_kind=row.kind,
        preview=row.last_message_preview or "",
        offered_at=o.offered_at,
        expires_at=o.expires_at,
        outcome=o.outcome,
        user_id=o.user_id,
        user_name=row.user_name or "",
    )


async def offer(
    session: AsyncSession,
    db: Database,
    conversation_id: int,
    user_id: int,
    timeout_s: int,
    *,
    now: dt.datetime | None = None,
):
    """Offer a waiting conversation to ``user_id`` for ``timeout_s`` seconds; None when it is no longer waiting or
    is offered to someone already (a conditional UPDATE: across server processes it is offered once)."""
    now = now or utcnow()
    result = await session.execute(
        update(Conversation)
        .where(waiting_condition(), Conversation.id == conversation_id, Conversation.offered_to_id.is_(None))
        .values(offered_to_id=user_id)
    )
    if result.rowcount != 1:
        return None
    offer_id = await session.scalar(
        insert(AssignmentOffer)
        .values(
            conversation_id=conversation_id,
            user_id=user_id,
            offered_at=now,
            expires_at=now + dt.timedelta(seconds=timeout_s),
        )
        .returning(AssignmentOffer.id)
    )
    await session.execute(update(Presence).where(Presence.user_id == user_id).values(last_assigned_at=now))
    await record_conversation_item(
        session, conversation_id, TimelineKind.OFFER, {"to": user_id, "outcome": "offered", "timeout_s": timeout_s}
    )
    return await _tell_offer(session, db, EventType.ASSIGNMENT_OFFERED, offer_id, user_id)


class OfferGone(Exception):
    """The offer cannot be accepted or declined any more; ``outcome`` says how it ended."""

    def __init__(self, outcome: str) -> None:
        super().__init__(outcome)
        self.outcome = outcome


async def _decide(session: AsyncSession, offer_id: int, outcome: OfferOutcome, now: dt.datetime) -> bool:
    """Record how an offer ended, once: the first decision (accept, decline, expiry, withdrawal) wins."""
    result = await session.execute(
        update(AssignmentOffer)
        .where(AssignmentOffer.id == offer_id, AssignmentOffer.outcome.is_(None))
        .values(outcome=outcome.value, decided_at=now)
    )
    return result.rowcount == 1


async def _release(session: AsyncSession, conversation_id: int, user_id: int) -> None:
    await session.execute(
        update(Conversation)
        .where(Conversation.id == conversation_id, Conversation.offered_to_id == user_id)
        .values(offered_to_id=None)
    )


async def _tell_offer(session: AsyncSession, db: Database, kind: EventType, offer_id: int, user_id: int) -> OfferOut:
    """The offer's event, to the operator it was made to and to the conversation's queue (the board shows to whom a
    waiting conversation is offered; the client shows the notice to that operator only) and supervisors."""
    out = await offer_out(session, offer_id)
    await emit_many(
        session, db, [(kind.value, {"offer": out.model_dump(mode="json")})], queue_id=out.queue_id, user_id=user_id
    )
    return out


async def _ended(session: AsyncSession, db: Database, offer_id: int, user_id: int) -> OfferOut:
    return await _tell_offer(session, db, EventType.ASSIGNMENT_OFFER_ENDED, offer_id, user_id)


async def accept_offer(session: AsyncSession, db: Database, offer: AssignmentOffer) -> OfferOut:
    """The operator takes the conversation offered to them (OfferGone if it expired, or was withdrawn meanwhile)."""
    now = utcnow()
    if offer.outcome is not None:
        raise OfferGone(offer.outcome)
    if offer.expires_at <= now:
        await end_offer(session, db, offer, OfferOutcome.EXPIRED, now)
        raise OfferGone(OfferOutcome.EXPIRED.value)
    if not await _decide(session, offer.id, OfferOutcome.ACCEPTED, now):
        raise OfferGone(await session.scalar(select(AssignmentOffer.outcome).where(AssignmentOffer.id == offer.id)))
    result = await session.execute(
        update(Conversation)
        .where(
            waiting_condition(),
            Conversation.id == offer.conversation_id,
            Conversation.offered_to_id == offer.user_id,
        )
        .values(assignee_id=offer.user_id, offered_to_id=None, waiting_since=None, updated_at=now)
    )
    if result.rowcount != 1:  # taken by someone else ("take next", a supervisor) or resolved meanwhile
        await session.rollback()
        raise OfferGone(OfferOutcome.WITHDRAWN.value)
    await session.execute(update(Presence).where(Presence.user_id == offer.user_id).values(last_assigned_at=now))
    await record_conversation_item(
        session,
        offer.conversation_id,
        TimelineKind.ASSIGNED,
        {"from": None, "to": offer.user_id, "by": None, "auto": True, "offer": True},
    )
    await emit_conversation(session, db, offer.conversation_id)
    return await _ended(session, db, offer.id, offer.user_id)


async def end_offer(
    session: AsyncSession, db: Database, offer: AssignmentOffer, outcome: OfferOutcome, now: dt.datetime | None = None
) -> OfferOut | None:
    """Decline, expire or withdraw an offer (None if it had ended already): the conversation waits for the next
    eligible operator; a decline or an expiry is in the timeline."""
    now = now or utcnow()
    if not await _decide(session, offer.id, outcome, now):
        return None
    await _release(session, offer.conversation_id, offer.user_id)
    if outcome is not OfferOutcome.WITHDRAWN:
        await record_conversation_item(
            session, offer.conversation_id, TimelineKind.OFFER, {"to": offer.user_id, "outcome": outcome.value}
        )
    return await _ended(session, db, offer.id, offer.user_id)


async def end_stale_offers(
    session: AsyncSession, db: Database, *, limit: int = 500, now: dt.datetime | None = None
) -> list[int]:
    """Pending offers that expired, or whose conversation no longer waits for them: ended (each exactly once)."""
    now = now or utcnow()
    rows = (
        await session.execute(
            select(AssignmentOffer, Conversation.assignee_id, Conversation.status, Conversation.offered_to_id)
            .join(Conversation, Conversation.id == AssignmentOffer.conversation_id)
            .where(
                AssignmentOffer.outcome.is_(None),
                or_(
                    AssignmentOffer.expires_at <= now,
                    Conversation.assignee_id.is_not(None),
                    Conversation.status != OPEN,
                    Conversation.offered_to_id.is_distinct_from(AssignmentOffer.user_id),
                ),
            )
            .order_by(AssignmentOffer.id)
            .limit(limit)
        )
    ).all()
    ended = []
    for row in rows:
        still_waiting = (
            row.assignee_id is None and row.status == OPEN and row.offered_to_id == row.AssignmentOffer.user_id
        )
        outcome = OfferOutcome.EXPIRED if still_waiting else OfferOutcome.WITHDRAWN
        if await end_offer(session, db, row.AssignmentOffer, outcome, now) is not None:
            ended.append(row.AssignmentOffer.id)
    return ended


async def withdraw_offers(session: AsyncSession, db: Database, conversation_id: int) -> list[int]:
    """The pending offers of a conversation that was taken or assigned meanwhile ("take next" took one offered to a
    colleague): ended as withdrawn now, so the colleague's notice and the board hear it at once. Run after the taking
    transaction committed: it locks the offer before the conversation, as a decline does."""
    offers = (
        await session.scalars(
            select(AssignmentOffer)
            .join(Conversation, Conversation.id == AssignmentOffer.conversation_id)
            .where(
                AssignmentOffer.conversation_id == conversation_id,
                AssignmentOffer.outcome.is_(None),
                Conversation.offered_to_id.is_distinct_from(AssignmentOffer.user_id),
            )
        )
    ).all()
    ended = []
    for o in offers:
        if await end_offer(session, db, o, OfferOutcome.WITHDRAWN) is not None:
            ended.append(o.id)
    return ended


async def pending_offers(session: AsyncSession, user_id: int) -> list[OfferOut]:
    ids = (
        await session.scalars(
            select(AssignmentOffer.id)
            .where(
                AssignmentOffer.user_id == user_id,
                AssignmentOffer.outcome.is_(None),
                AssignmentOffer.expires_at > utcnow(),
            )
            .order_by(AssignmentOffer.id)
            .limit(50)
        )
    ).all()
    return [await offer_out(session, i) for i in ids]


async def return_work_of_offline(session: AsyncSession, db: Database, grace: dt.timedelta) -> list[int]:
    """Open conversations of operators offline for longer than ``grace`` go back to their queues."""
    cutoff = utcnow() - grace
    gone = select(Presence.user_id).where(
        Presence.status == PresenceStatus.OFFLINE.value, Presence.offline_since < cutoff
    )
    rows = (
        await session.execute(
            select(Conversation.id, Conversation.assignee_id)
            .where(Conversation.assignee_id.in_(gone), Conversation.status == OPEN)
            .limit(500)
        )
    ).all()
    now = utcnow()
    returned = []
    for conv_id, old in rows:
        result = await session.execute(
            update(Conversation)
            .where(Conversation.id == conv_id, Conversation.assignee_id == old)
            .values(assignee_id=None, waiting_since=now, updated_at=now)
        )
        if result.rowcount != 1:
            continue
        await record_conversation_item(
            session, conv_id, TimelineKind.UNASSIGNED, {"from": old, "to": None, "by": None, "offline": True}
        )
        await emit_conversation(session, db, conv_id)
        returned.append(conv_id)
    return returned


async def mark_lost(session: AsyncSession, db: Database, silence: dt.timedelta) -> list[int]:
    """Operators shown online or away whose client has been silent for ``silence`` (crashed, network lost) go
    offline, which starts their grace period."""
    cutoff = utcnow() - silence
    lost = (
        await session.scalars(
            select(Presence.user_id).where(
                Presence.status != PresenceStatus.OFFLINE.value,
                or_(Presence.last_seen_at < cutoff, Presence.last_seen_at.is_(None) & (Presence.changed_at < cutoff)),
            )
        )
    ).all()
    for user_id in lost:
        await set_presence(session, db, user_id, PresenceStatus.OFFLINE)
    return list(lost)


OVERDUE_BATCH = 2000  # conversations looked at per pass, longest waiting first


async def escalate_overdue(session: AsyncSession, db: Database, now: dt.datetime | None = None) -> list[int]:
    """Waiting conversations past their routing rule's maximum wait (domain/routing.wait_exceeded): raised to urgent,
    so push mode and "take next" offer them first, with a timeline item and a conversation event (the board and
    the inboxes show the new priority at once). Once per wait (``wait_exceeded_for``); on PostgreSQL rows another
    server's pass holds are skipped, so each escalation happens exactly once across instances."""
    now = now or utcnow()
    query = (
        select(Conversation.id, Conversation.waiting_since, Conversation.max_wait_s, Conversation.priority)
        .where(
            waiting_condition(),
            Conversation.max_wait_s.is_not(None),
            Conversation.waiting_since.is_not(None),
            or_(Conversation.wait_exceeded_for.is_(None), Conversation.wait_exceeded_for != Conversation.waiting_since),
        )
        .order_by(Conversation.waiting_since)
        .limit(OVERDUE_BATCH)
    )
    if not db.sqlite:
        query = query.with_for_update(skip_locked=True, of=Conversation)
    escalated = []
    for row in (await session.execute(query)).all():
        if not routing.wait_exceeded(row.waiting_since, row.max_wait_s, now):
            continue
        raised = routing.escalated_priority(row.priority)
        await session.execute(
            update(Conversation)
            .where(Conversation.id == row.id)
            .values(wait_exceeded_for=row.waiting_since, priority=raised, updated_at=now)
        )
        await record_conversation_item(
            session,
            row.id,
            TimelineKind.WAIT_EXCEEDED,
            {
                "max_wait_s": row.max_wait_s,
                "waited_s": int((now - row.waiting_since).total_seconds()),
                "priority": {"from": row.priority, "to": raised},
            },
        )
        await emit_conversation(session, db, row.id)
        escalated.append(row.id)
    if escalated:
        log.info("%d conversations waited past their maximum wait: raised to urgent", len(escalated))
    return escalated


class Assigner:
    """The background worker of push mode and of the offline grace period (one pass every ``interval`` seconds)."""

    def __init__(self, db: Database, *, interval: float = 1.0, grace: float = 120.0, silence: float = 180.0) -> None:
        self.db = db
        self.interval = interval
        self.grace = dt.timedelta(seconds=grace)
        self.silence = dt.timedelta(seconds=silence)

    async def run_once(self, now: dt.datetime | None = None) -> tuple[list[tuple[int, int]], list[int]]:
        """One pass; ``now`` is the clock of its offers (tests drive offer expiry and the decline cooldown with it)."""
        async with self.db.session() as session:
            await mark_lost(session, self.db, self.silence)
            returned = await return_work_of_offline(session, self.db, self.grace)
            await escalate_overdue(session, self.db, now)  # before offering: an escalated conversation goes first
            await end_stale_offers(session, self.db, now=now)  # a declined or expired offer goes to the next one now
            assigned = await offer_waiting(session, self.db, now=now)
            await session.commit()
        return assigned, returned

    async def run(self) -> None:
        while True:
            try:
                await self.run_once()
            except asyncio.CancelledError:
                raise
            except Exception:  # a failed pass is retried by the next one
                log.exception("assignment pass failed")
            await asyncio.sleep(self.interval)


# --- the supervisor board ---------------------------------------------------------------------------------------


async def board(session: AsyncSession, queue_ids: Iterable[int] | None) -> Board:
    """Per queue: waiting (and of them offered), in progress, longest and average wait, online members; per operator:
    presence, load and pending offers; the waiting list in offer order (the first ``WAITING_LIST_LIMIT``), each
    with its offer; and every pending offer in scope."""
    now = utcnow()
    scope = list(queue_ids) if queue_ids is not None else None
    queues_q = select(Queue.id, Queue.name).order_by(Queue.name)
    if scope is not None:
        queues_q = queues_q.where(Queue.id.in_(scope))
    queues = (await session.execute(queues_q)).all()
    open_q = select(
        Conversation.queue_id,
        func.count().filter(Conversation.assignee_id.is_(None)).label("waiting"),
        func.count().filter(Conversation.assignee_id.is_not(None)).label("in_progress"),
        func.min(Conversation.waiting_since).label("oldest"),
    ).where(Conversation.status == OPEN)
    if scope is not None:
        open_q = open_q.where(Conversation.queue_id.in_(scope))
    figures = {r.queue_id: r for r in (await session.execute(open_q.group_by(Conversation.queue_id))).all()}
    # The average wait is computed from the waiting rows' start times (portable: no epoch arithmetic in SQL).
    starts: dict[int | None, list[dt.datetime]] = {}
    wait_q = select(Conversation.queue_id, Conversation.waiting_since).where(
        waiting_condition(), Conversation.waiting_since.is_not(None)
    )
    if scope is not None:
        wait_q = wait_q.where(Conversation.queue_id.in_(scope))
    for q, since in (await session.execute(wait_q)).all():
        starts.setdefault(q, []).append(since)
    members = (
        await session.execute(
            select(QueueMember.queue_id, QueueMember.user_id, QueueMember.capacity, Presence.status)
            .join(User, User.id == QueueMember.user_id)
            .outerjoin(Presence, Presence.user_id == QueueMember.user_id)
            .where(User.is_active.is_(True))
        )
    ).all()
    online_per_queue: dict[int, int] = {}
    for m in members:
        if m.status == PresenceStatus.ONLINE.value:
            online_per_queue[m.queue_id] = online_per_queue.get(m.queue_id, 0) + 1
    # Pending offers of waiting conversations (the one Conversation.offered_to_id points at).
    offers_q = (
        _offer_query()
        .where(
            AssignmentOffer.outcome.is_(None),
            waiting_condition(),
            Conversation.offered_to_id == AssignmentOffer.user_id,
        )
        .order_by(AssignmentOffer.id)
        .limit(IN_PROGRESS_LIMIT)
    )
    if scope is not None:
        offers_q = offers_q.where(Conversation.queue_id.in_(scope))
    offers = [_offer_of(r) for r in (await session.execute(offers_q)).all()]
    offer_of = {o.conversation_id: o for o in offers}
    offered_per_queue: dict[int | None, int] = {}
    offers_to: dict[int, list[OfferOut]] = {}
    for o in offers:
        offered_per_queue[o.queue_id] = offered_per_queue.get(o.queue_id, 0) + 1
        offers_to.setdefault(o.user_id, []).append(o)

    def tile(queue_id, name) -> QueueFigures:
        f = figures.get(queue_id)
        waits = [(now - s).total_seconds() for s in starts.get(queue_id, [])]
        return QueueFigures(
            queue_id=queue_id,
            name=name,
            waiting=f.waiting if f else 0,
            in_progress=f.in_progress if f else 0,
            longest_wait_s=max(waits, default=0.0),
            average_wait_s=sum(waits) / len(waits) if waits else 0.0,
            online_operators=online_per_queue.get(queue_id, 0) if queue_id is not None else 0,
            offered=offered_per_queue.get(queue_id, 0),
        )

    tiles = [tile(q.id, q.name) for q in queues]
    if None in figures and scope is None:
        tiles.append(tile(None, ""))

    # Operators: members of the queues in scope (every active operator for a full board).
    users_q = (
        select(User.id, User.display_name, Presence.status)
        .outerjoin(Presence, Presence.user_id == User.id)
        .where(User.is_active.is_(True))
        .order_by(User.display_name, User.id)
    )
    if scope is not None:
        users_q = users_q.where(User.id.in_(select(QueueMember.user_id).where(QueueMember.queue_id.in_(scope))))
    users = (await session.execute(users_q)).all()
    load = await loads(session, [u.id for u in users])
    member_of: dict[int, list[int]] = {}
    capacity_of: dict[int, int] = {}
    for m in members:
        member_of.setdefault(m.user_id, []).append(m.queue_id)
        cap = dict(routing.DEFAULT_CAPACITY) | dict(m.capacity or {})
        capacity_of[m.user_id] = max(capacity_of.get(m.user_id, 0), sum(cap.values()))
    operators = [
        OperatorFigures(
            user_id=u.id,
            display_name=u.display_name,
            status=u.status or PresenceStatus.OFFLINE,
            load=sum(load.get(u.id, {}).values()),
            capacity=capacity_of.get(u.id, sum(routing.DEFAULT_CAPACITY.values())),
            # Only the queues in scope: an operator's board does not tell them which other queues a colleague has.
            queue_ids=sorted(q for q in member_of.get(u.id, []) if scope is None or q in scope),
            offers=offers_to.get(u.id, []),
        )
        for u in users
    ]

    list_q = (
        select(
            Conversation.id,
            Conversation.queue_id,
            Conversation.priority,
            Conversation.waiting_since,
            Conversation.last_message_preview,
            Customer.display_name,
            Channel.kind,
        )
        .join(Customer, Customer.id == Conversation.customer_id)
        .join(Channel, Channel.id == Conversation.channel_id)
        .where(waiting_condition(), Conversation.waiting_since.is_not(None))
        .order_by(Conversation.priority.desc(), Conversation.waiting_since, Conversation.id)
        .limit(WAITING_LIST_LIMIT)
    )
    if scope is not None:
        list_q = list_q.where(Conversation.queue_id.in_(scope))
    position: dict[int | None, int] = {}
    waiting = []
    for r in (await session.execute(list_q)).all():
        position[r.queue_id] = position.get(r.queue_id, 0) + 1
        waiting.append(
            WaitingItem(
                conversation_id=r.id,
                queue_id=r.queue_id,
                customer_name=r.display_name,
                channel_kind=r.kind,
                priority=r.priority,
                waiting_since=r.waiting_since,
                preview=r.last_message_preview,
                position=position[r.queue_id],
                offer=offer_of.get(r.id),
            )
        )
    assigned_q = (
        select(Conversation.id, Conversation.queue_id, Conversation.assignee_id)
        .where(Conversation.status == OPEN, Conversation.assignee_id.is_not(None))
        .order_by(Conversation.id)
        .limit(IN_PROGRESS_LIMIT)
    )
    if scope is not None:
        assigned_q = assigned_q.where(Conversation.queue_id.in_(scope))
    in_progress = [
        Assigned(conversation_id=r.id, queue_id=r.queue_id, assignee_id=r.assignee_id)
        for r in (await session.execute(assigned_q)).all()
    ]
    return Board(at=now, queues=tiles, operators=operators, waiting=waiting, in_progress=in_progress, offers=offers)


async def place_in_queue(session: AsyncSession, conversation_id: int) -> int | None:
    """The conversation's place among the waiting work of its queue (1 = next), None when it does not wait."""
    conv = await session.get(Conversation, conversation_id)
    if conv is None or conv.assignee_id is not None or conv.status != OPEN or conv.waiting_since is None:
        return None
    ahead = await session.scalar(
        select(func.count()).where(
            waiting_condition(),
            Conversation.queue_id == conv.queue_id if conv.queue_id is not None else Conversation.queue_id.is_(None),
            or_(
                Conversation.priority > conv.priority,
                and_(Conversation.priority == conv.priority, Conversation.waiting_since < conv.waiting_since),
                and_(
                    Conversation.priority == conv.priority,
                    Conversation.waiting_since == conv.waiting_since,
                    Conversation.id < conv.id,
                ),
            ),
        )
    )
    return (ahead or 0) + 1


async def announce_activity(
    session: AsyncSession, db: Database, activity: ActivityOut, *, queue_id: int | None, assignee_id: int | None
) -> None:
    """Who views or types in a conversation (a colleague, or the web chat visitor): a conversation.activity event for
    whoever sees the conversation, in the caller's transaction. One shape for every source of it."""
    await emit_many(
        session,
        db,
        [(EventType.CONVERSATION_ACTIVITY.value, {"activity": activity.model_dump(mode="json")})],
        queue_id=queue_id,
        user_id=assignee_id,
    )
