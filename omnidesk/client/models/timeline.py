"""A customer's timeline as a Qt list model: newest first, paged from the server as the operator scrolls.

Rows are `TimelineItem`s in the server's order (time, then id, both descending). `fetchMore` reads the next
older page with the server's cursor. Live changes never reload the list: `refresh_head` reads the newest page
and inserts only the items that are not there yet (nothing doubled); if everything on that page is new, the
gap between it and the loaded rows cannot be known, so the list reads again from the top (nothing missed).
"""

from __future__ import annotations

import bisect
from collections.abc import Awaitable, Callable
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal

from omnidesk.client.customers import TimelineQuery
from omnidesk.client.models.rows import Index, RowList
from omnidesk.client.tasks import TaskRegistry
from omnidesk.protocol import MessageOut, Page
from omnidesk.protocol.customers import TimelineItem

__all__ = ["TimelineModel", "TimelineRole", "TimelineSource"]

TimelineSource = Callable[[int, TimelineQuery, str | None, int], Awaitable[Page[TimelineItem]]]


class TimelineRole(IntEnum):
    ITEM = Qt.ItemDataRole.UserRole + 1
    KIND = Qt.ItemDataRole.UserRole + 2
    AT = Qt.ItemDataRole.UserRole + 3
    CHANNEL_ID = Qt.ItemDataRole.UserRole + 4
    CONVERSATION_ID = Qt.ItemDataRole.UserRole + 5
    MERGE_ID = Qt.ItemDataRole.UserRole + 6
    ID = Qt.ItemDataRole.UserRole + 7
    TEXT = Qt.ItemDataRole.UserRole + 8


def _key(item: TimelineItem) -> tuple[float, int]:
    """Ascending sort key of the timeline order (newest first, then the higher id first)."""
    return (-item.at.timestamp(), -item.id)


def message_text(item: TimelineItem) -> str:
    message = item.payload.get("message")
    return str(message.get("text", "")) if isinstance(message, dict) else ""


