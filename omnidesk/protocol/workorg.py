"""API schemas of work organisation: queues and members, routing rules, presence, transfer, notes, canned replies,
the supervisor board. Shared by the server (FastAPI models) and the client (parsing)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import Field, StringConstraints

from omnidesk.protocol.schemas import MAX_TEXT, Contract, Strict

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Skill = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
# Push mode's offer step: seconds the chosen operator has to accept (0: assign at once, no offer).
OfferTimeout = Annotated[int, Field(ge=0, le=3600)]
# Seconds during which an operator who declined a conversation (or let its offer expire) is not offered it again.
OfferCooldown = Annotated[int, Field(ge=0, le=86400)]
DEFAULT_OFFER_COOLDOWN = 600


class PresenceStatus(StrEnum):
    ONLINE = "online"
    AWAY = "away"
    OFFLINE = "offline"


# --- queues -----------------------------------------------------------------------------------------------------


class QueueIn(Strict):
    name: Name
    calendar: dict[str, Any] | None = Field(
        None, description='Business hours: {"tz": "Europe/Kyiv", "week": {"0": [["09:00", "18:00"]]}, "holidays": []}'
    )
    auto_assign: bool = False
    offer_timeout_s: OfferTimeout = 0
    offer_cooldown_s: OfferCooldown = DEFAULT_OFFER_COOLDOWN


class QueuePatch(Strict):
    name: Name | None = None
    calendar: dict[str, Any] | None = None
    auto_assign: bool | None = None
    offer_timeout_s: OfferTimeout | None = None
    offer_cooldown_s: OfferCooldown | None = None


class QueueOut(Contract):
    id: int
    name: str
    calendar: dict[str, Any] | None = None
    auto_assign: bool = False
    offer_timeout_s: int = 0
    offer_cooldown_s: int = DEFAULT_OFFER_COOLDOWN


class MemberIn(Strict):
    skills: list[Skill] = Field([], max_length=50)
    capacity: dict[
        Annotated[str, StringConstraints(pattern=r"^(chat|email|call)$")], Annotated[int, Field(ge=0, le=100)]
    ] = Field({}, description="Conversations at once per class of work; a missing class uses the default.")
    priority: Annotated[int, Field(ge=0, le=100)] = 0


class MemberOut(Contract):
    queue_id: int
    user_id: int
    username: str
    display_name: str
    skills: list[str]
    capacity: dict[str, int]
    priority: int


# --- routing ----------------------------------------------------------------------------------------------------


class RuleIn(Strict):
    name: Name
    enabled: bool = True
    conditions: list[dict[str, Any]] = Field([], max_length=30)
    actions: dict[str, Any]
    position: int | None = Field(None, description="Where in the list (0 = first); omitted appends at the end.")


class RuleOut(Contract):
    id: int
    position: int
    name: str
    enabled: bool
    conditions: list[dict[str, Any]]
    actions: dict[str, Any]
    description: str
    updated_at: datetime
    updated_by: int | None


class RuleOrder(Strict):
    rule_ids: list[int] = Field(max_length=1000)


class SampleCustomer(Strict):
    """A customer as the rules would see them, for trying rules out without a real one."""

    segment: Annotated[str, StringConstraints(max_length=64)] | None = None
    language: Annotated[str, StringConstraints(max_length=64)] | None = None
    tags: list[Annotated[str, StringConstraints(max_length=64)]] = Field([], max_length=50)
    attributes: dict[str, Any] = {}


class PreviewIn(Strict):
    channel_id: int
    text: Annotated[str, StringConstraints(max_length=MAX_TEXT)] = ""
    customer_id: int | None = Field(None, description="A known customer whose profile the rules look at.")
    sample: SampleCustomer | None = Field(None, description="Or a made-up known customer (ignored with customer_id).")
    at: datetime | None = Field(None, description="The moment to judge business hours by; now when omitted.")
    rules: list[RuleIn] | None = Field(None, description="Judge by this unsaved list instead of the stored one.")


class PreviewOut(Contract):
    rule_id: int | None
    rule_name: str | None
    queue_id: int | None
    priority: int
    skill: str | None
    max_wait_s: int | None
    auto_reply: str | None


class RuleChange(Contract):
    at: datetime
    username: str | None
    action: str
    details: dict | None


# --- presence, assignment, transfer ------------------------------------------------------------------------------


class PresenceIn(Strict):
    status: PresenceStatus


class PresenceOut(Contract):
    user_id: int
    display_name: str
    status: PresenceStatus
    changed_at: datetime | None


class TransferIn(Strict):
    user_id: int | None = None
    queue_id: int | None = None
    note: Annotated[str, StringConstraints(max_length=MAX_TEXT)] = ""


class BulkAssignIn(Strict):
    conversation_ids: list[int] = Field(min_length=1, max_length=500)
    user_id: int | None = None
    queue_id: int | None = None


class RefusalCode(Contract):
    """A refusal's stable code and parameters (omnidesk/domain/problems.py); ``code`` is null for an uncoded one."""

    code: str | None = None
    params: dict[str, Any] = Field(default_factory=dict)


