"""The supervisors' review table of suggested duplicates: every open pair, highest score first, page by page.

Each row names both customers (with their avatars), the channels they are known on (an icon per identity kind), how
sure the scorer is (a percentage in the interface's locale), why (in the interface language) and when the pair was
suggested (a date in the interface's locale). From a row the supervisor opens either customer's card, merges the
pair (the merge dialog, one confirmation) or says "not the same person" (dismiss). Pages come from
GET /api/v1/duplicates as the list scrolls; nothing loads the whole list. The server refuses operators;
the entry point is shown to supervisors only.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from omnidesk.client.customers import CustomerDesk
from omnidesk.client.models.customer import CustomerRole
from omnidesk.client.views.customer_search import identity_icon
from omnidesk.client.views.texts import describe_error
from omnidesk.client.views.theme import paint_avatar
from omnidesk.protocol import Page
from omnidesk.protocol.customers import CustomerSummary, DuplicateSuggestionOut

__all__ = ["DuplicatePairsModel", "DuplicateReviewDialog"]

Index = QModelIndex | QPersistentModelIndex
PAGE = 50


class Column(IntEnum):
    CUSTOMER = 0
    OTHER = 1
    CHANNELS = 2
    SCORE = 3
    REASONS = 4
    FOUND = 5


AVATAR = 24


class DuplicatePairsModel(QAbstractTableModel):
    """Open pairs in the server's order (score, then id), one column per fact; more rows are fetched as the view
    needs them. Every column answers the pair's roles (score, reasons, the suggestion, its id)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[DuplicateSuggestionOut] = []
        self.next_cursor: str | None = None
        self.loading = False
        self.loaded_once = False
        self.fetcher: Any = None  # callable(cursor) scheduling the next page; set by the dialog
        self._avatars: dict[tuple[int, str], QPixmap] = {}
        self._channels: dict[tuple[str, ...], QPixmap] = {}

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(Column)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if not 0 <= section < len(Column):
            return None
        return {
            Column.CUSTOMER: self.tr("Customer"),
            Column.OTHER: self.tr("May be the same as"),
            Column.CHANNELS: self.tr("Channels"),
            Column.SCORE: self.tr("Match"),
            Column.REASONS: self.tr("Why"),
            Column.FOUND: self.tr("Suggested"),
        }[Column(section)]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.parent().isValid() or not 0 <= index.row() < len(self._rows):
            return None
        pair = self._rows[index.row()]
        if role == CustomerRole.SCORE:
            return pair.score
        if role == CustomerRole.REASONS:
            return "\n".join(reason.text for reason in pair.reasons)
        if role == CustomerRole.SUGGESTION:
            return pair
        if role == CustomerRole.ID:
            return pair.id
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(pair, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column in (Column.CUSTOMER, Column.OTHER):
                return self._who(pair.customer if column == Column.CUSTOMER else pair.other)
            if column == Column.CHANNELS:
                return ", ".join(sorted(_kinds(pair.customer) | _kinds(pair.other)))
            if column == Column.FOUND:
                return QLocale().toString(pair.created_at.astimezone(), QLocale.FormatType.LongFormat)
            return "\n".join(reason.text for reason in pair.reasons)
        if role == Qt.ItemDataRole.DecorationRole:
            if column in (Column.CUSTOMER, Column.OTHER):
                return self._avatar(pair.customer if column == Column.CUSTOMER else pair.other)
            if column == Column.CHANNELS:
                return self._channel_strip(pair)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == Column.SCORE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._text(pair, column) or self.data(index, Qt.ItemDataRole.ToolTipRole)
        return None

    def _text(self, pair: DuplicateSuggestionOut, column: Column) -> str:
        if column == Column.CUSTOMER:
            return pair.customer.name
        if column == Column.OTHER:
            return pair.other.name
        if column == Column.SCORE:
            return QLocale().toString(round(pair.score * 100)) + " %"
        if column == Column.REASONS:
            return "; ".join(reason.text for reason in pair.reasons)
        if column == Column.FOUND:
            return QLocale().toString(pair.created_at.astimezone().date(), QLocale.FormatType.ShortFormat)
        return ""

    def _who(self, customer: CustomerSummary) -> str:
        lines = [customer.name]
        if customer.segment:
            lines.append(customer.segment)
        lines += [identity.value for identity in customer.identities[:6]]
        return "\n".join(lines)

    def _avatar(self, customer: CustomerSummary) -> QPixmap:
        key = (customer.id, customer.name)
        if key not in self._avatars:
            pixmap = QPixmap(AVATAR, AVATAR)
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            paint_avatar(painter, QRectF(0, 0, AVATAR, AVATAR), customer.name, customer.id)
            painter.end()
            self._avatars[key] = pixmap
        return self._avatars[key]

    def _channel_strip(self, pair: DuplicateSuggestionOut) -> QPixmap | None:
        """One small icon per identity kind either customer has (a phone, a Telegram account...)."""
        kinds = tuple(sorted(_kinds(pair.customer) | _kinds(pair.other)))
        if not kinds:
            return None
        if kinds not in self._channels:
            size = 16
            pixmap = QPixmap(len(kinds) * (size + 3), size)
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            for n, kind in enumerate(kinds):
                identity_icon(kind).paint(painter, QRect(n * (size + 3), 0, size, size))
            painter.end()
            self._channels[kinds] = pixmap
        return self._channels[kinds]

    def remove(self, row_id: int) -> None:
        for row, item in enumerate(self._rows):
            if item.id == row_id:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._rows[row]
                self.endRemoveRows()
                return

    def reset_pairs(self) -> None:
        self.beginResetModel()
        self._rows = []
        self.next_cursor = None
        self.loaded_once = False
        self.endResetModel()

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(Column) - 1)
        if self._rows:  # dates and percentages follow the interface's locale
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(Column) - 1))

    def add_page(self, page: Page[DuplicateSuggestionOut]) -> None:
        known = {pair.id for pair in self._rows}
        fresh = [pair for pair in page.items if pair.id not in known]
        if fresh:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(fresh) - 1)
            self._rows.extend(fresh)
            self.endInsertRows()
        self.next_cursor = page.next_cursor
        self.loaded_once = True

    def remove_customer(self, *customer_ids: int) -> None:
        """Pairs that name a customer who was just merged are settled (or changed): drop them."""
        for pair in [p for p in self._rows if {p.customer.id, p.other.id} & set(customer_ids)]:
            self.remove(pair.id)

    def pair_at(self, row: int) -> DuplicateSuggestionOut | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        return not parent.isValid() and self.loaded_once and self.next_cursor is not None and not self.loading

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        if self.canFetchMore(parent) and self.fetcher is not None:
            self.fetcher(self.next_cursor)


