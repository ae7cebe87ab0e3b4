"""HTTP routes of satisfaction surveys: the per-queue settings (supervisors)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, status

from omnidesk.domain.permissions import Permission
from omnidesk.protocol.csat import CsatSettingsIn, CsatSettingsOut
from omnidesk.server.audit import service as audit
from omnidesk.server.context import SessionDep, SupervisorDep, permitted
from omnidesk.server.csat import service
from omnidesk.server.csat.models import CsatSettings
from omnidesk.server.queues.models import Queue

router = APIRouter(prefix="/api/v1/csat", tags=["csat"])


@router.get("/settings/{queue_id}", response_model=CsatSettingsOut)
async def get_settings(queue_id: int, caller: SupervisorDep, session: SessionDep) -> CsatSettingsOut:
    if await session.get(Queue, queue_id) is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"queue {queue_id} not found")
    row = await session.get(CsatSettings, queue_id)
    if row is None:
        return CsatSettingsOut(queue_id=queue_id)
    return settings_out(row)


def settings_out(row: CsatSettings) -> CsatSettingsOut:
    return CsatSettingsOut(
        queue_id=row.queue_id,
        enabled=row.enabled,
        asks=row.asks or "csat",
        delay_seconds=row.delay_seconds,
        questions=row.questions or {},
        nps_questions=row.nps_questions or {},
    )


@router.put("/settings/{queue_id}", response_model=CsatSettingsOut)
async def put_settings(
    queue_id: int, body: CsatSettingsIn, caller: permitted(Permission.QUEUE_MANAGE), session: SessionDep
) -> CsatSettingsOut:
    if await session.get(Queue, queue_id) is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"queue {queue_id} not found")
    await service.edit_settings(
        session,
        queue_id,
        enabled=body.enabled,
        asks=body.asks,
        delay_seconds=body.delay_seconds,
        questions=dict(body.questions),
        nps_questions=dict(body.nps_questions),
        replace_questions=True,  # PUT: the body is the whole settings (a language it leaves out goes back to ours)
    )
    await audit.record(session, caller.actor, "csat.settings", "queue", queue_id, body.model_dump())
    await session.commit()
    return CsatSettingsOut(queue_id=queue_id, **body.model_dump())
