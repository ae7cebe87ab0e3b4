"""Customers: the card, search, create and edit, identities, and who may see which customer.

Visibility (also in protocol/customers.py): supervisors and admins see every customer. An operator sees a customer
that has a conversation in one of the operator's queues or assigned to them, and a customer with no conversation at
all unless the setting ``unlinked_customers_visible`` is false (then only supervisors and admins see those). A
customer merged into another is visible exactly when the survivor is. Anything else answers 404, as if absent, so
ids cannot be probed. Every read and change is audited.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fastapi import HTTPException, status
from sqlalchemy import and_, exists, func, insert, intersect, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domain.enums import ConversationStatus
from omnidesk.domain.identity import IdentityKind, InvalidIdentifier, normalize, search_forms
from omnidesk.domain.names import name_search_keys
from omnidesk.protocol import CustomerEventType
from omnidesk.protocol.customers import (
    CustomerOut,
    CustomerSummary,
    FieldChangeOut,
    IdentityGroup,
    IdentityIn,
    IdentityOut,
)
from omnidesk.server.context import Caller
from omnidesk.server.conversations.models import Conversation
from omnidesk.server.customers.models import Customer, CustomerFieldChange, CustomerKey, Identity
from omnidesk.server.db import Database, utcnow
from omnidesk.server.duplicates import service as duplicates_service
from omnidesk.server.events.service import emit_many
from omnidesk.server.queues.models import QueueMember

PROFILE_FIELDS = ("name", "language", "segment", "tags", "attributes")


_COLUMN = {"name": "display_name"}


_KIND_ORDER = {kind: n for n, kind in enumerate(IdentityKind)}


def field_value(customer: Customer, name: str) -> Any:
    value = getattr(customer, _COLUMN.get(name, name))
    if name == "tags":
        return list(value or [])
    if name == "attributes":
        return dict(value or {})
    return value


def not_found(customer_id: int) -> HTTPException:
    return HTTPException(status.HTTP_404_NOT_FOUND, f"customer {customer_id} not found")


def visible_condition(caller: Caller, *, reading: bool = False):
    """SQL condition on ``Customer`` for the operator's visibility rule (None: sees everyone). ``reading``: also the
    customers of conversations a colleague mentioned the caller in (their card is read, not changed; issue 11)."""
    if caller.sees_all_queues:
        return None
    mine = [Conversation.assignee_id == caller.user_id]
    if caller.queue_ids:
        mine.append(Conversation.queue_id.in_(caller.queue_ids))
    if reading and caller.mentioned_in:
        mine.append(Conversation.id.in_(sorted(caller.mentioned_in)))
    # A customer merged into another one is as visible as the survivor that now holds its conversations.
    holder = func.coalesce(Customer.merged_into_id, Customer.id)
    in_scope = exists().where(Conversation.customer_id == holder, or_(*mine))
    if not caller.sees_unlinked:  # setting unlinked_customers_visible = false (issue 17)
        return in_scope
    unattached = ~exists().where(Conversation.customer_id == holder)
    return or_(in_scope, unattached)


async def visible_ids(session: AsyncSession, caller: Caller, customer_ids: Iterable[int]) -> set[int]:
    ids = set(customer_ids)
    if not ids:
        return set()
    query = select(Customer.id).where(Customer.id.in_(ids))
    condition = visible_condition(caller)
    if condition is not None:
        query = query.where(condition)
    return set((await session.scalars(query)).all())


async def load_visible_customer(
    session: AsyncSession, caller: Caller, customer_id: int, *, lock: bool = False, reading: bool = False
) -> Customer:
    """The customer if the caller may see it, else 404. ``lock`` takes its row lock (PostgreSQL); ``reading``: for
    a read only, where a mention in a note of one of the customer's conversations suffices."""
    query = select(Customer).where(Customer.id == customer_id).execution_options(populate_existing=True)
    condition = visible_condition(caller, reading=reading)
    if condition is not None:
        query = query.where(condition)
    if lock and session.bind.dialect.name != "sqlite":
        # FOR NO KEY UPDATE: a message being stored for this customer (its foreign keys take KEY SHARE) is not
        # blocked, so a merge waits for it instead of deadlocking with it.
        query = query.with_for_update(of=Customer, key_share=True)
    customer = await session.scalar(query)
    if customer is None:
        raise not_found(customer_id)
    return customer


