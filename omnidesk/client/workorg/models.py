"""Qt item models of the supervisor board: the waiting list and the operators. Both change row by row (inserts,
removals, moves, data changes), so a selection or a drag in progress survives live updates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from omnidesk.protocol.workorg import OfferOut, OperatorFigures, WaitingItem

MIME = "application/x-omnidesk-conversations"
ID_ROLE = Qt.ItemDataRole.UserRole + 1


def encode_ids(ids: Sequence[int]) -> QMimeData:
    data = QMimeData()
    data.setData(MIME, ",".join(str(i) for i in ids).encode())
    return data


def decode_ids(data: QMimeData) -> list[int]:
    if not data.hasFormat(MIME):
        return []
    raw = bytes(data.data(MIME)).decode()
    return [int(x) for x in raw.split(",") if x.isdigit()]


PRESENCE_COLOURS = {"online": "#2E7D32", "away": "#F9A825", "offline": "#9E9E9E"}
_dots: dict[str, Any] = {}


def presence_dot(status: str):
    """A round dot in the presence's colour (one QIcon per colour, drawn once)."""
    from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

    colour = PRESENCE_COLOURS.get(status, PRESENCE_COLOURS["offline"])
    if colour not in _dots:
        pixmap = QPixmap(16, 16)
        pixmap.fill(QColor(0, 0, 0, 0))
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(colour))
        painter.drawEllipse(3, 3, 10, 10)
        painter.end()
        _dots[colour] = QIcon(pixmap)
    return _dots[colour]


class _Synced:
    """Row-by-row sync of a list model with a fresh list (by key)."""

    _items: list[Any]

    def _key(self, item: Any) -> int:
        raise NotImplementedError

    def sync(self, items: Sequence[Any]) -> None:
        model = self  # type: ignore[assignment]
        new_keys = [self._key(i) for i in items]
        wanted = set(new_keys)
        for row in reversed(range(len(self._items))):
            if self._key(self._items[row]) not in wanted:
                model.beginRemoveRows(QModelIndex(), row, row)
                del self._items[row]
                model.endRemoveRows()
        have = {self._key(i) for i in self._items}
        missing = [i for i in items if self._key(i) not in have]
        if missing:
            first = len(self._items)
            model.beginInsertRows(QModelIndex(), first, first + len(missing) - 1)
            self._items.extend(missing)
            model.endInsertRows()
        if [self._key(i) for i in self._items] != new_keys:
            model.layoutAboutToBeChanged.emit()
            position = {k: row for row, k in enumerate(new_keys)}
            old = model.persistentIndexList()
            keys = [self._key(self._items[i.row()]) for i in old]
            self._items = list(items)
            model.changePersistentIndexList(
                old, [model.index(position[k], i.column()) for k, i in zip(keys, old, strict=True)]
            )
            model.layoutChanged.emit()
        else:
            self._items = list(items)
        if self._items:
            model.dataChanged.emit(model.index(0, 0), model.index(len(self._items) - 1, model.columnCount() - 1))


