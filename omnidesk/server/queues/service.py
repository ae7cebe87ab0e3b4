"""Queues: which queue new work lands in (routing rules, members and capacity follow)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domain import routing
from omnidesk.protocol.workorg import DEFAULT_OFFER_COOLDOWN
from omnidesk.server.queues.models import Queue, QueueMember
from omnidesk.server.users.models import User


async def default_queue_id(session: AsyncSession) -> int | None:
    return await session.scalar(select(Queue.id).order_by(Queue.id).limit(1))


# --- queues and members (issue 11) --------------------------------------------------------------------------------


class QueueError(ValueError):
    """A queue or membership change that cannot be made: in English words (the CLI says them), and as a stable code
    with its parameters (domain/problems.py, for the API's clients)."""

    def __init__(self, message: str, code: str, **params: Any) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


def check_calendar(calendar: dict | None) -> dict | None:
    """The calendar as stored, after domain.routing has parsed it (QueueError says what is wrong)."""
    if calendar is None:
        return None
    try:
        routing.parse_calendar(calendar)
    except routing.RuleError as exc:
        raise QueueError(str(exc), exc.code, **exc.params) from None
    return calendar


MAX_OFFER_TIMEOUT = 3600
MAX_OFFER_COOLDOWN = 86400


def check_offer_timeout(seconds: int) -> int:
    if not 0 <= seconds <= MAX_OFFER_TIMEOUT:
        raise QueueError(
            f"the offer timeout is 0 (assign at once) to {MAX_OFFER_TIMEOUT} seconds, not {seconds}",
            "queue.offer_timeout",
            value=seconds,
            max=MAX_OFFER_TIMEOUT,
        )
    return seconds


def check_offer_cooldown(seconds: int) -> int:
    if not 0 <= seconds <= MAX_OFFER_COOLDOWN:
        raise QueueError(
            f"the offer cooldown is 0 to {MAX_OFFER_COOLDOWN} seconds, not {seconds}",
            "queue.offer_cooldown",
            value=seconds,
            max=MAX_OFFER_COOLDOWN,
        )
    return seconds


async def add_queue(
    session: AsyncSession,
    *,
    name: str,
    calendar: dict | None = None,
    auto_assign: bool = False,
    offer_timeout_s: int = 0,
    offer_cooldown_s: int = DEFAULT_OFFER_COOLDOWN,
):
    if await session.scalar(select(Queue.id).where(Queue.name == name)) is not None:
        raise QueueError(f"a queue named {name!r} exists already", "queue.name_taken", name=name)
    queue = Queue(
        name=name,
        calendar=check_calendar(calendar),
        auto_assign=auto_assign,
        offer_timeout_s=check_offer_timeout(offer_timeout_s),
        offer_cooldown_s=check_offer_cooldown(offer_cooldown_s),
    )
    session.add(queue)
    await session.flush()
    return queue


KEEP: Any = object()  # edit_queue: leave this field as it is


async def edit_queue(
    session: AsyncSession,
    queue: Queue,
    *,
    name: str | None = None,
    calendar: Any = KEEP,
    auto_assign: bool | None = None,
    offer_timeout_s: int | None = None,
    offer_cooldown_s: int | None = None,
) -> dict[str, Any]:
    """Rename the queue, replace its business hours (None: none), switch push mode, its offer timeout or its decline
    cooldown; what changed,
    for the audit. The API and ``omnidesk queue edit`` both change a queue here (QueueError says what cannot be
    done)."""
    changes: dict[str, Any] = {}
    if calendar is not KEEP and calendar != queue.calendar:
        queue.calendar = check_calendar(calendar)
        changes["calendar"] = calendar
    if name is not None and name != queue.name:
        if await session.scalar(select(Queue.id).where(Queue.name == name)) is not None:
            raise QueueError(f"a queue named {name!r} exists already", "queue.name_taken", name=name)
        queue.name = name
        changes["name"] = name
    if auto_assign is not None and auto_assign != queue.auto_assign:
        queue.auto_assign = auto_assign
        changes["auto_assign"] = auto_assign
    if offer_timeout_s is not None and offer_timeout_s != queue.offer_timeout_s:
        queue.offer_timeout_s = check_offer_timeout(offer_timeout_s)
        changes["offer_timeout_s"] = offer_timeout_s
    if offer_cooldown_s is not None and offer_cooldown_s != queue.offer_cooldown_s:
        queue.offer_cooldown_s = check_offer_cooldown(offer_cooldown_s)
        changes["offer_cooldown_s"] = offer_cooldown_s
    await session.flush()
    return changes


async def remove_member(session: AsyncSession, *, queue_id: int, user_id: int) -> bool:
    """Take ``user_id`` out of ``queue_id``; False if they were not a member."""
    result = await session.execute(
        delete(QueueMember).where(QueueMember.queue_id == queue_id, QueueMember.user_id == user_id)
    )
    return result.rowcount > 0


async def set_member(
    session: AsyncSession,
    *,
    queue_id: int,
    user_id: int,
    skills: list[str] | None = None,
    capacity: dict[str, int] | None = None,
    priority: int = 0,
) -> QueueMember:
    """Make ``user_id`` a member of ``queue_id`` (or update their skills, capacity and priority there)."""
    if await session.get(Queue, queue_id) is None:
        raise QueueError(f"there is no queue {queue_id}", "queue.missing", queue_id=queue_id)
    user = await session.get(User, user_id)
    if user is None:
        raise QueueError(f"there is no user {user_id}", "user.unavailable", user_id=user_id)
    unknown = set(capacity or {}) - set(routing.DEFAULT_CAPACITY)
    if unknown:
        raise QueueError(
            f"capacity is per chat, email and call; not {sorted(unknown)}",
            "queue.capacity_classes",
            classes=sorted(unknown),
            allowed=list(routing.DEFAULT_CAPACITY),
        )
    member = await session.get(QueueMember, (queue_id, user_id))
    if member is None:
        member = QueueMember(queue_id=queue_id, user_id=user_id)
        session.add(member)
    member.skills = sorted(dict.fromkeys(s.strip() for s in skills or () if s.strip()))
    member.capacity = dict(capacity or {})
    member.priority = priority
    await session.flush()
    return member