def identity_out(row: Identity) -> IdentityOut:
    return IdentityOut(id=row.id, kind=row.kind, value=row.value, created_at=row.created_at)


async def summaries(session: AsyncSession, customer_ids: Iterable[int]) -> dict[int, CustomerSummary]:
    ids = sorted(set(customer_ids))
    if not ids:
        return {}
    customers = (await session.scalars(select(Customer).where(Customer.id.in_(ids)))).all()
    identities: dict[int, list[IdentityOut]] = {i: [] for i in ids}
    for row in (
        await session.scalars(select(Identity).where(Identity.customer_id.in_(ids)).order_by(Identity.id))
    ).all():
        identities[row.customer_id].append(identity_out(row))
    return {
        c.id: CustomerSummary(
            id=c.id,
            name=c.display_name,
            segment=c.segment,
            identities=identities[c.id],
            merged_into_id=c.merged_into_id,
        )
        for c in customers
    }


async def customer_out(session: AsyncSession, customer: Customer) -> CustomerOut:
    rows = (
        await session.scalars(select(Identity).where(Identity.customer_id == customer.id).order_by(Identity.id))
    ).all()
    groups: dict[str, list[IdentityOut]] = {}
    for row in rows:
        groups.setdefault(row.kind, []).append(identity_out(row))
    counts = (
        await session.execute(
            select(
                func.count(Conversation.id),
                func.count(Conversation.id).filter(Conversation.status != ConversationStatus.RESOLVED.value),
            ).where(Conversation.customer_id == customer.id)
        )
    ).one()
    history = (
        await session.scalars(
            select(CustomerFieldChange)
            .where(CustomerFieldChange.customer_id == customer.id)
            .order_by(CustomerFieldChange.id.desc())
            .limit(50)
        )
    ).all()
    return CustomerOut(
        id=customer.id,
        name=customer.display_name,
        language=customer.language,
        segment=customer.segment,
        tags=field_value(customer, "tags"),
        attributes=field_value(customer, "attributes"),
        identities=[
            IdentityGroup(kind=kind, items=items)
            for kind, items in sorted(groups.items(), key=lambda kv: _KIND_ORDER.get(kv[0], 99))
        ],
        open_conversations=counts[1],
        conversations=counts[0],
        merged_into_id=customer.merged_into_id,
        history=[
            FieldChangeOut(
                id=h.id,
                field=h.field,
                old_value=h.old_value,
                new_value=h.new_value,
                source=h.source,
                merge_id=h.merge_id,
                user_id=h.user_id,
                at=h.at,
            )
            for h in history
        ],
        created_at=customer.created_at,
        updated_at=customer.updated_at,
    )


async def reload_out(session: AsyncSession, customer_id: int) -> CustomerOut:
    customer = await session.scalar(
        select(Customer).where(Customer.id == customer_id).execution_options(populate_existing=True)
    )
    assert customer is not None
    return await customer_out(session, customer)


async def emit_customer_events(
    session: AsyncSession, db: Database, customer_ids: Iterable[int], events: list[tuple[str, dict[str, Any]]]
) -> None:
    """Customer events go, once each, to every queue the customers have conversations in (supervisors see all)."""
    ids = list(set(customer_ids))
    found = await session.scalars(select(Conversation.queue_id).where(Conversation.customer_id.in_(ids)).distinct())
    queues = sorted(q for q in found.all() if q is not None)
    await emit_many(session, db, events, queue_id=queues[0] if queues else None, also_queues=queues[1:])
    # An operator who sees the customer only through a conversation assigned to them (not through its queue) gets
    # their own copy (issue 17).
    assignees = set(
        (
            await session.scalars(
                select(Conversation.assignee_id)
                .where(Conversation.customer_id.in_(ids), Conversation.assignee_id.is_not(None))
                .distinct()
            )
        ).all()
    )
    if assignees and queues:
        covered = set(
            (
                await session.scalars(
                    select(QueueMember.user_id).where(
                        QueueMember.user_id.in_(assignees), QueueMember.queue_id.in_(queues)
                    )
                )
            ).all()
        )
        assignees -= covered
    for user_id in sorted(assignees):
        await emit_many(session, db, events, queue_id=None, user_id=user_id)


