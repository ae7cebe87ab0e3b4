"""Merging two customers into one, and undoing it exactly.

A merge moves the other customer's identities, conversations (with their messages) and timeline to the survivor in
one transaction, sets the survivor's fields as chosen, keeps every losing value in the survivor's field history, and
leaves the other customer's row in place, marked ``merged_into_id``. The ``customer_merges`` row keeps a snapshot of
what was whose, so an unmerge gives everything back, including what arrived after the merge through the other
customer's identities (a conversation belongs to the identity it came through).

Two people merging the same pair at once: both customer rows are locked in id order (PostgreSQL ``FOR UPDATE``;
SQLite transactions already start with ``BEGIN IMMEDIATE``), so the second merge waits, then finds one side merged
and answers 409.
"""

from __future__ import annotations

from typing import Any

from fastapi import HTTPException, status
from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domain.permissions import Permission, may_unmerge
from omnidesk.protocol import CustomerEventType
from omnidesk.protocol.customers import MergeOut, MergeRequest, TimelineKind
from omnidesk.server.audit import service as audit
from omnidesk.server.context import Caller
from omnidesk.server.conversations.models import Conversation
from omnidesk.server.customers.models import Customer, CustomerKey, Identity
from omnidesk.server.customers.service import (
    PROFILE_FIELDS,
    column_values,
    emit_customer_events,
    field_value,
    load_visible_customer,
    record_change,
    reload_out,
)
from omnidesk.server.db import Database, utcnow
from omnidesk.server.duplicates import service as duplicates_service
from omnidesk.server.duplicates.models import DuplicateSuggestion
from omnidesk.server.merge.models import CustomerMerge
from omnidesk.server.timeline.models import TimelineEntry
from omnidesk.server.timeline.service import record_item

_EMPTY: tuple[Any, ...] = (None, "", [], {})


def conflict(detail: str) -> HTTPException:
    return HTTPException(status.HTTP_409_CONFLICT, detail)


def _profile(customer: Customer) -> dict[str, Any]:
    values = {name: field_value(customer, name) for name in PROFILE_FIELDS}
    values["updated_at"] = customer.updated_at.isoformat()
    return values


def merged_value(field: str, choice: str | None, mine: Any, theirs: Any) -> Any:
    if choice is None:
        choice = "other" if mine in _EMPTY and theirs not in _EMPTY else "survivor"
    if choice == "survivor":
        return mine
    if choice == "other":
        return theirs
    if field == "tags":
        return list(dict.fromkeys([*mine, *theirs]))
    if field == "attributes":
        return {**theirs, **mine}
    raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, f"'both' is not a choice for {field}")


async def _lock_pair(session: AsyncSession, caller: Caller, first: int, second: int) -> dict[int, Customer]:
    """Both customers, row-locked in id order (no deadlock between A→B and B→A), or 404."""
    found = {}
    for customer_id in sorted((first, second)):
        found[customer_id] = await load_visible_customer(session, caller, customer_id, lock=True)
    return found


def merge_out(row: CustomerMerge, survivor=None, other=None) -> MergeOut:
    return MergeOut(
        id=row.id,
        survivor_id=row.survivor_id,
        other_id=row.other_id,
        fields=row.fields,
        created_by=row.created_by,
        created_at=row.created_at,
        undone_at=row.undone_at,
        undone_by=row.undone_by,
        survivor=survivor,
        other=other,
    )


async def _set_pair_status(session: AsyncSession, first: int, second: int, value: str) -> None:
    a, b = sorted((first, second))
    await session.execute(
        update(DuplicateSuggestion)
        .where(DuplicateSuggestion.customer_id == a, DuplicateSuggestion.other_id == b)
        .values(status=value, updated_at=utcnow())
    )


