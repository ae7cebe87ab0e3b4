"""API schemas of the provider channels (Telegram, WhatsApp), attachments, reply windows and templates."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from omnidesk.domain.enums import ChannelKind
from omnidesk.protocol.schemas import Contract, Strict

Secret = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4096)]
Url = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]
# A Telegram bot token is "<bot id>:<secret>" (the secret in URL-safe characters; it is part of every API URL).
BotToken = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[0-9]{1,20}:[A-Za-z0-9_-]{1,200}$")]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class TelegramChannelCreate(Strict):
    name: Name
    token: BotToken = Field(description="The bot token from @BotFather; stored encrypted, never returned.")
    mode: Literal["webhook", "poll"] = "poll"
    public_url: Url | None = Field(None, description="The server's public base URL (webhook mode).")
    api_base: Url | None = Field(None, description="Another Bot API base URL (an egress proxy, a local Bot API).")
    queue_id: int | None = None


class WhatsAppChannelCreate(Strict):
    name: Name
    phone_number_id: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[0-9]{1,32}$")]
    access_token: Secret
    app_secret: Secret
    verify_token: Secret
    business_account_id: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[0-9]{1,32}$")] | None = (
        None
    )
    api_base: Url | None = None
    api_version: Annotated[str, StringConstraints(pattern=r"^v[0-9]{1,3}\.[0-9]{1,2}$")] | None = None
    queue_id: int | None = None


class ProviderChannelOut(Contract):
    id: int
    kind: ChannelKind
    name: str
    active: bool
    queue_id: int | None = None
    options: dict = Field(default_factory=dict, description="Mode, phone number id...: never credentials.")
    api_base: str | None = None
    webhook_url: str | None = None
    webhook_path: str | None = Field(None, description="Where the platform delivers: /hooks/{kind}/{id}.")
    last_update_at: datetime | None = None
    rejected: int = 0
    last_error: str | None = None
    generated: dict[str, str] = Field(default_factory=dict, description="Secrets made by OmniDesk, shown only once.")


class HealthCheck(Contract):
    name: str
    ok: bool
    detail: str


class ChannelHealth(Contract):
    id: int
    ok: bool
    checks: list[HealthCheck]
    last_update_at: datetime | None = None
    last_update_seconds: float | None = Field(None, description="Seconds since the last inbound update.")
    rejected: int = 0


class TemplateOut(Contract):
    id: int
    name: str
    language: str
    status: str
    category: str | None = None
    body: str
    parameters: int


class TemplatesSynced(Contract):
    count: int


class ReplyWindow(Contract):
    conversation_id: int
    channel_kind: ChannelKind
    free_text: bool = Field(description="Whether free text may be sent now.")
    seconds_left: float | None = Field(None, description="Until the window closes; None when the channel has none.")
    state: str | None = Field(
        None,
        description="open (free replies), human_agent (Meta after 24 h: only an operator's own reply, tagged "
        "HUMAN_AGENT, up to 7 days), closed, or unknown (the customer has not written); None without a window.",
    )
    templates_required: bool
    max_text: int
    buttons: bool
    max_buttons: int
    max_button_title: int = Field(0, description="The longest button title the channel shows (0: the API's 64).")
    media_kinds: list[str]
    max_media_bytes: int


class AttachmentOut(Contract):
    id: int
    conversation_id: int
    message_id: int | None
    direction: str
    kind: str
    mime_type: str
    file_name: str
    size: int
    width: int | None = None
    height: int | None = None
    has_thumbnail: bool
    created_at: datetime


class MessageDetailsOut(Contract):
    message_id: int
    button: str | None = None
    contact: dict | None = None
    location: dict | None = None
    buttons: list[dict] = Field(default_factory=list)
    template: dict | None = None
    edits: list[dict] = Field(default_factory=list)
    deleted: bool = False
    echo: bool = Field(
        False,
        description="Sent by our side from the platform's own app (Meta's is_echo, VK's "
        "message_reply), not through OmniDesk.",
    )


class ConversationMedia(Contract):
    """Attachments and details of a conversation's messages, for the history view (paged by message id)."""

    attachments: list[AttachmentOut]
    details: list[MessageDetailsOut]
    next_cursor: str | None = None
