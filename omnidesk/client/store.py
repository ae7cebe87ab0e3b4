"""The client's state of the desk: who is signed in, the channels, and the conversations it has seen.

The store applies the server's events and announces each change with a signal carrying the protocol
object; the Qt models listen and translate a change into precise row signals. Nothing here does I/O.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QObject, Signal

from omnidesk.client.outbox import PendingReply
from omnidesk.domain.enums import EventType
from omnidesk.protocol import (
    ChannelOut,
    ConversationEventPayload,
    ConversationOut,
    Event,
    MessageEventPayload,
    MessageOut,
    UserOut,
)

__all__ = ["Store"]


class Store(QObject):
    userChanged = Signal(object)  # UserOut | None
    conversationChanged = Signal(object)  # ConversationOut, new or updated
    messageAdded = Signal(object)  # MessageOut
    messageChanged = Signal(object)  # MessageOut (delivery state, edits)
    replyQueued = Signal(object)  # PendingReply, written to the outbox, not acknowledged yet
    replyRefused = Signal(object)  # PendingReply the server refused for good (its .error says why)
    linkChanged = Signal(str, float)  # LinkState value, seconds to the next retry (-1: none)
    failed = Signal(object)  # an exception the operator should hear about
    eventApplied = Signal(object)  # every Event from the stream, after the store applied it (customer views listen)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.user: UserOut | None = None
        self.permissions: frozenset[str] = frozenset()  # Permission values (client/permissions.py)
        self.user_names: dict[int, str] = {}  # colleagues' display names, learnt from conversations and messages
        self.channels: dict[int, ChannelOut] = {}
        self.conversations: dict[int, ConversationOut] = {}
        # Conversations with unread messages (not resolved), known whether or not their rows are held: the tray's
        # count, kept as changes arrive rather than counted over every conversation seen.
        self.unread: set[int] = set()
        self.pinned: set[int] = set()  # never forgotten (the open conversation)
        self._field_sets: dict[tuple[type, frozenset[str]], set[str]] = {}
        self.link_state = "connecting"
        self.retry_in: float | None = None

    def set_user(self, user: UserOut | None, permissions: frozenset[str] | None = None) -> None:
        from omnidesk.client.permissions import effective_permissions

        self.user = user
        self.permissions = frozenset(permissions) if permissions is not None else effective_permissions(user)
        if user is None:
            self.channels.clear()
            self.conversations.clear()
            self.unread.clear()
            self.user_names.clear()
        self.userChanged.emit(user)

    def may(self, permission: str) -> bool:
        return permission in self.permissions

    def set_channels(self, channels: list[ChannelOut]) -> None:
        self.channels = {channel.id: channel for channel in channels}

    def set_link(self, state: str, retry_in: float | None) -> None:
        self.link_state, self.retry_in = state, retry_in
        self.linkChanged.emit(state, -1.0 if retry_in is None else float(retry_in))

    def _compact(self, conversation: ConversationOut) -> None:
        """A long inbox (100,000 conversations paged through) keeps one object per row: what is the same in every
        row is kept once. Rows of one channel share its ChannelOut, and rows read alike share pydantic's record of
        which fields the server sent (a set per object, 700 bytes: a third of a row). Conversations are read-only on
        the client (changes arrive as new objects), and ``model_copy`` copies that record, so sharing it is safe."""
        channel = self.channels.get(conversation.channel.id)
        if channel is not None and channel == conversation.channel:
            conversation.__dict__["channel"] = channel
        for model in (conversation, conversation.customer):
            fields = model.__pydantic_fields_set__
            shared = self._field_sets.setdefault((type(model), frozenset(fields)), fields)
            if shared is not fields:
                object.__setattr__(model, "__pydantic_fields_set__", shared)

    def conversation(self, conversation_id: int) -> ConversationOut | None:
        return self.conversations.get(conversation_id)

    def _learn_names(self, conversation: ConversationOut) -> None:
        if conversation.assignee_id is not None and conversation.assignee_name:
            self.user_names[conversation.assignee_id] = conversation.assignee_name

    def _keep(self, conversation: ConversationOut) -> None:
        self._learn_names(conversation)
        self.channels.setdefault(conversation.channel.id, conversation.channel)
        self._compact(conversation)
        self.conversations[conversation.id] = conversation
        if conversation.unread_count and conversation.status != "resolved":
            self.unread.add(conversation.id)
        else:
            self.unread.discard(conversation.id)

    def freshest(self, conversation: ConversationOut) -> ConversationOut:
        """``conversation``, or the copy the store holds when that one is newer (a higher revision: the server's
        count of the row's changes). Copies arrive out of order: an event sequenced after a page was read can carry
        the state from before it, and a page read while an event was on its way can be older than the event."""
        held = self.conversations.get(conversation.id)
        return held if held is not None and held.revision > conversation.revision else conversation

    def put_conversation(self, conversation: ConversationOut) -> bool:
        """A state of a conversation arrived (event or an action's answer): kept and announced unless the store
        holds a newer one (False then: nothing changes)."""
        if self.freshest(conversation) is not conversation:
            return False
        self._keep(conversation)
        self.conversationChanged.emit(conversation)
        return True

    def note_conversations(self, conversations: list[ConversationOut]) -> list[ConversationOut]:
        """Remember conversations read from a page, without announcing them as changes; the freshest copy of each,
        in the page's order (where the store holds a newer one than the page, that one)."""
        kept = []
        for conversation in conversations:
            freshest = self.freshest(conversation)
            if freshest is conversation:
                self._keep(conversation)
            kept.append(freshest)
        return kept

    def forget(self, conversation_ids: Iterable[int]) -> None:
        """The inbox let go of these rows (far from where the operator is): keep no copy of them, except the open
        conversation and the operator's own (a notification names their customer). A forgotten one is read again
        with its page, or comes back with its next event."""
        me = self.user.id if self.user is not None else None
        for conversation_id in conversation_ids:
            conversation = self.conversations.get(conversation_id)
            if conversation is None or conversation_id in self.pinned:
                continue
            if me is not None and conversation.assignee_id == me:
                continue
            del self.conversations[conversation_id]

    def put_message(self, message: MessageOut, *, created: bool) -> None:
        if message.author_id is not None and message.author_name:
            self.user_names[message.author_id] = message.author_name
        (self.messageAdded if created else self.messageChanged).emit(message)

    def apply_event(self, event: Event) -> None:
        if event.type in (EventType.CONVERSATION_CREATED, EventType.CONVERSATION_UPDATED):
            self.put_conversation(ConversationEventPayload.model_validate(event.payload).conversation)
        elif event.type in (EventType.MESSAGE_CREATED, EventType.MESSAGE_UPDATED):
            message = MessageEventPayload.model_validate(event.payload).message
            self.put_message(message, created=event.type == EventType.MESSAGE_CREATED)
        self.eventApplied.emit(event)

    def queue_reply(self, reply: PendingReply) -> None:
        self.replyQueued.emit(reply)

    def refuse_reply(self, reply: PendingReply) -> None:
        self.replyRefused.emit(reply)
