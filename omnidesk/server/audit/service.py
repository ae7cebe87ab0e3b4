"""The audit log: who read or changed what, when, and from which address.

Records are written in the caller's transaction, so a change and its audit record commit (or vanish) together.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.server.audit.models import AuditRecord
from omnidesk.server.db import utcnow


class Actor:
    """Who is acting, as the audit log records it: a user, a channel, or the system (a CLI command, a worker)."""

    __slots__ = ("ip", "user_id", "username")

    def __init__(self, user_id: int | None, username: str | None, ip: str | None = None) -> None:
        self.user_id = user_id
        self.username = username
        self.ip = ip


def _fit(value: str | None, size: int) -> str | None:
    """A value cut to its column (a record is never lost because a name or address was too long)."""
    if value is None or len(value) <= size:
        return value
    return value[: size - 1] + "…"


async def record(
    session: AsyncSession,
    actor: Actor | None,
    action: str,
    object_type: str | None = None,
    object_id: Any = None,
    details: dict[str, Any] | None = None,
) -> None:
    await session.execute(
        insert(AuditRecord).values(
            at=utcnow(),
            user_id=actor.user_id if actor else None,
            username=_fit(actor.username, 150) if actor else None,
            ip=_fit(actor.ip, 64) if actor else None,
            action=_fit(action, 64),
            object_type=_fit(object_type, 64),
            object_id=None if object_id is None else _fit(str(object_id), 64),
            details=details,
        )
    )


async def list_records(
    session: AsyncSession,
    *,
    user_id: int | None = None,
    username: str | None = None,
    action: str | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    before_id: int | None = None,
    limit: int = 100,
) -> list[AuditRecord]:
    """Newest first; ``before_id`` pages back."""
    query = select(AuditRecord).order_by(AuditRecord.id.desc()).limit(limit)
    if user_id is not None:
        query = query.where(AuditRecord.user_id == user_id)
    if username is not None:
        query = query.where(AuditRecord.username == username)
    if action is not None:
        query = query.where(AuditRecord.action == action)
    if since is not None:
        query = query.where(AuditRecord.at >= since)
    if until is not None:
        query = query.where(AuditRecord.at < until)
    if before_id is not None:
        query = query.where(AuditRecord.id < before_id)
    return list((await session.scalars(query)).all())


async def count_failed_logins(
    session: AsyncSession, *, username: str, ip: str | None, since: dt.datetime
) -> tuple[int, int]:
    """Failed logins inside the window for this user name, and from this address (they drive the throttle)."""
    base = select(func.count()).where(AuditRecord.action == "auth.login_failed", AuditRecord.at >= since)
    by_user = int(await session.scalar(base.where(AuditRecord.object_id == username)) or 0)
    by_ip = int(await session.scalar(base.where(AuditRecord.ip == ip)) or 0) if ip else 0
    return by_user, by_ip
