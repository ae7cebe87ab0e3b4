"""HTTP routes of the reports: summary, time series, channel transitions and exports (CSV, XLSX).

Operators see their own figures (the operator filter is theirs, whatever they ask); supervisors and admins see
every queue's. Each read is audited.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import APIRouter, HTTPException, Query, status
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domain.metrics import GROUPS, INTERVALS, METRICS, TIMESERIES
from omnidesk.protocol.analytics import Figures, GroupFigures, Point, Summary, Timeseries, TransitionCell, Transitions
from omnidesk.server.analytics import load, service
from omnidesk.server.audit import service as audit
from omnidesk.server.context import Caller, OperatorDep, SessionDep
from omnidesk.server.queues.models import Queue
from omnidesk.server.users.models import User

router = APIRouter(prefix="/api/v1/analytics", tags=["analytics"])

MAX_PERIOD = dt.timedelta(days=400)
When = Annotated[dt.datetime | None, Query(description="ISO 8601; default: 30 days before `to`")]


def _filters(
    caller: Caller,
    start: dt.datetime | None,
    end: dt.datetime | None,
    channel: int | None,
    queue: int | None,
    operator: int | None,
    tz: str,
    fcr_days: int,
    segment: str | None = None,
) -> service.Filters:
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, f"{tz!r} is not a known time zone") from None
    end = _aware(end) if end else dt.datetime.now(dt.UTC)
    start = _aware(start) if start else end - dt.timedelta(days=30)
    if start >= end:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "`from` must be before `to`")
    if end - start > MAX_PERIOD:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "a report covers at most 400 days")
    if not caller.sees_all_queues:
        if operator is not None and operator != caller.user_id:
            raise HTTPException(status.HTTP_403_FORBIDDEN, "operators see their own figures only")
        operator = caller.user_id
    return service.Filters(start, end, channel, queue, operator, fcr_days, tz, segment)


def _aware(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value


async def _labels(session: AsyncSession, by: str, keys) -> dict:
    ids = [k for k in keys if k is not None]
    if not ids or by in ("channel", "segment"):
        return {}
    model = Queue if by == "queue" else User
    name = Queue.name if by == "queue" else User.display_name
    rows = (await session.execute(select(model.id, name).where(model.id.in_(ids)))).all()
    return {r[0]: r[1] for r in rows}


def _with_load(totals: dict, by_operator: dict, team: dict, operators: dict) -> tuple[dict, dict]:
    """The figures with the operators' load beside them (an operator online with no conversation gets a row)."""
    rows = {k: dict(v) for k, v in by_operator.items()}
    for user, figures in operators.items():
        rows.setdefault(user, dict(service.EMPTY)).update(figures)
    return {**totals, **team}, rows


async def _grouped(session: AsyncSession, f: service.Filters, by: str, found: dict) -> list[GroupFigures]:
    labels = await _labels(session, by, found)
    rows = [
        GroupFigures(key=None if k is None else str(k), label=labels.get(k, None if k is None else str(k)), **v)
        for k, v in found.items()
    ]
    return sorted(rows, key=lambda r: -r.conversations)


Segment = Annotated[
    str | None,
    Query(
        max_length=64,
        description="Only the customers in this segment (their segment now, as on the customer card); empty: the "
        "customers without one",
    ),
]
BusinessHours = Annotated[
    bool,
    Query(
        description="First response and resolution times in business time: the working hours of each "
        "conversation's queue calendar (no calendar: around the clock), as stored when the response or resolution "
        "happened (a later change of the hours applies to history after `omnidesk analytics rebuild`); other "
        "figures are unchanged"
    ),
]


@router.get("/summary", response_model=Summary)
async def summary(
    caller: OperatorDep,
    session: SessionDep,
    from_: Annotated[dt.datetime | None, Query(alias="from")] = None,
    to: dt.datetime | None = None,
    channel: int | None = None,
    queue: int | None = None,
    operator: int | None = None,
    segment: Segment = None,
    tz: str = "UTC",
    fcr_days: Annotated[int, Query(ge=1, le=90)] = 3,
    business_hours: BusinessHours = False,
) -> Summary:
    """Every metric for the period (definitions in `definitions`), in total and by channel, queue, operator and
    customer segment."""
    f = _filters(caller, from_, to, channel, queue, operator, tz, fcr_days, segment)
    found = await service.summary(session, f, business=business_hours)
    team, operators = await load.loads(session, f)
    totals, by_operator = _with_load(found[None].get("", service.EMPTY), found["operator"], team, operators)
    result = Summary(
        start=f.start,
        end=f.end,
        timezone=tz,
        totals=Figures(**totals),
        waiting=await service.waiting(session, f),
        by_channel=await _grouped(session, f, "channel", found["channel"]),
        by_queue=await _grouped(session, f, "queue", found["queue"]),
        by_operator=await _grouped(session, f, "operator", by_operator),
        by_segment=await _grouped(session, f, "segment", found["segment"]),
        definitions=service.definitions(),
        business_hours=business_hours,
    )
    await audit.record(session, caller.actor, "analytics.summary", "analytics", None, _audit(f))
    await session.commit()
    return result


def _audit(f: service.Filters) -> dict:
    return {
        "from": f.start.isoformat(),
        "to": f.end.isoformat(),
        "channel": f.channel_id,
        "queue": f.queue_id,
        "operator": f.operator_id,
        "segment": f.segment,
    }


