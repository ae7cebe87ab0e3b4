"""The unified inbox: conversations of every channel, newest activity first, paged from the server.

Only the pages the operator scrolled to are loaded (canFetchMore / fetchMore). Live changes from the store
land where they belong: a conversation with new activity moves to its place (beginMoveRows), a changed
one repaints (dataChanged), one that no longer matches the filter leaves, a new one is inserted.

The model is a window onto the list: it holds at most ``window`` rows (3,000 by default). An operator paging
deep into a desk of 100,000 conversations does not keep them all: once a page at the bottom takes the rows over
the window, whole pages at the top are let go (and the store forgets them), and scrolling back up reads them
again (``fetch_earlier``); reading earlier pages lets go of pages at the bottom the same way. The server's cursors
are keyset positions (after this sort key), so the model keeps each page's start as (cursor, key): a page let go
is read again from the cursor before it, whatever changed in between. Memory and each insert's relayout by the
view (Qt asks the model about every row) stay bounded by the window, not by the desk.
"""

from __future__ import annotations

import bisect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal

from omnidesk.client.models.rows import Index, RowList
from omnidesk.client.store import Store
from omnidesk.client.tasks import TaskRegistry
from omnidesk.domain.enums import ConversationStatus
from omnidesk.domain.sla import Countdown, countdown
from omnidesk.protocol import ConversationOut, Page

__all__ = ["InboxFilter", "InboxModel", "InboxRole"]


class InboxRole(IntEnum):
    CONVERSATION = Qt.ItemDataRole.UserRole + 1
    CUSTOMER = Qt.ItemDataRole.UserRole + 2
    PREVIEW = Qt.ItemDataRole.UserRole + 3
    LAST_ACTIVITY = Qt.ItemDataRole.UserRole + 4
    UNREAD = Qt.ItemDataRole.UserRole + 5
    CHANNEL_KIND = Qt.ItemDataRole.UserRole + 6
    STATUS = Qt.ItemDataRole.UserRole + 7
    ID = Qt.ItemDataRole.UserRole + 8
    WAITING_SINCE = Qt.ItemDataRole.UserRole + 9
    HOLDER = Qt.ItemDataRole.UserRole + 10  # the assignee's name, "" when unassigned


@dataclass(frozen=True)
class InboxFilter:
    """What the operator chose to see: statuses (empty = all) and whose conversations."""

    statuses: tuple[ConversationStatus, ...] = (ConversationStatus.OPEN, ConversationStatus.PENDING)
    assignee: str = "all"  # "me", "unassigned" or "all"
    order: str = "activity"  # "activity" (newest first) or "waiting" (longest-waiting customer first, only those)
    sla: str | None = None  # "soon" (past an SLA warning, not yet missed) or "breached"; None: any

    def query_assignee(self) -> str | None:
        return None if self.assignee == "all" else self.assignee

    def admits(self, conversation: ConversationOut, my_id: int | None) -> bool:
        if self.statuses and conversation.status not in self.statuses:
            return False
        if self.order == "waiting" and conversation.unanswered_since is None:
            return False  # answered: nobody waits
        if self.sla is not None and sla_state(conversation) != self.sla:
            return False
        if self.assignee == "me":
            return conversation.assignee_id is not None and conversation.assignee_id == my_id
        if self.assignee == "unassigned":
            return conversation.assignee_id is None
        return True


PageSource = Callable[[InboxFilter, str | None, int], Awaitable[Page[ConversationOut]]]  # filter, cursor, limit


def sla_state(conversation: ConversationOut, now: datetime | None = None) -> str | None:
    """ "breached" or "soon" (past the warning) as the inbox filter names them, None otherwise: the row's countdown
    by the domain's rule (domain.sla.countdown, the colour the row is painted in), so a live row joins or leaves the
    filtered list as the server's filter (sla.service.running_filters) would have it."""
    sla = conversation.sla
    if sla is None:
        return None
    state = countdown(sla.due_at, sla.warn_at, paused=sla.paused, breached=sla.breached, now=now or datetime.now(UTC))
    return {Countdown.BREACHED: "breached", Countdown.WARNING: "soon"}.get(state)


PAGE = 50  # the first page: what fills a window
PAGE_MAX = 200  # the server's largest page of conversations
WINDOW = 3000  # the most rows the model holds; pages beyond it are let go and read again on return

