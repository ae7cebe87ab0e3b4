"""HTTP routes of retention and data-subject requests (admins by default; every call audited)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Response, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from omnidesk.domain.permissions import Permission
from omnidesk.server.admin.models import Channel
from omnidesk.server.audit import service as audit
from omnidesk.server.context import SessionDep, StateDep, permitted
from omnidesk.server.queues.models import Queue
from omnidesk.server.retention import service
from omnidesk.server.retention.models import RetentionPolicy, RetentionRun

router = APIRouter(prefix="/api/v1", tags=["retention"])

RetentionCaller = permitted(Permission.RETENTION_MANAGE)
ExportCaller = permitted(Permission.CUSTOMER_EXPORT)
EraseCaller = permitted(Permission.CUSTOMER_ERASE)


class PolicyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Annotated[str, Field(min_length=1, max_length=200)]
    channel_id: int | None = None
    queue_id: int | None = None
    action: Literal["delete", "anonymise"]
    months: Annotated[int, Field(ge=1, le=1200)]


class PolicyOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    name: str
    channel_id: int | None
    queue_id: int | None
    action: str
    months: int
    created_at: dt.datetime


class RunOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    run_key: str
    started_at: dt.datetime
    finished_at: dt.datetime | None
    started_by: str | None
    report: dict | None


class RunSummary(BaseModel):
    id: int
    run_key: str
    started_at: dt.datetime
    finished_at: dt.datetime | None
    started_by: str | None = Field(description="'scheduler', or the admin (a user name, or cli:<system user>).")
    by: Literal["scheduler", "admin"]
    outcome: Literal["done", "failed", "unfinished"]
    catch_up: bool = Field(description="The scheduler made up for a due moment missed while no server ran.")
    error: str | None
    messages: int = Field(description="Messages deleted or anonymised, over every policy.")
    policies: list[dict]
    audit_pruned: int | None
    legal_holds: int | None


class StatusOut(BaseModel):
    schedule: bool = Field(description="The server runs retention by itself daily (retention_schedule).")
    time: str
    time_zone: str
    next_run_at: dt.datetime | None = Field(description="The next scheduled run, in the configured zone.")
    catch_up_pending: bool = Field(description="A due run was missed; a server catches it up when it starts.")
    missed_due_at: dt.datetime | None
    last_run: RunSummary | None = Field(description="The latest run, whatever came of it.")
    last_success: RunSummary | None


class HoldIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: Annotated[str, Field(min_length=1, max_length=500)]


def _not_found(what: str) -> HTTPException:
    return HTTPException(status.HTTP_404_NOT_FOUND, f"{what} not found")


@router.get("/retention/policies", response_model=list[PolicyOut])
async def list_policies(caller: RetentionCaller, session: SessionDep) -> list[RetentionPolicy]:
    return list((await session.scalars(select(RetentionPolicy).order_by(RetentionPolicy.id))).all())


@router.post("/retention/policies", response_model=PolicyOut, status_code=status.HTTP_201_CREATED)
async def create_policy(body: PolicyIn, caller: RetentionCaller, session: SessionDep) -> RetentionPolicy:
    if body.channel_id is not None and await session.get(Channel, body.channel_id) is None:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, f"no channel {body.channel_id}")
    if body.queue_id is not None and await session.get(Queue, body.queue_id) is None:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, f"no queue {body.queue_id}")
    policy = RetentionPolicy(**body.model_dump(), created_by=caller.user_id)
    session.add(policy)
    await session.flush()
    await audit.record(
        session, caller.actor, "retention.policy_create", "retention_policy", policy.id, body.model_dump()
    )
    await session.commit()
    return policy


@router.delete("/retention/policies/{policy_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_policy(policy_id: int, caller: RetentionCaller, session: SessionDep) -> Response:
    policy = await session.get(RetentionPolicy, policy_id)
    if policy is None:
        raise _not_found(f"retention policy {policy_id}")
    await session.delete(policy)
    await audit.record(session, caller.actor, "retention.policy_delete", "retention_policy", policy_id)
    await session.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/retention/run", response_model=RunOut | None, responses={409: {}})
async def run_now(caller: RetentionCaller, session: SessionDep, st: StateDep) -> RetentionRun:
    """Apply the policies now; 409 when today's run has already happened (each day runs once) or another run (the
    scheduler's, another admin's) is under way."""
    try:
        report = await service.run_retention(session, st.settings, actor=caller.actor)
    except service.Busy as exc:
        await session.rollback()
        raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from None
    if report is None:
        await session.rollback()
        raise HTTPException(status.HTTP_409_CONFLICT, "retention already ran today")
    await session.commit()
    return await session.scalar(select(RetentionRun).where(RetentionRun.run_key == report["run_key"]))


@router.get("/retention/runs", response_model=list[RunOut])
async def list_runs(caller: RetentionCaller, session: SessionDep) -> list[RetentionRun]:
    return list((await session.scalars(select(RetentionRun).order_by(RetentionRun.id.desc()).limit(100))).all())


@router.get("/retention/status", response_model=StatusOut)
async def retention_status(caller: RetentionCaller, session: SessionDep, st: StateDep) -> dict:
    """The last run (when, by whom, how it ended, what it did), the next scheduled moment and whether a missed run
    waits to be caught up."""
    return await service.retention_status(session, st.settings)


@router.put("/customers/{customer_id}/legal-hold", status_code=status.HTTP_204_NO_CONTENT)
async def put_hold(customer_id: int, body: HoldIn, caller: RetentionCaller, session: SessionDep) -> Response:
    if await service.set_legal_hold(session, customer_id, body.reason, caller.actor) is None:
        raise _not_found(f"customer {customer_id}")
    await session.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.delete("/customers/{customer_id}/legal-hold", status_code=status.HTTP_204_NO_CONTENT)
async def lift_hold(customer_id: int, caller: RetentionCaller, session: SessionDep) -> Response:
    if not await service.lift_legal_hold(session, customer_id, caller.actor):
        raise _not_found(f"legal hold on customer {customer_id}")
    await session.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/customers/{customer_id}/export")
async def export(customer_id: int, caller: ExportCaller, session: SessionDep) -> JSONResponse:
    """Everything held on the customer, as one JSON document (a subject access request)."""
    data = await service.export_customer(session, customer_id)
    if data is None:
        raise _not_found(f"customer {customer_id}")
    await audit.record(session, caller.actor, "customer.export", "customer", customer_id)
    await session.commit()
    return JSONResponse(data, headers={"Content-Disposition": f'attachment; filename="customer-{customer_id}.json"'})


@router.post("/customers/{customer_id}/erase", responses={409: {}})
async def erase(customer_id: int, caller: EraseCaller, session: SessionDep, st: StateDep) -> dict:
    try:
        done = await service.erase_customer(session, customer_id, caller.actor, st.settings)
    except service.OnLegalHold as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from None
    if done is None:
        raise _not_found(f"customer {customer_id}")
    await session.commit()
    return {"customer_id": customer_id, **done}
