"""HTTP routes of canned replies: the caller's list (personal, their queues', everyone's), edits, and rendering
with the placeholders of a conversation."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, status
from sqlalchemy import or_, select

from omnidesk.domain import canned
from omnidesk.domain.permissions import Permission
from omnidesk.protocol.workorg import CannedIn, CannedLanguage, CannedOut, RenderIn, RenderOut
from omnidesk.server.audit import service as audit
from omnidesk.server.canned.models import CannedReply
from omnidesk.server.context import Caller, OperatorDep, SessionDep
from omnidesk.server.conversations.service import load_visible
from omnidesk.server.customers.models import Customer
from omnidesk.server.db import utcnow
from omnidesk.server.presence.service import place_in_queue
from omnidesk.server.queues.models import Queue
from omnidesk.server.refusals import Refusal

router = APIRouter(prefix="/api/v1/canned-replies", tags=["canned replies"])
VISIBLE_LIMIT = 5000


def _visible(caller: Caller):
    shared = CannedReply.owner_id.is_(None)
    if caller.sees_all_queues:
        return or_(CannedReply.owner_id == caller.user_id, shared)
    return or_(
        CannedReply.owner_id == caller.user_id,
        shared & CannedReply.queue_id.is_(None),
        shared & CannedReply.queue_id.in_(sorted(caller.queue_ids)),
    )


def _may_change(caller: Caller, reply: CannedReply) -> bool:
    if reply.owner_id is not None:
        return reply.owner_id == caller.user_id
    return caller.may(Permission.CANNED_SHARED_MANAGE)


async def _load(session, caller: Caller, reply_id: int) -> CannedReply:
    reply = await session.scalar(select(CannedReply).where(CannedReply.id == reply_id, _visible(caller)))
    if reply is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"canned reply {reply_id} not found")
    return reply


@router.get("", response_model=list[CannedOut])
async def list_replies(
    caller: OperatorDep,
    session: SessionDep,
    q: Annotated[str | None, Query(max_length=64, description="Shortcut prefix or words of the title")] = None,
    language: CannedLanguage | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 100,
) -> list[CannedOut]:
    """The canned replies the caller may use: personal first, then shared; filtered as the operator types."""
    query = select(CannedReply).where(_visible(caller))
    if language is not None:
        query = query.where(CannedReply.language == language.value)
    query = query.order_by(CannedReply.owner_id.is_(None), CannedReply.shortcut, CannedReply.id)
    if not q:
        return [CannedOut.model_validate(r) for r in (await session.scalars(query.limit(limit))).all()]
    # Filtered here, not in SQL: SQLite folds the case of ASCII only, and "прив" must find "Привітання". The replies
    # one operator may use are a few hundred at most (VISIBLE_LIMIT bounds the read).
    needle = q.strip().lstrip("/").casefold()
    found = []
    for reply in (await session.scalars(query.limit(VISIBLE_LIMIT))).all():
        if reply.shortcut.casefold().startswith(needle) or needle in reply.title.casefold():
            found.append(CannedOut.model_validate(reply))
            if len(found) == limit:
                break
    return found


async def _check_target(session, caller: Caller, body: CannedIn) -> None:
    if body.shared and not caller.may(Permission.CANNED_SHARED_MANAGE):
        raise Refusal(
            status.HTTP_403_FORBIDDEN,
            "permission.missing",
            f"this needs the permission {Permission.CANNED_SHARED_MANAGE}",
            permission=Permission.CANNED_SHARED_MANAGE.value,
        )
    if body.queue_id is not None:
        if not body.shared:
            raise Refusal(
                status.HTTP_422_UNPROCESSABLE_CONTENT,
                "canned.queue_shared",
                "a queue's reply is shared: set shared=true",
            )
        if await session.get(Queue, body.queue_id) is None:
            raise Refusal(
                status.HTTP_422_UNPROCESSABLE_CONTENT,
                "queue.missing",
                f"there is no queue {body.queue_id}",
                queue_id=body.queue_id,
            )


@router.post("", response_model=CannedOut, status_code=status.HTTP_201_CREATED)
async def add_reply(body: CannedIn, caller: OperatorDep, session: SessionDep) -> CannedOut:
    await _check_target(session, caller, body)
    now = utcnow()
    reply = CannedReply(
        owner_id=None if body.shared else caller.user_id,
        queue_id=body.queue_id,
        shortcut=body.shortcut,
        title=body.title,
        language=body.language.value,
        body=body.body,
        created_at=now,
        updated_at=now,
    )
    session.add(reply)
    await session.flush()
    await audit.record(session, caller.actor, "canned.add", "canned_reply", reply.id, {"shortcut": body.shortcut})
    await session.commit()
    return CannedOut.model_validate(reply)


@router.put("/{reply_id}", response_model=CannedOut)
async def edit_reply(reply_id: int, body: CannedIn, caller: OperatorDep, session: SessionDep) -> CannedOut:
    reply = await _load(session, caller, reply_id)
    if not _may_change(caller, reply):
        raise Refusal(
            status.HTTP_403_FORBIDDEN, "canned.not_owner", "only its owner (or, if shared, a supervisor) changes this"
        )
    await _check_target(session, caller, body)
    reply.owner_id = None if body.shared else (reply.owner_id or caller.user_id)
    reply.queue_id = body.queue_id
    reply.shortcut, reply.title, reply.language, reply.body = body.shortcut, body.title, body.language.value, body.body
    reply.updated_at = utcnow()
    await audit.record(session, caller.actor, "canned.edit", "canned_reply", reply_id, {"shortcut": body.shortcut})
    await session.commit()
    return CannedOut.model_validate(reply)


@router.delete("/{reply_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_reply(reply_id: int, caller: OperatorDep, session: SessionDep) -> None:
    reply = await _load(session, caller, reply_id)
    if not _may_change(caller, reply):
        raise Refusal(
            status.HTTP_403_FORBIDDEN, "canned.not_owner", "only its owner (or, if shared, a supervisor) deletes this"
        )
    await session.delete(reply)
    await audit.record(session, caller.actor, "canned.delete", "canned_reply", reply_id)
    await session.commit()


@router.post("/{reply_id}/render", response_model=RenderOut)
async def render(reply_id: int, body: RenderIn, caller: OperatorDep, session: SessionDep) -> RenderOut:
    """The reply's text with the conversation's placeholders filled in (customer, operator, queue, attributes)."""
    reply = await _load(session, caller, reply_id)
    row = await load_visible(session, caller, body.conversation_id)
    conv = row.Conversation
    customer = await session.get(Customer, conv.customer_id)
    queue = await session.get(Queue, conv.queue_id) if conv.queue_id is not None else None
    position = await place_in_queue(session, conv.id)
    values: dict[str, str | None] = {
        f"customer.{k}": None if v is None else str(v) for k, v in (customer.attributes or {}).items()
    }
    values |= {
        "customer.name": customer.display_name,
        "customer.first_name": canned.first_name(customer.display_name),
        "operator.name": caller.display_name,
        "operator.first_name": canned.first_name(caller.display_name),
        "queue.name": queue.name if queue else None,
        "queue.position": str(position) if position is not None else None,
    }
    text, missing = canned.render(reply.body, values)
    await audit.record(session, caller.actor, "canned.render", "conversation", conv.id, {"canned_reply": reply_id})
    await session.commit()
    return RenderOut(text=text, missing=missing)
