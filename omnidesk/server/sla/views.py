"""HTTP routes of SLA: policies and business calendars (supervisors manage them; everyone working may read)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, status
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from omnidesk.domain import sla
from omnidesk.domain.permissions import Permission
from omnidesk.protocol.sla import CalendarIn, CalendarOut, PolicyIn, PolicyOut
from omnidesk.server.audit import service as audit
from omnidesk.server.context import OperatorDep, SessionDep, permitted
from omnidesk.server.queues.models import Queue
from omnidesk.server.sla.models import BusinessCalendar, SlaPolicy
from omnidesk.server.sla.service import forget_rules

router = APIRouter(prefix="/api/v1/sla", tags=["sla"])
Manager = permitted(Permission.QUEUE_MANAGE)


def _policy_out(p: SlaPolicy) -> PolicyOut:
    return PolicyOut.model_validate(p, from_attributes=True)


def _calendar_out(c: BusinessCalendar) -> CalendarOut:
    return CalendarOut.model_validate(c, from_attributes=True)


def _unprocessable(detail: str) -> HTTPException:
    return HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, detail)


async def _check_policy(session, body: PolicyIn) -> None:
    if body.first_response_seconds is None and body.next_response_seconds is None and body.resolution_seconds is None:
        raise _unprocessable("a policy needs at least one target (first response, next response or resolution)")
    if body.queue_id is not None and await session.get(Queue, body.queue_id) is None:
        raise _unprocessable(f"no queue {body.queue_id}")
    if body.calendar_id is not None and await session.get(BusinessCalendar, body.calendar_id) is None:
        raise _unprocessable(f"no business calendar {body.calendar_id}")


@router.get("/policies", response_model=list[PolicyOut])
async def list_policies(caller: OperatorDep, session: SessionDep) -> list[PolicyOut]:
    rows = (await session.scalars(select(SlaPolicy).order_by(SlaPolicy.position, SlaPolicy.id))).all()
    return [_policy_out(p) for p in rows]


@router.post("/policies", response_model=PolicyOut, status_code=status.HTTP_201_CREATED)
async def add_policy(body: PolicyIn, caller: Manager, session: SessionDep) -> PolicyOut:
    await _check_policy(session, body)
    policy = SlaPolicy(**body.model_dump(mode="json"))
    session.add(policy)
    try:
        await session.flush()
    except IntegrityError:
        raise HTTPException(status.HTTP_409_CONFLICT, f"a policy named {body.name!r} exists") from None
    await audit.record(session, caller.actor, "sla.policy_create", "sla_policy", policy.id, {"name": body.name})
    await session.commit()
    forget_rules()
    return _policy_out(policy)


@router.put("/policies/{policy_id}", response_model=PolicyOut)
async def replace_policy(policy_id: int, body: PolicyIn, caller: Manager, session: SessionDep) -> PolicyOut:
    policy = await session.get(SlaPolicy, policy_id)
    if policy is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"SLA policy {policy_id} not found")
    await _check_policy(session, body)
    for key, value in body.model_dump(mode="json").items():
        setattr(policy, key, value)
    try:
        await session.flush()
    except IntegrityError:
        raise HTTPException(status.HTTP_409_CONFLICT, f"a policy named {body.name!r} exists") from None
    await audit.record(session, caller.actor, "sla.policy_update", "sla_policy", policy_id, {"name": body.name})
    await session.commit()
    forget_rules()
    return _policy_out(policy)


@router.delete("/policies/{policy_id}", status_code=status.HTTP_204_NO_CONTENT)
async def remove_policy(policy_id: int, caller: Manager, session: SessionDep) -> None:
    """Running clocks keep the due times they have; new conversations no longer get this policy."""
    gone = await session.execute(delete(SlaPolicy).where(SlaPolicy.id == policy_id))
    if not gone.rowcount:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"SLA policy {policy_id} not found")
    await audit.record(session, caller.actor, "sla.policy_delete", "sla_policy", policy_id)
    await session.commit()
    forget_rules()


@router.get("/calendars", response_model=list[CalendarOut])
async def list_calendars(caller: OperatorDep, session: SessionDep) -> list[CalendarOut]:
    rows = (await session.scalars(select(BusinessCalendar).order_by(BusinessCalendar.id))).all()
    return [_calendar_out(c) for c in rows]


@router.post("/calendars", response_model=CalendarOut, status_code=status.HTTP_201_CREATED)
async def add_calendar(body: CalendarIn, caller: Manager, session: SessionDep) -> CalendarOut:
    values = body.model_dump(mode="json")
    values["country"] = values["country"].upper() if values["country"] else None
    try:
        sla.Calendar.from_config(**{k: v for k, v in values.items() if k != "name"})
    except sla.CalendarError as exc:
        raise _unprocessable(str(exc)) from None
    calendar = BusinessCalendar(**values)
    session.add(calendar)
    try:
        await session.flush()
    except IntegrityError:
        raise HTTPException(status.HTTP_409_CONFLICT, f"a calendar named {body.name!r} exists") from None
    await audit.record(session, caller.actor, "sla.calendar_create", "business_calendar", calendar.id)
    await session.commit()
    forget_rules()
    return _calendar_out(calendar)
