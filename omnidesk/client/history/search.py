"""The history search call (GET /api/v1/search/messages) and its results as a paged Qt list model."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import TypeAdapter
from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from omnidesk.client.api import ApiClient
from omnidesk.protocol.schemas import Page
from omnidesk.protocol.search import SearchHit

_page = TypeAdapter(Page[SearchHit])
Index = QModelIndex | QPersistentModelIndex
HitRole = Qt.ItemDataRole.UserRole + 1


async def search_messages(
    api: ApiClient,
    q: str,
    *,
    channel: int | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    kind: str | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> Page[SearchHit]:
    params: dict[str, Any] = {"q": q, "limit": limit}
    if channel is not None:
        params["channel"] = channel
    if since is not None:
        params["from"] = since.isoformat()
    if until is not None:
        params["to"] = until.isoformat()
    if kind:
        params["kind"] = kind
    if cursor:
        params["cursor"] = cursor
    # ApiClient's authorised call (token refresh, errors as ApiError); search has no method of its own there.
    response = await api._call("GET", "/search/messages", params=params)
    return _page.validate_python(response.json())


class HitsModel(QAbstractListModel):
    """The hits shown, newest first; ``next_cursor`` is where the next page starts (None: no more)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.hits: list[SearchHit] = []
        self.next_cursor: str | None = None

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.hits)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.hits):
            return None
        hit = self.hits[index.row()]
        if role == HitRole:
            return hit
        if role == Qt.ItemDataRole.DisplayRole:
            return hit.snippet.text
        return None

    def clear(self) -> None:
        self.beginResetModel()
        self.hits, self.next_cursor = [], None
        self.endResetModel()

    def replace(self, page: Page[SearchHit]) -> None:
        self.beginResetModel()
        self.hits = list(page.items)
        self.next_cursor = page.next_cursor
        self.endResetModel()

    def append(self, page: Page[SearchHit]) -> None:
        known = {h.message_id for h in self.hits}
        fresh = [h for h in page.items if h.message_id not in known]
        self.next_cursor = page.next_cursor
        if fresh:
            self.beginInsertRows(QModelIndex(), len(self.hits), len(self.hits) + len(fresh) - 1)
            self.hits.extend(fresh)
            self.endInsertRows()
