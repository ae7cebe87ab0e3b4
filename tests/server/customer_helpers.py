"""Helpers shared by the customer tests: deliver messages, read rows, snapshot a customer's whole footprint."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from omnidesk.domain.enums import Role
from omnidesk.server.audit.models import AuditRecord
from omnidesk.server.conversations.models import Conversation, Message
from omnidesk.server.customers.models import Customer, CustomerKey, Identity
from omnidesk.server.queues.models import Queue
from omnidesk.server.timeline.models import TimelineEntry


async def deliver(
    api, channel_id: int, token: str, external_id: str, kind: str, value: str, *, name=None, text="Hello", identities=()
) -> dict:
    body = {
        "external_id": external_id,
        "sender": {"kind": kind, "value": value, "name": name},
        "text": text,
        "identities": [{"kind": k, "value": v} for k, v in identities],
    }
    r = await api.client.post(
        f"/api/v1/channels/{channel_id}/inbound", json=body, headers={"Authorization": f"Bearer {token}"}
    )
    assert r.status_code in (200, 201), r.text
    return r.json()


async def add_queue(api, name: str) -> int:
    async with api.db.session() as session:
        queue = Queue(name=name)
        session.add(queue)
        await session.commit()
        return queue.id


async def supervisor(api, username: str = "sup") -> dict:
    return await api.headers_for(username, Role.SUPERVISOR)


async def audit_actions(api, object_id: int | None = None) -> list[str]:
    async with api.db.session() as session:
        query = select(AuditRecord.action).order_by(AuditRecord.id)
        if object_id is not None:
            query = query.where(AuditRecord.object_id == str(object_id))
        return list((await session.scalars(query)).all())


# A conversation's ``revision`` counts its changes (migration 0029) and only moves forward: a merge and its undo are two
# changes, so it is not part of what an unmerge restores.
NOT_RESTORED = {"revision"}


def _row(obj) -> dict[str, Any]:
    return {c.key: getattr(obj, c.key) for c in obj.__table__.columns if c.key not in NOT_RESTORED}


async def footprint(session, customer_ids: list[int]) -> dict[str, Any]:
    """Every row that belongs to these customers, keyed by table: what a merge moves and an unmerge restores."""
    customers = (await session.scalars(select(Customer).where(Customer.id.in_(customer_ids)))).all()
    identities = (await session.scalars(select(Identity).where(Identity.customer_id.in_(customer_ids)))).all()
    conversations = (
        await session.scalars(select(Conversation).where(Conversation.customer_id.in_(customer_ids)))
    ).all()
    conversation_ids = [c.id for c in conversations]
    messages = (await session.scalars(select(Message).where(Message.conversation_id.in_(conversation_ids)))).all()
    items = (
        await session.scalars(
            select(TimelineEntry).where(
                TimelineEntry.customer_id.in_(customer_ids), TimelineEntry.kind.not_in(["merged", "unmerged"])
            )
        )
    ).all()
    keys = (
        await session.execute(
            select(CustomerKey.customer_id, CustomerKey.key).where(CustomerKey.customer_id.in_(customer_ids))
        )
    ).all()
    return {
        "customers": sorted((_row(r) for r in customers), key=lambda r: r["id"]),
        "identities": sorted((_row(r) for r in identities), key=lambda r: r["id"]),
        "conversations": sorted((_row(r) for r in conversations), key=lambda r: r["id"]),
        "messages": sorted((_row(r) for r in messages), key=lambda r: r["id"]),
        "timeline_items": sorted((_row(r) for r in items), key=lambda r: r["id"]),
        "customer_keys": sorted(tuple(k) for k in keys),
    }


async def grant(api, role: Role, permission: str, allowed: bool = True) -> None:
    """An installation override (issue 17): ``role`` gets (or loses) ``permission``; applies to the next request."""
    from omnidesk.server.permissions.models import RolePermission

    async with api.db.session() as session:
        session.add(RolePermission(role=Role(role).value, permission=permission, allowed=allowed))
        await session.commit()
    api.app.state.omnidesk.permissions.invalidate()
