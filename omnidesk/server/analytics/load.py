"""Operator load of a period from the stored facts (arithmetic: omnidesk.domain.load).

* Online spans: the presence changes the server appends to the event log (``presence.updated``, one per change,
  whoever made it: the client, the lost-client sweep), with each operator's last change before the period as the
  state at its start. Online means the status ``online`` (away is signed in, not available).
* Active spans: per conversation, replayed from its timeline (assigned, unassigned, transferred, status changed):
  assigned to the operator and open. A conversation whose timeline has nothing since the period began is in its
  current state throughout, so only conversations changed since then, or assigned and unresolved now, are read.
* Handled: conversations the operator wrote a reply in during the period.

Read from the raw facts on each request (no daily roll-up yet).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from sqlalchemy import distinct, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domain import load
from omnidesk.domain.enums import Direction, EventType, MessageKind
from omnidesk.domain.routing import DEFAULT_CAPACITY
from omnidesk.protocol.customers import TimelineKind
from omnidesk.server.conversations.models import Conversation, Message
from omnidesk.server.customers.models import Customer
from omnidesk.server.events.models import EventRow
from omnidesk.server.queues.models import QueueMember
from omnidesk.server.timeline.models import TimelineEntry

KINDS = (
    TimelineKind.ASSIGNED.value,
    TimelineKind.UNASSIGNED.value,
    TimelineKind.TRANSFERRED.value,
    TimelineKind.STATUS_CHANGED.value,
)


def _aware(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value


def _online(payload: dict[str, Any]) -> tuple[int | None, bool]:
    presence = (payload or {}).get("presence") or {}
    return presence.get("user_id"), presence.get("status") == "online"


async def _online_spans(session: AsyncSession, f, users: set[int] | None) -> dict[int, list[load.Span]]:
    kind = EventRow.type == EventType.PRESENCE_UPDATED.value
    last_before = select(func.max(EventRow.id)).where(kind, EventRow.at < f.start).group_by(EventRow.user_id)
    initial: dict[int, bool] = {}
    for (payload,) in (await session.execute(select(EventRow.payload).where(EventRow.id.in_(last_before)))).all():
        user, online = _online(payload)
        if user is not None:
            initial[user] = online
    changes: dict[int, list[tuple[dt.datetime, bool]]] = defaultdict(list)
    rows = await session.execute(
        select(EventRow.at, EventRow.payload)
        .where(kind, EventRow.at >= f.start, EventRow.at < f.end)
        .order_by(EventRow.id)
    )
    for at, payload in rows.all():
        user, online = _online(payload)
        if user is not None:
            changes[user].append((_aware(at), online))
    out = {}
    for user in set(initial) | set(changes):
        if users is None or user in users:
            found = load.spans(initial.get(user, False), changes.get(user, []), f.start, f.end)
            if found:
                out[user] = found
    return out


def _conversation_filter(query, f):
    if f.channel_id is not None:
        query = query.where(Conversation.channel_id == f.channel_id)
    if f.queue_id is not None:
        query = query.where(Conversation.queue_id == f.queue_id)
    if getattr(f, "segment", None) is not None:  # the customer's segment now; "": none
        segment = func.coalesce(Customer.segment, "")
        query = query.where(Conversation.customer_id.in_(select(Customer.id).where(segment == f.segment)))
    return query


async def _active_spans(session: AsyncSession, f) -> dict[int, list[list[load.Span]]]:
    """Per operator, each conversation's spans assigned to them and open, inside the period."""
    changed = select(TimelineEntry.conversation_id).where(TimelineEntry.kind.in_(KINDS), TimelineEntry.at >= f.start)
    query = select(Conversation.id, Conversation.assignee_id, Conversation.status, Conversation.created_at).where(
        Conversation.created_at < f.end,
        or_(
            Conversation.id.in_(changed),
            Conversation.assignee_id.is_not(None) & (Conversation.status != "resolved"),
        ),
    )
    conversations = (await session.execute(_conversation_filter(query, f))).all()
    if not conversations:
        return {}
    items: dict[int, list] = defaultdict(list)
    ids = [c.id for c in conversations]
    for start in range(0, len(ids), 1000):
        rows = await session.execute(
            select(TimelineEntry.conversation_id, TimelineEntry.at, TimelineEntry.kind, TimelineEntry.payload)
            .where(TimelineEntry.conversation_id.in_(ids[start : start + 1000]), TimelineEntry.kind.in_(KINDS))
            .order_by(TimelineEntry.at, TimelineEntry.id)
        )
        for row in rows.all():
            items[row.conversation_id].append(row)
    out: dict[int, list[list[load.Span]]] = defaultdict(list)
    for conv in conversations:
        history = items.get(conv.id, [])
        owners = [_owner(h.kind, h.payload or {}) for h in history]
        moves = [(h, o) for h, o in zip(history, owners, strict=True) if o is not None]
        # The assignee before the first recorded move is that move's "from"; with no move, the current one.
        assignee = moves[0][1][0] if moves else conv.assignee_id
        state: list[tuple[dt.datetime, int | None, bool]] = []
        status_open = True  # a conversation opens with its first message
        for h, owner in zip(history, owners, strict=True):
            if owner is not None:
                assignee = owner[1]
            else:
                status_open = (h.payload or {}).get("to") == "open"
            state.append((_aware(h.at), assignee, status_open))
        first_owner = moves[0][1][0] if moves else conv.assignee_id
        people = {first_owner, *(a for _at, a, _o in state)} - {None}
        for user in people:
            initial_at = _aware(conv.created_at)
            flags = [(initial_at, first_owner == user)] + [(at, a == user and o) for at, a, o in state]
            before = [v for at, v in flags if at <= f.start]
            later = [(at, v) for at, v in flags if at > f.start]
            found = load.spans(before[-1] if before else False, later, f.start, f.end)
            if found:
                out[user].append(found)
    return out


