"""The customer contract: profile card, identities, search, duplicate suggestions, merge/unmerge, timeline.

Endpoints (all under /api/v1, every one role- and scope-checked and audited):

* ``GET  /customers?q=&cursor=&limit=``  search by any identifier in any format, or by name in either
  script → ``Page[CustomerSummary]``
* ``POST /customers``  create (``CustomerCreate``) → ``CustomerOut`` (201)
* ``POST /customers/matches``  "search before create": candidates for a draft → ``list[CustomerMatch]``
* ``GET  /customers/{id}`` / ``PATCH``  the card (``CustomerOut``) / edit (``CustomerUpdate``)
* ``POST /customers/{id}/identities``  add (``IdentityIn``) → ``CustomerOut``; 409 if another customer has it
* ``DELETE /customers/{id}/identities/{identity_id}``
* ``GET  /customers/{id}/duplicates``  open suggestions for this customer → ``list[DuplicateSuggestionOut]``
* ``GET  /customers/{id}/timeline?kinds=&channel_id=&before=&limit=``  newest first → ``Page[TimelineItem]``
* ``GET  /duplicates?cursor=&limit=&lang=``  supervisors' review list, best score first → ``Page[...]``
* ``POST /duplicates/{id}/dismiss``  → ``DuplicateSuggestionOut``
* ``POST /duplicates/scan``  (supervisors) scan all customers, store suggestions → ``DuplicateScanOut``
* ``POST /customers/merge``  (``MergeRequest``) → ``MergeOut``; 409 when one side is already merged
* ``POST /merges/{id}/unmerge``  → ``MergeOut`` (with both customers restored)

Reason texts come in the language of ``?lang=`` or the ``Accept-Language`` header (en, uk, ru).

Visibility: supervisors and admins see every customer. An operator sees a customer that has a conversation in one of
the operator's queues or assigned to them, and a customer with no conversation at all (a fresh contact from a form or
typed in by a colleague); any other customer answers 404, exactly as if it did not exist.

Events on the stream: ``customer.updated`` (``CustomerEventPayload``), ``customer.merged`` and ``customer.unmerged``
(``MergeEventPayload``), ``timeline.item`` (``TimelineEventPayload``, for items that no other event announces, such
as a merge on the timeline). New messages, status changes and assignments are announced by the existing
``message.created`` / ``conversation.updated`` events; the conversation in those payloads names its customer.
Each customer event goes to the queues of the customer's conversations (a customer without conversations: to
supervisors only). It is written once per such queue, so a reader who sees several of those queues (a supervisor) may
receive it more than once: customer events carry the full new state, apply them idempotently.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints

from omnidesk.domain.identity import IdentityKind
from omnidesk.protocol.schemas import Contract, Strict

__all__ = [
    "CustomerCreate",
    "CustomerEventPayload",
    "CustomerMatch",
    "CustomerOut",
    "CustomerSummary",
    "CustomerUpdate",
    "DuplicateScanOut",
    "DuplicateStatus",
    "DuplicateSuggestionOut",
    "FieldChangeOut",
    "IdentityGroup",
    "IdentityIn",
    "IdentityOut",
    "MatchRequest",
    "MergeChoice",
    "MergeEventPayload",
    "MergeOut",
    "MergeRequest",
    "ReasonOut",
    "TimelineEventPayload",
    "TimelineItem",
    "TimelineKind",
]

Name = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=64)]
Tag = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
AttributeValue = str | int | float | bool | None

MAX_TAGS = 50
MAX_ATTRIBUTES = 100


class IdentityIn(Strict):
    kind: IdentityKind
    value: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=320)]


class IdentityOut(Contract):
    id: int
    kind: IdentityKind
    value: str = Field(description="The normalised value (E.164 phone, case-folded e-mail, username without '@').")
    created_at: datetime


class IdentityGroup(Contract):
    """The identities of one kind (one channel family), in the order the card shows them."""

    kind: IdentityKind
    items: list[IdentityOut]


class FieldChangeOut(Contract):
    """One change of a profile field: an edit, or a value that lost in a merge (kept visible here)."""

    id: int
    field: str
    old_value: Any = None
    new_value: Any = None
    source: Literal["edit", "merge", "unmerge", "create"]
    merge_id: int | None = None
    user_id: int | None = None
    at: datetime


class CustomerSummary(Contract):
    """A customer in a list: search results, match candidates, the two sides of a suggestion."""

    id: int
    name: str
    segment: str | None = None
    identities: list[IdentityOut] = []
    merged_into_id: int | None = None


class CustomerOut(Contract):
    """The customer card."""

    id: int
    name: str
    language: str | None = None
    segment: str | None = None
    tags: list[str] = []
    attributes: dict[str, AttributeValue] = {}
    identities: list[IdentityGroup] = []
    open_conversations: int = 0
    conversations: int = 0
    merged_into_id: int | None = Field(None, description="Set when this profile was merged into another one.")
    history: list[FieldChangeOut] = Field([], description="Recent field changes, newest first.")
    created_at: datetime
    updated_at: datetime


class CustomerUpdate(Strict):
    """A partial edit: only the fields present change (each change is kept in the history)."""

    name: Name | None = None
    language: ShortText | None = None
    segment: ShortText | None = None
    tags: Annotated[list[Tag], Field(max_length=MAX_TAGS)] | None = None
    attributes: Annotated[dict[str, AttributeValue], Field(max_length=MAX_ATTRIBUTES)] | None = None


class CustomerCreate(Strict):
    name: Name = ""
    language: ShortText | None = None
    segment: ShortText | None = None
    tags: Annotated[list[Tag], Field(max_length=MAX_TAGS)] = []
    attributes: Annotated[dict[str, AttributeValue], Field(max_length=MAX_ATTRIBUTES)] = {}
    identities: Annotated[list[IdentityIn], Field(max_length=20)] = []


class MatchRequest(Strict):
    """A draft customer (nothing is saved): who already looks like it?"""

    name: Name = ""
    identities: Annotated[list[IdentityIn], Field(max_length=20)] = []
    exclude_id: int | None = Field(None, description="The customer being edited (not its own duplicate).")


class ReasonOut(Contract):
    """Why two customers look alike: a stable code and parameters for programs, a sentence for people."""

    code: str
    params: dict[str, Any] = {}
    text: str


class CustomerMatch(Contract):
    customer: CustomerSummary
    score: float
    reasons: list[ReasonOut]


class DuplicateStatus(StrEnum):
    OPEN = "open"
    DISMISSED = "dismissed"
    MERGED = "merged"


class DuplicateSuggestionOut(Contract):
    id: int
    customer: CustomerSummary
    other: CustomerSummary
    score: float
    reasons: list[ReasonOut]
    status: DuplicateStatus
    created_at: datetime


class DuplicateScanOut(Contract):
    customers: int
    pairs_compared: int
    suggestions: int = Field(description="Pairs that scored (new ones, and refreshed open ones).")
    seconds: float


MergeField = Literal["name", "language", "segment", "tags", "attributes"]
MergeChoice = Literal["survivor", "other", "both"]


class MergeRequest(Strict):
    """Merge ``other_id`` into ``survivor_id``. ``fields`` says, per field, whose value survives; a field left out
    keeps the survivor's value, or takes the other's when the survivor has none. ``both`` joins tags, and for
    attributes lets the survivor's keys win over the other's. Every losing value stays in the history."""

    survivor_id: int
    other_id: int
    fields: dict[MergeField, MergeChoice] = {}


class MergeOut(Contract):
    id: int
    survivor_id: int
    other_id: int
    fields: dict[str, str]
    created_by: int | None
    created_at: datetime
    undone_at: datetime | None = None
    undone_by: int | None = None
    survivor: CustomerOut | None = None
    other: CustomerOut | None = Field(None, description="Filled after an unmerge: the restored customer.")


class TimelineKind(StrEnum):
    """Kinds the server writes today; a client must show unknown kinds generically (the list grows)."""

    MESSAGE_IN = "message_in"
    MESSAGE_OUT = "message_out"
    NOTE = "note"
    CALL = "call"
    STATUS_CHANGED = "status_changed"
    ASSIGNED = "assigned"
    UNASSIGNED = "unassigned"
    MERGED = "merged"
    UNMERGED = "unmerged"
    CUSTOMER_CREATED = "customer_created"
    TRANSFERRED = "transferred"  # payload: from/to queue and user, by, note (issue 11)
    WAIT_EXCEEDED = "wait_exceeded"  # payload: max_wait_s, waited_s, priority from/to (issue 11)
    OFFER = "offer"  # push mode offered it to an operator; payload: to, outcome (offered, declined, expired), timeout_s
    CSAT_RATED = "csat_rated"  # the customer's satisfaction rating of a conversation (payload: score, comment)
    NPS_RATED = "nps_rated"  # the customer's 0-10 "would recommend" answer after a conversation (payload: nps, comment)


# The timeline kinds whose message is a survey answer, not a customer message (the SLA clock and reports skip them).
SURVEY_ANSWER_KINDS = (TimelineKind.CSAT_RATED.value, TimelineKind.NPS_RATED.value)


class TimelineItem(Contract):
    """One entry of a customer's history. ``payload`` by kind:

    message_in / message_out: ``{"message": MessageOut}``; status_changed: ``{"from", "to", "by"}``;
    assigned / unassigned: ``{"from", "to", "by"}`` (user ids); merged / unmerged: ``{"merge_id", "survivor_id",
    "other_id", "other_name", "by"}`` (a merged item undone since also has ``"undone_at"``, ``"undone_by"``);
    customer_created: ``{"by"}``; transferred: ``{"from", "to", "by", "note"}``
    (from/to: ``{"queue_id", "queue_name", "user_id"}``); csat_rated: ``{"score", "comment", "operator_id"}``;
    nps_rated: ``{"nps", "comment", "operator_id"}``.
    """

    id: int
    customer_id: int
    kind: str
    at: datetime
    channel_id: int | None = None
    conversation_id: int | None = None
    payload: dict[str, Any] = {}


class CustomerEventPayload(Contract):
    customer: CustomerOut


class MergeEventPayload(Contract):
    merge: MergeOut


class TimelineEventPayload(Contract):
    customer_id: int
    item: TimelineItem
