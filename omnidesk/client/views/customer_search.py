"""Finding a customer by any identifier in any format ("050 123 45 67", "+380501234567", "0501234567"), by a
username or e-mail, or by name in either script, with results as the operator types (debounced).

Also the painting of a customer row (icon of the first identity, name and segment; identifiers, or the reasons
of a match, on the second line), shared with the card's duplicates and the "search before create" matches.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFont, QFontMetrics, QKeyEvent, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from omnidesk.client.customers import CustomerDesk
from omnidesk.client.models.customer import CustomerResultsModel, CustomerRole
from omnidesk.client.permissions import reason
from omnidesk.client.views.icons import app_icon, channel_icon
from omnidesk.client.views.row_painting import paint_background
from omnidesk.client.views.texts import describe_error
from omnidesk.client.views.theme import colour
from omnidesk.domain.permissions import Permission

__all__ = ["CustomerDelegate", "CustomerSearchDialog", "identity_icon"]

Index = QModelIndex | QPersistentModelIndex
PAD = 8
ICON = 22
DEBOUNCE_MS = 250

# Identity kinds drawn with the icon of their channel family.
_ICON_OF_KIND = {
    "phone": "phone",
    "email": "email",
    "telegram_id": "telegram",
    "telegram_username": "telegram",
    "whatsapp": "whatsapp",
    "viber": "viber",
    "vk": "vk",
    "meta": "meta",
    "instagram": "instagram",
    "max": "max",
    "webchat": "webchat",
    "external": "api",
}


def identity_icon(kind: str):  # -> QIcon
    return channel_icon(_ICON_OF_KIND[kind]) if kind in _ICON_OF_KIND else app_icon()


class CustomerDelegate(QStyledItemDelegate):
    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        line = QFontMetrics(option.font).height()
        return QSize(200, 2 * line + 2 * PAD)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        painter.save()
        colours = paint_background(self, painter, option, index)
        selected, text_color, muted = colours.selected, colours.text, colours.muted
        rect = option.rect.adjusted(PAD, PAD - 2, -PAD, -PAD + 2)
        identity_icon(index.data(CustomerRole.FIRST_KIND) or "").paint(
            painter, QRect(rect.left(), rect.top() + 2, ICON, ICON)
        )
        body = rect.adjusted(ICON + PAD, 0, 0, 0)
        metrics = QFontMetrics(option.font)
        line = metrics.height()
        strong = QFont(option.font)
        strong.setBold(True)
        name = str(index.data(CustomerRole.NAME) or "")
        segment = str(index.data(CustomerRole.SEGMENT) or "")
        top = QRect(body.left(), body.top(), body.width(), line)
        segment_width = 0
        if segment:
            segment_width = metrics.horizontalAdvance(segment) + 2 * PAD
            painter.setPen(colour("wait") if not selected else text_color)
            painter.drawText(top, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, segment)
        painter.setFont(strong)
        painter.setPen(text_color)
        painter.drawText(
            top.adjusted(0, 0, -segment_width, 0),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            QFontMetrics(strong).elidedText(name, Qt.TextElideMode.ElideRight, top.width() - segment_width),
        )
        painter.setFont(option.font)
        reasons = str(index.data(CustomerRole.REASONS) or "")
        detail = "; ".join(reasons.splitlines()) if reasons else str(index.data(CustomerRole.IDENTITIES) or "")
        painter.setPen(muted)
        second = QRect(body.left(), body.top() + line + 2, body.width(), line)
        painter.drawText(
            second,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            metrics.elidedText(detail, Qt.TextElideMode.ElideRight, second.width()),
        )
        painter.restore()


class _QueryLine(QLineEdit):
    """The search field: Down moves into the results, Enter opens the first or chosen one."""

    down = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Down:
            self.down.emit()
            return
        super().keyPressEvent(event)


class CustomerSearchDialog(QDialog):
    """Type anything that identifies a customer; `customerChosen` carries the id of the one opened."""

    customerChosen = Signal(int)
    createRequested = Signal(str)  # what was typed, to start a new customer with

    def __init__(self, desk: CustomerDesk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("customerSearch")
        self.desk = desk
        self.query = _QueryLine(self)
        self.query.setClearButtonEnabled(True)
        self.results = CustomerResultsModel(self)
        self.list = QListView(self)
        self.list.setObjectName("customerResults")
        self.list.setModel(self.results)
        self.list.setUniformItemSizes(True)
        self.list.setItemDelegate(CustomerDelegate(self.list))
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.activated.connect(self._open)
        self.status = QLabel(self)
        self.status.setStyleSheet("color: #6B7785;")
        self.status.setWordWrap(True)
        self.new_button = QPushButton(self)
        self.new_button.clicked.connect(lambda: self.createRequested.emit(self.query.text().strip()))
        if not desk.store.may(Permission.CUSTOMER_CREATE):  # offered only to whom the server lets create one
            self.new_button.setEnabled(False)
            self.new_button.setToolTip(reason(Permission.CUSTOMER_CREATE))
        self.open_button = QPushButton(self)
        self.open_button.setDefault(True)
        self.open_button.clicked.connect(self._open)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.query)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.resize(520, 440)

        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(DEBOUNCE_MS)
        self.debounce.timeout.connect(self.search_now)
        self.query.textChanged.connect(self._typed)
        self.query.returnPressed.connect(self._open)
        self.query.down.connect(self._into_results)
        self._asked = 0
        self.searches = 0  # answers shown (tests wait on it)
        self.searching = False
        self.retranslate()

    def _typed(self, _text: str) -> None:
        self.debounce.start()

    def search_now(self) -> None:
        self.debounce.stop()
        text = self.query.text().strip()
        self._asked += 1
        if not text:
            self.results.set_summaries([])
            self.searching = False
            self._update_status()
            return
        self.searching = True
        self._update_status()
        self.desk.tasks.spawn(self._search(text, self._asked), name="customer-search")

    async def _search(self, text: str, asked: int) -> None:
        try:
            page = await self.desk.api.search(text, limit=30)
        except Exception as error:
            if asked == self._asked:
                self.searching = False
                self.status.setText(describe_error(error, self.desk.workspace.server_url))
            return
        if asked != self._asked:
            return  # a newer question is on its way
        self.searching = False
        self.results.set_summaries(page.items)
        self.searches += 1
        if page.items:
            self.list.setCurrentIndex(self.results.index(0, 0))
        self._update_status()

    def _update_status(self) -> None:
        count = self.results.rowCount()
        if self.searching:
            self.status.setText(self.tr("Searching…"))
        elif not self.query.text().strip():
            self.status.setText(self.tr("Type a phone in any format, an e-mail, a username or a name."))
        elif count:
            self.status.setText(self.tr("%n customer(s) found.", "", count))
        else:
            self.status.setText(self.tr("Nobody found. You can create a new customer."))
        self.open_button.setEnabled(count > 0)

    def _into_results(self) -> None:
        if self.results.rowCount():
            # Chosen (and selected) before the focus moves: a focused list with no current row makes its first
            # row current WITHOUT selecting it, and the first Down then seemed to do nothing (defect 5).
            current = self.list.currentIndex()
            row = current.row() if current.isValid() else 0
            self.list.selectionModel().setCurrentIndex(
                self.results.index(row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
            self.list.setFocus()

    def _open(self, *_: object) -> None:
        if self.debounce.isActive():
            self.search_now()
            return
        row = max(0, self.list.currentIndex().row())
        summary = self.results.summary_at(row)
        if summary is not None:
            self.customerChosen.emit(summary.id)
            self.accept()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Find a customer"))
        self.query.setPlaceholderText(self.tr("Phone, e-mail, @username or name"))
        self.new_button.setText(self.tr("&New customer…"))
        self.open_button.setText(self.tr("&Open"))
        self._update_status()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
