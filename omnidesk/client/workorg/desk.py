"""The Qt-side object of work organisation: runs the calls, follows the events, and announces changes as signals.

Views (the presence selector, the board, the transfer dialog, the canned reply picker, the rule editor) talk to it;
it never touches a widget. Events arrive through the store (``Store.eventApplied``); the board state is updated from
them, never by polling the server.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Awaitable, Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from omnidesk.client.api import ApiError, ServerUnreachable
from omnidesk.client.workorg.api import WorkApi
from omnidesk.client.workorg.board_state import BoardState
from omnidesk.domain.enums import EventType, Role
from omnidesk.protocol import ConversationEventPayload, Event
from omnidesk.protocol.workorg import ActivityOut, MentionOut, OfferOut, PresenceOut

BACKGROUND = {"activity", "presence-heartbeat"}  # calls the operator did not ask for
TYPING_FADES = 8.0
VIEWING_FADES = 45.0


class WorkDesk(QObject):
    presenceChanged = Signal(object)  # PresenceOut of anyone (the caller's own included)
    peopleLoaded = Signal()  # the presence list was read afresh (GET /presence)
    myPresenceChanged = Signal(str)
    boardLoaded = Signal()
    boardChanged = Signal(object, object)  # queue ids, operator ids whose figures changed
    mentioned = Signal(object)  # MentionOut for the signed-in user
    taken = Signal(object)  # ConversationOut the caller took with "take next"
    nothingWaiting = Signal()
    failed = Signal(object)
    activityChanged = Signal(int)  # conversation id whose viewers or typists changed
    rulesChanged = Signal()  # someone changed the routing rules
    offered = Signal(object)  # OfferOut: push mode offers the caller a conversation (accept or decline)
    offerEnded = Signal(object)  # OfferOut with its outcome (accepted, declined, expired, withdrawn)
    reassigned = Signal(object)  # BulkAssignOut of a reassignment, or the ApiError that refused all of it

    def __init__(self, workspace: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.board = BoardState()
        self.presence: dict[int, PresenceOut] = {}
        self.my_status = "offline"
        self._wanted: str | None = None  # the last presence asked for (the answer sets my_status)
        self.queues: dict[int, str] = {}
        self.mentions: list[MentionOut] = []
        self.board_live = False
        self._api = WorkApi(workspace._require_api)
        self.activity: dict[int, dict[int, tuple[ActivityOut, float]]] = {}
        # Offline, an action the operator asked for is refused in words (the window's banner and status bar say the
        # text; True means refused). The window sets it; alone (tests) nothing is refused.
        self.refuse_offline: Callable[[str], bool] = lambda _what: False
        self._session = 0  # forget() starts a new one: answers to the last user's calls are dropped
        workspace.store.eventApplied.connect(self.apply_event)

    @property
    def api(self) -> WorkApi:
        return self._api

    @property
    def me(self):
        return self.workspace.store.user

    def is_supervisor(self) -> bool:
        return self.me is not None and Role(self.me.role).at_least(Role.SUPERVISOR)

    def run(self, work: Awaitable[Any], name: str, done: Callable[[Any], None] | None = None) -> None:
        session = self._session

        async def wrapped() -> None:
            try:
                result = await work
            except Exception as error:  # the operator hears it in the status bar
                # ...but not a background call that found no server: the offline banner says so already, and the
                # status bar keeps what the operator was told about their own action (defect 7).
                quiet = name in BACKGROUND and isinstance(error, ServerUnreachable)
                if session == self._session and not quiet:
                    self.failed.emit(error)
                return
            if session != self._session:
                return  # the session ended meanwhile: its answer is no business of the next user's
            if done is not None:
                try:
                    done(result)
                except Exception as error:  # a bug in showing the answer: reported, never swallowed
                    self.failed.emit(error)

        self.workspace.tasks.spawn(wrapped(), name=name)

    # --- events ---------------------------------------------------------------------------------------------

    def apply_event(self, event: Event) -> None:
        if event.type in (EventType.CONVERSATION_CREATED, EventType.CONVERSATION_UPDATED) and self.board_live:
            conversation = ConversationEventPayload.model_validate(event.payload).conversation
            queues, operators = self.board.apply_conversation(conversation)
            if queues or operators:
                self.boardChanged.emit(queues, operators)
        elif event.type == EventType.PRESENCE_UPDATED:
            presence = PresenceOut.model_validate(event.payload["presence"])
            self.presence[presence.user_id] = presence
            if self.me is not None and presence.user_id == self.me.id:
                self.my_status = presence.status.value
                self.myPresenceChanged.emit(self.my_status)
            if self.board_live and self.board.apply_presence(presence):
                self.boardChanged.emit(set(), {presence.user_id})
            self.presenceChanged.emit(presence)
        elif event.type == EventType.ROUTING_CHANGED:
            self.rulesChanged.emit()
        elif event.type == EventType.CONVERSATION_ACTIVITY:
            seen = ActivityOut.model_validate(event.payload["activity"])
            # The web chat visitor typing is no colleague: the visitor panel (mail feature) shows it.
            if not seen.visitor and (self.me is None or seen.user_id != self.me.id):
                self.activity.setdefault(seen.conversation_id, {})[seen.user_id] = (seen, time.monotonic())
                self.activityChanged.emit(seen.conversation_id)
        elif event.type in (EventType.ASSIGNMENT_OFFERED, EventType.ASSIGNMENT_OFFER_ENDED):
            offer = OfferOut.model_validate(event.payload["offer"])
            if self.board_live:
                queues, operators = self.board.apply_offer(offer)
                if queues or operators:
                    self.boardChanged.emit(queues, operators)
            # The board's audience (the queue, supervisors) hears every offer; the notice is for its operator only.
            if self.me is not None and offer.user_id == self.me.id:
                (self.offered if event.type == EventType.ASSIGNMENT_OFFERED else self.offerEnded).emit(offer)
        elif event.type == EventType.MENTION_CREATED:
            mention = MentionOut.model_validate(event.payload["mention"])
            if self.me is not None and mention.author_name != self.me.display_name:
                self.mentions.insert(0, mention)
                self.mentioned.emit(mention)

    def forget(self) -> None:
        """The session ended: nothing of the last user's board, colleagues, mentions or activity stays (defect 2)."""
        self.board = BoardState()
        self.board_live = False
        self.presence = {}
        self.queues = {}
        self.mentions = []
        self.activity = {}
        self.my_status = "offline"
        self._wanted = None  # the next user's sign-in asks for "online" afresh
        self._session += 1
        self.boardChanged.emit(set(), set())
        self.peopleLoaded.emit()

    # --- actions ----------------------------------------------------------------------------------------------

    def signed_in(self) -> bool:
        return getattr(self.workspace, "api", None) is not None

    def set_presence(self, status: str) -> None:
        if status == self._wanted or not self.signed_in():
            return
        self._wanted = status

        def done(presence: PresenceOut) -> None:
            self.presence[presence.user_id] = presence
            self.my_status = presence.status.value
            self.myPresenceChanged.emit(self.my_status)

        self.run(self.api.set_presence(status), "presence", done)

    def heartbeat(self) -> None:
        """Tell the server this client is alive (its silence would mean a lost client: offline)."""
        if self.signed_in() and self.my_status != "offline":
            self.run(self.api.set_presence(self.my_status), "presence-heartbeat")

    def take_next(self) -> None:
        refused = self.tr("You are offline: no conversation was taken. Try again when the connection is back.")
        if self.refuse_offline(refused):
            return

        def done(conversation) -> None:
            if conversation is None:
                self.nothingWaiting.emit()
                return
            self.workspace.store.put_conversation(conversation)
            self.taken.emit(conversation)

        self.run(self.api.take_next(), "take-next", done)

    def load_offers(self) -> None:
        """Offers made before this client connected (the stream brings the later ones)."""

        def done(offers: list[OfferOut]) -> None:
            for offer in offers:
                self.offered.emit(offer)

        self.run(self.api.offers(), "offers", done)

    def accept_offer(self, offer: OfferOut) -> None:
        def done(conversation) -> None:
            self.workspace.store.put_conversation(conversation)
            self.taken.emit(conversation)  # opens it, as "take next" does

        self.run(self.api.accept_offer(offer.id), "offer-accept", done)

    def decline_offer(self, offer: OfferOut) -> None:
        self.run(self.api.decline_offer(offer.id), "offer-decline")

    def load_board(self) -> None:
        async def work():
            board = await self.api.board()
            queues = await self.api.queues()
            return board, queues

        def done(result) -> None:
            board, queues = result
            self.queues = {q.id: q.name for q in queues}
            self.board.load(board)
            self.board_live = True
            self.boardLoaded.emit()

        self.run(work(), "board", done)

    def load_people(self, done: Callable[[], None] | None = None) -> None:
        async def work():
            return await self.api.presence(), await self.api.queues()

        def loaded(result) -> None:
            people, queues = result
            self.presence = {p.user_id: p for p in people}
            self.queues = {q.id: q.name for q in queues}
            self.peopleLoaded.emit()
            if done is not None:
                done()

        self.run(work(), "people", loaded)

    def reassign(self, conversation_ids: list[int], *, user_id=None, queue_id=None) -> None:
        """Move conversations (the board's drop or "Move selected"); ``reassigned`` tells what moved and, in words,
        why any did not (or why the whole call failed). The board itself moves by the events that follow."""

        async def work():
            try:
                return await self.api.reassign(conversation_ids, user_id=user_id, queue_id=queue_id)
            except ApiError as error:
                return error

        self.run(work(), "reassign", self.reassigned.emit)

    def transfer(self, conversation_id: int, *, user_id=None, queue_id=None, note: str = "", done=None) -> None:
        def applied(conversation) -> None:
            self.workspace.store.put_conversation(conversation)
            if done is not None:
                done(conversation)

        self.run(self.api.transfer(conversation_id, user_id=user_id, queue_id=queue_id, note=note), "transfer", applied)

    def others(self, conversation_id: int) -> list[ActivityOut]:
        """Colleagues viewing or typing in this conversation now (typing fades after 8 s, viewing after 45 s)."""
        now = time.monotonic()
        fresh = []
        for seen, at in self.activity.get(conversation_id, {}).values():
            age = now - at
            if age < VIEWING_FADES:
                fresh.append(seen if age < TYPING_FADES else seen.model_copy(update={"typing": False}))
        return sorted(fresh, key=lambda a: a.display_name)

    def tell_activity(self, conversation_id: int, typing: bool) -> None:
        if self.signed_in():
            self.run(self.api.activity(conversation_id, typing), "activity")

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)