class WaitingModel(_Synced, QAbstractTableModel):
    """Waiting conversations in offer order: customer, queue, channel, priority, waiting time (ticking), and to whom
    it is offered now and for how long (ticking; empty when it is not offered)."""

    COLUMNS = 6
    WAIT, OFFER = 4, 5

    def __init__(
        self, queue_name: Callable[[int | None], str], now: Callable[[], dt.datetime], parent: QObject | None = None
    ) -> None:
        QAbstractTableModel.__init__(self, parent)
        self._items: list[WaitingItem] = []
        self._queue_name = queue_name
        self._now = now
        self.headers: list[str] = [""] * self.COLUMNS
        self.priority_names: list[str] = ["", "", "", ""]
        self.format_wait: Callable[[float], str] = lambda s: str(int(s))
        self.describe_offer: Callable[[OfferOut, float], str] = lambda o, s: o.user_name

    def _key(self, item: WaitingItem) -> int:
        return item.conversation_id

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else self.COLUMNS

    def item(self, row: int) -> WaitingItem:
        return self._items[row]

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        w = self._items[index.row()]
        if role == ID_ROLE:
            return w.conversation_id
        if role == Qt.ItemDataRole.DisplayRole:
            column = index.column()
            if column == 0:
                return w.customer_name
            if column == 1:
                return self._queue_name(w.queue_id)
            if column == 2:
                return w.channel_kind
            if column == 3:
                return self.priority_names[max(0, min(3, w.priority))]
            if column == self.OFFER:
                if w.offer is None:
                    return ""
                return self.describe_offer(w.offer, (self._now() - w.offer.offered_at).total_seconds())
            return self.format_wait((self._now() - w.waiting_since).total_seconds())
        if role == Qt.ItemDataRole.ToolTipRole:
            return w.preview
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 3 and w.priority >= 2:
            from PySide6.QtGui import QColor

            return QColor("#C62828")
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == self.OFFER and w.offer is not None:
            from PySide6.QtGui import QColor

            return QColor("#1565C0")
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < self.COLUMNS
        ):
            return self.headers[section]
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled

    def mimeTypes(self) -> list[str]:
        return [MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        rows = sorted({i.row() for i in indexes if i.isValid()})
        return encode_ids([self._items[r].conversation_id for r in rows])

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def tick(self) -> None:
        """The waiting and offered times moved on: repaint those columns only."""
        if self._items:
            self.dataChanged.emit(
                self.index(0, self.WAIT), self.index(len(self._items) - 1, self.OFFER), [Qt.ItemDataRole.DisplayRole]
            )


class OperatorsModel(_Synced, QAbstractListModel):
    """Operators with presence and load against capacity; a drop of conversations onto one assigns them."""

    def __init__(self, on_drop: Callable[[list[int], int], None], parent: QObject | None = None) -> None:
        QAbstractListModel.__init__(self, parent)
        self._items: list[OperatorFigures] = []
        self._on_drop = on_drop
        self.describe: Callable[[OperatorFigures], str] = lambda o: o.display_name

    def _key(self, item: OperatorFigures) -> int:
        return item.user_id

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else 1

    def item(self, row: int) -> OperatorFigures:
        return self._items[row]

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        o = self._items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.describe(o)
        if role == ID_ROLE:
            return o.user_id
        if role == Qt.ItemDataRole.DecorationRole:
            return presence_dot(o.status.value)
        if role == Qt.ItemDataRole.ToolTipRole:
            from omnidesk.client.workorg import texts

            return texts.presence_name(o.status.value)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDropEnabled

    def update_rows(self, figures: Sequence[OperatorFigures]) -> bool:
        """These operators' fresher figures, row by row (their order is by name, which events do not change); False
        when one of them has no row (then the caller syncs the whole list)."""
        rows = {o.user_id: row for row, o in enumerate(self._items)}
        if any(f.user_id not in rows for f in figures):
            return False
        for f in figures:
            row = rows[f.user_id]
            self._items[row] = f
            self.dataChanged.emit(self.index(row, 0), self.index(row, 0))
        return True

    def tick(self) -> None:
        """A pending offer's time moved on: repaint the operators who have one."""
        for row, o in enumerate(self._items):
            if o.offers:
                self.dataChanged.emit(self.index(row, 0), self.index(row, 0), [Qt.ItemDataRole.DisplayRole])

    def mimeTypes(self) -> list[str]:
        return [MIME]

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def canDropMimeData(self, data, action, row, column, parent) -> bool:
        return data.hasFormat(MIME) and parent.isValid()

    def dropMimeData(self, data, action, row, column, parent) -> bool:
        ids = decode_ids(data)
        if not ids or not parent.isValid():
            return False
        self._on_drop(ids, self._items[parent.row()].user_id)
        return False  # nothing is inserted here: the server's events move the rows
