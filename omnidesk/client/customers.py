"""Customers on the client: typed calls of the customer endpoints, and the desk that views talk to.

`CustomerApi` is a thin layer over the signed-in `ApiClient` (same session, token refresh and error types),
returning the schemas of protocol/customers.py. `CustomerDesk` is the Qt-side object the card, the timeline,
the search and the merge dialog use: it runs the calls, keeps the store current, and turns the event stream's
customer events (and the conversation/message events that touch a customer) into signals per customer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from pydantic import TypeAdapter
from PySide6.QtCore import QLocale, QObject, QTimer, Signal

from omnidesk.client.api import ApiClient, SessionExpired
from omnidesk.client.permissions import effective_permissions, reason
from omnidesk.domain.enums import EventType
from omnidesk.domain.permissions import Permission, may_unmerge
from omnidesk.protocol import (
    CustomerEventType,
    Event,
    MessageEventPayload,
    Page,
    UserOut,
)
from omnidesk.protocol.customers import (
    CustomerCreate,
    CustomerEventPayload,
    CustomerMatch,
    CustomerOut,
    CustomerSummary,
    CustomerUpdate,
    DuplicateSuggestionOut,
    IdentityIn,
    MatchRequest,
    MergeEventPayload,
    MergeOut,
    MergeRequest,
    TimelineEventPayload,
    TimelineItem,
)

__all__ = ["CustomerApi", "CustomerDesk", "TimelineQuery", "may_edit", "may_merge", "may_review"]

_summaries = TypeAdapter(Page[CustomerSummary])
_matches = TypeAdapter(list[CustomerMatch])
_suggestions = TypeAdapter(list[DuplicateSuggestionOut])
_review = TypeAdapter(Page[DuplicateSuggestionOut])
_timeline = TypeAdapter(Page[TimelineItem])


def _held(user: UserOut, permissions: Iterable[str] | None) -> frozenset[str]:
    return effective_permissions(user) if permissions is None else frozenset(permissions)


def may_edit(user: UserOut | None, customer: CustomerOut | None, permissions: Iterable[str] | None = None) -> bool:
    """Who may change a profile: who holds customer.edit (operators and up by default), and only a live profile
    (one merged into another is read-only until unmerged)."""
    return (
        user is not None
        and customer is not None
        and customer.merged_into_id is None
        and Permission.CUSTOMER_EDIT in _held(user, permissions)
    )


def may_review(user: UserOut | None, permissions: Iterable[str] | None = None) -> bool:
    """The list of suggested duplicates across all customers: who holds duplicate.review (supervisors and admins
    by default), as the server checks; `permissions` is what GET /me listed (None: the role's defaults)."""
    if user is None:
        return False
    return Permission.DUPLICATE_REVIEW in _held(user, permissions)


def why_not_unmerge(user: UserOut | None, merged_by: int | None, permissions: Iterable[str] | None = None) -> str:
    """ "" when the user may undo a merge made by ``merged_by`` (domain.permissions.may_unmerge), else why not."""
    if user is None:
        return reason(Permission.CUSTOMER_UNMERGE_OWN)
    held = _held(user, permissions)
    if may_unmerge(held, merged_by, user.id):
        return ""
    if Permission.CUSTOMER_UNMERGE_OWN in held:
        return reason(Permission.CUSTOMER_UNMERGE_ANY)  # theirs to undo, not a colleague's
    return reason(Permission.CUSTOMER_UNMERGE_OWN)


def may_merge(user: UserOut | None, permissions: Iterable[str] | None = None) -> bool:
    """Merging (and dismissing a suggestion): who holds customer.merge, as the server checks."""
    return user is not None and Permission.CUSTOMER_MERGE in _held(user, permissions)


class TimelineQuery:
    """What part of a customer's timeline to read: kinds (empty = all) and one channel (None = all)."""

    __slots__ = ("channel_id", "kinds")

    def __init__(self, kinds: Iterable[str] = (), channel_id: int | None = None) -> None:
        self.kinds = tuple(sorted(set(kinds)))
        self.channel_id = channel_id

    def admits(self, item: TimelineItem) -> bool:
        if self.kinds and item.kind not in self.kinds:
            return False
        return self.channel_id is None or item.channel_id == self.channel_id

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TimelineQuery) and (self.kinds, self.channel_id) == (other.kinds, other.channel_id)

    def __hash__(self) -> int:
        return hash((self.kinds, self.channel_id))

    def __repr__(self) -> str:
        return f"TimelineQuery(kinds={self.kinds!r}, channel_id={self.channel_id!r})"


