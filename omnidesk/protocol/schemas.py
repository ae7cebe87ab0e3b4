"""Pydantic schemas of the HTTP API (/api/v1) and of the events on the stream.

Both the server (FastAPI request/response models) and the client (parsing what it receives)
use these classes, so a change of the contract is one change here.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from omnidesk.domain.enums import (
    ChannelKind,
    ConversationStatus,
    DeliveryStatus,
    Direction,
    EventType,
    MessageKind,
    Role,
)
from omnidesk.domain.identity import IdentityKind
from omnidesk.domain.mail import ADDRESS_PATTERN, SUBJECT_PATTERN

__all__ = [
    "AssignRequest",
    "AuditEntry",
    "ChannelCreate",
    "ChannelCreated",
    "ChannelOut",
    "ConversationEventPayload",
    "ConversationOut",
    "CustomerBrief",
    "CustomerEventType",
    "Event",
    "EventHead",
    "InboundAck",
    "InboundMessage",
    "LoginRequest",
    "MessageEventPayload",
    "MessageOut",
    "Page",
    "Problem",
    "RefreshRequest",
    "ReplyIn",
    "Sender",
    "SlaOut",
    "StatusChange",
    "TokenPair",
    "UserCreate",
    "UserOut",
]

T = TypeVar("T")

MAX_TEXT = 65_536
NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Contract(BaseModel):
    model_config = ConfigDict(from_attributes=True, extra="ignore")


def _has_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list | tuple | set):
        return any(_has_nul(v) for v in value)
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    return False


class Strict(BaseModel):
    """A request body: unknown fields are an error the sender should hear about."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul_characters(cls, value: object) -> object:
        # PostgreSQL cannot store U+0000 in text: refuse it here with a reason rather than fail at the database.
        if _has_nul(value):
            raise ValueError("must not contain the NUL character (U+0000)")
        return value


class Problem(Contract):
    detail: str | list[dict] | dict


class Page(Contract, Generic[T]):
    items: list[T]
    next_cursor: str | None = None


# --- auth and users -----------------------------------------------------------------------------------


class LoginRequest(Strict):
    username: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=150)]
    password: Annotated[str, StringConstraints(min_length=1, max_length=1024)]


class RefreshRequest(Strict):
    refresh_token: Annotated[str, StringConstraints(min_length=1, max_length=512)]


class UserOut(Contract):
    id: int
    username: str
    display_name: str
    role: Role
    queue_ids: list[int] = []


class TokenPair(Contract):
    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="Lifetime of the access token in seconds.")
    user: UserOut


class UserCreate(Strict):
    username: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=150)]
    password: Annotated[str, StringConstraints(min_length=8, max_length=1024)]
    role: Role = Role.OPERATOR
    display_name: str | None = None
    queue_ids: list[int] | None = None


# --- channels -----------------------------------------------------------------------------------------


class ChannelOut(Contract):
    id: int
    kind: ChannelKind
    name: str


class ChannelCreate(Strict):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    webhook_url: Annotated[str, StringConstraints(max_length=2000)] | None = None
    queue_id: int | None = None


class ChannelCreated(ChannelOut):
    token: str = Field(description="Inbound bearer token; shown once, stored only as a hash.")
    webhook_url: str | None = None
    queue_id: int | None = None


# --- the generic inbound channel -----------------------------------------------------------------------


class Sender(Strict):
    kind: IdentityKind
    value: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=320)]
    name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = None


class InboundMessage(Strict):
    external_id: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=255)]
    sender: Sender
    identities: list[Sender] = Field(
        [],
        max_length=10,
        description="Further identifiers the message carries (a web form's phone and e-mail, a shared contact): "
        "all attach to the sender's customer; one that belongs to another customer raises a duplicate suggestion.",
    )
    text: Annotated[str, StringConstraints(min_length=1, max_length=MAX_TEXT)]
    sent_at: datetime | None = None


class InboundAck(Contract):
    message_id: int
    conversation_id: int
    customer_id: int
    duplicate: bool = Field(False, description="True when this external_id was already stored.")


# --- conversations and messages -------------------------------------------------------------------------


class CustomerBrief(Contract):
    id: int
    name: str


class SlaOut(Contract):
    """The conversation's running SLA promise due first (omnidesk.domain.sla), for the inbox countdown."""

    target: Literal["first_response", "next_response", "resolution"]
    due_at: datetime
    warn_at: datetime | None = None
    paused: bool = False  # pending: the countdown stands still
    breached: bool = False  # some promise of this conversation was already missed