async def merge_customers(
    session: AsyncSession, db: Database, caller: Caller, body: MergeRequest
) -> tuple[MergeOut, list[int]]:
    """Merge ``body.other_id`` into ``body.survivor_id`` in the caller's transaction (the caller commits)."""
    survivor_id, other_id = body.survivor_id, body.other_id
    if survivor_id == other_id:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "a customer cannot be merged with itself")
    pair = await _lock_pair(session, caller, survivor_id, other_id)
    survivor, other = pair[survivor_id], pair[other_id]
    for customer in (survivor, other):
        if customer.merged_into_id is not None:
            raise conflict(f"customer {customer.id} was already merged into customer {customer.merged_into_id}")

    identity_ids = list(
        (await session.scalars(select(Identity.id).where(Identity.customer_id == other_id).order_by(Identity.id))).all()
    )
    conversation_ids = list(
        (
            await session.scalars(
                select(Conversation.id).where(Conversation.customer_id == other_id).order_by(Conversation.id)
            )
        ).all()
    )
    own_items = list(
        (
            await session.scalars(
                select(TimelineEntry.id).where(
                    TimelineEntry.customer_id == other_id, TimelineEntry.conversation_id.is_(None)
                )
            )
        ).all()
    )
    pair_status = await session.scalar(
        select(DuplicateSuggestion.status).where(
            DuplicateSuggestion.customer_id == min(survivor_id, other_id),
            DuplicateSuggestion.other_id == max(survivor_id, other_id),
        )
    )
    before_survivor, before_other = _profile(survivor), _profile(other)
    chosen = {f: merged_value(f, body.fields.get(f), before_survivor[f], before_other[f]) for f in PROFILE_FIELDS}
    now = utcnow()
    merge_id = await session.scalar(
        insert(CustomerMerge)
        .values(
            survivor_id=survivor_id,
            other_id=other_id,
            fields={f: body.fields.get(f, "default") for f in PROFILE_FIELDS},
            snapshot={
                "survivor": before_survivor,
                "other": before_other,
                "chosen": chosen,
                "identity_ids": identity_ids,
                "conversation_ids": conversation_ids,
                "timeline_item_ids": own_items,
                "suggestion_status": pair_status,
            },
            created_by=caller.user_id,
            created_at=now,
        )
        .returning(CustomerMerge.id)
    )
    for field in PROFILE_FIELDS:
        kept = chosen[field]
        for lost in (before_survivor[field], before_other[field]):
            if lost != kept and lost not in _EMPTY:
                await record_change(
                    session, survivor_id, field, lost, kept, source="merge", user_id=caller.user_id, merge_id=merge_id
                )
    changed = {f: v for f, v in chosen.items() if v != before_survivor[f]}
    await session.execute(
        update(Customer).where(Customer.id == survivor_id).values(**column_values(changed), updated_at=now)
    )
    await session.execute(update(Customer).where(Customer.id == other_id).values(merged_into_id=survivor_id))
    await session.execute(update(Identity).where(Identity.customer_id == other_id).values(customer_id=survivor_id))
    await session.execute(
        update(Conversation).where(Conversation.customer_id == other_id).values(customer_id=survivor_id)
    )
    await session.execute(
        update(TimelineEntry).where(TimelineEntry.customer_id == other_id).values(customer_id=survivor_id)
    )
    await session.execute(delete(CustomerKey).where(CustomerKey.customer_id == other_id))
    await duplicates_service.refresh_customer(session, survivor_id, suggest=False)
    await _set_pair_status(session, survivor_id, other_id, "merged")
    await record_item(
        session,
        customer_id=survivor_id,
        kind=TimelineKind.MERGED,
        at=now,
        payload={
            "merge_id": merge_id,
            "survivor_id": survivor_id,
            "other_id": other_id,
            "other_name": before_other["name"],
            "by": caller.user_id,
        },
    )
    await audit.record(
        session,
        caller.actor,
        "customer.merge",
        "customer",
        survivor_id,
        {
            "merge_id": merge_id,
            "other_id": other_id,
            "fields": body.fields,
            "identities": len(identity_ids),
            "conversations": len(conversation_ids),
        },
    )
    row = await session.get(CustomerMerge, merge_id)
    out = merge_out(row, survivor=await reload_out(session, survivor_id))
    await emit_customer_events(
        session,
        db,
        [survivor_id],
        [(CustomerEventType.CUSTOMER_MERGED.value, {"merge": out.model_dump(mode="json")})],
    )
    return out, [survivor_id, other_id]


