"""HTTP routes of presence and assignment: presence, "take next", transfer, the supervisor board and bulk reassign."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Response, status
from sqlalchemy import update

from omnidesk.domain.permissions import ConversationAccess, Permission
from omnidesk.protocol import ConversationOut
from omnidesk.protocol.customers import TimelineKind
from omnidesk.protocol.workorg import (
    ActivityIn,
    ActivityOut,
    Board,
    BulkAssignIn,
    BulkAssignOut,
    OfferOut,
    OfferOutcome,
    PresenceIn,
    PresenceOut,
    RefusalCode,
    TransferIn,
)
from omnidesk.server.audit import service as audit
from omnidesk.server.context import Caller, OperatorDep, SessionDep, StateDep, permitted
from omnidesk.server.conversations.models import Conversation
from omnidesk.server.conversations.service import _reload, load_visible
from omnidesk.server.db import utcnow
from omnidesk.server.notes.service import add_note
from omnidesk.server.presence import service
from omnidesk.server.presence.models import AssignmentOffer
from omnidesk.server.queues.models import Queue
from omnidesk.server.refusals import Refusal, coded
from omnidesk.server.timeline.service import record_conversation_item
from omnidesk.server.users.models import User

router = APIRouter(prefix="/api/v1", tags=["presence"])


@router.get("/presence", response_model=list[PresenceOut])
async def list_presence(caller: OperatorDep, session: SessionDep) -> list[PresenceOut]:
    """Colleagues' presence: supervisors see everyone, operators the members of their queues."""
    scope = None if caller.sees_all_queues else sorted(caller.queue_ids)
    found = await service.list_presence(session, scope)
    if not any(p.user_id == caller.user_id for p in found):
        found.append(await service.presence_of(session, caller.user_id))
    return found


@router.put("/presence", response_model=PresenceOut)
async def set_presence(body: PresenceIn, caller: OperatorDep, session: SessionDep, st: StateDep) -> PresenceOut:
    """The caller's own presence (online, away, offline); set by hand or by the client (idle, closing)."""
    out = await service.set_presence(session, st.db, caller.user_id, body.status)
    await session.commit()
    return out


@router.get("/offers", response_model=list[OfferOut])
async def list_offers(caller: OperatorDep, session: SessionDep) -> list[OfferOut]:
    """Conversations offered to the caller right now (push mode with an offer timeout), oldest first."""
    return await service.pending_offers(session, caller.user_id)


async def _own_offer(session, caller: Caller, offer_id: int) -> AssignmentOffer:
    offer = await session.get(AssignmentOffer, offer_id)
    if offer is None or offer.user_id != caller.user_id:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"offer {offer_id} not found")
    return offer


def _gone(offer_id: int, exc: service.OfferGone) -> Refusal:
    words = {
        OfferOutcome.ACCEPTED.value: "was accepted already",
        OfferOutcome.DECLINED.value: "was declined",
        OfferOutcome.EXPIRED.value: "expired",
        OfferOutcome.WITHDRAWN.value: "was withdrawn: the conversation is no longer waiting for you",
    }
    return Refusal(
        status.HTTP_409_CONFLICT,
        "offer.ended",
        {"message": f"offer {offer_id} {words.get(exc.outcome, 'ended')}", "outcome": exc.outcome},
        offer_id=offer_id,
        outcome=exc.outcome,
    )


@router.post(
    "/offers/{offer_id}/accept",
    response_model=ConversationOut,
    responses={
        404: {"description": "No such offer made to the caller."},
        409: {"description": "The offer expired, was declined or withdrawn (the answer says which)."},
    },
)
async def accept_offer(
    offer_id: int, caller: permitted(Permission.CONVERSATION_TAKE), session: SessionDep, st: StateDep
) -> ConversationOut:
    """Take the conversation offered to the caller, before the offer expires."""
    offer = await _own_offer(session, caller, offer_id)
    conversation_id = offer.conversation_id
    try:
        await service.accept_offer(session, st.db, offer)
    except service.OfferGone as exc:
        await session.commit()  # an offer found expired is recorded as such
        raise _gone(offer_id, exc) from None
    await audit.record(session, caller.actor, "conversation.offer_accept", "conversation", conversation_id)
    await session.commit()
    return await _reload(session, conversation_id)