def _owner(kind: str, payload: dict[str, Any]) -> tuple[int | None, int | None] | None:
    """(from user, to user) of an assignment change; None for a status change."""
    if kind == TimelineKind.TRANSFERRED.value:
        return (payload.get("from") or {}).get("user_id"), (payload.get("to") or {}).get("user_id")
    if kind in (TimelineKind.ASSIGNED.value, TimelineKind.UNASSIGNED.value):
        return payload.get("from"), payload.get("to")
    return None


async def _handled(session: AsyncSession, f) -> dict[int, int]:
    query = (
        select(Message.author_id, func.count(distinct(Message.conversation_id)))
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(
            Message.direction == Direction.OUT.value,
            Message.kind == MessageKind.TEXT.value,
            Message.author_id.is_not(None),
            Message.created_at >= f.start,
            Message.created_at < f.end,
        )
        .group_by(Message.author_id)
    )
    return dict((await session.execute(_conversation_filter(query, f))).all())


async def _capacities(session: AsyncSession, users: set[int]) -> dict[int, int]:
    """Each operator's chat capacity: the largest of their queue memberships' (the routing default without one)."""
    out: dict[int, int] = {}
    if users:
        rows = await session.execute(
            select(QueueMember.user_id, QueueMember.capacity).where(QueueMember.user_id.in_(list(users)))
        )
        for user, capacity in rows.all():
            chat = (capacity or {}).get("chat", DEFAULT_CAPACITY["chat"])
            out[user] = max(out.get(user, 0), int(chat))
    return {u: out.get(u, DEFAULT_CAPACITY["chat"]) for u in users}


async def loads(session: AsyncSession, f) -> tuple[dict[str, Any], dict[int, dict[str, Any]]]:
    """(the team's figures, each operator's figures) for the period; an operator filter keeps one operator. The
    team is the operators online in the period (one who replied but was never shown online has a row of their own,
    outside the team's per-hour rate)."""
    users = None if f.operator_id is None else {f.operator_id}
    online = await _online_spans(session, f, users)
    active = await _active_spans(session, f)
    handled = await _handled(session, f)
    people = set(online) | {u for u in handled if users is None or u in users}
    capacities = await _capacities(session, people)
    per: dict[int, dict[str, Any]] = {}
    team = load.Load()
    for user in people:
        one = load.operator_load(online.get(user, []), active.get(user, []), handled.get(user, 0))
        if user in online:  # the team's rate is of the time online: replies of someone never online stay theirs
            team = team + one
        per[user] = load.figures(one, capacities[user])
    total_capacity = sum(capacities[u] for u in online) or None
    return load.figures(team, total_capacity), per
