"""Export and print endpoints: a conversation or a customer's history as PDF or HTML, conversations of a period as CSV
or JSON. Permission ``conversation.export`` (supervisors and admins by default), the queue scope of reading the
conversation or the customer, and an audit record for every export."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zoneinfo
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query, status
from fastapi.responses import Response, StreamingResponse

from omnidesk.domain.permissions import Permission
from omnidesk.server.audit import service as audit
from omnidesk.server.context import SessionDep, StateDep, permitted
from omnidesk.server.conversations.models import Conversation
from omnidesk.server.conversations.service import load_visible
from omnidesk.server.customers.service import load_visible_customer
from omnidesk.server.export import service
from omnidesk.server.export.document import HTML_TAIL, Transcript, html_entries, html_head, html_section, to_pdf

router = APIRouter(prefix="/api/v1", tags=["export"])
ExportCaller = permitted(Permission.CONVERSATION_EXPORT)
Format = Annotated[Literal["pdf", "html"], Query(description="pdf (print) or html (one self-contained page).")]
Zone = Annotated[str, Query(max_length=64, description="IANA time zone of the times shown, e.g. Europe/Kyiv.")]
Language = Annotated[Literal["en", "uk", "ru"], Query(description="The language of the document's labels.")]
Notes = Annotated[
    bool,
    Query(
        description="true (default): the complete file with internal notes, system lines, queue and assignee; false: "
        "the customer's copy (what may be handed to the customer under a data-subject request).",
    ),
]
DOCUMENT = {200: {"content": {"application/pdf": {}, "text/html": {}}}, 404: {}, 422: {}}


def _zone(name: str) -> dt.tzinfo:
    if name.upper() == "UTC":
        return dt.UTC
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, f"unknown time zone: {name}") from None


def _headers(fmt: str, stem: str) -> dict[str, str]:
    filename = re.sub(r"[^A-Za-z0-9._-]+", "_", stem)[:80] + f".{fmt}"
    headers = {
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
    }
    if fmt == "html":
        headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return headers


def _streamed_html(t: Transcript, session_factory, notes: bool, stem: str) -> StreamingResponse:
    """The page written as it is read: the head, then each conversation a page of messages at a time."""

    async def parts():
        yield html_head(t)
        for section in t.sections:
            yield html_section(t, section)
            async for page in service.stream_entries(session_factory, section.conversation_id, notes):
                yield html_entries(t, section, page)
        yield HTML_TAIL

    return StreamingResponse(parts(), media_type="text/html; charset=utf-8", headers=_headers("html", stem))


async def _export(
    session,
    caller,
    st,
    customer_id: int,
    conversations: list,
    kind: str,
    fmt: str,
    zone,
    lang: str,
    audited,
    stem: str,
    notes: bool,
) -> Response:
    """The transcript of ``conversations`` as ``fmt``, audited as ``audited`` = (action, object type, object id) with
    the format, the copy (notes or not) and the size."""
    t = await service.transcript(
        session,
        caller,
        customer_id=customer_id,
        conversations=conversations,
        kind=kind,
        organisation=st.settings.organisation_name,
        zone=zone,
        language=lang,
        notes=notes,
        entries=fmt == "pdf",  # the HTML page is streamed: its messages are read while it is written
    )
    details = {"format": fmt, "notes": notes, "conversations": len(t.sections), "messages": t.message_count}
    await audit.record(session, caller.actor, *audited, details)
    await session.commit()
    if fmt == "html":
        return _streamed_html(t, st.db.sessionmaker, notes, stem)
    return Response(to_pdf(t), media_type="application/pdf", headers=_headers("pdf", stem))


@router.get("/conversations/{conversation_id}/export", response_class=Response, responses=DOCUMENT)
async def export_conversation(
    conversation_id: int,
    caller: ExportCaller,
    session: SessionDep,
    st: StateDep,
    format: Format = "pdf",
    tz: Zone = "UTC",
    lang: Language = "en",
    notes: Notes = True,
) -> Response:
    """One conversation with every message, note and file name, for a complaint file or a court request."""
    zone = _zone(tz)
    conv: Conversation = (await load_visible(session, caller, conversation_id)).Conversation
    return await _export(
        session, caller, st, conv.customer_id, [conv], "conversation", format, zone, lang,
        ("conversation.export", "conversation", conversation_id), f"conversation-{conversation_id}", notes,
    )  # fmt: skip


@router.get("/customers/{customer_id}/history/export", response_class=Response, responses=DOCUMENT)
async def export_customer_history(
    customer_id: int,
    caller: ExportCaller,
    session: SessionDep,
    st: StateDep,
    format: Format = "pdf",
    tz: Zone = "UTC",
    lang: Language = "en",
    notes: Notes = True,
) -> Response:
    """The customer's whole history on every channel the caller may read, conversation by conversation, oldest
    first (at most 50,000 messages; the document says when it was cut)."""
    zone = _zone(tz)
    await load_visible_customer(session, caller, customer_id, reading=True)
    conversations = await service.visible_conversations_of(session, caller, customer_id)
    return await _export(
        session, caller, st, customer_id, conversations, "customer", format, zone, lang,
        ("customer.history.export", "customer", customer_id), f"customer-{customer_id}-history", notes,
    )  # fmt: skip


@router.get(
    "/exports/conversations",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}, "application/json": {}}}, 422: {}},
)
async def export_conversations(
    caller: ExportCaller,
    session: SessionDep,
    st: StateDep,
    start: Annotated[dt.datetime, Query(alias="from", description="Conversations created at or after (ISO 8601).")],
    end: Annotated[dt.datetime, Query(alias="to", description="... and before this moment (ISO 8601).")],
    format: Annotated[Literal["csv", "json"], Query()] = "csv",
    queue_id: int | None = None,
    channel_id: int | None = None,
) -> StreamingResponse:
    """Conversations of a period in bulk, one row each (channel, queue, customer, status, created, first response,
    resolved, assignee, message count), streamed page by page; the caller's queue scope applies."""
    start, end = (m if m.tzinfo else m.replace(tzinfo=dt.UTC) for m in (start, end))
    if end <= start:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "'to' must be after 'from'")
    if end - start > dt.timedelta(days=3660):
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "the period may be at most ten years")
    await audit.record(
        session, caller.actor, "conversation.bulk_export", "conversation", None,
        {"format": format, "from": start.isoformat(), "to": end.isoformat(), "queue_id": queue_id,
         "channel_id": channel_id},
    )  # fmt: skip
    await session.commit()
    rows = service.bulk_rows(st.db.sessionmaker, caller, start=start, end=end, queue_id=queue_id, channel_id=channel_id)

    async def as_csv():
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=service.BULK_COLUMNS)
        yield "\ufeff"  # so that Excel reads the file as UTF-8
        writer.writeheader()
        async for row in rows:
            writer.writerow({k: "" if v is None else _cell(v) for k, v in row.items()})
            if buffer.tell() > 65536:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    async def as_json():
        yield "["
        first = True
        async for row in rows:
            yield ("" if first else ",") + json.dumps(row, ensure_ascii=False)
            first = False
        yield "]"

    stem = f"conversations-{start:%Y%m%d}-{end:%Y%m%d}"
    return StreamingResponse(
        as_csv() if format == "csv" else as_json(),
        media_type="text/csv; charset=utf-8" if format == "csv" else "application/json",
        headers={"Content-Disposition": f'attachment; filename="{stem}.{format}"', "Cache-Control": "no-store"},
    )


def _cell(value) -> str:
    """A CSV cell that a spreadsheet does not run as a formula (=, +, -, @ at the start)."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not isinstance(value, int) else text
