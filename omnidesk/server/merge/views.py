"""HTTP routes of the merge feature: thin handlers over merge.service."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, status

from omnidesk.domain.permissions import Permission
from omnidesk.protocol.customers import MergeOut, MergeRequest
from omnidesk.server.context import Caller, CallerDep, SessionDep, StateDep, permitted
from omnidesk.server.merge.service import merge_customers, unmerge

router = APIRouter(prefix="/api/v1", tags=["customers"])


async def _may_unmerge_something(caller: CallerDep) -> Caller:
    # Whose merge it is is known only once the merge is read (merge.service checks that); this refuses at once a
    # caller who may undo no merge at all.
    if not (caller.may(Permission.CUSTOMER_UNMERGE_ANY) or caller.may(Permission.CUSTOMER_UNMERGE_OWN)):
        raise HTTPException(status.HTTP_403_FORBIDDEN, f"this needs the permission {Permission.CUSTOMER_UNMERGE_OWN}")
    return caller


UnmergerDep = Annotated[Caller, Depends(_may_unmerge_something)]


@router.post("/customers/merge", response_model=MergeOut, status_code=status.HTTP_201_CREATED)
async def merge_endpoint(
    body: MergeRequest, caller: permitted(Permission.CUSTOMER_MERGE), session: SessionDep, st: StateDep
) -> MergeOut:
    """Merge ``other_id`` into ``survivor_id`` (both must be visible to the caller; 409 if either is merged)."""
    out, _ = await merge_customers(session, st.db, caller, body)
    await session.commit()
    return out


@router.post("/merges/{merge_id}/unmerge", response_model=MergeOut)
async def unmerge_endpoint(merge_id: int, caller: UnmergerDep, session: SessionDep, st: StateDep) -> MergeOut:
    """Undo a merge: both customers back exactly as they were, with what arrived since through each one's
    identities."""
    out = await unmerge(session, st.db, caller, merge_id)
    await session.commit()
    return out