async def unmerge(session: AsyncSession, db: Database, caller: Caller, merge_id: int) -> MergeOut:
    """Undo a merge in the caller's transaction: both customers as they were, plus what arrived since."""
    row = await session.get(CustomerMerge, merge_id)
    if row is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"merge {merge_id} not found")
    survivor_id, other_id = row.survivor_id, row.other_id
    pair = await _lock_pair(session, caller, survivor_id, other_id)
    held = [p for p in (Permission.CUSTOMER_UNMERGE_ANY, Permission.CUSTOMER_UNMERGE_OWN) if caller.may(p)]
    if not may_unmerge(held, row.created_by, caller.user_id):
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            f"this merge was made by someone else; undoing it needs the permission {Permission.CUSTOMER_UNMERGE_ANY}",
        )
    await session.refresh(row)
    if row.undone_at is not None:
        raise conflict(f"merge {merge_id} was already undone")
    survivor, other = pair[survivor_id], pair[other_id]
    if survivor.merged_into_id is not None:
        raise conflict(
            f"customer {survivor_id} was merged into customer {survivor.merged_into_id} since; undo that merge first"
        )
    if other.merged_into_id != survivor_id:
        raise conflict(f"customer {other_id} is no longer merged into customer {survivor_id}")
    snap = row.snapshot
    now = utcnow()

    back_identities = list(
        (
            await session.scalars(
                select(Identity.id).where(
                    Identity.customer_id == survivor_id, Identity.id.in_(snap["identity_ids"] or [-1])
                )
            )
        ).all()
    )
    # The other customer's conversations, and those opened since through its identities.
    back_conversations = list(
        (
            await session.scalars(
                select(Conversation.id).where(
                    Conversation.customer_id == survivor_id,
                    or_(
                        Conversation.id.in_(snap["conversation_ids"] or [-1]),
                        Conversation.identity_id.in_(back_identities or [-1]),
                    ),
                )
            )
        ).all()
    )
    await session.execute(update(Identity).where(Identity.id.in_(back_identities or [-1])).values(customer_id=other_id))
    await session.execute(
        update(Conversation).where(Conversation.id.in_(back_conversations or [-1])).values(customer_id=other_id)
    )
    await session.execute(
        update(TimelineEntry)
        .where(
            TimelineEntry.customer_id == survivor_id,
            or_(
                TimelineEntry.conversation_id.in_(back_conversations or [-1]),
                TimelineEntry.id.in_(snap["timeline_item_ids"] or [-1]),
            ),
        )
        .values(customer_id=other_id)
    )
    await session.execute(update(Customer).where(Customer.id == other_id).values(merged_into_id=None))

    # The survivor's fields go back unless someone edited them after the merge (then the later edit stands).
    current = {f: field_value(survivor, f) for f in PROFILE_FIELDS}
    restore = {
        f: snap["survivor"][f]
        for f in PROFILE_FIELDS
        if current[f] == snap["chosen"][f] and current[f] != snap["survivor"][f]
    }
    for field, value in restore.items():
        await record_change(
            session,
            survivor_id,
            field,
            current[field],
            value,
            source="unmerge",
            user_id=caller.user_id,
            merge_id=merge_id,
        )
    untouched = all(current[f] == snap["chosen"][f] for f in PROFILE_FIELDS)
    values = column_values(restore)
    if untouched:
        from datetime import datetime

        values["updated_at"] = datetime.fromisoformat(snap["survivor"]["updated_at"])
    else:
        values["updated_at"] = now
    await session.execute(update(Customer).where(Customer.id == survivor_id).values(**values))

    await duplicates_service.refresh_customer(session, survivor_id, suggest=False)
    await duplicates_service.refresh_customer(session, other_id, suggest=False)
    # People looked at this pair and split it again: do not suggest it anew.
    await _set_pair_status(session, survivor_id, other_id, "dismissed")
    await session.execute(
        update(CustomerMerge).where(CustomerMerge.id == merge_id).values(undone_at=now, undone_by=caller.user_id)
    )
    payload = {
        "merge_id": merge_id,
        "survivor_id": survivor_id,
        "other_id": other_id,
        "other_name": snap["other"]["name"],
        "by": caller.user_id,
    }
    for customer_id in (survivor_id, other_id):
        await record_item(session, customer_id=customer_id, kind=TimelineKind.UNMERGED, at=now, payload=payload)
    await audit.record(
        session,
        caller.actor,
        "customer.unmerge",
        "customer",
        survivor_id,
        {
            "merge_id": merge_id,
            "other_id": other_id,
            "identities": len(back_identities),
            "conversations": len(back_conversations),
        },
    )
    await session.refresh(row)
    out = merge_out(row, survivor=await reload_out(session, survivor_id), other=await reload_out(session, other_id))
    await emit_customer_events(
        session,
        db,
        [survivor_id, other_id],
        [(CustomerEventType.CUSTOMER_UNMERGED.value, {"merge": out.model_dump(mode="json")})],
    )
    return out