async def emit_updated(session: AsyncSession, db: Database, customer_id: int) -> CustomerOut:
    out = await reload_out(session, customer_id)
    await emit_customer_events(
        session,
        db,
        [customer_id],
        [(CustomerEventType.CUSTOMER_UPDATED.value, {"customer": out.model_dump(mode="json")})],
    )
    return out


async def record_change(
    session: AsyncSession,
    customer_id: int,
    field: str,
    old: Any,
    new: Any,
    *,
    source: str,
    user_id: int | None,
    merge_id: int | None = None,
) -> None:
    await session.execute(
        insert(CustomerFieldChange).values(
            customer_id=customer_id,
            field=field,
            old_value=old,
            new_value=new,
            source=source,
            merge_id=merge_id,
            user_id=user_id,
            at=utcnow(),
        )
    )


def column_values(values: dict[str, Any]) -> dict[str, Any]:
    return {_COLUMN.get(k, k): v for k, v in values.items()}


SEARCH_WINDOW = 2000


def _word_ids(word: str):
    """Customers with a name key that starts like ``word`` in any of its spellings (None: not a name word)."""
    keys = sorted(name_search_keys(word))
    if not keys:
        return None
    prefix = duplicates_service.SEARCH_PREFIX
    ranges = [and_(CustomerKey.key >= prefix + k, CustomerKey.key < prefix + k + "~") for k in keys]
    return select(CustomerKey.customer_id).where(or_(*ranges))


async def _candidate_ids(session: AsyncSession, text: str, region: str, before: int | None) -> list[int]:
    """Newest first, at most SEARCH_WINDOW: customers whose identifier is ``text`` in any format, or whose name
    keys start like every word typed. Read from the key and identity indexes, never by scanning customers."""
    found: set[int] = set()
    forms = search_forms(text, region)
    if forms:
        query = select(Identity.customer_id).where(
            or_(*(and_(Identity.kind == f.kind.value, Identity.value == f.value) for f in forms))
        )
        if before is not None:
            query = query.where(Identity.customer_id < before)
        found.update((await session.scalars(query)).all())
    words = [q for q in (_word_ids(word) for word in text.split()) if q is not None]
    if words:
        matching = words[0] if len(words) == 1 else intersect(*words)
        ids = matching.subquery()
        query = select(ids.c.customer_id).distinct().order_by(ids.c.customer_id.desc()).limit(SEARCH_WINDOW)
        if before is not None:
            query = query.where(ids.c.customer_id < before)
        found.update((await session.scalars(query)).all())
    return sorted(found, reverse=True)[:SEARCH_WINDOW]


async def search_ids(
    session: AsyncSession, caller: Caller, text: str, region: str, *, before: int | None, limit: int
) -> tuple[list[int], int | None]:
    """A page of customer ids matching ``text`` (everyone when empty) that the caller may see, and where the next
    page starts (None: no more)."""
    query = select(Customer.id).where(Customer.merged_into_id.is_(None))
    condition = visible_condition(caller)
    if condition is not None:
        query = query.where(condition)
    candidates: list[int] | None = None
    if text:
        candidates = await _candidate_ids(session, text, region, before)
        if not candidates:
            return [], None
        query = query.where(Customer.id.in_(candidates))
    elif before is not None:
        query = query.where(Customer.id < before)
    ids = list((await session.scalars(query.order_by(Customer.id.desc()).limit(limit + 1))).all())
    if len(ids) > limit:
        return ids[:limit], ids[limit - 1]
    if candidates is not None and len(candidates) == SEARCH_WINDOW:
        return ids, candidates[-1]  # the window was full: more matches may lie beyond it
    return ids, None


def _identifier(body: IdentityIn, region: str, index: int | None = None):
    try:
        return normalize(body.kind, body.value, region)
    except InvalidIdentifier as exc:
        loc = ["body", "identities", index, "value"] if index is not None else ["body", "value"]
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            [{"loc": loc, "msg": str(exc), "type": "value_error.identifier"}],
        ) from None
