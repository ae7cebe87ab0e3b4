"""HTTP routes of queues: the list, business hours, push mode, and members with skills, capacity and priority."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, status
from sqlalchemy import select

from omnidesk.domain.permissions import Permission
from omnidesk.protocol.workorg import MemberIn, MemberOut, QueueIn, QueueOut, QueuePatch
from omnidesk.server.audit import service as audit
from omnidesk.server.context import OperatorDep, SessionDep, StateDep, permitted
from omnidesk.server.queues import service
from omnidesk.server.queues.models import Queue, QueueMember
from omnidesk.server.refusals import Refusal
from omnidesk.server.routing import service as routing_service
from omnidesk.server.sla.service import forget_rules
from omnidesk.server.users.models import User

router = APIRouter(prefix="/api/v1/queues", tags=["queues"])
Manager = permitted(Permission.QUEUE_MANAGE)


def _unprocessable(exc: service.QueueError) -> Refusal:
    return Refusal(status.HTTP_422_UNPROCESSABLE_CONTENT, exc.code, str(exc), **exc.params)


@router.get("", response_model=list[QueueOut])
async def list_queues(caller: OperatorDep, session: SessionDep) -> list[QueueOut]:
    """Every queue (names and hours are no secret, and any operator may transfer work to any queue); what is in a
    queue stays within the caller's scope."""
    query = select(Queue).order_by(Queue.name)
    return [QueueOut.model_validate(q) for q in (await session.scalars(query)).all()]


@router.post("", response_model=QueueOut, status_code=status.HTTP_201_CREATED)
async def add_queue(body: QueueIn, caller: Manager, session: SessionDep) -> QueueOut:
    try:
        queue = await service.add_queue(
            session,
            name=body.name,
            calendar=body.calendar,
            auto_assign=body.auto_assign,
            offer_timeout_s=body.offer_timeout_s,
            offer_cooldown_s=body.offer_cooldown_s,
        )
    except service.QueueError as exc:
        raise _unprocessable(exc) from None
    await audit.record(session, caller.actor, "queue.add", "queue", queue.id, body.model_dump(mode="json"))
    await session.commit()
    forget_rules()  # the SLA rules carry the queues' hours (the reports' business durations)
    return QueueOut.model_validate(queue)


@router.patch("/{queue_id}", response_model=QueueOut)
async def edit_queue(queue_id: int, body: QueuePatch, caller: Manager, session: SessionDep, st: StateDep) -> QueueOut:
    queue = await session.get(Queue, queue_id)
    if queue is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"queue {queue_id} not found")
    changes = body.model_dump(exclude_unset=True, mode="json")
    try:
        await service.edit_queue(
            session,
            queue,
            name=body.name,
            calendar=body.calendar if "calendar" in changes else service.KEEP,
            auto_assign=body.auto_assign,
            offer_timeout_s=body.offer_timeout_s,
            offer_cooldown_s=body.offer_cooldown_s,
        )
    except service.QueueError as exc:
        raise _unprocessable(exc) from None
    await audit.record(session, caller.actor, "queue.edit", "queue", queue_id, changes)
    await session.commit()
    routing_service.invalidate(st.db)  # business hours are part of the rule book
    forget_rules()  # and of the SLA rules (business durations stored from now on; history after a rebuild)
    return QueueOut.model_validate(queue)


@router.get("/{queue_id}/members", response_model=list[MemberOut])
async def list_members(
    queue_id: int, caller: permitted(Permission.QUEUE_VIEW_ALL), session: SessionDep
) -> list[MemberOut]:
    if await session.get(Queue, queue_id) is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"queue {queue_id} not found")
    rows = (
        await session.execute(
            select(QueueMember, User.username, User.display_name)
            .join(User, User.id == QueueMember.user_id)
            .where(QueueMember.queue_id == queue_id)
            .order_by(User.display_name, User.id)
        )
    ).all()
    return [_member_out(r.QueueMember, r.username, r.display_name) for r in rows]


def _member_out(m: QueueMember, username: str, display_name: str) -> MemberOut:
    return MemberOut(
        queue_id=m.queue_id,
        user_id=m.user_id,
        username=username,
        display_name=display_name,
        skills=list(m.skills or []),
        capacity=dict(m.capacity or {}),
        priority=m.priority,
    )


@router.put("/{queue_id}/members/{user_id}", response_model=MemberOut)
async def set_member(queue_id: int, user_id: int, body: MemberIn, caller: Manager, session: SessionDep) -> MemberOut:
    if await session.get(Queue, queue_id) is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"queue {queue_id} not found")
    try:
        member = await service.set_member(
            session,
            queue_id=queue_id,
            user_id=user_id,
            skills=body.skills,
            capacity=body.capacity,
            priority=body.priority,
        )
    except service.QueueError as exc:
        raise _unprocessable(exc) from None
    user = await session.get(User, user_id)
    await audit.record(
        session, caller.actor, "queue.member_set", "queue", queue_id, {"user_id": user_id, **body.model_dump()}
    )
    await session.commit()
    return _member_out(member, user.username, user.display_name)


@router.delete("/{queue_id}/members/{user_id}", status_code=status.HTTP_204_NO_CONTENT)
async def remove_member(queue_id: int, user_id: int, caller: Manager, session: SessionDep) -> None:
    if not await service.remove_member(session, queue_id=queue_id, user_id=user_id):
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"user {user_id} is not a member of queue {queue_id}")
    await audit.record(session, caller.actor, "queue.member_remove", "queue", queue_id, {"user_id": user_id})
    await session.commit()
