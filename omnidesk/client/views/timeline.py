"""The customer's timeline: one chronological stream across channels and conversations.

Newest first; older items load as the operator scrolls (the model's fetchMore). Filters by kind and by channel.
Every row has one height (uniform item sizes), so a long history costs nothing to lay out. A merge item offers
"Undo merge" (one confirmation in the panel).
"""

from __future__ import annotations

from collections.abc import Callable, Container
from datetime import UTC, datetime

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QItemSelectionModel,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from omnidesk.client.customers import TimelineQuery
from omnidesk.client.models.timeline import TimelineModel, TimelineRole
from omnidesk.client.views.icons import app_icon, channel_icon
from omnidesk.client.views.row_painting import paint_background
from omnidesk.client.views.texts import delivery_label, message_time, status_label
from omnidesk.client.views.theme import colour
from omnidesk.protocol.customers import TimelineItem

__all__ = ["KIND_FILTERS", "TimelineDelegate", "TimelinePane", "describe_item"]

Index = QModelIndex | QPersistentModelIndex
PAD = 8
ICON = 22

# The kind filter's choices: (kinds sent to the server; empty = every kind).
KIND_FILTERS: list[tuple[str, ...]] = [
    (),
    ("message_in", "message_out"),
    ("note", "call"),
    ("status_changed",),
    ("assigned", "unassigned", "transferred", "wait_exceeded", "offer"),
    ("merged", "unmerged", "customer_created"),
]


def kind_filter_labels() -> list[str]:
    return [
        QCoreApplication.translate("Timeline", "Everything"),
        QCoreApplication.translate("Timeline", "Messages"),
        QCoreApplication.translate("Timeline", "Notes and calls"),
        QCoreApplication.translate("Timeline", "Status changes"),
        QCoreApplication.translate("Timeline", "Assignments"),
        QCoreApplication.translate("Timeline", "Merges and profile"),
    ]


def _who(user_id: object, users: Callable[[int], str]) -> str:
    if isinstance(user_id, int):
        return users(user_id)
    return QCoreApplication.translate("Timeline", "the system")


def merge_undone(item: TimelineItem, undone: Container[int] = ()) -> bool:
    """A merge item whose merge was undone: the server says so (``undone_at``, whoever undid it and whenever), or
    this client did it since the item was read."""
    return bool(item.payload.get("undone_at")) or item.payload.get("merge_id") in undone


def describe_item(
    item: TimelineItem, users: Callable[[int], str] = lambda uid: f"#{uid}", undone: Container[int] = ()
) -> tuple[str, str]:
    """(title, detail) of one timeline item in the operator's language; unknown kinds are shown generically.
    `undone` holds the merges undone since the item was read (they no longer "can be undone")."""
    payload = item.payload
    message = payload.get("message") if isinstance(payload.get("message"), dict) else None
    kind = item.kind
    if kind == "message_in":
        return QCoreApplication.translate("Timeline", "Message from the customer"), (message or {}).get("text", "")
    if kind == "message_out":
        author = (message or {}).get("author_name") or _who((message or {}).get("author_id"), users)
        state = delivery_label((message or {}).get("delivery_status"), (message or {}).get("delivery_error"))
        title = QCoreApplication.translate("Timeline", "Reply by %1").replace("%1", author)
        return (f"{title} · {state}" if state else title), (message or {}).get("text", "")
    if kind == "note":
        return QCoreApplication.translate("Timeline", "Internal note"), (message or {}).get("text", "") or str(
            payload.get("text", "")
        )
    if kind == "call":
        return QCoreApplication.translate("Timeline", "Call"), (message or {}).get("text", "") or str(
            payload.get("text", "")
        )
    if kind == "status_changed":
        change = (
            QCoreApplication.translate("Timeline", "%1 → %2")
            .replace("%1", status_label(str(payload.get("from") or "")))
            .replace("%2", status_label(str(payload.get("to") or "")))
        )
        return QCoreApplication.translate("Timeline", "Status changed"), f"{change} · {_who(payload.get('by'), users)}"
    if kind == "assigned":
        return QCoreApplication.translate("Timeline", "Assigned to %1").replace(
            "%1", _who(payload.get("to"), users)
        ), _who(payload.get("by"), users)
    if kind == "unassigned":
        return QCoreApplication.translate("Timeline", "Unassigned"), _who(payload.get("by"), users)
    if kind == "merged":
        other = str(payload.get("other_name") or "")
        title = QCoreApplication.translate("Timeline", "Merged with %1").replace("%1", other)
        if merge_undone(item, undone):
            return title, QCoreApplication.translate("Timeline", "by %1 · undone").replace(
                "%1", _who(payload.get("by"), users)
            )
        return title, QCoreApplication.translate("Timeline", "by %1 · can be undone").replace(
            "%1", _who(payload.get("by"), users)
        )
    if kind == "unmerged":
        other = str(payload.get("other_name") or "")
        return QCoreApplication.translate("Timeline", "Merge with %1 undone").replace("%1", other), _who(
            payload.get("by"), users
        )
    if kind == "transferred":
        return _transfer(payload, users)
    if kind == "wait_exceeded":
        title = QCoreApplication.translate("Timeline", "Waited longer than %1 s: raised to urgent").replace(
            "%1", QLocale().toString(int(payload.get("max_wait_s") or 0))
        )
        return title, QCoreApplication.translate("Timeline", "waited %1 s").replace(
            "%1", QLocale().toString(int(payload.get("waited_s") or 0))
        )
    if kind == "offer":
        who = _who(payload.get("to"), users)
        titles = {
            "offered": QCoreApplication.translate("Timeline", "Offered to %1"),
            "declined": QCoreApplication.translate("Timeline", "Declined by %1"),
            "expired": QCoreApplication.translate("Timeline", "Offer to %1 expired"),
        }
        title = titles.get(str(payload.get("outcome")), titles["offered"]).replace("%1", who)
        timeout = payload.get("timeout_s")
        detail = (
            QCoreApplication.translate("Timeline", "%1 s to accept").replace("%1", QLocale().toString(int(timeout)))
            if isinstance(timeout, int)
            else ""
        )
        return title, detail
    if kind == "csat_rated":
        score = payload.get("score")
        title = QCoreApplication.translate("Timeline", "Rated %1 of 5").replace(
            "%1", QLocale().toString(int(score)) if isinstance(score, int) else "?"
        )
        return title, str(payload.get("comment") or "")
    if kind == "nps_rated":
        nps = payload.get("nps")
        title = QCoreApplication.translate("Timeline", "Would recommend: %1 of 10").replace(
            "%1", QLocale().toString(int(nps)) if isinstance(nps, int) else "?"
        )
        return title, str(payload.get("comment") or "")
    if kind == "customer_created":
        return QCoreApplication.translate("Timeline", "Customer created"), _who(payload.get("by"), users)
    return QCoreApplication.translate("Timeline", "Other event: %1").replace("%1", kind), ""