@router.post(
    "/offers/{offer_id}/decline",
    response_model=OfferOut,
    responses={
        404: {"description": "No such offer made to the caller."},
        409: {"description": "The offer had ended already (the answer says how)."},
    },
)
async def decline_offer(offer_id: int, caller: OperatorDep, session: SessionDep, st: StateDep) -> OfferOut:
    """Decline the offer: the conversation is offered to the next eligible colleague, not to the caller again for a
    while."""
    offer = await _own_offer(session, caller, offer_id)
    if offer.outcome is not None:
        raise _gone(offer_id, service.OfferGone(offer.outcome))
    out = await service.end_offer(session, st.db, offer, OfferOutcome.DECLINED)
    if out is None:
        await session.rollback()
        outcome = (await session.get(AssignmentOffer, offer_id)).outcome
        raise _gone(offer_id, service.OfferGone(outcome or "ended"))
    await audit.record(
        session, caller.actor, "conversation.offer_decline", "conversation", offer.conversation_id, {"offer": offer_id}
    )
    await session.commit()
    return out


@router.post(
    "/conversations/next",
    response_model=ConversationOut,
    responses={204: {"description": "Nothing waits in the caller's queues."}},
)
async def take_next(caller: permitted(Permission.CONVERSATION_TAKE), session: SessionDep, st: StateDep):
    """Take the next waiting conversation from the caller's queues: highest priority, then longest waiting; one
    offered to a colleague (push mode) only when nothing else waits."""
    conversation_id = await service.take_next(session, st.db, caller.user_id, sorted(caller.queue_ids))
    if conversation_id is None:
        await session.rollback()
        return Response(status_code=status.HTTP_204_NO_CONTENT)
    await record_conversation_item(
        session, conversation_id, TimelineKind.ASSIGNED, {"from": None, "to": caller.user_id, "by": caller.user_id}
    )
    await service.emit_conversation(session, st.db, conversation_id)
    await audit.record(session, caller.actor, "conversation.take_next", "conversation", conversation_id)
    await session.commit()
    # It may have been offered to a colleague (taken only when nothing else waited, domain.routing.TakeTier): that
    # offer ends now, in its own transaction, so their notice and the board hear it at once.
    if await service.withdraw_offers(session, st.db, conversation_id):
        await session.commit()
    return await _reload(session, conversation_id)


async def _move(
    session, st, caller: Caller, conversation_id: int, user_id: int | None, queue_id: int | None, note: str
) -> ConversationOut:
    """Transfer one conversation to a colleague or a queue (the caller's transaction; not committed here)."""
    if (user_id is None) == (queue_id is None):
        raise Refusal(
            status.HTTP_422_UNPROCESSABLE_CONTENT, "transfer.target_required", "give either user_id or queue_id"
        )
    row = await load_visible(session, caller, conversation_id, lock=True)
    conv: Conversation = row.Conversation
    if user_id is not None:
        user = await session.get(User, user_id)
        if user is None or not user.is_active:
            raise Refusal(
                status.HTTP_422_UNPROCESSABLE_CONTENT, "user.unavailable", f"no active user {user_id}", user_id=user_id
            )
        values = {"assignee_id": user_id, "waiting_since": None}
    else:
        if await session.get(Queue, queue_id) is None:
            raise Refusal(
                status.HTTP_422_UNPROCESSABLE_CONTENT,
                "queue.missing",
                f"there is no queue {queue_id}",
                queue_id=queue_id,
            )
        values = {"queue_id": queue_id, "assignee_id": None, "waiting_since": utcnow()}
    before = {"queue_id": conv.queue_id, "user_id": conv.assignee_id}
    after = {"queue_id": values.get("queue_id", conv.queue_id), "user_id": values["assignee_id"]}
    if before == after:
        raise Refusal(status.HTTP_409_CONFLICT, "conversation.already_there", "the conversation is already there")
    # The timeline shows the queues by name, as they were called then (a later rename does not rewrite history).
    names = {q: (await session.get(Queue, q)).name for q in {before["queue_id"], after["queue_id"]} if q is not None}
    await session.execute(
        update(Conversation).where(Conversation.id == conversation_id).values(**values, updated_at=utcnow())
    )
    await record_conversation_item(
        session,
        conversation_id,
        TimelineKind.TRANSFERRED,
        {
            "from": {**before, "queue_name": names.get(before["queue_id"])},
            "to": {**after, "queue_name": names.get(after["queue_id"])},
            "by": caller.user_id,
            "note": note or None,
        },
    )
    if note.strip():
        conv.queue_id, conv.assignee_id = after["queue_id"], after["user_id"]
        await add_note(session, st.db, conversation=conv, author_id=caller.user_id, text=note.strip())
    # The old queue hears it left (its waiting list drops it); the new audience hears it arrived.
    old_queue = [before["queue_id"]] if before["queue_id"] not in (None, after["queue_id"]) else []
    await service.emit_conversation(session, st.db, conversation_id, also_queues=old_queue)
    await audit.record(
        session, caller.actor, "conversation.transfer", "conversation", conversation_id, {"from": before, "to": after}
    )
    return await _reload(session, conversation_id)


