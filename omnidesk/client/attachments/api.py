"""The client's calls for attachments, reply windows and templates (over the logged-in :class:`ApiClient`)."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from pydantic import TypeAdapter

from omnidesk.client.api import ApiClient
from omnidesk.protocol import MessageOut
from omnidesk.protocol.channels import AttachmentOut, ConversationMedia, ReplyWindow, TemplateOut

_templates = TypeAdapter(list[TemplateOut])


async def window(api: ApiClient, conversation_id: int) -> ReplyWindow:
    return ReplyWindow.model_validate((await api._call("GET", f"/conversations/{conversation_id}/window")).json())


async def media(api: ApiClient, conversation_id: int) -> ConversationMedia:
    response = await api._call("GET", f"/conversations/{conversation_id}/media")
    return ConversationMedia.model_validate(response.json())


async def templates(api: ApiClient, channel_id: int) -> list[TemplateOut]:
    return _templates.validate_python((await api._call("GET", f"/channels/{channel_id}/templates")).json())


async def upload(
    api: ApiClient, conversation_id: int, name: str, data: bytes, mime: str | None = None
) -> AttachmentOut:
    mime = mime or mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = await api._call(
        "POST", f"/conversations/{conversation_id}/attachments", files={"file": (Path(name).name, data, mime)}
    )
    return AttachmentOut.model_validate(response.json())


async def send(
    api: ApiClient,
    conversation_id: int,
    *,
    text: str = "",
    attachment_ids: list[int] | None = None,
    template: dict | None = None,
    client_key: str | None = None,
) -> MessageOut:
    body: dict = {"text": text}
    if attachment_ids:
        body["attachment_ids"] = attachment_ids
    if template:
        body["template"] = template
    if client_key:
        body["client_key"] = client_key
    response = await api._call("POST", f"/conversations/{conversation_id}/messages", json=body)
    return MessageOut.model_validate(response.json())


async def download(api: ApiClient, attachment_id: int) -> bytes:
    return (await api._call("GET", f"/attachments/{attachment_id}")).content


async def thumbnail(api: ApiClient, attachment_id: int) -> bytes:
    return (await api._call("GET", f"/attachments/{attachment_id}/thumbnail")).content