class ConversationOut(Contract):
    id: int
    channel: ChannelOut
    customer: CustomerBrief
    queue_id: int | None
    status: ConversationStatus
    assignee_id: int | None
    assignee_name: str | None = None
    last_message_at: datetime
    last_message_preview: str
    last_message_direction: Direction | None = None
    unread_count: int
    created_at: datetime
    # Work organisation (issue 11): 0 low .. 3 urgent; since when it waits for an operator (None: someone has it).
    priority: int = 1
    waiting_since: datetime | None = None
    sla: SlaOut | None = None
    # Issue 16: since when the customer waits for an answer (their oldest unanswered message); None: nobody waits.
    unanswered_since: datetime | None = None
    # Issue 12: how fresh this copy is; it grows with every change of the conversation's row (a database trigger), so
    # a client holding a higher revision keeps its copy when a late event or page brings an older one.
    revision: int = Field(0, ge=0, description="Grows with every change; a copy with a lower one is older.")


class MessageOut(Contract):
    id: int
    conversation_id: int
    direction: Direction
    kind: MessageKind
    author_id: int | None
    author_name: str | None = None
    text: str
    sent_at: datetime
    delivery_status: DeliveryStatus | None = None
    delivery_error: str | None = None
    client_key: str | None = None


class ReplyButton(Strict):
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
    payload: Annotated[str, StringConstraints(max_length=256)] | None = None
    url: Annotated[str, StringConstraints(max_length=2000, pattern=r"^https?://")] | None = None


class ReplyTemplate(Strict):
    name: Annotated[str, StringConstraints(min_length=1, max_length=512)]
    language: Annotated[str, StringConstraints(min_length=1, max_length=16)]
    parameters: list[Annotated[str, StringConstraints(max_length=1024)]] = Field([], max_length=20)


MailAddress = Annotated[str, StringConstraints(strip_whitespace=True, max_length=320, pattern=ADDRESS_PATTERN)]


class ReplyMail(Strict):
    """The envelope of an e-mail reply the operator chose (reply, reply all, edited): without it, the customer."""

    to: list[MailAddress] = Field(min_length=1, max_length=20)
    cc: list[MailAddress] = Field([], max_length=20)
    subject: Annotated[str, StringConstraints(max_length=998, pattern=SUBJECT_PATTERN)] | None = Field(
        None, description='Without it: the customer\'s subject with "Re: " in front (kept when it has one).'
    )


class ReplyIn(Strict):
    # Empty only with files or a template (checked below); channels II and rich replies add the optional fields.
    text: Annotated[str, StringConstraints(max_length=MAX_TEXT)]
    kind: Literal["text", "note"] = Field(
        "text", description="note: an internal note for colleagues, never sent to the customer (issue 11)."
    )
    client_key: Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")] | None = (
        Field(None, description="Idempotency key chosen by the client: a retry with the same key is one reply.")
    )
    attachment_ids: list[int] = Field([], max_length=10, description="Files uploaded to the conversation first.")
    buttons: list[ReplyButton] = Field([], max_length=10, description="Buttons under the message (inline keyboard).")
    quick_replies: list[Annotated[str, StringConstraints(min_length=1, max_length=64)]] = Field([], max_length=12)
    template: ReplyTemplate | None = Field(None, description="An approved template (outside a reply window).")
    mail: ReplyMail | None = Field(None, description="E-mail only (issue 13): the reply's To, Cc and subject.")

    @model_validator(mode="after")
    def _something_to_send(self) -> ReplyIn:
        if not self.text.strip() and not self.attachment_ids and self.template is None:
            raise ValueError("a reply needs text, a file or a template")
        return self


class StatusChange(Strict):
    status: ConversationStatus


# --- events -----------------------------------------------------------------------------------------------


class CustomerEventType(StrEnum):
    """Customer events (see protocol/customers.py for their payloads)."""

    CUSTOMER_UPDATED = "customer.updated"
    CUSTOMER_MERGED = "customer.merged"
    CUSTOMER_UNMERGED = "customer.unmerged"
    TIMELINE_ITEM = "timeline.item"


class Event(Contract):
    id: int
    type: EventType | CustomerEventType
    at: datetime
    payload: dict


class EventHead(Contract):
    last_event_id: int


class ConversationEventPayload(Contract):
    conversation: ConversationOut


class MessageEventPayload(Contract):
    message: MessageOut


# --- audit ------------------------------------------------------------------------------------------------


class AuditEntry(Contract):
    id: int
    at: datetime
    user_id: int | None
    username: str | None
    action: str
    object_type: str | None
    object_id: str | None
    ip: str | None
    details: dict | None


class AssignRequest(Strict):
    user_id: int | None = Field(None, description="Who takes the conversation; omitted or null means the caller.")
