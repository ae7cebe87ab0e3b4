"""The history of the open conversation, newest at the bottom, older pages loaded on scroll-up.

Rows are the server's messages in time order, followed by the operator's replies still waiting in the
outbox. When the server acknowledges a reply (or its message.created event arrives, whichever is first)
the waiting row becomes the server's message in place; delivery changes repaint the row.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal

from omnidesk.client.models.rows import Index, RowList
from omnidesk.client.outbox import PendingReply
from omnidesk.client.store import Store
from omnidesk.client.tasks import TaskRegistry
from omnidesk.domain.enums import Direction, MessageKind
from omnidesk.protocol import MessageOut, Page

__all__ = ["MessageRole", "MessagesModel"]

Row = MessageOut | PendingReply

WAITING = "waiting"  # in the local outbox, the server has not acknowledged it yet
REFUSED = "refused"  # the server refused it; the text stays with the reason


class MessageRole(IntEnum):
    MESSAGE = Qt.ItemDataRole.UserRole + 1
    DIRECTION = Qt.ItemDataRole.UserRole + 2
    KIND = Qt.ItemDataRole.UserRole + 3
    SENT_AT = Qt.ItemDataRole.UserRole + 4
    DELIVERY = Qt.ItemDataRole.UserRole + 5
    DELIVERY_ERROR = Qt.ItemDataRole.UserRole + 6
    AUTHOR = Qt.ItemDataRole.UserRole + 7
    KEY = Qt.ItemDataRole.UserRole + 8
    LAYOUT_KEY = Qt.ItemDataRole.UserRole + 9  # (KEY, DELIVERY, PREVIEW?): what a bubble's size depends on
    PREVIEW = Qt.ItemDataRole.UserRole + 10  # the QPixmap of the message's picture, shown in its bubble
    MARKS = Qt.ItemDataRole.UserRole + 11  # ("edited", "deleted", "echo"): what happened to it on its platform
    VOICE = Qt.ItemDataRole.UserRole + 12  # attachments.voice.VoiceState of its voice note, played in its bubble


def _key(row: Row) -> str:
    return f"k:{row.client_key}" if isinstance(row, PendingReply) else f"m:{row.id}"


PageSource = Callable[[int, str | None], Awaitable[Page[MessageOut]]]
PendingSource = Callable[[int], list[PendingReply]]


class MessagesModel(RowList[MessageOut | PendingReply]):
    newestPageLoaded = Signal()  # no bool in signals: PySide6 6.12 over-releases a Python bool passed to a Python slot
    olderPageLoaded = Signal()
    loadFailed = Signal(object)

    def __init__(
        self,
        store: Store,
        source: PageSource,
        pending: PendingSource,
        tasks: TaskRegistry,
        parent: Any = None,
        page_size: int = 50,
    ) -> None:
        super().__init__(parent)
        self._source = source
        self._pending = pending
        self._tasks = tasks
        self._page_size = page_size
        self._preview: Callable[[int], Any] = lambda _message_id: None
        self._marks: Callable[[int], tuple[str, ...]] = lambda _message_id: ()
        self._voice: Callable[[int], Any] = lambda _message_id: None
        self.conversation_id: int | None = None
        self._row_of: dict[str, int] = {}
        self._older_cursor: str | None = None
        self._loading = False
        self._generation = 0
        self._deferred: list[tuple[MessageOut, bool]] = []
        store.messageAdded.connect(lambda message: self._message_arrived(message, created=True))
        store.messageChanged.connect(lambda message: self._message_arrived(message, created=False))
        store.replyQueued.connect(self._reply_queued)
        store.replyRefused.connect(self._reply_refused)

    # --- Qt model interface ----------------------------------------------------------------------------

    def row_data(self, row: Row, role: int) -> Any:
        local = isinstance(row, PendingReply)
        if role == Qt.ItemDataRole.DisplayRole:
            return row.text
        if role == MessageRole.MESSAGE:
            return row
        if role == MessageRole.DIRECTION:
            return str(Direction.OUT) if local else str(row.direction)
        if role == MessageRole.KIND:
            if local:  # a note waits in the outbox as replies do (defect 7)
                return str(MessageKind.NOTE) if row.details.get("kind") == "note" else str(MessageKind.TEXT)
            return str(row.kind)
        if role == MessageRole.SENT_AT:
            return row.created if local else row.sent_at
        if role == MessageRole.DELIVERY:
            if local:
                return REFUSED if row.error else WAITING
            return str(row.delivery_status) if row.delivery_status else None
        if role == MessageRole.DELIVERY_ERROR:
            return row.error if local else row.delivery_error
        if role == MessageRole.AUTHOR:
            return None if local else row.author_name
        if role == MessageRole.KEY:
            return _key(row)
        if role == MessageRole.LAYOUT_KEY:
            delivery = (REFUSED if row.error else WAITING) if local else row.delivery_status
            marks = () if local else self._marks(row.id)
            voice = not local and self._voice(row.id) is not None
            return (_key(row), str(delivery), not local and self._preview(row.id) is not None, marks, voice)
        if role == MessageRole.PREVIEW:
            return None if local else self._preview(row.id)
        if role == MessageRole.MARKS:
            return () if local else self._marks(row.id)
        if role == MessageRole.VOICE:
            return None if local else self._voice(row.id)
        return None

    def set_marks(self, marks: Callable[[int], tuple[str, ...]]) -> None:
        """Where a message's marks come from (message id → ("edited", ...)): the conversation's details."""
        self._marks = marks

    def set_voices(self, voices: Callable[[int], Any]) -> None:
        """Where the voice notes' player states come from (message id → VoiceState or None)."""
        self._voice = voices

    def set_previews(self, previews: Callable[[int], Any]) -> None:
        """Where the pictures' previews come from (message id → QPixmap or None): the conversation's files panel."""
        self._preview = previews

    def preview_arrived(self, message_id: int) -> QModelIndex:
        """A message's preview is in: its row repaints (and grows); returns its index (invalid when not shown)."""
        row = self._row_of.get(f"m:{message_id}", -1)
        if row < 0:
            return QModelIndex()
        index = self.index(row, 0)
        self.dataChanged.emit(index, index)
        return index

    # Older pages are fetched on scroll-UP, so Qt's own bottom-of-view fetchMore stays off.
    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        return False

    # --- the operator's view of it -------------------------------------------------------------------------

    @property
    def loading(self) -> bool:
        return self._loading

    def can_fetch_older(self) -> bool:
        return self.conversation_id is not None and self._older_cursor is not None and not self._loading

    def fetch_older(self) -> None:
        if self.can_fetch_older():
            self._load(self._older_cursor)

    def open(self, conversation_id: int | None) -> None:
        self._generation += 1
        self.beginResetModel()
        self.conversation_id = conversation_id
        self._rows, self._row_of, self._older_cursor, self._deferred = [], {}, None, []
        self._loading = conversation_id is not None
        self.endResetModel()
        if conversation_id is not None:
            self._tasks.spawn(self._load_page(conversation_id, None, self._generation), name="message-page")

    def row_of(self, key: str) -> int:
        return self._row_of.get(key, -1)

    # --- loading ----------------------------------------------------------------------------------------

    def _load(self, cursor: str | None) -> None:
        self._loading = True
        assert self.conversation_id is not None
        self._tasks.spawn(self._load_page(self.conversation_id, cursor, self._generation), name="message-page")

    async def _load_page(self, conversation_id: int, cursor: str | None, generation: int) -> None:
        try:
            page = await self._source(conversation_id, cursor)
        except Exception as error:
            if generation == self._generation:
                self._loading = False
                self.loadFailed.emit(error)
            return
        if generation != self._generation:
            return
        self._older_cursor = page.next_cursor
        newest_page = cursor is None
        rows: list[Row] = [message for message in page.items if _key(message) not in self._row_of]
        if newest_page:
            known = {message.client_key for message in page.items if message.client_key}
            rows += [reply for reply in self._pending(conversation_id) if reply.client_key not in known]
        if rows:
            self.beginInsertRows(QModelIndex(), 0, len(rows) - 1)
            self._rows[0:0] = rows
            self._reindex(0)
            self.endInsertRows()
        self._loading = False
        deferred, self._deferred = self._deferred, []
        for message, created in deferred:
            self._message_arrived(message, created=created)
        (self.newestPageLoaded if newest_page else self.olderPageLoaded).emit()

    def _reindex(self, start: int) -> None:
        for row in range(start, len(self._rows)):
            self._row_of[_key(self._rows[row])] = row

    # --- live changes --------------------------------------------------------------------------------------

    def _replace(self, row: int, new: Row) -> None:
        old = self._rows[row]
        del self._row_of[_key(old)]
        self._rows[row] = new
        self._row_of[_key(new)] = row
        changed = self.index(row, 0)
        self.dataChanged.emit(changed, changed)

    def _append(self, new: Row) -> None:
        row = len(self._rows)
        if isinstance(new, MessageOut):
            # Keep time order among server messages; waiting replies always stay last.
            while row > 0:
                before = self._rows[row - 1]
                if isinstance(before, PendingReply) or _sorts_after(before, new):
                    row -= 1
                else:
                    break
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.insert(row, new)
        self._reindex(row)
        self.endInsertRows()

    def _message_arrived(self, message: MessageOut, *, created: bool) -> None:
        if message.conversation_id != self.conversation_id:
            return
        if self._loading and self._older_cursor is None and not self._rows:
            self._deferred.append((message, created))  # the first page is in flight
            return
        row = self._row_of.get(_key(message), -1)
        if row < 0 and message.client_key:
            row = self._row_of.get(f"k:{message.client_key}", -1)
        if row >= 0:
            current = self._rows[row]
            if isinstance(current, MessageOut) and _stale(message, current):
                return
            self._replace(row, message)
        elif created:
            self._append(message)

    def _reply_queued(self, reply: PendingReply) -> None:
        if reply.conversation_id == self.conversation_id and _key(reply) not in self._row_of:
            self._append(reply)

    def _reply_refused(self, reply: PendingReply) -> None:
        row = self._row_of.get(_key(reply), -1)
        if row >= 0:
            self._replace(row, reply)


def _sorts_after(existing: MessageOut, new: MessageOut) -> bool:
    return (existing.sent_at, existing.id) > (new.sent_at, new.id)


_DELIVERY_RANK = {None: 0, "queued": 1, "sent": 3, "delivered": 4, "read": 5, "failed": 6}  # failed is final


def _stale(incoming: MessageOut, current: MessageOut) -> bool:
    """An older snapshot of a message (e.g. the reply's 201 arriving after its "sent" event)."""
    return _DELIVERY_RANK.get(incoming.delivery_status, 0) < _DELIVERY_RANK.get(current.delivery_status, 0)