@router.get("/timeseries", response_model=Timeseries)
async def timeseries(
    caller: OperatorDep,
    session: SessionDep,
    metric: Literal[TIMESERIES] = "conversations",  # type: ignore[valid-type]
    interval: Literal[INTERVALS] = "day",  # type: ignore[valid-type]
    from_: Annotated[dt.datetime | None, Query(alias="from")] = None,
    to: dt.datetime | None = None,
    channel: int | None = None,
    queue: int | None = None,
    operator: int | None = None,
    segment: Segment = None,
    tz: str = "UTC",
    business_hours: BusinessHours = False,
) -> Timeseries:
    """One metric per hour, day, week or month of the period, buckets in the viewer's time zone."""
    f = _filters(caller, from_, to, channel, queue, operator, tz, 3, segment)
    if interval == "hour" and f.end - f.start > dt.timedelta(days=31):
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "hourly series cover at most 31 days")
    found = await service.series(session, f, interval, metric, business=business_hours)
    points = [Point(bucket=str(k), value=v[metric]) for k, v in sorted(found.items(), key=lambda kv: str(kv[0]))]
    await audit.record(session, caller.actor, "analytics.timeseries", "analytics", None, _audit(f))
    await session.commit()
    return Timeseries(metric=metric, interval=interval, timezone=tz, points=points, business_hours=business_hours)


@router.get("/transitions", response_model=Transitions)
async def transitions(
    caller: OperatorDep,
    session: SessionDep,
    hours: Annotated[int, Query(ge=1, le=24 * 30)] = 48,
    from_: Annotated[dt.datetime | None, Query(alias="from")] = None,
    to: dt.datetime | None = None,
    channel: int | None = None,
    queue: int | None = None,
    operator: int | None = None,
    segment: Segment = None,
) -> Transitions:
    """Channel transitions: customers who came back in the period on another kind of channel within ``hours`` of their
    conversation on the first, as (from, to) cells."""
    f = _filters(caller, from_, to, channel, queue, operator, "UTC", 3, segment)
    cells = [
        TransitionCell(source=r["source"], target=r["target"], count=r["n"])
        for r in await service.transitions(session, f, hours)
    ]
    await audit.record(session, caller.actor, "analytics.transitions", "analytics", None, _audit(f))
    await session.commit()
    return Transitions(hours=hours, cells=cells)


REPORTS = ("summary", *GROUPS, *INTERVALS, "transitions")
FIGURE_COLUMNS = list(Figures.model_fields)


@router.get(
    "/export",
    responses={
        200: {
            "content": {
                "text/csv": {},
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {},
            },
            "description": "The report as a file",
        }
    },
)
async def export(
    caller: OperatorDep,
    session: SessionDep,
    report: Literal[REPORTS] = "summary",  # type: ignore[valid-type]
    format: Literal["csv", "xlsx"] = "csv",
    from_: Annotated[dt.datetime | None, Query(alias="from")] = None,
    to: dt.datetime | None = None,
    channel: int | None = None,
    queue: int | None = None,
    operator: int | None = None,
    segment: Segment = None,
    tz: str = "UTC",
    hours: Annotated[int, Query(ge=1, le=24 * 30)] = 48,
    business_hours: BusinessHours = False,
) -> Response:
    """A report as CSV or XLSX: the totals, one row per channel/queue/operator/segment/interval, or the
    transitions."""
    f = _filters(caller, from_, to, channel, queue, operator, tz, 3, segment)
    if report == "transitions":
        header = ["from", "to", "count"]
        rows = [[r["source"], r["target"], r["n"]] for r in await service.transitions(session, f, hours)]
    elif report == "summary" or report in GROUPS:  # as the Reports window shows them: from the roll-ups at scale
        found = await service.summary(session, f, business=business_hours)
        totals, by_operator = _with_load(
            found[None].get("", service.EMPTY), found["operator"], *await load.loads(session, f)
        )
        if report == "summary":
            header = FIGURE_COLUMNS
            rows = [[totals[c] for c in header]]
        else:
            header = ["key", "label", *FIGURE_COLUMNS]
            groups = await _grouped(session, f, report, by_operator if report == "operator" else found[report])
            rows = [[g.key, g.label, *(getattr(g, c) for c in FIGURE_COLUMNS)] for g in groups]
    else:
        header = ["bucket", *FIGURE_COLUMNS]
        found = await service.figures(session, f, report, business=business_hours)
        # The operators' load is a figure of the whole period, not of its buckets: those columns stay empty here.
        ordered = sorted(found.items(), key=lambda kv: str(kv[0]))
        rows = [[str(k), *(v.get(c) for c in FIGURE_COLUMNS)] for k, v in ordered]
    await audit.record(
        session, caller.actor, "analytics.export", "analytics", None, {**_audit(f), "report": report, "format": format}
    )
    await session.commit()
    rows = [[_cell(v) for v in row] for row in rows]
    stamp = f"{f.start:%Y%m%d}-{f.end:%Y%m%d}"
    name = f"omnidesk-{report}-{stamp}.{format}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    if format == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)
        return Response(out.getvalue().encode("utf-8-sig"), media_type="text/csv; charset=utf-8", headers=headers)
    return Response(
        _xlsx(report, header, rows),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers=headers,
    )


def _cell(value):
    """A name that starts like a formula (=, +, -, @) stays text in a spreadsheet (CSV/formula injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _xlsx(report: str, header: list[str], rows: list[list]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook(write_only=False)
    sheet = book.active
    sheet.title = report[:31]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    notes = book.create_sheet("definitions")
    notes.append(["metric", "unit", "definition"])
    for metric in METRICS.values():
        notes.append([metric.key, metric.unit.value, metric.definition])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
