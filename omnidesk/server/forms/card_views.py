"""The operators' read of a web form submission (GET /api/v1/conversations/{id}/form): the card in the client."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, status
from sqlalchemy import select

from omnidesk.protocol.webchannels import FormSubmissionOut
from omnidesk.server.admin.models import Channel
from omnidesk.server.audit import service as audit
from omnidesk.server.context import OperatorDep, SessionDep
from omnidesk.server.conversations.models import Conversation, Message
from omnidesk.server.forms.models import FormSubmission

router = APIRouter(prefix="/api/v1", tags=["web forms"])


def _message_of(text: str, channel_name: str, s: FormSubmission) -> str | None:
    """The form's message field, which the card text (forms/service.card_text) holds between its "[channel]" line
    and one line per other field: those lines are known from the stored row, so they are cut off exactly."""
    lines = text.split("\n")
    if lines and lines[0] == f"[{channel_name}]":
        lines = lines[1:]
    tail = sum(1 for v in (s.name, s.phone, s.email, s.page_url) if v) + sum(1 for v in (s.fields or {}).values() if v)
    body = "\n".join(lines[: len(lines) - tail] if tail else lines).strip()
    return body or None


@router.get("/conversations/{conversation_id}/form", response_model=FormSubmissionOut)
async def conversation_form(conversation_id: int, caller: OperatorDep, session: SessionDep) -> FormSubmissionOut:
    """The submission a web form conversation started from (each submission opens a conversation of its own)."""
    conv = await session.get(Conversation, conversation_id)
    if conv is None or not caller.may_read(conv.id, conv.queue_id, conv.assignee_id):
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such conversation")
    row = (
        await session.execute(
            select(FormSubmission, Message.text, Channel.name)
            .join(Message, Message.id == FormSubmission.message_id)
            .join(Channel, Channel.id == FormSubmission.channel_id)
            .where(FormSubmission.conversation_id == conversation_id)
            .order_by(FormSubmission.id)
            .limit(1)
        )
    ).first()
    if row is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "this conversation did not start from a web form")
    s: FormSubmission = row.FormSubmission
    await audit.record(session, caller.actor, "form.read", "conversation", conversation_id, {"submission": s.id})
    await session.commit()
    return FormSubmissionOut(
        conversation_id=conversation_id,
        message_id=s.message_id,
        channel_name=row.name,
        name=s.name,
        phone=s.phone,
        email=s.email,
        message=_message_of(row.text or "", row.name, s),
        fields={str(k): str(v) for k, v in (s.fields or {}).items()},
        page_url=s.page_url,
        utm={str(k): str(v) for k, v in (s.utm or {}).items()},
        submitted_at=s.created_at,
    )