Key = tuple[float, int]


@dataclass(frozen=True)
class Bound:
    """Where a page of the list starts: the cursor that reads it and the sort key of the row before it
    (None: the start of the list)."""

    cursor: str | None
    key: Key | None


def page_size(loaded: int) -> int:
    """How many rows the next page asks for: 50 at first; deeper in a long list a fifth of what is loaded (at most
    200). Each page makes the list view lay out every loaded row again (Qt asks the model about each one), so an
    operator holding End through 100,000 conversations waits for ~550 pages instead of 2,000."""
    return max(PAGE, min(PAGE_MAX, loaded // 5))


def _order(conversation: ConversationOut, order: str = "activity") -> Key:
    """Ascending sort key of the inbox order: newest activity first (then higher id first), or the longest wait
    first (then lower id first), as the server pages them."""
    if order == "waiting":
        since = conversation.unanswered_since or conversation.last_message_at
        return (since.timestamp(), conversation.id)
    return (-conversation.last_message_at.timestamp(), -conversation.id)


class InboxModel(RowList[ConversationOut]):
    loadingChanged = Signal()  # read `loading`; no bool in signals (PySide6 6.12 over-releases it)
    loadFailed = Signal(object)

    windowShifted = Signal(int)  # rows added (> 0) or let go (< 0) above the first row the model held

    def __init__(
        self, store: Store, source: PageSource, tasks: TaskRegistry, parent: Any = None, *, window: int | None = None
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._source = source
        self._tasks = tasks
        self._window = max(WINDOW if window is None else window, 2 * PAGE_MAX)
        self._filter = InboxFilter()
        self._keys: list[Key] = []
        self._row_of: dict[int, int] = {}
        # The pages' starts, in list order; rows held sort after _bounds[_top] and up to the next cursor.
        self._bounds: list[Bound] = [Bound(None, None)]
        self._top = 0
        self._next_cursor: str | None = None
        self._exhausted = True
        self._loading = False
        self._generation = 0
        self._deferred: dict[int, ConversationOut] = {}  # changes that arrived while a page was loading
        # Conversations the server's pages do not list though the stream tells of them (one read along after a
        # mention, outside the operator's queues; client/workorg sets it): kept out of the live list too.
        self.unlisted: Callable[[ConversationOut], bool] = lambda _conversation: False
        store.conversationChanged.connect(self._conversation_changed)

    # --- Qt model interface ----------------------------------------------------------------------------

    def row_data(self, conversation: ConversationOut, role: int) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, InboxRole.CUSTOMER):
            return conversation.customer.name
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{conversation.customer.name} · {conversation.channel.name}"
        if role == InboxRole.CONVERSATION:
            return conversation
        if role == InboxRole.PREVIEW:
            return conversation.last_message_preview
        if role == InboxRole.LAST_ACTIVITY:
            return conversation.last_message_at
        if role == InboxRole.UNREAD:
            return conversation.unread_count
        if role == InboxRole.CHANNEL_KIND:
            return str(conversation.channel.kind)
        if role == InboxRole.STATUS:
            return str(conversation.status)
        if role == InboxRole.ID:
            return conversation.id
        if role == InboxRole.WAITING_SINCE:
            return conversation.unanswered_since
        if role == InboxRole.HOLDER:
            if conversation.assignee_id is None:
                return ""
            return conversation.assignee_name or f"#{conversation.assignee_id}"
        return None

    def roleNames(self) -> dict[int, bytes]:
        names = dict(super().roleNames())
        names.update({int(role): role.name.lower().encode() for role in InboxRole})
        return names

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        return not parent.isValid() and not self._exhausted and not self._loading

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        if self.canFetchMore(parent):
            self._load(self._next_cursor)

    def can_fetch_earlier(self) -> bool:
        """Pages above the first row were let go (the operator went deep): scrolling up reads them again."""
        return self._top > 0 and not self._loading

    def fetch_earlier(self) -> None:
        if self.can_fetch_earlier():
            self._set_loading(True)
            self._tasks.spawn(self._load_earlier(self._generation), name="inbox-page")

    @property
    def at_start(self) -> bool:
        """The first row held is the first of the list (no page above was let go)."""
        return self._top == 0

    # --- operator's view of it ---------------------------------------------------------------------------

    @property
    def filter(self) -> InboxFilter:
        return self._filter

    @property
    def loading(self) -> bool:
        return self._loading

    def set_filter(self, chosen: InboxFilter) -> None:
        self._filter = chosen
        self.reload()

    def reload(self) -> None:
        """Forget the rows and read the first page again (sign-in, filter change)."""
        self._generation += 1
        self.beginResetModel()
        self._forget(self._rows)
        self._rows, self._keys, self._row_of = [], [], {}
        self._bounds, self._top = [Bound(None, None)], 0
        # Loading from the start: views reacting to the reset must not ask for "more" meanwhile.
        self._next_cursor, self._exhausted, self._loading = None, False, True
        self._deferred.clear()
        self.endResetModel()
        self.loadingChanged.emit()
        self._tasks.spawn(self._load_page(None, self._generation), name="inbox-page")

    def clear(self) -> None:
        self._generation += 1
        self.beginResetModel()
        self._rows, self._keys, self._row_of = [], [], {}
        self._bounds, self._top = [Bound(None, None)], 0
        self._next_cursor, self._exhausted, self._loading = None, True, False
        self.endResetModel()

    def row_of(self, conversation_id: int) -> int:
        return self._row_of.get(conversation_id, -1)

    def conversation_at(self, row: int) -> ConversationOut | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    # --- loading -----------------------------------------------------------------------------------------

    def _set_loading(self, loading: bool) -> None:
        if loading != self._loading:
            self._loading = loading
            self.loadingChanged.emit()

    def _load(self, cursor: str | None) -> None:
        self._set_loading(True)
        self._tasks.spawn(self._load_page(cursor, self._generation), name="inbox-page")

    async def _load_page(self, cursor: str | None, generation: int) -> None:
        try:
            page = await self._source(self._filter, cursor, page_size(len(self._rows)) if cursor else PAGE)
        except Exception as error:
            if generation == self._generation:
                self._set_loading(False)
                self.loadFailed.emit(error)
            return
        if generation != self._generation:
            return  # the filter changed meanwhile: this page belongs to another list
        fresh = [conversation for conversation in page.items if conversation.id not in self._row_of]
        self._next_cursor = page.next_cursor
        self._exhausted = page.next_cursor is None
        if page.next_cursor is not None and page.items:
            self._bounds.append(Bound(page.next_cursor, self._key(page.items[-1])))
        if fresh:
            # A page continues the list; the rows arrive already sorted by the server.
            fresh.sort(key=self._key)
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
            self._rows.extend(fresh)
            self._keys.extend(self._key(conversation) for conversation in fresh)
            self._reindex(first)
            self.endInsertRows()
        self._let_go_of_top()
        self._loaded()

    async def _load_earlier(self, generation: int) -> None:
        """Read again the page above the first row held (and, if rows came into its part of the list meanwhile,
        on until the first row held), then let go of pages at the bottom beyond the window."""
        start, end = self._bounds[self._top - 1], self._bounds[self._top]
        assert end.key is not None
        found: list[ConversationOut] = []
        cursor = start.cursor
        try:
            while True:
                page = await self._source(self._filter, cursor, PAGE_MAX)
                if generation != self._generation:
                    return
                found.extend(c for c in page.items if self._key(c) <= end.key)
                last = self._key(page.items[-1]) if page.items else None
                if page.next_cursor is None or last is None or last >= end.key:
                    break
                cursor = page.next_cursor
        except Exception as error:
            if generation == self._generation:
                self._set_loading(False)
                self.loadFailed.emit(error)
            return
        self._top -= 1
        found = sorted({c.id: c for c in found if c.id not in self._row_of}.values(), key=self._key)
        if found:
            self.beginInsertRows(QModelIndex(), 0, len(found) - 1)
            self._rows[:0] = found
            self._keys[:0] = [self._key(c) for c in found]
            self._reindex(0)
            self.endInsertRows()
        self.windowShifted.emit(len(found))  # also with nothing found: the top moved up a page (at_start may be True)
        self._let_go_of_bottom()
        self._loaded()

    def _loaded(self) -> None:
        self._set_loading(False)
        deferred, self._deferred = self._deferred, {}
        for conversation in deferred.values():
            # The page just read may be newer than a change that came while it was on its way: the store's copy is
            # the freshest of the two (a late, older one never overwrites the page's row).
            self._conversation_changed(self._store.freshest(conversation))

    def _let_go_of_top(self) -> None:
        """Over the window: drop whole pages at the top, the fewest that bring the rows within it."""
        excess = len(self._rows) - self._window
        if excess <= 0:
            return
        cut = self._top
        for index in range(self._top + 1, len(self._bounds)):
            key = self._bounds[index].key
            if bisect.bisect_right(self._keys, key) >= excess:
                cut = index
                break
        if cut == self._top:
            return
        count = bisect.bisect_right(self._keys, self._bounds[cut].key)
        self._top = cut
        self._drop(0, count)
        self.windowShifted.emit(-count)

    def _let_go_of_bottom(self) -> None:
        """Over the window after reading upwards: drop whole pages at the bottom; the list goes on from there."""
        if len(self._rows) <= self._window:
            return
        for index in range(len(self._bounds) - 1, self._top, -1):
            keep = bisect.bisect_right(self._keys, self._bounds[index].key)
            if keep <= self._window:
                break
        else:
            return
        bound = self._bounds[index]
        del self._bounds[index + 1 :]
        self._next_cursor, self._exhausted = bound.cursor, False
        if keep < len(self._rows):
            self._drop(keep, len(self._rows))

    def _drop(self, start: int, stop: int) -> None:
        self.beginRemoveRows(QModelIndex(), start, stop - 1)
        gone = self._rows[start:stop]
        del self._rows[start:stop]
        del self._keys[start:stop]
        for conversation in gone:
            del self._row_of[conversation.id]
        self._reindex(start)
        self.endRemoveRows()
        self._forget(gone)

    def _forget(self, rows: list[ConversationOut]) -> None:
        if rows:
            self._store.forget(conversation.id for conversation in rows)

    def _key(self, conversation: ConversationOut) -> Key:
        return _order(conversation, self._filter.order)

    def _reindex(self, start: int, stop: int | None = None) -> None:
        stop = len(self._rows) if stop is None else stop
        for row in range(start, stop):
            self._row_of[self._rows[row].id] = row

    # --- live changes ------------------------------------------------------------------------------------

    def _belongs_to_loaded_part(self, key: Key) -> bool:
        """A conversation sorting after the last loaded page will arrive with a later page instead; one sorting
        above a page let go at the top, with that page when the operator scrolls back up."""
        top = self._bounds[self._top].key
        if top is not None and key <= top:
            return False
        return self._exhausted or key <= self._bounds[-1].key

    def _conversation_changed(self, conversation: ConversationOut) -> None:
        if self._loading:
            # The page in flight may or may not contain this change: apply it once the page is in.
            self._deferred[conversation.id] = conversation
            return
        me = self._store.user.id if self._store.user else None
        wanted = self._filter.admits(conversation, me) and not self.unlisted(conversation)
        row = self._row_of.get(conversation.id, -1)
        key = self._key(conversation)
        if row < 0:
            if wanted and self._belongs_to_loaded_part(key):
                self._insert(conversation, key)
            return
        if not wanted or not self._belongs_to_loaded_part(key):
            self._remove(row)
            return
        self._rows[row] = conversation
        self._keys[row] = key
        target = bisect.bisect_left(self._keys[:row] + self._keys[row + 1 :], key)
        if target != row:
            self._move(row, target)
            row = target
        changed = self.index(row, 0)
        self.dataChanged.emit(changed, changed)

    def _insert(self, conversation: ConversationOut, key: Key) -> None:
        row = bisect.bisect_left(self._keys, key)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.insert(row, conversation)
        self._keys.insert(row, key)
        self._reindex(row)
        self.endInsertRows()

    def _remove(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        gone = self._rows.pop(row)
        self._keys.pop(row)
        del self._row_of[gone.id]
        self._reindex(row)
        self.endRemoveRows()

    def _move(self, row: int, target: int) -> None:
        """Move one row so that it ends up at position `target` of the list without it."""
        destination = target if target < row else target + 1
        self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), destination)
        conversation, key = self._rows.pop(row), self._keys.pop(row)
        self._rows.insert(target, conversation)
        self._keys.insert(target, key)
        self._reindex(min(row, target), max(row, target) + 1)
        self.endMoveRows()