def _transfer(payload: dict, users: Callable[[int], str]) -> tuple[str, str]:
    """ "Transferred to Olena" / "Transferred to the queue VIP"; the detail: from where, by whom, the note."""
    to = payload.get("to") if isinstance(payload.get("to"), dict) else {}
    before = payload.get("from") if isinstance(payload.get("from"), dict) else {}

    def place(side: dict) -> str:
        if isinstance(side.get("user_id"), int):
            return users(side["user_id"])
        name = side.get("queue_name") or (f"#{side['queue_id']}" if side.get("queue_id") is not None else "")
        return QCoreApplication.translate("Timeline", "the queue %1").replace("%1", str(name))

    title = QCoreApplication.translate("Timeline", "Transferred to %1").replace("%1", place(to))
    parts = [
        QCoreApplication.translate("Timeline", "from %1").replace("%1", place(before)),
        QCoreApplication.translate("Timeline", "by %1").replace("%1", _who(payload.get("by"), users)),
    ]
    if payload.get("note"):
        parts.append(str(payload["note"]))
    return title, " · ".join(parts)


class TimelineDelegate(QStyledItemDelegate):
    """One row: the channel's icon, what happened, when; the text or the details on a second line."""

    def __init__(self, parent: QWidget, channel_kind: Callable[[int | None], str], users: Callable[[int], str]) -> None:
        super().__init__(parent)
        self._channel_kind = channel_kind
        self._users = users
        self.undone: set[int] = set()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        line = QFontMetrics(option.font).height()
        return QSize(200, 2 * line + 2 * PAD + 2)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        item: TimelineItem | None = index.data(TimelineRole.ITEM)
        if item is None:
            return
        painter.save()
        colours = paint_background(self, painter, option, index)
        selected, text_color, muted = colours.selected, colours.text, colours.muted
        rect = option.rect.adjusted(PAD, PAD, -PAD, -PAD)
        kind = self._channel_kind(item.channel_id)
        icon = channel_icon(kind) if kind else app_icon()
        icon.paint(painter, QRect(rect.left(), rect.top() + 2, ICON, ICON))
        body = rect.adjusted(ICON + PAD, 0, 0, 0)
        metrics = QFontMetrics(option.font)
        line = metrics.height()
        title, detail = describe_item(item, self._users, self.undone)

        small = QFont(option.font)
        small.setPointSizeF(max(6.0, option.font.pointSizeF() * 0.9))
        when = message_time(item.at, datetime.now(UTC))
        painter.setFont(small)
        painter.setPen(muted)
        when_width = QFontMetrics(small).horizontalAdvance(when) + PAD
        top = QRect(body.left(), body.top(), body.width(), line)
        painter.drawText(top, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, when)

        strong = QFont(option.font)
        strong.setBold(True)
        painter.setFont(strong)
        painter.setPen(colour("wait") if item.kind in ("merged", "unmerged") and not selected else text_color)
        title_rect = top.adjusted(0, 0, -when_width, 0)
        elided = QFontMetrics(strong).elidedText(title, Qt.TextElideMode.ElideRight, title_rect.width())
        painter.drawText(title_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, elided)

        painter.setFont(option.font)
        painter.setPen(muted if not item.kind.startswith("message") else text_color)
        second = QRect(body.left(), body.top() + line + 2, body.width(), line)
        flat = " ".join(str(detail).split())
        painter.drawText(
            second,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            metrics.elidedText(flat, Qt.TextElideMode.ElideRight, second.width()),
        )
        painter.restore()