def _kinds(customer: CustomerSummary) -> set[str]:
    return {str(identity.kind) for identity in customer.identities}


class DuplicateReviewDialog(QDialog):
    """The review list (supervisors and admins). `customerChosen` opens a card in the main window."""

    customerChosen = Signal(int)
    mergeRequested = Signal(object)  # DuplicateSuggestionOut

    def __init__(self, desk: CustomerDesk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("duplicateReview")
        self.desk = desk
        self.pages_loaded = 0
        self._reloads = 0
        self._language_reload = QTimer(self)
        self._language_reload.setSingleShot(True)
        self._language_reload.setInterval(0)
        self._language_reload.timeout.connect(self.reload)
        self.model = DuplicatePairsModel(self)
        self.model.fetcher = self._fetch
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.list = QTableView(self)
        self.list.setModel(self.model)
        self.list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setAlternatingRowColors(True)
        self.list.setShowGrid(False)
        self.list.setWordWrap(False)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setIconSize(QSize(AVATAR, AVATAR))
        self.list.verticalHeader().hide()
        self.list.verticalHeader().setDefaultSectionSize(AVATAR + 10)
        header = self.list.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        for column in Column:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(Column.REASONS, QHeaderView.ResizeMode.Stretch)
        self._fit_columns()
        header.setSectionResizeMode(Column.FOUND, QHeaderView.ResizeMode.ResizeToContents)
        self.list.setAccessibleName(self.tr("Suggested duplicates"))
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.open_first = QPushButton(self)
        self.open_second = QPushButton(self)
        self.merge = QPushButton(self)
        self.dismiss = QPushButton(self)
        self.close_button = QPushButton(self)
        buttons = QHBoxLayout()
        for button in (self.open_first, self.open_second):
            buttons.addWidget(button)
        buttons.addStretch(1)
        for button in (self.dismiss, self.merge, self.close_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.open_first.clicked.connect(lambda: self._open(first=True))
        self.open_second.clicked.connect(lambda: self._open(first=False))
        self.merge.clicked.connect(self._merge)
        self.dismiss.clicked.connect(self._dismiss)
        self.close_button.clicked.connect(self.reject)
        self.list.selectionModel().currentChanged.connect(self._update_buttons)
        self.list.doubleClicked.connect(lambda *_: self._open(first=True))
        desk.mergeChanged.connect(self._merge_changed)
        self.resize(1000, 520)
        self.retranslate()
        self.reload()

    # --- data ---------------------------------------------------------------------------------------------

    def reload(self) -> None:
        self._reloads += 1  # a page still on its way belongs to the list before this reload: dropped
        self.model.reset_pairs()
        self._fetch(None)

    def _fetch(self, cursor: str | None) -> None:
        self.model.loading = True
        self.desk.tasks.spawn(self._load(cursor, self._reloads), name="duplicate-review-page")

    async def _load(self, cursor: str | None, reload: int) -> None:
        try:
            page = await self.desk.api.review(cursor, PAGE)
        except Exception as error:
            if reload == self._reloads:
                self.model.loading = False
                self.status.setText(describe_error(error, self.desk.workspace.server_url))
            return
        if reload != self._reloads:
            return
        self.model.loading = False
        self.model.add_page(page)
        self.pages_loaded += 1
        if self.list.currentIndex().row() < 0 and self.model.rowCount():
            self.list.setCurrentIndex(self.model.index(0, 0))
        self._show_count()
        self._update_buttons()

    def _merge_changed(self, merge: Any) -> None:
        self.model.remove_customer(merge.survivor_id, merge.other_id)
        self._show_count()
        self._update_buttons()

    # --- actions ------------------------------------------------------------------------------------------

    def current(self) -> DuplicateSuggestionOut | None:
        return self.model.pair_at(self.list.currentIndex().row())

    def _open(self, *, first: bool) -> None:
        pair = self.current()
        if pair is not None:
            self.customerChosen.emit(pair.customer.id if first else pair.other.id)

    def _merge(self) -> None:
        pair = self.current()
        if pair is not None:
            self.mergeRequested.emit(pair)

    def _dismiss(self) -> None:
        pair = self.current()
        if pair is not None:
            self.desk.tasks.spawn(self._run_dismiss(pair), name="dismiss-duplicate")

    async def _run_dismiss(self, pair: DuplicateSuggestionOut) -> None:
        try:
            await self.desk.api.dismiss(pair.id)
        except Exception as error:
            self.status.setText(describe_error(error, self.desk.workspace.server_url))
            return
        self.model.remove(pair.id)
        self._show_count()
        self._update_buttons()

    def _update_buttons(self, *_: object) -> None:
        pair = self.current()
        for button in (self.open_first, self.open_second, self.merge, self.dismiss):
            button.setEnabled(pair is not None)
        if pair is not None:
            self.open_first.setText(self.tr("Open %1").replace("%1", _short(pair.customer.name)))
            self.open_second.setText(self.tr("Open %1").replace("%1", _short(pair.other.name)))
        else:
            self.open_first.setText(self.tr("Open"))
            self.open_second.setText(self.tr("Open"))

    def _fit_columns(self) -> None:
        """Starting widths: room for names and the channel strip, never narrower than the (translated) header."""
        header = self.list.horizontalHeader()
        for column, width in ((Column.CUSTOMER, 190), (Column.OTHER, 190), (Column.CHANNELS, 90), (Column.SCORE, 70)):
            header.resizeSection(column, max(width, header.sectionSizeFromContents(column).width() + 8))

    def _show_count(self) -> None:
        count = self.model.rowCount()
        if not self.model.rowCount():
            self.status.setText(self.tr("No suggested duplicates to review."))
        elif self.model.next_cursor:
            self.status.setText(self.tr("%n pair(s) shown; more load as you scroll.", "", count))
        else:
            self.status.setText(self.tr("%n pair(s) to review.", "", count))

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Suggested duplicates"))
        self.intro.setText(
            self.tr(
                "Pairs of customers who may be one person, the most likely first. Merge a pair (one confirmation, "
                "can be undone from the timeline) or mark it as different people."
            )
        )
        self.merge.setText(self.tr("Merge…"))
        self.dismiss.setText(self.tr("Different people"))
        self.close_button.setText(self.tr("Close"))
        self.list.setAccessibleName(self.tr("Suggested duplicates"))
        self.model.retranslate()
        self._fit_columns()
        self._update_buttons()
        if self.model.loaded_once:
            self._show_count()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            # The reasons come from the server in the interface language: read the list again, once per switch
            # (Qt sends several LanguageChange events), also when a read in the previous language is under way.
            self._language_reload.start()
        super().changeEvent(event)


def _short(name: str, limit: int = 24) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"