class CustomerApi:
    """The customer endpoints of /api/v1 on one signed-in connection (see protocol/customers.py)."""

    def __init__(self, api: ApiClient, language: Callable[[], str] = lambda: "en") -> None:
        self.api = api
        self.language = language  # reason texts come back in this language

    async def _json(self, method: str, path: str, **kwargs: Any) -> Any:
        # ApiClient._call is the session's one door: bearer token, one transparent refresh, typed errors.
        return (await self.api._call(method, path, **kwargs)).json()

    async def search(self, q: str, *, cursor: str | None = None, limit: int = 20) -> Page[CustomerSummary]:
        params: dict[str, str | int] = {"q": q, "limit": limit}
        if cursor:
            params["cursor"] = cursor
        return _summaries.validate_python(await self._json("GET", "/customers", params=params))

    async def customer(self, customer_id: int) -> CustomerOut:
        return CustomerOut.model_validate(await self._json("GET", f"/customers/{customer_id}"))

    async def create(self, draft: CustomerCreate) -> CustomerOut:
        body = draft.model_dump(mode="json")
        return CustomerOut.model_validate(await self._json("POST", "/customers", json=body))

    async def update(self, customer_id: int, change: CustomerUpdate) -> CustomerOut:
        body = change.model_dump(mode="json", exclude_unset=True)
        return CustomerOut.model_validate(await self._json("PATCH", f"/customers/{customer_id}", json=body))

    async def matches(self, draft: MatchRequest) -> list[CustomerMatch]:
        body = draft.model_dump(mode="json")
        params = {"lang": self.language()}
        return _matches.validate_python(await self._json("POST", "/customers/matches", json=body, params=params))

    async def add_identity(self, customer_id: int, identity: IdentityIn) -> CustomerOut:
        body = identity.model_dump(mode="json")
        return CustomerOut.model_validate(await self._json("POST", f"/customers/{customer_id}/identities", json=body))

    async def remove_identity(self, customer_id: int, identity_id: int) -> CustomerOut:
        path = f"/customers/{customer_id}/identities/{identity_id}"
        return CustomerOut.model_validate(await self._json("DELETE", path))

    async def duplicates(self, customer_id: int) -> list[DuplicateSuggestionOut]:
        params = {"lang": self.language()}
        return _suggestions.validate_python(
            await self._json("GET", f"/customers/{customer_id}/duplicates", params=params)
        )

    async def review(self, cursor: str | None = None, limit: int = 50) -> Page[DuplicateSuggestionOut]:
        """The supervisors' review list: open pairs, highest score first (403 for operators)."""
        params: dict[str, Any] = {"lang": self.language(), "limit": limit}
        if cursor:
            params["cursor"] = cursor
        return _review.validate_python(await self._json("GET", "/duplicates", params=params))

    async def dismiss(self, suggestion_id: int) -> DuplicateSuggestionOut:
        params = {"lang": self.language()}
        data = await self._json("POST", f"/duplicates/{suggestion_id}/dismiss", params=params)
        return DuplicateSuggestionOut.model_validate(data)

    async def merge(self, request: MergeRequest) -> MergeOut:
        return MergeOut.model_validate(await self._json("POST", "/customers/merge", json=request.model_dump()))

    async def unmerge(self, merge_id: int) -> MergeOut:
        return MergeOut.model_validate(await self._json("POST", f"/merges/{merge_id}/unmerge"))

    async def timeline(
        self, customer_id: int, query: TimelineQuery | None = None, *, before: str | None = None, limit: int = 50
    ) -> Page[TimelineItem]:
        """A page of the history, newest first; `next_cursor` leads to older items."""
        params: list[tuple[str, str | int]] = [("limit", limit)]
        if query is not None:
            params += [("kinds", kind) for kind in query.kinds]
            if query.channel_id is not None:
                params.append(("channel_id", query.channel_id))
        if before:
            params.append(("before", before))
        return _timeline.validate_python(await self._json("GET", f"/customers/{customer_id}/timeline", params=params))


def interface_language() -> str:
    return QLocale().name().split("_")[0] or "en"