class TimelinePane(QWidget):
    """Filters above the stream; "Undo merge" under it when a merge item is chosen."""

    queryChanged = Signal(object)  # TimelineQuery
    unmergeRequested = Signal(int, str)  # merge id, the other customer's name

    def __init__(
        self,
        model: TimelineModel,
        channels: Callable[[], list[tuple[int, str]]],
        channel_kind: Callable[[int | None], str],
        users: Callable[[int], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.model = model
        self._channels = channels
        # Why the user may not undo a merge item ("" when they may): set by the card from the permissions.
        self.why_not_unmerge: Callable[[TimelineItem], str] = lambda _item: ""
        self.title = QLabel(self)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.kind = QComboBox(self)
        for _ in KIND_FILTERS:
            self.kind.addItem("")
        self.channel = QComboBox(self)
        self.channel.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.kind.currentIndexChanged.connect(self._changed)
        self.channel.activated.connect(self._changed)
        filters = QHBoxLayout()
        filters.addWidget(self.title)
        filters.addStretch(1)
        filters.addWidget(self.kind)
        filters.addWidget(self.channel)

        self.list = QListView(self)
        self.list.setObjectName("timeline")
        self.list.setModel(model)
        self.list.setUniformItemSizes(True)
        self.delegate = TimelineDelegate(self.list, channel_kind, users)
        self.list.setItemDelegate(self.delegate)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.selectionModel().currentChanged.connect(self._current_changed)
        # The keyboard's current row is also the selected (highlighted) one, also when Tab brings the focus in.
        self.list.selectionModel().currentChanged.connect(
            lambda current, _previous: (
                current.isValid()
                and self.list.selectionModel().select(current, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            )
        )
        self.list.doubleClicked.connect(self._activated)
        self.empty = QLabel(self)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("color: #6B7785;")
        self.unmerge = QPushButton(self)
        self.unmerge.setVisible(False)
        self.unmerge.clicked.connect(self.request_unmerge)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.unmerge, 0, Qt.AlignmentFlag.AlignRight)
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved, model.loadingChanged):
            signal.connect(self._update_empty)
        self.undone = self.delegate.undone  # merges undone while this pane was open (shared with the painting)
        self.retranslate()

    def current_query(self) -> TimelineQuery:
        channel = self.channel.currentData()
        return TimelineQuery(KIND_FILTERS[max(0, self.kind.currentIndex())], channel if channel else None)

    def refill_channels(self) -> None:
        chosen = self.channel.currentData()
        self.channel.blockSignals(True)
        self.channel.clear()
        self.channel.addItem(self.tr("All channels"), 0)
        for channel_id, name in self._channels():
            self.channel.addItem(name, channel_id)
        found = self.channel.findData(chosen) if chosen else 0
        self.channel.setCurrentIndex(max(0, found))
        self.channel.blockSignals(False)

    def _changed(self, *_: object) -> None:
        self.queryChanged.emit(self.current_query())

    def _update_empty(self, *_: object) -> None:
        empty = self.model.rowCount() == 0
        self.empty.setVisible(empty)
        if self.model.loading:
            self.empty.setText(self.tr("Loading…"))
        elif self.model.customer_id is None:
            self.empty.setText("")
        else:
            self.empty.setText(self.tr("Nothing here yet."))

    def merge_item(self) -> TimelineItem | None:
        item = self.model.item_at(self.list.currentIndex().row())
        if item is None or item.kind != "merged" or merge_undone(item, self.undone):
            return None  # an undone merge offers no "Undo merge" (it would only be refused)
        return item

    def _current_changed(self, *_: object) -> None:
        item = self.merge_item()
        self.unmerge.setVisible(item is not None)
        why = self.why_not_unmerge(item) if item is not None else ""
        self.unmerge.setEnabled(not why)  # offered only to whom the server would let undo it; else it says why
        self.unmerge.setToolTip(why)

    def _activated(self, index: QModelIndex) -> None:
        if self.merge_item() is not None:
            self.request_unmerge()

    def request_unmerge(self) -> None:
        item = self.merge_item()
        if item is not None and not self.why_not_unmerge(item):
            self.unmergeRequested.emit(int(item.payload["merge_id"]), str(item.payload.get("other_name") or ""))

    def mark_undone(self, merge_id: int) -> None:
        self.undone.add(merge_id)
        self._current_changed()
        self.list.viewport().update()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Timeline"))
        for number, label in enumerate(kind_filter_labels()):
            self.kind.setItemText(number, label)
        self.kind.setToolTip(self.tr("Show only these kinds of events"))
        self.channel.setToolTip(self.tr("Show only this channel"))
        self.unmerge.setText(self.tr("Undo merge…"))
        self.unmerge.setToolTip(self.tr("Split the merged customers again, exactly as they were"))
        self.refill_channels()
        self._update_empty()
        self.list.viewport().update()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