@router.post("/conversations/{conversation_id}/transfer", response_model=ConversationOut)
async def transfer(
    conversation_id: int,
    body: TransferIn,
    caller: permitted(Permission.CONVERSATION_TRANSFER),
    session: SessionDep,
    st: StateDep,
) -> ConversationOut:
    """Hand the conversation to a colleague (``user_id``) or another queue (``queue_id``), with a note for them; the
    customer is not asked anything again and the timeline shows the transfer."""
    if body.user_id is not None and body.user_id != caller.user_id:
        row = await load_visible(session, caller, conversation_id)
        if row.Conversation.assignee_id not in (None, caller.user_id) and not caller.may(
            Permission.CONVERSATION_ASSIGN_OTHERS
        ):
            raise Refusal(
                status.HTTP_403_FORBIDDEN, "transfer.not_assignee", "only its assignee or a supervisor transfers this"
            )
    out = await _move(session, st, caller, conversation_id, body.user_id, body.queue_id, body.note)
    await session.commit()
    return out


@router.post("/conversations/{conversation_id}/activity", status_code=status.HTTP_204_NO_CONTENT)
async def activity(
    conversation_id: int, body: ActivityIn, caller: OperatorDep, session: SessionDep, st: StateDep
) -> None:
    """Collision prevention: the caller views (or types in) this conversation; colleagues who see it are told.
    Clients repeat it while it holds (viewing every 20 s, typing every 5 s) and treat silence as "left"."""
    row = await load_visible(session, caller, conversation_id, need=ConversationAccess.MENTIONED)
    out = ActivityOut(
        conversation_id=conversation_id,
        user_id=caller.user_id,
        display_name=caller.display_name,
        typing=body.typing,
        at=utcnow(),
    )
    await service.announce_activity(
        session, st.db, out, queue_id=row.Conversation.queue_id, assignee_id=row.Conversation.assignee_id
    )
    await session.commit()


@router.get("/board", response_model=Board)
async def board(caller: OperatorDep, session: SessionDep) -> Board:
    """The board's figures now; the client keeps them live from events (conversation.*, presence.*). With
    ``queue.view_all`` (supervisors) every queue; otherwise the caller's own queues, their members and their
    waiting work (an operator's view of "how long are people waiting in my queues")."""
    return await service.board(session, None if caller.may(Permission.QUEUE_VIEW_ALL) else sorted(caller.queue_ids))


@router.post("/board/reassign", response_model=BulkAssignOut)
async def reassign(
    body: BulkAssignIn,
    caller: permitted(Permission.CONVERSATION_ASSIGN_OTHERS),
    session: SessionDep,
    st: StateDep,
) -> BulkAssignOut:
    """Move a selection of conversations to one operator or queue (drag and drop on the board); each one is its own
    transaction, so one refusal does not undo the others."""
    moved, refused, refusals = [], {}, {}
    for conversation_id in dict.fromkeys(body.conversation_ids):
        try:
            await _move(session, st, caller, conversation_id, body.user_id, body.queue_id, "")
            await session.commit()
            moved.append(conversation_id)
        except HTTPException as exc:
            await session.rollback()
            refused[conversation_id] = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
            refusals[conversation_id] = RefusalCode(**coded(exc))
    return BulkAssignOut(moved=moved, refused=refused, refusals=refusals)
