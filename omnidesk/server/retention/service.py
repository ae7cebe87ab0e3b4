"""Retention policies and data-subject requests: what is kept, for how long, and one customer's export or erasure.

``run_retention`` applies every policy once per day (``retention_runs.run_key`` is the local day in the zone of
``retention_time_zone`` and unique, so a second server, the scheduler or an admin the same day does nothing) and
records what it did, in ``retention_runs`` and in the audit log. Two runs never overlap: on PostgreSQL each takes
the transaction advisory lock ``LOCK_KEY`` first and a run that finds it held stops with ``Busy``; SQLite's single
writer serialises them by itself. The scheduler (``scheduler.py``) and the manual run (API, command line) are the
same function:

* each conversation falls under its most specific policy (channel and queue, then channel, then queue, then the
  global one); its messages older than the policy's months are deleted (with their timeline entries and outbox
  rows) or have their text replaced, and an old conversation's list preview goes with them;
* customers on legal hold are skipped;
* audit records older than ``audit_retention_months`` (never less than 12) are pruned. Nothing else deletes or
  changes an audit record: a trigger refuses UPDATE on ``audit_log`` (migration 0010).

``export_customer`` gathers everything held on one customer (a subject access request); ``erase_customer`` removes
their identifying data and message texts, refuses while they are on legal hold, and leaves an audit record saying
who erased which customer.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from sqlalchemy import and_, delete, event, func, or_, select, text, true, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domain.retention import missed_run, next_run_at, parse_time, run_day
from omnidesk.server.attachments import service as attachment_service
from omnidesk.server.attachments.models import Attachment
from omnidesk.server.audit import service as audit
from omnidesk.server.audit.models import AuditPolicy, AuditRecord
from omnidesk.server.audit.service import Actor
from omnidesk.server.config import Settings
from omnidesk.server.conversations.models import Conversation, Message
from omnidesk.server.customers.models import Customer, CustomerKey, Identity
from omnidesk.server.db import utcnow
from omnidesk.server.duplicates.models import DuplicateSuggestion
from omnidesk.server.merge.models import CustomerMerge
from omnidesk.server.retention.models import LegalHold, RetentionPolicy, RetentionRun
from omnidesk.server.timeline.models import TimelineEntry

REMOVED = "[removed under the retention policy]"
ERASED = "[erased at the customer's request]"
ACTIONS = ("delete", "anonymise")


SCHEDULER = "scheduler"  # started_by of the scheduler's runs
LOCK_KEY = 0x0D5C_51A7_0000_0015  # the transaction advisory lock "a retention run" (no other job uses it)


class OnLegalHold(Exception):
    pass


class Busy(Exception):
    """Another retention run holds the lock (a server's scheduler, an admin's command): this one did nothing."""


async def _lock(session: AsyncSession) -> bool:
    """Take the run's lock for the transaction; False when another run holds it (PostgreSQL; SQLite is serial)."""
    if session.get_bind().dialect.name != "postgresql":
        return True
    return bool(await session.scalar(text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": LOCK_KEY}))


def months_before(moment: dt.datetime, months: int) -> dt.datetime:
    """The same day and time ``months`` calendar months earlier (the 31st becomes the month's last day)."""
    total = moment.year * 12 + (moment.month - 1) - months
    year, month = divmod(total, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def _rank(policy: RetentionPolicy) -> int:
    return (2 if policy.channel_id is not None else 0) + (1 if policy.queue_id is not None else 0)


def _covers(policy: RetentionPolicy):
    condition = true()
    if policy.channel_id is not None:
        condition = and_(condition, Conversation.channel_id == policy.channel_id)
    if policy.queue_id is not None:
        condition = and_(condition, Conversation.queue_id == policy.queue_id)
    return condition


def _own_conversations(policy: RetentionPolicy, policies: list[RetentionPolicy]):
    """Conversations this policy governs: it covers them and no more specific policy does."""
    stronger = [p for p in policies if p.id != policy.id and (_rank(p), -p.id) > (_rank(policy), -policy.id)]
    condition = _covers(policy)
    if stronger:
        condition = and_(condition, ~or_(*(_covers(p) for p in stronger)))
    held = select(LegalHold.customer_id)
    return select(Conversation.id).where(condition, Conversation.customer_id.not_in(held))


async def strip_contents(session: AsyncSession, settings: Settings | None, messages, marker: str = REMOVED) -> int:
    """What the messages selected by ``messages`` (a select of message ids) carried besides their text: their files
    (rows, and a file on disk once no attachment refers to it any more: removed after the commit, so a rollback never
    leaves a row without its file), the e-mail letters (text, HTML, the raw mail, subject) and files, and the platform
    details (raw payloads, shared contacts and places). Returns the number of files removed. Caller commits."""
    from omnidesk.server.channels.models import MessageDetails
    from omnidesk.server.email.models import MailAttachment, MailMessage

    files = (
        await session.execute(select(Attachment.sha256, Attachment.storage).where(Attachment.message_id.in_(messages)))
    ).all()
    removed = await session.execute(delete(Attachment).where(Attachment.message_id.in_(messages)))
    await session.execute(delete(MailAttachment).where(MailAttachment.message_id.in_(messages)))
    await session.execute(
        update(MailMessage)
        .where(MailMessage.message_id.in_(messages))
        .values(full_text=marker, html=None, raw=None, subject=marker, thread_subject=marker)
    )
    await session.execute(update(MessageDetails).where(MessageDetails.message_id.in_(messages)).values(payload={}))
    on_disk = {sha for sha, storage in files if storage == "disk"}
    if on_disk and settings is not None:
        still = set(
            (await session.scalars(select(Attachment.sha256).where(Attachment.sha256.in_(on_disk)))).all()
        )  # the same content sent in another message that stays
        gone = sorted(on_disk - still)

        def unlink(_session) -> None:
            for sha in gone:
                attachment_service.forget_file(settings, sha)

        event.listen(session.sync_session, "after_commit", unlink, once=True)
    return removed.rowcount or 0


async def run_retention(
    session: AsyncSession,
    settings: Settings,
    *,
    actor: Actor | None = None,
    now: dt.datetime | None = None,
    catch_up: dt.datetime | None = None,
) -> dict[str, Any] | None:
    """Apply the policies once for today (the local day of ``now``); None when today's run has already happened,
    ``Busy`` while another run is under way. ``catch_up``: the due moment this run makes up for (the scheduler after
    downtime), kept in the report. Caller commits (which releases the lock)."""
    now = now or utcnow()
    actor = actor or Actor(None, "retention")
    if not await _lock(session):
        raise Busy("another retention run is in progress")
    day = run_day(now, settings.retention_zone)
    run = RetentionRun(run_key=day.isoformat(), started_at=utcnow(), started_by=actor.username)
    try:
        async with session.begin_nested():
            session.add(run)
            await session.flush()
    except IntegrityError:
        return None
    policies = list((await session.scalars(select(RetentionPolicy).order_by(RetentionPolicy.id))).all())
    report: dict[str, Any] = {"run_key": run.run_key, "policies": []}
    if catch_up is not None:
        report["catch_up"] = catch_up.isoformat()
    for policy in policies:
        cutoff = months_before(now, policy.months)
        conversations = _own_conversations(policy, policies)
        old = and_(Message.conversation_id.in_(conversations), Message.sent_at < cutoff)
        files = await strip_contents(session, settings, select(Message.id).where(old))
        if policy.action == "delete":
            await session.execute(
                delete(TimelineEntry).where(TimelineEntry.message_id.in_(select(Message.id).where(old)))
            )
            result = await session.execute(delete(Message).where(old))
        else:
            result = await session.execute(
                update(Message).where(old, Message.text != REMOVED).values(text=REMOVED, delivery_error=None)
            )
        await session.execute(
            update(Conversation)
            .where(
                Conversation.id.in_(conversations),
                Conversation.last_message_at < cutoff,
                Conversation.last_message_preview != REMOVED,
            )
            .values(last_message_preview=REMOVED)
        )
        report["policies"].append(
            {
                "id": policy.id,
                "name": policy.name,
                "action": policy.action,
                "cutoff": cutoff.isoformat(),
                "messages": result.rowcount or 0,
                "files": files,
            }
        )
    audit_cutoff = months_before(now, max(12, settings.audit_retention_months))
    # The database keeps rows younger than audit_policy's period whatever is asked (0004's trigger): prune only past
    # both, so the run never meets the trigger's refusal.
    kept_days = await session.scalar(select(AuditPolicy.retention_days))
    if kept_days:
        audit_cutoff = min(audit_cutoff, now - dt.timedelta(days=kept_days))
    pruned = await session.execute(delete(AuditRecord).where(AuditRecord.at < audit_cutoff))
    report["audit_cutoff"] = audit_cutoff.isoformat()
    report["audit_pruned"] = pruned.rowcount or 0
    report["legal_holds"] = int(await session.scalar(select(func.count()).select_from(LegalHold)) or 0)
    run.report = report
    run.finished_at = utcnow()
    await audit.record(session, actor, "retention.run", "retention_run", run.id, report)
    return report


# --- what has run and what is due ---------------------------------------------------------------------------------

FAILED = " failed "  # in the run_key of a failed run's record: "<day> failed <when>" (it does not take the day)


def failure_key(day: dt.date, at: dt.datetime) -> str:
    return f"{day.isoformat()}{FAILED}{at.isoformat()}"


def _succeeded():
    return and_(RetentionRun.finished_at.is_not(None), RetentionRun.run_key.not_like(f"%{FAILED}%"))


async def last_success(session: AsyncSession) -> RetentionRun | None:
    query = select(RetentionRun).where(_succeeded()).order_by(RetentionRun.started_at.desc(), RetentionRun.id.desc())
    return await session.scalar(query.limit(1))


async def pending_catch_up(session: AsyncSession, settings: Settings, now: dt.datetime) -> dt.datetime | None:
    """The due moment the scheduler missed (down or asleep at the time) and should make up for now, or None."""
    last = await last_success(session)
    today = run_day(now, settings.retention_zone).isoformat()
    today_done = await session.scalar(select(RetentionRun.id).where(RetentionRun.run_key == today).limit(1))
    at = parse_time(settings.retention_time)
    started = last.started_at if last is not None else None
    return missed_run(now, at, settings.retention_zone, last_success=started, today_done=today_done is not None)


def run_summary(run: RetentionRun, zone: dt.tzinfo) -> dict[str, Any]:
    """One run as the status shows it: when (in ``zone``), who (the scheduler or an admin), how it ended and what it
    did."""
    report = run.report or {}
    failed = bool(report.get("failed"))
    policies = report.get("policies") or []
    return {
        "id": run.id,
        "run_key": run.run_key,
        "started_at": run.started_at.astimezone(zone),
        "finished_at": run.finished_at.astimezone(zone) if run.finished_at else None,
        "started_by": run.started_by,
        "by": "scheduler" if run.started_by == SCHEDULER else "admin",
        "outcome": "failed" if failed else ("done" if run.finished_at is not None else "unfinished"),
        "catch_up": report.get("catch_up") is not None,
        "error": report.get("error") if failed else None,
        "messages": sum(int(p.get("messages") or 0) for p in policies),
        "policies": [{key: p.get(key) for key in ("name", "action", "messages")} for p in policies],
        "audit_pruned": report.get("audit_pruned"),
        "legal_holds": report.get("legal_holds"),
    }


async def retention_status(session: AsyncSession, settings: Settings, now: dt.datetime | None = None) -> dict[str, Any]:
    """What an admin asks of the daily run: the last run (whatever came of it), the last successful one, the next
    scheduled moment (in the configured zone) and whether a missed run waits to be caught up."""
    now = now or utcnow()
    zone = settings.retention_zone
    latest = await session.scalar(
        select(RetentionRun).order_by(RetentionRun.started_at.desc(), RetentionRun.id.desc()).limit(1)
    )
    success = await last_success(session)
    scheduled = settings.retention_schedule
    missed = await pending_catch_up(session, settings, now) if scheduled else None
    following = next_run_at(now, parse_time(settings.retention_time), zone) if scheduled else None
    return {
        "schedule": scheduled,
        "time": settings.retention_time,
        "time_zone": getattr(zone, "key", None) or str(zone),
        "next_run_at": following.astimezone(zone) if following else None,
        "catch_up_pending": missed is not None,
        "missed_due_at": missed.astimezone(zone) if missed else None,
        "last_run": run_summary(latest, zone) if latest is not None else None,
        "last_success": run_summary(success, zone) if success is not None else None,
    }


# --- one customer: export and erasure ---------------------------------------------------------------------------


def _row(obj) -> dict[str, Any]:
    out = {}
    for column in obj.__table__.columns:
        value = getattr(obj, column.key)
        out[column.key] = value.isoformat() if isinstance(value, dt.datetime) else value
    return out


async def export_customer(session: AsyncSession, customer_id: int) -> dict[str, Any] | None:
    """Everything held on one customer, as JSON-ready data; None when there is no such customer."""
    customer = await session.get(Customer, customer_id)
    if customer is None:
        return None

    async def rows(query) -> list[dict[str, Any]]:
        return [_row(r) for r in (await session.scalars(query)).all()]

    conversations = select(Conversation.id).where(Conversation.customer_id == customer_id)
    hold = await session.get(LegalHold, customer_id)
    return {
        "format": "omnidesk.customer-export/1",
        "exported_at": utcnow().isoformat(),
        "customer": _row(customer),
        "identities": await rows(select(Identity).where(Identity.customer_id == customer_id).order_by(Identity.id)),
        "conversations": await rows(
            select(Conversation).where(Conversation.customer_id == customer_id).order_by(Conversation.id)
        ),
        "messages": await rows(select(Message).where(Message.conversation_id.in_(conversations)).order_by(Message.id)),
        "timeline": await rows(
            select(TimelineEntry).where(TimelineEntry.customer_id == customer_id).order_by(TimelineEntry.id)
        ),
        "merges": await rows(
            select(CustomerMerge)
            .where(or_(CustomerMerge.survivor_id == customer_id, CustomerMerge.other_id == customer_id))
            .order_by(CustomerMerge.id)
        ),
        "legal_hold": _row(hold) if hold else None,
        # The files themselves are binary: listed here with their checksums, each one downloadable as
        # GET /api/v1/attachments/{id} (audited like this export).
        "attachments": [
            {
                "id": a.id,
                "conversation_id": a.conversation_id,
                "message_id": a.message_id,
                "direction": a.direction,
                "kind": a.kind,
                "mime_type": a.mime_type,
                "file_name": a.file_name,
                "size": a.size,
                "sha256": a.sha256,
                "created_at": a.created_at.isoformat() if a.created_at else None,
                "download": f"/api/v1/attachments/{a.id}",
            }
            for a in (
                await session.scalars(
                    select(Attachment).where(Attachment.conversation_id.in_(conversations)).order_by(Attachment.id)
                )
            ).all()
        ],
    }


async def erase_customer(
    session: AsyncSession, customer_id: int, actor: Actor, settings: Settings | None = None
) -> dict[str, int] | None:
    """Remove what identifies the customer and what they wrote (with their files, letters and platform details);
    None when there is no such customer. Caller commits."""
    customer = await session.get(Customer, customer_id)
    if customer is None:
        return None
    if await session.get(LegalHold, customer_id) is not None:
        raise OnLegalHold(f"customer {customer_id} is on legal hold: lift the hold before erasing")
    conversations = select(Conversation.id).where(Conversation.customer_id == customer_id)
    files = await strip_contents(
        session, settings, select(Message.id).where(Message.conversation_id.in_(conversations)), ERASED
    )
    messages = await session.execute(
        update(Message)
        .where(Message.conversation_id.in_(conversations))
        .values(text=ERASED, external_id=None, delivery_error=None)
    )
    await session.execute(
        update(Conversation)
        .where(Conversation.customer_id == customer_id)
        .values(last_message_preview=ERASED, identity_id=None)
    )
    identities = await session.execute(delete(Identity).where(Identity.customer_id == customer_id))
    await session.execute(delete(CustomerKey).where(CustomerKey.customer_id == customer_id))
    await session.execute(
        delete(DuplicateSuggestion).where(
            or_(DuplicateSuggestion.customer_id == customer_id, DuplicateSuggestion.other_id == customer_id)
        )
    )
    # A merge's snapshot holds the identities it moved (for an unmerge): it goes too; the merge stays undoable no more.
    await session.execute(
        update(CustomerMerge)
        .where(or_(CustomerMerge.survivor_id == customer_id, CustomerMerge.other_id == customer_id))
        .values(snapshot={}, fields={})
    )
    customer.display_name = f"Erased customer {customer_id}"
    customer.language = customer.segment = None
    customer.tags = None
    customer.attributes = None
    customer.updated_at = utcnow()
    done = {"messages": messages.rowcount or 0, "identities": identities.rowcount or 0, "files": files}
    await audit.record(session, actor, "customer.erase", "customer", customer_id, done)
    return done


async def set_legal_hold(session: AsyncSession, customer_id: int, reason: str, actor: Actor) -> LegalHold | None:
    if await session.get(Customer, customer_id) is None:
        return None
    hold = await session.get(LegalHold, customer_id)
    if hold is None:
        hold = LegalHold(customer_id=customer_id, reason=reason, created_at=utcnow(), created_by=actor.user_id)
        session.add(hold)
    else:
        hold.reason = reason
    await audit.record(session, actor, "customer.legal_hold", "customer", customer_id, {"reason": reason})
    return hold


async def lift_legal_hold(session: AsyncSession, customer_id: int, actor: Actor) -> bool:
    result = await session.execute(delete(LegalHold).where(LegalHold.customer_id == customer_id))
    if not result.rowcount:
        return False
    await audit.record(session, actor, "customer.legal_hold_lifted", "customer", customer_id)
    return True


__all__ = [
    "ACTIONS",
    "ERASED",
    "FAILED",
    "LOCK_KEY",
    "REMOVED",
    "SCHEDULER",
    "Busy",
    "OnLegalHold",
    "erase_customer",
    "export_customer",
    "failure_key",
    "last_success",
    "lift_legal_hold",
    "months_before",
    "pending_catch_up",
    "retention_status",
    "run_retention",
    "run_summary",
    "set_legal_hold",
]