class TimelineModel(RowList[TimelineItem]):
    loadingChanged = Signal()  # read `loading`; no bool in signals (PySide6 6.12 over-releases it)
    loadFailed = Signal(object)
    firstPageLoaded = Signal()

    def __init__(
        self,
        source: TimelineSource,
        tasks: TaskRegistry,
        parent: Any = None,
        *,
        page_size: int = 50,
        describe: Callable[[TimelineItem], str] = message_text,
    ) -> None:
        super().__init__(parent)
        self._source = source
        self._tasks = tasks
        self._page_size = page_size
        self.describe = describe
        self._customer_id: int | None = None
        self._query = TimelineQuery()
        self._ids: set[int] = set()
        self._keys: list[tuple[float, int]] = []
        self._next_cursor: str | None = None
        self._exhausted = True
        self._loading = False
        self._head_wanted = False
        self._generation = 0
        self._head_timer = QTimer(self)
        self._head_timer.setSingleShot(True)
        self._head_timer.setInterval(150)  # a burst of live events costs one read
        self._head_timer.timeout.connect(self._refresh_head_now)

    # --- Qt model interface ------------------------------------------------------------------------------

    def row_data(self, item: TimelineItem, role: int) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, TimelineRole.TEXT):
            return self.describe(item)
        if role == TimelineRole.ITEM:
            return item
        if role == TimelineRole.KIND:
            return item.kind
        if role == TimelineRole.AT:
            return item.at
        if role == TimelineRole.CHANNEL_ID:
            return item.channel_id
        if role == TimelineRole.CONVERSATION_ID:
            return item.conversation_id
        if role == TimelineRole.MERGE_ID:
            return item.payload.get("merge_id")
        if role == TimelineRole.ID:
            return item.id
        return None

    def roleNames(self) -> dict[int, bytes]:
        names = dict(super().roleNames())
        names.update({int(role): role.name.lower().encode() for role in TimelineRole})
        return names

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        return not parent.isValid() and not self._exhausted and not self._loading

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        if self.canFetchMore(parent):
            self._set_loading(True)
            self._tasks.spawn(self._load_page(self._next_cursor, self._generation), name="timeline-page")

    # --- what is shown -----------------------------------------------------------------------------------

    @property
    def customer_id(self) -> int | None:
        return self._customer_id

    @property
    def query(self) -> TimelineQuery:
        return self._query

    @property
    def loading(self) -> bool:
        return self._loading

    def item_at(self, row: int) -> TimelineItem | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def open(self, customer_id: int | None, query: TimelineQuery | None = None) -> None:
        """Show another customer (None: nothing), from its newest item."""
        self._customer_id = customer_id
        if query is not None:
            self._query = query
        self.reload()

    def set_query(self, query: TimelineQuery) -> None:
        if query != self._query:
            self._query = query
            self.reload()

    def reload(self) -> None:
        self._generation += 1
        self._head_timer.stop()
        self._head_wanted = False
        self.beginResetModel()
        self._rows, self._keys, self._ids = [], [], set()
        self._next_cursor, self._exhausted = None, True
        self.endResetModel()
        if self._customer_id is None:
            self._set_loading(False)
            return
        self._set_loading(True)
        self._tasks.spawn(self._load_page(None, self._generation), name="timeline-page")

    def _set_loading(self, loading: bool) -> None:
        if loading != self._loading:
            self._loading = loading
            self.loadingChanged.emit()

    async def _read(self, cursor: str | None, generation: int) -> Page[TimelineItem] | None:
        """A page from the server, or None when it failed (reported) or belongs to another customer or filter."""
        customer_id = self._customer_id
        assert customer_id is not None
        try:
            page = await self._source(customer_id, self._query, cursor, self._page_size)
        except Exception as error:
            if generation == self._generation:
                self._set_loading(False)
                self.loadFailed.emit(error)
            return None
        return page if generation == self._generation else None

    async def _load_page(self, cursor: str | None, generation: int) -> None:
        page = await self._read(cursor, generation)
        if page is None:
            return
        fresh = sorted((item for item in page.items if item.id not in self._ids), key=_key)
        self._next_cursor = page.next_cursor
        self._exhausted = page.next_cursor is None
        if fresh:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
            self._rows.extend(fresh)
            self._keys.extend(_key(item) for item in fresh)
            self._ids.update(item.id for item in fresh)
            self.endInsertRows()
        self._set_loading(False)
        if cursor is None:
            self.firstPageLoaded.emit()
        if self._head_wanted:
            self.refresh_head()

    # --- live ----------------------------------------------------------------------------------------------

    def refresh_head(self) -> None:
        """Something new belongs on this timeline: read the newest page soon and add what is missing."""
        if self._customer_id is None:
            return
        self._head_wanted = True
        if not self._loading:
            self._head_timer.start()

    def _refresh_head_now(self) -> None:
        if self._loading or self._customer_id is None:
            return
        self._head_wanted = False
        self._set_loading(True)
        self._tasks.spawn(self._load_head(self._generation), name="timeline-head")

    async def _load_head(self, generation: int) -> None:
        page = await self._read(None, generation)
        if page is None:
            return
        self._set_loading(False)
        fresh = [item for item in page.items if item.id not in self._ids and self._query.admits(item)]
        if not fresh:
            self._replace_changed(page.items)
            return
        if self._rows and len(fresh) == len(page.items) and page.next_cursor is not None:
            self.reload()  # more news than a page: the gap is unknown, read again
            return
        for item in sorted(fresh, key=_key, reverse=True):
            self._insert(item)
        self._replace_changed(page.items)
        if self._head_wanted:
            self.refresh_head()

    def _insert(self, item: TimelineItem) -> None:
        key = _key(item)
        row = bisect.bisect_left(self._keys, key)
        if row == len(self._rows) and not self._exhausted:
            return  # older than everything loaded: it comes with a later page
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.insert(row, item)
        self._keys.insert(row, key)
        self._ids.add(item.id)
        self.endInsertRows()

    def _replace_changed(self, items: list[TimelineItem]) -> None:
        by_id = {item.id: item for item in items}
        for row, current in enumerate(self._rows):
            newer = by_id.get(current.id)
            if newer is not None and newer != current:
                self._rows[row] = newer
                changed = self.index(row, 0)
                self.dataChanged.emit(changed, changed)

    def update_message(self, message: MessageOut) -> None:
        """A message on this timeline changed (its delivery state): repaint its row."""
        for row, item in enumerate(self._rows):
            shown = item.payload.get("message")
            if isinstance(shown, dict) and shown.get("id") == message.id:
                payload = dict(item.payload, message=message.model_dump(mode="json"))
                self._rows[row] = item.model_copy(update={"payload": payload})
                changed = self.index(row, 0)
                self.dataChanged.emit(changed, changed)
                return
