"""HTTP routes of the audit log (admins only)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query

from omnidesk.protocol import AuditEntry, Page
from omnidesk.server.audit import service as audit
from omnidesk.server.context import AdminDep, SessionDep
from omnidesk.server.db.pagination import BadCursor, bad_request, decode_cursor, encode_cursor

router = APIRouter(tags=["admin"])


@router.get("/api/v1/audit", response_model=Page[AuditEntry])
async def read_audit(
    caller: AdminDep,
    session: SessionDep,
    user_id: int | None = None,
    username: str | None = None,
    action: str | None = None,
    since: Annotated[dt.datetime | None, Query(description="ISO 8601, inclusive")] = None,
    until: Annotated[dt.datetime | None, Query(description="ISO 8601, exclusive")] = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> Page[AuditEntry]:
    """The audit log, newest first, filterable by user, action and time."""
    before_id = None
    if cursor:
        try:
            (before_id,) = decode_cursor(cursor)
            before_id = int(before_id)
        except (BadCursor, ValueError, TypeError):
            raise bad_request("cursor is not one this server issued") from None
    for name, value in (("since", since), ("until", until)):
        if value is not None and value.tzinfo is None:
            raise bad_request(f"{name} needs a time zone, e.g. 2026-11-22T10:00:00Z")
    rows = await audit.list_records(
        session,
        user_id=user_id,
        username=username,
        action=action,
        since=since,
        until=until,
        before_id=before_id,
        limit=limit + 1,
    )
    items = [AuditEntry.model_validate(r) for r in rows[:limit]]
    await audit.record(session, caller.actor, "audit.read", "audit", None, {"user_id": user_id, "action": action})
    await session.commit()
    return Page[AuditEntry](items=items, next_cursor=encode_cursor(items[-1].id) if len(rows) > limit else None)
