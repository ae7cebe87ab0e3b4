"""HTTP routes of routing rules: the ordered list, edits (audited), reordering, history, and the preview."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, status
from sqlalchemy import delete, select, update

from omnidesk.domain import routing
from omnidesk.domain.enums import EventType
from omnidesk.domain.permissions import Permission
from omnidesk.domain.routing import Rule, RuleError
from omnidesk.protocol.workorg import PreviewIn, PreviewOut, RuleChange, RuleIn, RuleOrder, RuleOut
from omnidesk.server.admin.models import Channel
from omnidesk.server.audit import service as audit
from omnidesk.server.audit.models import AuditRecord
from omnidesk.server.context import SessionDep, StateDep, permitted
from omnidesk.server.db import utcnow
from omnidesk.server.events.service import emit
from omnidesk.server.queues.models import Queue
from omnidesk.server.refusals import Refusal, rule_refusal
from omnidesk.server.routing import service
from omnidesk.server.routing.models import RoutingRule

router = APIRouter(prefix="/api/v1/routing", tags=["routing"])
Manager = permitted(Permission.ROUTING_MANAGE)


async def _queue_names(session) -> dict[int, str]:
    return dict((await session.execute(select(Queue.id, Queue.name))).all())


async def _checked(session, body: RuleIn) -> Rule:
    """The rule parsed, and its queue references checked against the queues that exist."""
    try:
        rule = service.validate(body.name, body.conditions, body.actions, body.enabled)
    except RuleError as exc:
        raise rule_refusal(exc) from None
    queues = dict((await session.execute(select(Queue.id, Queue.calendar))).all())
    if rule.actions.queue_id is not None and rule.actions.queue_id not in queues:
        queue_id = rule.actions.queue_id
        raise rule_refusal(
            RuleError("actions.queue_id", f"there is no queue {queue_id}", "rule.queue_missing", queue_id=queue_id)
        )
    for i, c in enumerate(rule.conditions):
        if c.field == "business_hours":
            if c.calendar not in queues:
                where, missing = f"conditions[{i}].calendar", f"there is no queue {c.calendar}"
                raise rule_refusal(RuleError(where, missing, "rule.calendar_missing", condition=i, queue_id=c.calendar))
            if not queues[c.calendar]:
                where, unset = f"conditions[{i}].calendar", "that queue has no business hours set"
                raise rule_refusal(RuleError(where, unset, "rule.calendar_unset", condition=i, queue_id=c.calendar))
    return rule


def _out(row: RoutingRule, names: dict[int, str]) -> RuleOut:
    try:
        description = routing.describe(service.rule_from_row(row), names)
    except RuleError as exc:
        description = f"invalid: {exc}"
    return RuleOut(
        id=row.id,
        position=row.position,
        name=row.name,
        enabled=row.enabled,
        conditions=row.conditions,
        actions=row.actions,
        description=description,
        updated_at=row.updated_at,
        updated_by=row.updated_by,
    )


async def _changed(session, st, caller, action: str, rule_id: int | None, details: dict) -> None:
    await audit.record(session, caller.actor, action, "routing_rule", rule_id, details)
    await emit(session, st.db, EventType.ROUTING_CHANGED.value, {"rule_id": rule_id}, queue_id=None)


async def _renumber(session, ordered_ids: list[int]) -> None:
    for position, rule_id in enumerate(ordered_ids, start=1):
        await session.execute(update(RoutingRule).where(RoutingRule.id == rule_id).values(position=position))


async def _ordered_ids(session) -> list[int]:
    return list((await session.scalars(select(RoutingRule.id).order_by(RoutingRule.position, RoutingRule.id))).all())


@router.get("/rules", response_model=list[RuleOut])
async def list_rules(caller: Manager, session: SessionDep) -> list[RuleOut]:
    """Every rule in evaluation order (the first match wins)."""
    rows = (await session.scalars(select(RoutingRule).order_by(RoutingRule.position, RoutingRule.id))).all()
    names = await _queue_names(session)
    return [_out(r, names) for r in rows]


@router.post("/rules", response_model=RuleOut, status_code=status.HTTP_201_CREATED)
async def add_rule(body: RuleIn, caller: Manager, session: SessionDep, st: StateDep) -> RuleOut:
    await _checked(session, body)
    row = RoutingRule(
        position=await service.next_position(session) + 1,
        name=body.name,
        enabled=body.enabled,
        conditions=body.conditions,
        actions=body.actions,
        updated_at=utcnow(),
        updated_by=caller.user_id,
    )
    session.add(row)
    await session.flush()
    if body.position is not None:
        ids = [i for i in await _ordered_ids(session) if i != row.id]
        ids.insert(max(0, body.position), row.id)
        await _renumber(session, ids)
    await _changed(session, st, caller, "routing.rule_add", row.id, body.model_dump(mode="json"))
    await session.commit()
    service.invalidate(st.db)
    await session.refresh(row)
    return _out(row, await _queue_names(session))


@router.put("/rules/{rule_id}", response_model=RuleOut)
async def edit_rule(rule_id: int, body: RuleIn, caller: Manager, session: SessionDep, st: StateDep) -> RuleOut:
    row = await session.get(RoutingRule, rule_id)
    if row is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"routing rule {rule_id} not found")
    await _checked(session, body)
    before = {"name": row.name, "enabled": row.enabled, "conditions": row.conditions, "actions": row.actions}
    row.name, row.enabled, row.conditions, row.actions = body.name, body.enabled, body.conditions, body.actions
    row.updated_at, row.updated_by = utcnow(), caller.user_id
    if body.position is not None:
        ids = [i for i in await _ordered_ids(session) if i != row.id]
        ids.insert(max(0, body.position), row.id)
        await _renumber(session, ids)
    await _changed(
        session, st, caller, "routing.rule_edit", rule_id, {"before": before, "after": body.model_dump(mode="json")}
    )
    await session.commit()
    service.invalidate(st.db)
    await session.refresh(row)
    return _out(row, await _queue_names(session))


@router.delete("/rules/{rule_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_rule(rule_id: int, caller: Manager, session: SessionDep, st: StateDep) -> None:
    row = await session.get(RoutingRule, rule_id)
    if row is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"routing rule {rule_id} not found")
    before = {"name": row.name, "enabled": row.enabled, "conditions": row.conditions, "actions": row.actions}
    await session.execute(delete(RoutingRule).where(RoutingRule.id == rule_id))
    await _changed(session, st, caller, "routing.rule_delete", rule_id, {"before": before})
    await session.commit()
    service.invalidate(st.db)


@router.put("/order", response_model=list[RuleOut])
async def reorder(body: RuleOrder, caller: Manager, session: SessionDep, st: StateDep) -> list[RuleOut]:
    """Put the rules in this order; the list must name every rule exactly once."""
    existing = await _ordered_ids(session)
    if sorted(body.rule_ids) != sorted(existing):
        raise Refusal(status.HTTP_422_UNPROCESSABLE_CONTENT, "rules.order_incomplete", "name every rule exactly once")
    await _renumber(session, body.rule_ids)
    await _changed(session, st, caller, "routing.reorder", None, {"from": existing, "to": body.rule_ids})
    await session.commit()
    service.invalidate(st.db)
    return await list_rules(caller, session)


@router.get("/rules/{rule_id}/history", response_model=list[RuleChange])
async def rule_history(rule_id: int, caller: Manager, session: SessionDep) -> list[RuleChange]:
    """Who changed this rule, when, and how (from the audit log), newest first."""
    rows = (
        await session.scalars(
            select(AuditRecord)
            .where(AuditRecord.object_type == "routing_rule", AuditRecord.object_id == str(rule_id))
            .order_by(AuditRecord.id.desc())
            .limit(200)
        )
    ).all()
    if not rows and await session.get(RoutingRule, rule_id) is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"routing rule {rule_id} not found")
    return [RuleChange(at=r.at, username=r.username, action=r.action, details=r.details) for r in rows]


@router.post("/preview", response_model=PreviewOut)
async def preview(body: PreviewIn, caller: Manager, session: SessionDep) -> PreviewOut:
    """Which rule would take this message (by the stored rules, or by an unsaved list), and what it would do."""
    channel = (
        await session.execute(select(Channel.id, Channel.kind, Channel.queue_id).where(Channel.id == body.channel_id))
    ).first()
    if channel is None:
        raise Refusal(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            "preview.channel_missing",
            f"there is no channel {body.channel_id}",
            channel_id=body.channel_id,
        )
    customer = None
    if body.customer_id is not None:
        customer = await service.customer_profile(session, body.customer_id)
        if customer is None:
            raise Refusal(
                status.HTTP_422_UNPROCESSABLE_CONTENT,
                "preview.customer_missing",
                f"there is no customer {body.customer_id}",
                customer_id=body.customer_id,
            )
    elif body.sample is not None:
        customer = body.sample
    book = await service.load_book(session)
    rules = book.rules
    if body.rules is not None:
        checked = []
        for index, each in enumerate(body.rules):
            try:
                rule = await _checked(session, each)
            except Refusal as exc:  # which rule of the unsaved list, for the editor to point at
                raise Refusal(
                    exc.status_code, exc.code, {"rule": index, **exc.detail}, rule=index, **exc.params
                ) from None
            checked.append(Rule(-(index + 1), rule.name, rule.conditions, rule.actions, rule.enabled))
        rules = tuple(checked)
    facts = service.facts_for(
        channel_kind=channel.kind,
        channel_id=channel.id,
        text=body.text,
        at=body.at or utcnow(),
        known=customer is not None,
        profile=customer,
    )
    decision = routing.decide(rules, facts, default_queue_id=channel.queue_id, calendars=book.calendars)
    name = next((r.name for r in rules if r.id == decision.rule_id), None)
    return PreviewOut(
        rule_id=decision.rule_id if decision.rule_id is None or decision.rule_id > 0 else None,
        rule_name=name,
        queue_id=decision.queue_id,
        priority=decision.priority,
        skill=decision.skill,
        max_wait_s=decision.max_wait_s,
        auto_reply=decision.auto_reply,
    )
