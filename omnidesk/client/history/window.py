"""The history search window: type words or part of a number, filter by channel, period and kind, open the hit.

Results come a page at a time (“Show more” asks the server for the next page with its cursor); each row shows the
customer, when, who wrote it and the snippet with the matched words highlighted. Opening a row (double click or
Enter) asks the main window to show that conversation at that message.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import QDate, QLocale, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QFont,
    QFontMetrics,
    QKeySequence,
    QPainter,
    QShortcut,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from omnidesk.client.api import ApiClient
from omnidesk.client.history.search import HitRole, HitsModel, search_messages
from omnidesk.client.views.texts import describe_error
from omnidesk.protocol.search import SearchHit

Index = QModelIndex | QPersistentModelIndex
PAD = 8
DEBOUNCE_MS = 300
SHORTCUT = "Ctrl+Shift+F"


def snippet_html(hit: SearchHit) -> str:
    """The snippet as rich text: escaped, with the matched spans in bold on a marker colour."""
    text, out, at = hit.snippet.text, [], 0
    for start, end in hit.snippet.highlights:
        out.append(html.escape(text[at:start]))
        out.append(f'<span style="background:#FFE58A;font-weight:600">{html.escape(text[start:end])}</span>')
        at = end
    out.append(html.escape(text[at:]))
    return "".join(out)


class HitDelegate(QStyledItemDelegate):
    """Two lines per hit: customer · time · author (or "note"), then the highlighted snippet."""

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        line = QFontMetrics(option.font).height()
        return QSize(200, 3 * line + 2 * PAD)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        hit: SearchHit | None = index.data(HitRole)
        if hit is None:
            return
        painter.save()
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(option.rect, option.palette.highlight().color().lighter(170))
        rect = option.rect.adjusted(PAD, PAD // 2, -PAD, -PAD // 2)
        metrics = QFontMetrics(option.font)
        bold = QFont(option.font)
        bold.setBold(True)
        painter.setFont(bold)
        when = QLocale().toString(hit.sent_at.astimezone(), QLocale.FormatType.ShortFormat)
        who = hit.customer_name or self.tr("Customer %1").replace("%1", str(hit.customer_id))
        if hit.kind == "note":
            by = self.tr("note by %1").replace("%1", hit.author_name or "?")
        elif hit.direction == "out":
            by = self.tr("reply by %1").replace("%1", hit.author_name or "?")
        else:
            by = self.tr("from the customer")
        head = f"{who}  ·  {when}  ·  {by}"
        painter.drawText(
            QRect(rect.left(), rect.top(), rect.width(), metrics.height()),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            metrics.elidedText(head, Qt.TextElideMode.ElideRight, rect.width()),
        )
        painter.setFont(option.font)
        document = QTextDocument()
        document.setDefaultFont(option.font)
        document.setDocumentMargin(0)
        document.setTextWidth(rect.width())
        document.setHtml(snippet_html(hit))
        painter.translate(rect.left(), rect.top() + metrics.height() + 2)
        clip = QRect(0, 0, rect.width(), rect.height() - metrics.height() - 2)
        context = QAbstractTextDocumentLayout.PaintContext()
        context.clip = clip
        painter.setClipRect(clip)
        document.documentLayout().draw(painter, context)
        painter.restore()


class HistorySearchWindow(QDialog):
    """Search every message and note the operator may see; ``openRequested(conversation_id, message_id)``."""

    openRequested = Signal(int, int)

    def __init__(self, api: ApiClient, tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historySearch")
        self.api = api
        self.tasks = tasks
        self.query = QLineEdit(self)
        self.query.setObjectName("historyQuery")
        self.query.setClearButtonEnabled(True)
        self.channel = QComboBox(self)
        self.kind = QComboBox(self)
        for combo in (self.channel, self.kind):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)  # each language's own width
        self.use_period = QCheckBox(self)
        self.since = QDateEdit(self)
        self.until = QDateEdit(self)
        for edit in (self.since, self.until):
            edit.setCalendarPopup(True)
            edit.setEnabled(False)
        today = QDate.currentDate()
        self.since.setDate(today.addMonths(-1))
        self.until.setDate(today)
        self.use_period.toggled.connect(self.since.setEnabled)
        self.use_period.toggled.connect(self.until.setEnabled)
        self.results = HitsModel(self)
        self.list = QListView(self)
        self.list.setObjectName("historyResults")
        self.list.setModel(self.results)
        self.list.setUniformItemSizes(True)
        self.list.setItemDelegate(HitDelegate(self.list))
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.activated.connect(self._open)
        self.status = QLabel(self)
        self.status.setObjectName("historyStatus")
        self.status.setWordWrap(True)
        self.status.setStyleSheet("color: #6B7785;")
        self.more = QPushButton(self)
        self.more.setVisible(False)
        self.more.clicked.connect(self.load_more)
        self.open_button = QPushButton(self)
        self.open_button.clicked.connect(self._open)

        filters = QHBoxLayout()
        self.channel_label, self.kind_label = QLabel(self), QLabel(self)
        for widget in (self.channel_label, self.channel, self.kind_label, self.kind, self.use_period, self.since):
            filters.addWidget(widget)
        self.dash = QLabel("–", self)
        filters.addWidget(self.dash)
        filters.addWidget(self.until)
        filters.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.more)
        buttons.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.query)
        layout.addLayout(filters)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self.resize(860, 560)

        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(DEBOUNCE_MS)
        self.debounce.timeout.connect(self.search_now)
        self.query.textChanged.connect(lambda _t: self.debounce.start())
        self.query.returnPressed.connect(self.search_now)
        for combo in (self.channel, self.kind):
            combo.currentIndexChanged.connect(lambda _i: self.search_now())
        self.use_period.toggled.connect(lambda _on: self.search_now())
        self.since.dateChanged.connect(lambda _d: self._period_changed())
        self.until.dateChanged.connect(lambda _d: self._period_changed())
        self._asked = 0
        self.searches = 0  # answers shown (tests wait on it)
        self.channels: list[tuple[int, str]] = []
        self.retranslate()
        self.tasks.spawn(self._load_channels(), name="history-channels")

    # --- texts ------------------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Search the message history"))
        self.query.setPlaceholderText(self.tr("Words or part of a number, e.g. card blocked or 4412"))
        self.channel_label.setText(self.tr("Channel:"))
        self.kind_label.setText(self.tr("Show:"))
        self.use_period.setText(self.tr("Period"))
        self.more.setText(self.tr("Show more"))
        self.open_button.setText(self.tr("Open conversation"))
        self._fill_combos()
        if not self.query.text().strip():
            self.status.setText(self.tr("Type at least three letters or digits."))

    def _fill_combos(self) -> None:
        current_channel, current_kind = self.channel.currentData(), self.kind.currentData()
        for combo in (self.channel, self.kind):
            combo.blockSignals(True)
            combo.clear()
        self.channel.addItem(self.tr("All channels"), None)
        for channel_id, name in self.channels:
            self.channel.addItem(name, channel_id)
        self.kind.addItem(self.tr("Messages and notes"), None)
        self.kind.addItem(self.tr("Messages only"), "text")
        self.kind.addItem(self.tr("Notes only"), "note")
        for combo, value in ((self.channel, current_channel), (self.kind, current_kind)):
            found = combo.findData(value)
            combo.setCurrentIndex(max(0, found))
            combo.blockSignals(False)

    async def _load_channels(self) -> None:
        try:
            channels = await self.api.channels()
        except Exception:  # the filter is a convenience: without it every channel is searched
            return
        self.channels = [(c.id, c.name) for c in channels]
        self._fill_combos()

    # --- searching --------------------------------------------------------------------------------------

    def _period_changed(self) -> None:
        if self.use_period.isChecked():
            self.search_now()

    def _filters(self) -> dict:
        period = self.use_period.isChecked()
        return {
            "channel": self.channel.currentData(),
            "kind": self.kind.currentData(),
            "since": self.since.date().toPython() if period else None,
            "until": self.until.date().toPython() if period else None,
        }

    def search_now(self) -> None:
        self.debounce.stop()
        text = self.query.text().strip()
        self._asked += 1
        if len(text) < 3:
            self.results.clear()
            self.status.setText(self.tr("Type at least three letters or digits."))
            self.more.setVisible(False)
            return
        self.status.setText(self.tr("Searching…"))
        self.tasks.spawn(self._search(text, self._asked, None), name="history-search")

    def load_more(self) -> None:
        if self.results.next_cursor:
            self.tasks.spawn(
                self._search(self.query.text().strip(), self._asked, self.results.next_cursor), name="history-more"
            )

    async def _search(self, text: str, asked: int, cursor: str | None) -> None:
        try:
            page = await search_messages(self.api, text, cursor=cursor, **self._filters())
        except Exception as exc:
            if asked == self._asked:
                self.status.setText(describe_error(exc, self.api.server_url))
            return
        if asked != self._asked:
            return  # the operator typed on: this answer is stale
        if cursor is None:
            self.results.replace(page)
            if page.items:
                self.list.setCurrentIndex(self.results.index(0, 0))
        else:
            self.results.append(page)
        shown = len(self.results.hits)
        if shown == 0:
            self.status.setText(self.tr("Nothing found. Try another word form or fewer words."))
        elif self.results.next_cursor:
            self.status.setText(self.tr("%Ln message(s) shown; there are more.", "", shown))
        else:
            self.status.setText(self.tr("%Ln message(s) found.", "", shown))
        self.more.setVisible(self.results.next_cursor is not None)
        self.searches += 1

    def _open(self, index: QModelIndex | None = None) -> None:
        if not isinstance(index, QModelIndex) or not index.isValid():
            index = self.list.currentIndex()
        hit: SearchHit | None = index.data(HitRole) if index.isValid() else None
        if hit is not None:
            self.openRequested.emit(hit.conversation_id, hit.message_id)


def install_history_search(
    window: QWidget, api: ApiClient, tasks, open_conversation: Callable[[int, int], object] | None = None
) -> QShortcut:
    """Ctrl+Shift+F in ``window`` opens (or raises) the history search; a chosen hit calls ``open_conversation``."""

    def show() -> None:
        dialog = getattr(window, "_history_search", None)
        if dialog is None:
            dialog = HistorySearchWindow(api, tasks, window)
            if open_conversation is not None:
                dialog.openRequested.connect(lambda c, m: open_conversation(c, m))
            window._history_search = dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        dialog.query.setFocus()
        dialog.query.selectAll()

    shortcut = QShortcut(QKeySequence(SHORTCUT), window)
    shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
    shortcut.activated.connect(show)
    return shortcut


__all__ = ["SHORTCUT", "HistorySearchWindow", "install_history_search", "snippet_html"]
