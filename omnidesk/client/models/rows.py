"""What the inbox and the history models share: a flat list of protocol objects as Qt rows."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

__all__ = ["Index", "RowList"]

Index = QModelIndex | QPersistentModelIndex
Row = TypeVar("Row")


class RowList(QAbstractListModel, Generic[Row]):
    """A flat, read-only list model; subclasses keep `_rows` and answer `row_data`."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Row] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.parent().isValid() or not 0 <= index.row() < len(self._rows):
            return None
        return self.row_data(self._rows[index.row()], role)

    def row_data(self, row: Row, role: int) -> Any:
        raise NotImplementedError

    def remove(self, row_id: int) -> None:
        """Drop the row whose ``id`` is ``row_id`` (if shown)."""
        for row, item in enumerate(self._rows):
            if getattr(item, "id", None) == row_id:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._rows[row]
                self.endRemoveRows()
                return

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