class BulkAssignOut(Contract):
    moved: list[int]
    refused: dict[int, str] = Field(description="Each refused conversation with the reason in English.")
    refusals: dict[int, RefusalCode] = Field(
        default_factory=dict, description="The same refusals by code and parameters, for a client to word them."
    )


class ActivityIn(Strict):
    typing: bool = Field(False, description="True while the caller types a reply; false: only viewing.")


class ActivityOut(Contract):
    conversation_id: int
    user_id: int  # 0 for the customer (``visitor``)
    display_name: str
    typing: bool
    at: datetime
    # The customer typing in the web chat widget (not a colleague): shown on the visitor panel, never as a collision.
    visitor: bool = False


# --- canned replies -----------------------------------------------------------------------------------------------


class CannedLanguage(StrEnum):
    UK = "uk"
    RU = "ru"
    EN = "en"


class CannedIn(Strict):
    shortcut: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64, pattern=r"^\S+$")]
    title: Name
    language: CannedLanguage
    body: Annotated[str, StringConstraints(min_length=1, max_length=MAX_TEXT)]
    queue_id: int | None = Field(None, description="Shared with this queue; omitted with shared=false: personal.")
    shared: bool = Field(False, description="Shared (with the queue, or with everyone when no queue is given).")


class CannedOut(Contract):
    id: int
    shortcut: str
    title: str
    language: CannedLanguage
    body: str
    queue_id: int | None
    owner_id: int | None


class RenderIn(Strict):
    conversation_id: int


class RenderOut(Contract):
    text: str
    missing: list[str] = Field([], description="Placeholders with no value (left empty in the text).")


# --- notes and mentions --------------------------------------------------------------------------------------------


class MentionOut(Contract):
    id: int
    message_id: int
    conversation_id: int
    author_name: str | None
    text: str
    created_at: datetime
    read: bool


# --- push mode's offers ---------------------------------------------------------------------------------------------


class OfferOutcome(StrEnum):
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"  # someone else took the conversation, or it was resolved, while it was offered


class OfferOut(Contract):
    """A waiting conversation offered to the operator (push mode with an offer timeout): accept or decline it before
    ``expires_at``. Events: ``assignment.offered`` {"offer"} and ``assignment.offer_ended`` {"offer"} (with its
    ``outcome``), to that operator, to the conversation's queue (its board shows to whom a conversation is offered)
    and to supervisors; the notice is for ``user_id`` alone."""

    id: int
    conversation_id: int
    queue_id: int | None
    customer_name: str
    channel_kind: str
    preview: str
    offered_at: datetime
    expires_at: datetime
    outcome: OfferOutcome | None = None
    # A default, not required: offer events recorded before the board showed offers carry no user_id (read as 0).
    user_id: int = Field(0, description="The operator it is offered to.")
    user_name: str = ""


# --- the supervisor board -------------------------------------------------------------------------------------------


class QueueFigures(Contract):
    queue_id: int | None
    name: str
    waiting: int
    in_progress: int
    longest_wait_s: float
    average_wait_s: float
    online_operators: int
    offered: int = Field(0, description="Of the waiting, those offered to an operator now (push mode).")


class OperatorFigures(Contract):
    user_id: int
    display_name: str
    status: PresenceStatus
    load: int
    capacity: int
    queue_ids: list[int]
    offers: list[OfferOut] = Field([], description="Conversations offered to the operator now, awaiting an answer.")


class WaitingItem(Contract):
    conversation_id: int
    queue_id: int | None
    customer_name: str
    channel_kind: str
    priority: int
    waiting_since: datetime
    preview: str
    position: int
    offer: OfferOut | None = Field(None, description="To whom it is offered now, and since when (push mode).")


class Assigned(Contract):
    conversation_id: int
    queue_id: int | None
    assignee_id: int


class Board(Contract):
    at: datetime
    queues: list[QueueFigures]
    operators: list[OperatorFigures]
    waiting: list[WaitingItem]
    in_progress: list[Assigned] = Field(
        [], description="Open assigned conversations (the first 20,000), so events can move them exactly."
    )
    offers: list[OfferOut] = Field(
        [],
        description="Pending offers of waiting conversations in scope (also beyond the waiting list), kept live from "
        "the events assignment.offered and assignment.offer_ended.",
    )