class CustomerDesk(QObject):
    """The customer side of the signed-in workspace, for views: calls, fresh cards, and live changes.

    It listens to the store's raw events (one stream per operator, nothing extra opened) and announces:
    `customerChanged` with a fresh card, `timelineTouched` when something new belongs on a customer's timeline,
    `mergeChanged` after a merge or unmerge (both customer ids concerned).
    """

    customerChanged = Signal(object)  # CustomerOut
    timelineTouched = Signal(int)  # customer id
    mergeChanged = Signal(object)  # MergeOut
    messageChanged = Signal(object)  # MessageOut (delivery state of an item already on a timeline)

    def __init__(self, workspace: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.store = workspace.store
        self.tasks = workspace.tasks
        self.cards: dict[int, CustomerOut] = {}
        self.watched: set[int] = set()  # customers on screen: their cards follow conversation changes
        self._stale: set[int] = set()
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(300)  # a burst of conversation updates costs one card read
        self._refresh_timer.timeout.connect(self._refresh_stale)
        self._api: CustomerApi | None = None
        self.store.eventApplied.connect(self.apply_event)
        self.store.conversationChanged.connect(self._conversation_changed)

    # --- the calls ------------------------------------------------------------------------------------------

    @property
    def user(self) -> UserOut | None:
        return self.store.user

    @property
    def api(self) -> CustomerApi:
        client = self.workspace.api
        if client is None:
            raise SessionExpired("not signed in")
        if self._api is None or self._api.api is not client:
            self._api = CustomerApi(client, interface_language)
        return self._api

    def channel_name(self, channel_id: int | None) -> str:
        channel = self.store.channels.get(channel_id) if channel_id is not None else None
        return channel.name if channel else ""

    def channel_kind(self, channel_id: int | None) -> str:
        channel = self.store.channels.get(channel_id) if channel_id is not None else None
        return str(channel.kind) if channel else ""

    def forget(self) -> None:
        """Logout: no card of the last user's customers stays in memory."""
        self.cards.clear()
        self.watched.clear()
        self._stale.clear()
        self._refresh_timer.stop()

    def put_card(self, card: CustomerOut) -> CustomerOut:
        self.cards[card.id] = card
        self.customerChanged.emit(card)
        return card

    async def card(self, customer_id: int) -> CustomerOut:
        return self.put_card(await self.api.customer(customer_id))

    async def update(self, customer_id: int, change: CustomerUpdate) -> CustomerOut:
        return self.put_card(await self.api.update(customer_id, change))

    async def create(self, draft: CustomerCreate) -> CustomerOut:
        return self.put_card(await self.api.create(draft))

    async def add_identity(self, customer_id: int, identity: IdentityIn) -> CustomerOut:
        return self.put_card(await self.api.add_identity(customer_id, identity))

    async def remove_identity(self, customer_id: int, identity_id: int) -> CustomerOut:
        return self.put_card(await self.api.remove_identity(customer_id, identity_id))

    async def merge(self, request: MergeRequest) -> MergeOut:
        merged = await self.api.merge(request)
        self._merge_done(merged)
        return merged

    async def unmerge(self, merge_id: int) -> MergeOut:
        restored = await self.api.unmerge(merge_id)
        self._merge_done(restored)
        return restored

    def _merge_done(self, merge: MergeOut) -> None:
        for card in (merge.survivor, merge.other):
            if card is not None:
                self.put_card(card)
        if merge.other is None:
            self.cards.pop(merge.other_id, None)  # merged away: its card is no longer current
        self.mergeChanged.emit(merge)
        self.timelineTouched.emit(merge.survivor_id)
        self.timelineTouched.emit(merge.other_id)

    # --- live -----------------------------------------------------------------------------------------------

    def customer_of_conversation(self, conversation_id: int) -> int | None:
        conversation = self.store.conversation(conversation_id)
        return conversation.customer.id if conversation is not None else None

    def apply_event(self, event: Event) -> None:
        kind = str(event.type)
        if kind == CustomerEventType.CUSTOMER_UPDATED:
            self.put_card(CustomerEventPayload.model_validate(event.payload).customer)
        elif kind in (CustomerEventType.CUSTOMER_MERGED, CustomerEventType.CUSTOMER_UNMERGED):
            self._merge_done(MergeEventPayload.model_validate(event.payload).merge)
        elif kind == CustomerEventType.TIMELINE_ITEM:
            self.timelineTouched.emit(TimelineEventPayload.model_validate(event.payload).customer_id)
        elif kind in (EventType.MESSAGE_CREATED, EventType.MESSAGE_UPDATED):
            message = MessageEventPayload.model_validate(event.payload).message
            if kind == EventType.MESSAGE_UPDATED:
                self.messageChanged.emit(message)
            customer_id = self.customer_of_conversation(message.conversation_id)
            if customer_id is not None and kind == EventType.MESSAGE_CREATED:
                self.timelineTouched.emit(customer_id)

    def _conversation_changed(self, conversation: Any) -> None:
        # Status changes and assignments reach the store as conversation.updated (or an action's answer).
        customer_id = conversation.customer.id
        self.timelineTouched.emit(customer_id)
        if customer_id in self.watched:
            self._stale.add(customer_id)
            self._refresh_timer.start()

    def _refresh_stale(self) -> None:
        stale, self._stale = self._stale, set()
        for customer_id in stale & self.watched:
            self.tasks.spawn(self._quiet_refresh(customer_id), name="customer-card-refresh")

    async def _quiet_refresh(self, customer_id: int) -> None:
        try:
            await self.card(customer_id)  # e.g. the count of open conversations changed
        except Exception:  # a background refresh; the operator's next action reports real trouble
            return
