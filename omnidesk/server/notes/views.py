"""HTTP routes of mentions: the caller's "Mentions" list and marking one read. (Notes themselves are written with
``POST /api/v1/conversations/{id}/messages`` and ``"kind": "note"``.)"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, status
from sqlalchemy import update

from omnidesk.protocol.workorg import MentionOut
from omnidesk.server.context import OperatorDep, SessionDep
from omnidesk.server.db import utcnow
from omnidesk.server.notes import service
from omnidesk.server.notes.models import Mention

router = APIRouter(prefix="/api/v1/mentions", tags=["notes"])


@router.get("", response_model=list[MentionOut])
async def list_mentions(
    caller: OperatorDep,
    session: SessionDep,
    unread: bool = False,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[MentionOut]:
    """Notes that mention the caller, newest first."""
    return await service.list_mentions(session, caller.user_id, unread_only=unread, limit=limit)


@router.post("/{mention_id}/read", status_code=status.HTTP_204_NO_CONTENT)
async def mark_read(mention_id: int, caller: OperatorDep, session: SessionDep) -> None:
    result = await session.execute(
        update(Mention)
        .where(Mention.id == mention_id, Mention.user_id == caller.user_id, Mention.read_at.is_(None))
        .values(read_at=utcnow())
    )
    if result.rowcount == 0 and await session.get(Mention, mention_id) is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"mention {mention_id} not found")
    await session.commit()
