"""The main window: the unified inbox on the left, the open conversation on the right.

Keyboard first: every action has a shortcut and the help dialog (F1) lists them from the actions
themselves. The window talks to the workspace (never to httpx) and listens to the store and the models.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QButtonGroup,
    QComboBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QMainWindow,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from omnidesk.client.attachments.panel import ConversationExtras
from omnidesk.client.attachments.staging import attachable, offered
from omnidesk.client.customers import CustomerDesk, may_review  # issue 4: customer card, timeline, search
from omnidesk.client.export import attach as attach_exports
from omnidesk.client.features import attach as attach_features  # issues 12, 14, 15
from omnidesk.client.models import InboxFilter, InboxModel, MessagesModel
from omnidesk.client.notifications import Notifier, QuietHours
from omnidesk.client.permissions import reason
from omnidesk.client.views.composer import Composer
from omnidesk.client.views.customer_card import CustomerPanel
from omnidesk.client.views.customer_search import CustomerSearchDialog
from omnidesk.client.views.delegates import BubbleDelegate, ConversationDelegate
from omnidesk.client.views.dialogs import NotificationChoice, SettingsDialog, ShortcutsDialog
from omnidesk.client.views.duplicate_review import DuplicateReviewDialog
from omnidesk.client.views.icons import app_icon, avatar_pixmap
from omnidesk.client.views.status import LinkIndicator, OfflineBanner
from omnidesk.client.views.texts import channel_kind_label, describe_error, status_label
from omnidesk.client.workorg import attach as attach_workorg  # issue 11
from omnidesk.client.workspace import Workspace
from omnidesk.domain.enums import ConversationStatus
from omnidesk.domain.permissions import Permission, may_take
from omnidesk.protocol import ConversationOut, UserOut

__all__ = ["MainWindow"]

OPEN, PENDING, RESOLVED = ConversationStatus.OPEN, ConversationStatus.PENDING, ConversationStatus.RESOLVED
STATUS_CHOICES: list[tuple[ConversationStatus, ...]] = [(OPEN, PENDING), (OPEN,), (PENDING,), (RESOLVED,), ()]
ASSIGNEE_CHOICES = ["me", "unassigned", "all"]
ORDER_CHOICES = ["activity", "waiting"]
SLA_CHOICES: list[str | None] = [None, "soon", "breached"]


class InboxPane(QWidget):
    """Filters above the list of conversations."""

    filterChanged = Signal(object)  # InboxFilter

    def __init__(self, model: InboxModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status = QComboBox(self)
        for _ in STATUS_CHOICES:
            self.status.addItem("")
        self.status.currentIndexChanged.connect(self._changed)
        self.status.setObjectName("statusFilter")
        # "Who do I answer next": the longest-waiting customer first, or the newest activity first.
        self.order = QComboBox(self)
        self.order.setObjectName("inboxOrder")
        for _ in ORDER_CHOICES:
            self.order.addItem("")
        self.order.currentIndexChanged.connect(self._changed)
        # SLA: the conversations past a warning, or whose promise was missed (the supervisor's "what is burning").
        self.sla = QComboBox(self)
        self.sla.setObjectName("slaFilter")
        for _ in SLA_CHOICES:
            self.sla.addItem("")
        self.sla.currentIndexChanged.connect(self._changed)
        self.whose = QButtonGroup(self)
        self.whose_buttons: list[QToolButton] = []
        whose_row = QHBoxLayout()
        whose_row.setSpacing(2)
        for number, _ in enumerate(ASSIGNEE_CHOICES):
            button = QToolButton(self)
            button.setCheckable(True)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            self.whose.addButton(button, number)
            self.whose_buttons.append(button)
            whose_row.addWidget(button)
        self.whose_buttons[2].setChecked(True)
        self.whose.idClicked.connect(self._changed)

        self.list = QListView(self)
        self.list.setObjectName("inbox")
        self.list.setUniformItemSizes(True)
        self.list.setItemDelegate(ConversationDelegate(self.list))
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setModel(model)
        self.empty = QLabel(self)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("color: #6B7785;")
        self.empty.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 0, 6)
        layout.addWidget(self.status)
        layout.addWidget(self.order)
        layout.addWidget(self.sla)
        layout.addLayout(whose_row)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty)
        model.modelReset.connect(self._update_empty)
        model.rowsInserted.connect(self._update_empty)
        model.rowsRemoved.connect(self._update_empty)
        model.loadingChanged.connect(self._update_empty)
        # The model holds a window of the list: at the top of what it holds, scrolling up reads the pages above
        # again; rows added or let go above keep the rows in sight where they are.
        self.list.verticalScrollBar().valueChanged.connect(self._scrolled)
        model.windowShifted.connect(self._window_shifted)
        # Deep in a long list (the newest pages let go): one click back to the newest, over the list's top edge so
        # nothing moves when it appears.
        self.newest = QPushButton(self.list)
        self.newest.setObjectName("backToNewest")
        self.newest.setVisible(False)
        self.newest.clicked.connect(self.back_to_newest)
        self.list.installEventFilter(self)
        model.modelReset.connect(self._update_newest)
        self._model = model
        self.retranslate()

    def back_to_newest(self) -> None:
        self._model.reload()
        self.list.scrollToTop()

    def _update_newest(self, *_: object) -> None:
        self.newest.setVisible(not self._model.at_start)
        self._place_newest()

    def _place_newest(self) -> None:
        self.newest.adjustSize()
        x = max(0, (self.list.width() - self.newest.width()) // 2)
        self.newest.move(x, 6)
        self.newest.raise_()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.list and event.type() == QEvent.Type.Resize:
            self._place_newest()
        return super().eventFilter(watched, event)

    def _scrolled(self, value: int) -> None:
        if value <= self.list.verticalScrollBar().minimum() and self._model.can_fetch_earlier():
            self._model.fetch_earlier()

    def _window_shifted(self, rows: int) -> None:
        self._update_newest()
        height = self.list.sizeHintForRow(0) if self._model.rowCount() else 0
        if height <= 0:
            return
        bar = self.list.verticalScrollBar()
        value = bar.value()  # before the layout clamps it to the range of fewer rows
        self.list.doItemsLayout()  # the range follows the rows now, so the kept place fits in it
        bar.setValue(value + rows * height)

    def current_filter(self) -> InboxFilter:
        return InboxFilter(
            statuses=STATUS_CHOICES[max(0, self.status.currentIndex())],
            assignee=ASSIGNEE_CHOICES[max(0, self.whose.checkedId())],
            order=ORDER_CHOICES[max(0, self.order.currentIndex())],
            sla=SLA_CHOICES[max(0, self.sla.currentIndex())],
        )

    def choose_order(self, order: str) -> None:
        self.order.setCurrentIndex(ORDER_CHOICES.index(order))

    def choose_assignee(self, assignee: str) -> None:
        self.whose_buttons[ASSIGNEE_CHOICES.index(assignee)].setChecked(True)
        self._changed()

    def _changed(self, *_: object) -> None:
        self.filterChanged.emit(self.current_filter())

    def _update_empty(self, *_: object) -> None:
        empty = self._model.rowCount() == 0
        self.empty.setVisible(empty)
        self.empty.setText(self.tr("Loading…") if self._model.loading else self.tr("No conversations here."))

    def retranslate(self) -> None:
        labels = [
            self.tr("Open and pending"),
            self.tr("Open"),
            self.tr("Pending"),
            self.tr("Resolved"),
            self.tr("All statuses"),
        ]
        for number, label in enumerate(labels):
            self.status.setItemText(number, label)
        self.status.setToolTip(self.tr("Show conversations with this status"))
        self.status.setAccessibleName(self.tr("Status filter"))
        self.order.setItemText(0, self.tr("Newest activity first"))
        self.order.setItemText(1, self.tr("Longest waiting first"))
        self.order.setToolTip(self.tr("Order of the inbox: by last activity, or who has waited longest for an answer"))
        self.order.setAccessibleName(self.tr("Inbox order"))
        self.sla.setItemText(0, self.tr("Any SLA state"))
        self.sla.setItemText(1, self.tr("SLA: breaching soon"))
        self.sla.setItemText(2, self.tr("SLA: breached"))
        self.sla.setToolTip(self.tr("Only the conversations past an SLA warning, or whose promise was already missed"))
        self.sla.setAccessibleName(self.tr("SLA filter"))
        self.list.setAccessibleName(self.tr("Conversations"))
        self.newest.setText(self.tr("↑ Back to the newest"))
        self.newest.setToolTip(self.tr("Read the inbox again from its newest conversations"))
        self.newest.setAccessibleName(self.tr("Back to the newest conversations"))
        self._place_newest()
        for button, label, tip in zip(
            self.whose_buttons,
            [self.tr("Mine"), self.tr("Unassigned"), self.tr("All")],
            [
                self.tr("Conversations assigned to me"),
                self.tr("Conversations nobody has taken yet"),
                self.tr("Every conversation I may see"),
            ],
            strict=True,
        ):
            button.setText(label)
            button.setToolTip(tip)
        self._update_empty()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class ConversationPane(QWidget):
    """The open conversation: who and where, the history, the composer and the actions."""

    def __init__(self, model: MessagesModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.conversation: ConversationOut | None = None
        self.me: UserOut | None = None
        self.icon = QLabel(self)
        self.icon.setFixedSize(32, 32)
        self.customer = QLabel(self)
        font = self.customer.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.customer.setFont(font)
        self.details = QLabel(self)
        self.details.setProperty("muted", True)
        self.status_chip = QLabel(self)
        self.status_chip.setObjectName("statusChip")
        self.take = QPushButton(self)
        self.resolve = QPushButton(self)
        self.pending = QPushButton(self)
        self.pending.setObjectName("pending")
        self.reopen = QPushButton(self)
        self.take.setObjectName("take")
        self.resolve.setObjectName("resolve")
        self.reopen.setObjectName("reopen")
        header = QHBoxLayout()
        header.addWidget(self.icon)
        who = QVBoxLayout()
        who.setSpacing(0)
        who.addWidget(self.customer)
        who.addWidget(self.details)
        header.addLayout(who, 1)
        header.addWidget(self.status_chip, 0, Qt.AlignmentFlag.AlignVCenter)
        header.addSpacing(8)
        header.addWidget(self.take)
        header.addWidget(self.pending)
        header.addWidget(self.resolve)
        header.addWidget(self.reopen)

        self.history = QListView(self)
        self.history.setObjectName("history")
        self.history.setModel(model)
        self.bubbles = BubbleDelegate(self.history, self._channel_name)
        self.history.setItemDelegate(self.bubbles)
        self.history.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.history.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.history.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.history.setResizeMode(QListView.ResizeMode.Adjust)
        self.history.setFrameShape(QFrame.Shape.NoFrame)
        self.history.setWordWrap(True)

        self.composer = Composer(self)
        self.composer.setObjectName("composer")
        self.composer.setFixedHeight(96)
        self.send = QPushButton(self)
        compose_row = QHBoxLayout()
        compose_row.addWidget(self.composer, 1)
        compose_row.addWidget(self.send, 0, Qt.AlignmentFlag.AlignBottom)

        line = QFrame(self)
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 6, 6)
        layout.addLayout(header)
        layout.addWidget(line)
        layout.addWidget(self.history, 1)
        self.extras = ConversationExtras(self)  # files, reply window, templates (omnidesk/client/attachments)
        layout.addWidget(self.extras)
        layout.addLayout(compose_row)
        # Files dropped anywhere on the reply area (under the history) or pasted into the composer wait for the reply.
        self.composer.filesOffered.connect(self.extras.stage)
        self.composer.has_attachments = self.extras.has_staged
        self.setAcceptDrops(True)
        self.retranslate()

    def _on_reply_area(self, event) -> bool:
        return event.position().toPoint().y() > self.history.geometry().bottom()

    def dragEnterEvent(self, event) -> None:
        if self._on_reply_area(event) and attachable(event.mimeData()) and self.composer.isEnabled():
            event.acceptProposedAction()

    def dragMoveEvent(self, event) -> None:
        if self._on_reply_area(event) and attachable(event.mimeData()) and self.composer.isEnabled():
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event) -> None:
        offer = offered(event.mimeData()) if self._on_reply_area(event) else None
        if offer is not None:
            event.acceptProposedAction()
            self.extras.stage(offer)

    def _channel_name(self) -> str:
        return self.conversation.channel.name if self.conversation else ""

    def show_conversation(self, conversation: ConversationOut | None, me: UserOut | None) -> None:
        self.conversation, self.me = conversation, me
        self.retranslate()
        self.extras.show_conversation(conversation)

    def retranslate(self) -> None:
        self.take.setText(self.tr("&Take"))
        self.resolve.setText(self.tr("&Resolve"))
        self.reopen.setText(self.tr("Re&open"))
        self.pending.setText(self.tr("&Pending"))
        self.pending.setToolTip(self.tr("Waiting on the customer: set the conversation to pending (Ctrl+Shift+P)"))
        self.send.setText(self.tr("&Send"))
        self.send.setToolTip(self.tr("Send the reply (Ctrl+Enter)"))
        self.composer.setPlaceholderText(self.tr("Write a reply… Enter adds a line, Ctrl+Enter sends."))
        self.bubbles.forget_sizes()
        self.history.doItemsLayout()
        conversation = self.conversation
        if conversation is None:
            # Nothing open (or signed out): no customer's name or channel stays on screen.
            self.icon.clear()
            self.customer.clear()
            self.details.clear()
            self.status_chip.hide()
            return
        self.icon.setPixmap(avatar_pixmap(conversation.customer.name, conversation.customer.id,
                                          str(conversation.channel.kind), 32))  # fmt: skip
        self.icon.setAccessibleName(conversation.customer.name)
        self.status_chip.setText(status_label(str(conversation.status)))
        self.status_chip.setProperty("chip", str(conversation.status))
        self.status_chip.style().unpolish(self.status_chip)
        self.status_chip.style().polish(self.status_chip)
        self.status_chip.show()
        self.customer.setText(conversation.customer.name)
        if conversation.assignee_id is None:
            whose = self.tr("Unassigned")
        elif self.me is not None and conversation.assignee_id == self.me.id:
            whose = self.tr("Assigned to me")
        else:
            assignee = conversation.assignee_name or f"#{conversation.assignee_id}"
            whose = self.tr("Assigned to %1").replace("%1", assignee)
        kind = channel_kind_label(str(conversation.channel.kind))
        name = conversation.channel.name
        channel = name if name == kind else f"{name} ({kind})"
        self.details.setText(" · ".join([channel, whose]))
        mine = self.me is not None and conversation.assignee_id == self.me.id
        self.take.setVisible(not mine)
        resolved = conversation.status == RESOLVED
        self.resolve.setVisible(not resolved)
        self.reopen.setVisible(resolved)
        self.pending.setVisible(conversation.status == OPEN)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


def _belongs_to(widget: QWidget, window: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if parent is window:
            return True
        parent = parent.parentWidget()
    return False


class MainWindow(QMainWindow):
    closed = Signal()
    signOutRequested = Signal()
    sessionCleared = Signal()  # after clear_session: feature windows forget the last user's data
    conversationShown = Signal(object)  # the ConversationOut now open, or None
    languageChosen = Signal(str)
    themeChosen = Signal(str)
    notificationsChosen = Signal(object)  # NotificationChoice

    def __init__(self, workspace: Workspace, language: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.language = language
        self.setWindowIcon(app_icon())
        store = workspace.store
        self.inbox = InboxModel(
            store,
            lambda chosen, cursor, limit: workspace.inbox_page(
                chosen.statuses, chosen.query_assignee(), cursor, limit, order=chosen.order, sla=chosen.sla
            ),
            workspace.tasks,
            self,
        )
        self.messages = MessagesModel(store, workspace.message_page, workspace.pending_replies, workspace.tasks, self)
        # Connected before the view gets the model, so this runs before the selection model reacts.
        self.inbox.rowsAboutToBeRemoved.connect(self._rows_leaving)
        self.inbox_pane = InboxPane(self.inbox, self)
        self.conversation_pane = ConversationPane(self.messages, self)
        self.placeholder = QLabel(self)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.placeholder.setStyleSheet("color: #6B7785;")
        self.right = QStackedWidget(self)
        self.right.addWidget(self.placeholder)
        self.right.addWidget(self.conversation_pane)
        splitter = QSplitter(self)
        splitter.addWidget(self.inbox_pane)
        splitter.addWidget(self.right)
        # --- customers (issue 4): the card and the timeline beside the conversation ---
        self.customers = CustomerDesk(workspace, self)
        self.customer_panel = CustomerPanel(self.customers, self)
        self.customer_panel.failed.connect(self.show_failure)
        self.customer_panel.conversationChosen.connect(self.open_from_notification)
        self.customer_panel.setMinimumWidth(340)
        splitter.addWidget(self.customer_panel)
        splitter.setStretchFactor(2, 0)
        # --- end customers ---
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([360, 740, 400])
        splitter.setChildrenCollapsible(False)
        self.inbox_pane.setMinimumWidth(300)
        self.splitter = splitter
        splitter.setObjectName("mainSplitter")
        # Offline is said in words across the window, with a way to try again now (issue 16, defect 7).
        self.offline_banner = OfflineBanner(self)
        self.offline_banner.retryRequested.connect(self.retry_now)
        central = QWidget(self)
        central_layout = QVBoxLayout(central)
        central_layout.setContentsMargins(0, 0, 0, 0)
        central_layout.setSpacing(0)
        central_layout.addWidget(self.offline_banner)
        central_layout.addWidget(splitter, 1)
        self.setCentralWidget(central)

        self.user_label = QLabel(self)
        self.link = LinkIndicator(self)
        self.statusBar().addPermanentWidget(self.user_label)
        self.statusBar().addPermanentWidget(self.link)

        self._ignore_current = False
        self._open_id: int | None = None
        self._draft_for: int | None = None  # the conversation the composer's text belongs to (defect 1)
        self._gap_row: int | None = None  # where the open conversation was before it left the list (defect 3)
        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(400)
        self._draft_timer.timeout.connect(self._keep_draft)
        self._keep_at_bottom = True
        self._older_anchor: tuple[int, int] | None = None
        # Notifications (issue 16): tray icon with the unread count, desktop notification, sound; a click opens.
        self.notifier = Notifier(store, app_icon(), looking_at=lambda: self._open_id, window=self, parent=self)
        self.notifier.openRequested.connect(self.open_from_notification)
        self.theme = ""
        self.notification_choice = NotificationChoice()
        self._build_actions()
        self._update_review_action()
        self._connect()
        # --- work organisation (issue 11): presence, take next, transfer, notes, canned "/", board, rules ---
        self.workorg = attach_workorg(self)
        self.exports = attach_exports(self)  # issue 15: the conversation or the customer's history as PDF/HTML
        # --- end work organisation ---
        # Reports, history search, comment threads: omnidesk/client/features (one call, their own packages).
        self.features = attach_features(self)
        self.resize(1120, 720)
        self.retranslate()

    # --- actions ------------------------------------------------------------------------------------------

    def _action(self, slot: object, *keys: QKeySequence | QKeySequence.StandardKey | str) -> QAction:
        action = QAction(self)
        shortcuts = [key if isinstance(key, QKeySequence) else QKeySequence(key) for key in keys]
        action.setShortcuts(shortcuts)
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        # Ctrl only: Alt+Down belongs to the focused drop-down (opens it), never to the inbox (defect 5).
        self.next_action = self._action(lambda: self.step(1), "Ctrl+Down")
        self.previous_action = self._action(lambda: self.step(-1), "Ctrl+Up")
        self.focus_inbox_action = self._action(lambda: self.inbox_pane.list.setFocus(), "Ctrl+I")
        self.focus_composer_action = self._action(self.focus_composer, "Ctrl+L")
        self.send_action = self._action(self.conversation_pane.composer.submit, "Ctrl+Return", "Ctrl+Enter")
        self.take_action = self._action(self.take, "Ctrl+T")
        self.resolve_action = self._action(self.resolve, "Ctrl+Shift+R")
        self.reopen_action = self._action(self.reopen, "Ctrl+Shift+O")
        self.pending_action = self._action(self.set_pending, "Ctrl+Shift+P")
        self.mine_action = self._action(lambda: self.inbox_pane.choose_assignee("me"), "Ctrl+1")
        self.unassigned_action = self._action(lambda: self.inbox_pane.choose_assignee("unassigned"), "Ctrl+2")
        self.all_action = self._action(lambda: self.inbox_pane.choose_assignee("all"), "Ctrl+3")
        self.waiting_order_action = self._action(self.toggle_waiting_order, "Ctrl+W")
        self.refresh_action = self._action(self.inbox.reload, QKeySequence.StandardKey.Refresh)
        self.settings_action = self._action(self.open_settings, "Ctrl+,")
        self.help_action = self._action(self.open_shortcuts, QKeySequence.StandardKey.HelpContents)
        self.find_customer_action = self._action(self.find_customer, "Ctrl+K")  # issue 4
        self.review_duplicates_action = self._action(self.review_duplicates, "Ctrl+Shift+D")  # supervisors
        self.sign_out_action = self._action(self.signOutRequested.emit)
        self.quit_action = self._action(self.close, "Ctrl+Q")

        self.desk_menu = self.menuBar().addMenu("")
        for action in (self.refresh_action, self.settings_action, self.sign_out_action, self.quit_action):
            self.desk_menu.addAction(action)
        self.conversation_actions = [
            self.next_action,
            self.previous_action,
            self.focus_inbox_action,
            self.focus_composer_action,
            self.send_action,
            self.take_action,
            self.resolve_action,
            self.pending_action,
            self.reopen_action,
        ]
        self.conversation_menu = self.menuBar().addMenu("")
        for action in self.conversation_actions:
            self.conversation_menu.addAction(action)
        self.view_menu = self.menuBar().addMenu("")
        for action in (
            self.mine_action,
            self.unassigned_action,
            self.all_action,
            self.waiting_order_action,
            self.find_customer_action,
            self.review_duplicates_action,
        ):
            self.view_menu.addAction(action)
        self.help_menu = self.menuBar().addMenu("")
        self.help_menu.addAction(self.help_action)

    def shortcut_actions(self) -> list[QAction]:
        return [action for action in self.actions() if action.shortcuts()]

    def _connect(self) -> None:
        store = self.workspace.store
        self.inbox_pane.filterChanged.connect(self.inbox.set_filter)
        self.inbox_pane.list.selectionModel().currentChanged.connect(self._current_changed)
        self.inbox.loadFailed.connect(self.show_failure)
        self.messages.loadFailed.connect(self.show_failure)
        self.messages.newestPageLoaded.connect(lambda: self._page_loaded(newest=True))
        self.messages.olderPageLoaded.connect(lambda: self._page_loaded(newest=False))
        self.messages.rowsAboutToBeInserted.connect(self._history_growing)
        self.messages.rowsInserted.connect(self._history_grown)
        history = self.conversation_pane.history
        history.verticalScrollBar().valueChanged.connect(self._history_scrolled)
        self.conversation_pane.composer.submitted.connect(self.send_reply)
        self.conversation_pane.composer.textChanged.connect(self._draft_timer.start)
        self.conversation_pane.extras.failed.connect(self.show_failure)
        self.conversation_pane.extras.told.connect(lambda text: self.statusBar().showMessage(text, 10_000))
        # Pictures in their bubbles: the files panel reads the previews, the history shows each in its message.
        extras = self.conversation_pane.extras
        self.messages.set_previews(lambda message_id: extras.previews.get(message_id))
        self.messages.set_marks(lambda message_id: extras.marks.get(message_id, ()))
        self.messages.set_voices(extras.voice_state)  # voice notes play in their bubbles
        extras.voiceChanged.connect(self.messages.preview_arrived)  # repaints the bubble (its size stays)
        self.conversation_pane.bubbles.voiceToggled.connect(extras.play_voice)
        self.conversation_pane.bubbles.voiceSeek.connect(extras.seek_voice)
        extras.previewReady.connect(self._preview_ready)
        self.workspace.reply_details.append(extras.reply_details)  # the buttons chosen for the next reply
        self.conversation_pane.send.clicked.connect(self.conversation_pane.composer.submit)
        self.conversation_pane.take.clicked.connect(self.take)
        self.conversation_pane.resolve.clicked.connect(self.resolve)
        self.conversation_pane.reopen.clicked.connect(self.reopen)
        self.conversation_pane.pending.clicked.connect(self.set_pending)
        self.workspace.resynchronised.connect(self.resynchronise)
        store.conversationChanged.connect(self._conversation_changed)
        store.linkChanged.connect(self.link.set_state)
        store.linkChanged.connect(self.offline_banner.set_state)
        store.userChanged.connect(self._user_changed)
        store.failed.connect(self.show_failure)
        self.relative_times = QTimer(self)
        self.relative_times.setInterval(30_000)
        self.relative_times.timeout.connect(self._relative_times_tick)
        self.relative_times.start()

    # --- the inbox ----------------------------------------------------------------------------------------

    def start(self) -> None:
        """Read the inbox from the server (after signing in)."""
        self.open_conversation(None)
        self.inbox.set_filter(self.inbox_pane.current_filter())

    def _relative_times_tick(self) -> None:
        """ "now", "5 min" and the like move on by themselves, in the inbox and in the open history."""
        self.inbox_pane.list.viewport().update()
        self.conversation_pane.history.viewport().update()

    def _rows_leaving(self, parent: QModelIndex, first: int, last: int) -> None:
        # Removing the current row makes the selection model pick a neighbour: that is not the operator's
        # choice, so the open conversation stays (e.g. just resolved under the "Open" filter).
        open_row = self.inbox.row_of(self._open_id) if self._open_id is not None else -1
        if first <= open_row <= last:
            self._gap_row = first  # the next conversation is the one that moves up into its place
        self._ignore_current = True
        QTimer.singleShot(0, self._accept_current)

    def _accept_current(self) -> None:
        self._ignore_current = False
        if self._open_id is not None and self.inbox.row_of(self._open_id) < 0:
            # No row is highlighted that is not open: the highlight and the open conversation never disagree.
            selection = self.inbox_pane.list.selectionModel()
            selection.clear()

    def _current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        if self._ignore_current or not current.isValid():
            return
        conversation = self.inbox.conversation_at(current.row())
        if conversation is not None and conversation.id != self._open_id:
            self.open_conversation(conversation.id)

    def toggle_waiting_order(self) -> None:
        current = self.inbox_pane.current_filter().order
        self.inbox_pane.choose_order("activity" if current == "waiting" else "waiting")

    def step(self, delta: int) -> None:
        """Move to the next (1) or previous (-1) conversation in the inbox."""
        view = self.inbox_pane.list
        rows = self.inbox.rowCount()
        if rows == 0:
            return
        # The open conversation is where the operator is, whatever row the view last highlighted.
        current = self.inbox.row_of(self._open_id) if self._open_id is not None else -1
        if current >= 0:
            target = min(max(current + delta, 0), rows - 1)
        elif self._gap_row is not None:
            # The open one left the list (resolved, taken): "next" is the row now in its place.
            target = min(max(self._gap_row if delta > 0 else self._gap_row - 1, 0), rows - 1)
        else:
            current = view.currentIndex().row()
            target = 0 if current < 0 else min(max(current + delta, 0), rows - 1)
        if target >= rows - 2 and self.inbox.canFetchMore():
            self.inbox.fetchMore()
        if target <= 1 and delta < 0 and self.inbox.can_fetch_earlier():
            self.inbox.fetch_earlier()
        index = self.inbox.index(target, 0)
        view.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        view.scrollTo(index)

    # --- the open conversation ----------------------------------------------------------------------------------

    @property
    def open_conversation_id(self) -> int | None:
        return self._open_id

    def open_conversation(self, conversation_id: int | None) -> None:
        self._swap_draft(conversation_id)
        self.workspace.store.pinned.discard(self._open_id)
        if conversation_id is not None:
            self.workspace.store.pinned.add(conversation_id)
        self._open_id = conversation_id
        self._gap_row = None
        self._keep_at_bottom = True
        conversation = self.workspace.store.conversation(conversation_id) if conversation_id else None
        # The newest messages first: their read is spawned before the card's, the timeline's and the reply window's
        # and goes ahead of them (ApiClient.priority), so the history paints as soon as the server can answer it.
        self.messages.open(conversation_id)
        self.conversation_pane.extras.attach(self.workspace.api, self.workspace.tasks)
        self.conversation_pane.show_conversation(conversation, self.workspace.user)
        self._apply_permissions()
        self.conversationShown.emit(conversation)
        self.right.setCurrentIndex(1 if conversation_id else 0)
        self.customer_panel.set_open_conversation(conversation)
        if conversation is not None:
            self.customer_panel.show_customer(conversation.customer.id)  # issue 4
        if conversation_id is not None and conversation is None:
            # Not listed here (a mention's conversation outside the operator's queues): read it, then show it.
            self.workspace.tasks.spawn(self._quietly(self._open_unlisted(conversation_id)), name="open-unlisted")
        elif conversation_id is not None:
            self.workspace.tasks.spawn(self._quietly(self.workspace.mark_read(conversation_id)), name="mark-read")

    async def _open_unlisted(self, conversation_id: int) -> None:
        conversation = await self.workspace.load_conversation(conversation_id)  # _conversation_changed shows it
        if self._open_id == conversation_id:
            self.conversationShown.emit(conversation)
            await self.workspace.mark_read(conversation_id)

    async def _quietly(self, action: object) -> None:
        try:
            await action  # type: ignore[misc]
        except Exception as error:
            self.show_failure(error)

    def _conversation_changed(self, conversation: ConversationOut) -> None:
        if conversation.id != self._open_id:
            return
        before = self.customer_panel.open_conversation
        self.customer_panel.set_open_conversation(conversation)
        if before is None or before.customer.id != conversation.customer.id:
            # Issue 4: a merge moved the conversation to another customer: the card follows. Any other change of the
            # open conversation (a new message, read, taken) leaves the card on whom the operator chose to look at.
            self.customer_panel.show_customer(conversation.customer.id)
        self.conversation_pane.show_conversation(conversation, self.workspace.user)
        self._apply_permissions()
        if conversation.unread_count and self.isActiveWindow():
            self.workspace.tasks.spawn(self._quietly(self.workspace.mark_read(conversation.id)), name="mark-read")

    def _page_loaded(self, *, newest: bool) -> None:
        history = self.conversation_pane.history
        if newest:
            history.scrollToBottom()
        self._fill_history()

    def _fill_history(self) -> None:
        """Load older pages while the history does not fill the view (nothing to scroll up with)."""
        bar = self.conversation_pane.history.verticalScrollBar()
        if bar.maximum() == 0 and self.messages.can_fetch_older():
            self.messages.fetch_older()

    def _history_growing(self, parent: QModelIndex, first: int, last: int) -> None:
        bar = self.conversation_pane.history.verticalScrollBar()
        self._keep_at_bottom = bar.value() >= bar.maximum() - 4
        self._older_anchor = (bar.value(), bar.maximum()) if first == 0 and self.messages.rowCount() else None

    def _history_grown(self, parent: QModelIndex, first: int, last: int) -> None:
        history = self.conversation_pane.history
        history.doItemsLayout()
        bar = history.verticalScrollBar()
        if self._older_anchor is not None:
            value, maximum = self._older_anchor
            bar.setValue(value + bar.maximum() - maximum)  # keep what the operator was reading in place
            self._older_anchor = None
        elif self._keep_at_bottom:
            history.scrollToBottom()

    def _preview_ready(self, message_id: int) -> None:
        index = self.messages.preview_arrived(message_id)
        if index.isValid():
            self.conversation_pane.bubbles.sizeHintChanged.emit(index)

    def _history_scrolled(self, value: int) -> None:
        if value <= 8 and self.messages.can_fetch_older():
            self.messages.fetch_older()

    def focus_composer(self) -> None:
        if self._open_id is not None:
            self.conversation_pane.composer.setFocus()

    # --- drafts (defect 1): the composer's text belongs to the conversation it was typed in ---------------

    def _swap_draft(self, conversation_id: int | None) -> None:
        composer = self.conversation_pane.composer
        if self._draft_for == conversation_id:
            return
        self._draft_timer.stop()
        self._keep_draft()
        self._draft_for = conversation_id
        composer.blockSignals(True)
        composer.setPlainText(self.workspace.draft(conversation_id) if conversation_id is not None else "")
        composer.moveCursor(composer.textCursor().MoveOperation.End)
        composer.blockSignals(False)
        composer.setEnabled(conversation_id is not None)
        self.conversation_pane.send.setEnabled(conversation_id is not None)

    def _keep_draft(self) -> None:
        if self._draft_for is not None and self.workspace.user is not None:
            self.workspace.keep_draft(self._draft_for, self.conversation_pane.composer.toPlainText())

    def send_reply(self, text: str, *, note: bool = False) -> None:
        """The composer's text as a reply, or as an internal note (``note``): either waits in the outbox."""
        target = self._draft_for
        if target is None or target != self._open_id:
            return  # never to any other conversation than the one the text was typed in
        if note and not text.strip():  # files go with a reply to the customer, never with an internal note
            self.show_failure(self.tr("An internal note needs text: the attached files go with a reply"))
            return
        self._keep_at_bottom = True
        try:
            self.workspace.reply(target, text, note=note)
        except Exception as error:
            self.conversation_pane.composer.setPlainText(text)
            self.show_failure(error)
            return
        if not note:
            self.conversation_pane.extras.reply_queued(target)  # the files waiting for it went with it
        self._draft_timer.stop()
        self.workspace.keep_draft(target, "")

    # --- actions on the open conversation -------------------------------------------------------------------

    def _refuse_offline(self, what: str) -> bool:
        """Offline, an action would fail: say so at once instead of losing it (defect 7)."""
        if not self.offline_banner.is_down() and self.workspace.store.link_state != "offline":
            return False
        self.offline_banner.say(what)
        self.show_failure(what)
        return True

    def _act(self, name: str, refused: str, action: object) -> None:
        if self._refuse_offline(refused):
            action.close()  # type: ignore[attr-defined]
            return
        self.workspace.tasks.spawn(self._quietly(action), name=name)

    def take(self) -> None:
        if self._open_id is not None and self._may("take"):
            refused = self.tr("You are offline: the conversation was not taken. Try again when the connection is back.")
            self._act("take", refused, self.workspace.take(self._open_id))

    def resolve(self) -> None:
        if self._open_id is not None and self._may("resolve"):
            refused = self.tr(
                "You are offline: the conversation was not resolved. Try again when the connection is back."
            )
            self._act("resolve", refused, self.workspace.set_status(self._open_id, RESOLVED))

    def set_pending(self) -> None:
        """Waiting on the customer: the conversation leaves "who do I answer next" until they write."""
        if self._open_id is not None and self._may("resolve"):
            refused = self.tr(
                "You are offline: the conversation was not set to pending. Try again when the connection is back."
            )
            self._act("pending", refused, self.workspace.set_status(self._open_id, PENDING))

    def reopen(self) -> None:
        if self._open_id is not None and self._may("resolve"):
            refused = self.tr(
                "You are offline: the conversation was not reopened. Try again when the connection is back."
            )
            self._act("reopen", refused, self.workspace.set_status(self._open_id, OPEN))

    def retry_now(self) -> None:
        self.workspace.retry_now()

    # --- customers (issue 4) --------------------------------------------------------------------------------

    def find_customer(self) -> CustomerSearchDialog:
        dialog = CustomerSearchDialog(self.customers, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.customerChosen.connect(self.customer_panel.show_customer)
        dialog.createRequested.connect(lambda typed: (dialog.reject(), self.customer_panel.new_customer(typed)))
        self.customer_search = dialog
        dialog.open()
        return dialog

    def review_duplicates(self) -> DuplicateReviewDialog | None:
        """The supervisors' list of suggested duplicates (the server refuses operators; so does this entry)."""
        if not may_review(self.workspace.user, self.workspace.store.permissions):
            return None
        dialog = DuplicateReviewDialog(self.customers, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.customerChosen.connect(self.customer_panel.show_customer)
        dialog.mergeRequested.connect(self.customer_panel.open_merge)
        self.duplicate_review = dialog
        dialog.open()
        return dialog

    # --- around ---------------------------------------------------------------------------------------------

    def show_failure(self, error: object) -> None:
        message = describe_error(error, self.workspace.server_url) if isinstance(error, BaseException) else str(error)
        self.statusBar().showMessage(message, 10_000)

    def _user_changed(self, user: UserOut | None) -> None:
        self._update_review_action()
        self.retranslate()

    # --- permissions (issue 16, item 14): what the role may not do is not offered, and says why ----------------

    PERMISSION_OF = {
        "take": Permission.CONVERSATION_TAKE,
        "resolve": Permission.CONVERSATION_STATUS,
        "reply": Permission.CONVERSATION_REPLY,
    }

    def _may(self, what: str) -> bool:
        return self.workspace.store.may(self.PERMISSION_OF[what])

    def _update_review_action(self) -> None:
        allowed = may_review(self.workspace.user, self.workspace.store.permissions)
        self.review_duplicates_action.setVisible(allowed)
        self.review_duplicates_action.setEnabled(allowed)
        self._apply_permissions()

    def _apply_permissions(self) -> None:
        pane = self.conversation_pane
        gated = {
            "take": ([self.take_action], [pane.take]),
            "resolve": ([self.resolve_action, self.reopen_action, self.pending_action], [pane.resolve, pane.reopen,
                                                                                         pane.pending]),
            "reply": ([self.send_action, self.focus_composer_action], [pane.send]),
        }  # fmt: skip
        for what, (actions, buttons) in gated.items():
            allowed = self._may(what)
            why = "" if allowed else reason(self.PERMISSION_OF[what])
            for action in actions:
                action.setEnabled(allowed)
                action.setToolTip(why or action.text())
            for button in buttons:
                button.setEnabled(allowed)
                if why:
                    button.setToolTip(why)
        # Take: a colleague's conversation needs conversation.take_from_colleague besides (domain.may_take).
        conversation = pane.conversation
        me = self.workspace.user
        if conversation is not None and self._may("take"):
            held = self.workspace.store.permissions
            allowed = may_take(held, conversation.assignee_id, me.id if me else None)
            why = "" if allowed else reason(Permission.CONVERSATION_TAKE_FROM_COLLEAGUE)
            self.take_action.setEnabled(allowed)
            pane.take.setEnabled(allowed)
            pane.take.setToolTip(why)
            self.take_action.setToolTip(why or self.take_action.text())
        may_reply = self._may("reply")
        pane.composer.setReadOnly(not may_reply)
        if not may_reply:
            pane.composer.setPlaceholderText(reason(Permission.CONVERSATION_REPLY))

    # --- the session ends, or the stream starts afresh ------------------------------------------------------------

    def clear_session(self) -> None:
        """Logout or a session the server ended: nothing of the last user's customers stays (defect 2)."""
        self._keep_draft()
        for dialog in self.findChildren(QDialog):
            dialog.reject()
            dialog.hide()
        self.inbox.clear()
        self.open_conversation(None)
        self.messages.open(None)
        self.conversation_pane.extras.forget()
        self.customer_panel.clear()
        self.customers.forget()
        self.notifier.forget()
        self.statusBar().clearMessage()
        self.offline_banner.set_state("connecting")
        self.sessionCleared.emit()
        for other in QApplication.topLevelWidgets():  # any window of this one left (a pop-up, a tool window)
            if other is not self and other.isVisible() and _belongs_to(other, self):
                other.hide()

    def resynchronise(self) -> None:
        """The server could not replay the missed events (409): read the inbox, the history and the card again."""
        opened = self._open_id
        self.inbox.reload()
        if opened is not None:
            self.messages.open(None)
            self.messages.open(opened)
        self.customer_panel.refresh()

    # --- the window's layout is kept (defect 8) -------------------------------------------------------------

    def restore_layout(self, geometry: object, state: object, splitter: object) -> None:
        if geometry:
            self.restoreGeometry(geometry)  # type: ignore[arg-type]
        if state:
            self.restoreState(state)  # type: ignore[arg-type]
        if splitter:
            self.splitter.restoreState(splitter)  # type: ignore[arg-type]

    def saved_layout(self) -> tuple[object, object, object]:
        return self.saveGeometry(), self.saveState(), self.splitter.saveState()

    def open_settings(self) -> SettingsDialog:
        dialog = SettingsDialog(self.language, self, theme=self.theme, notifications=self.notification_choice)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.languageChosen.connect(self._choose_language)
        dialog.themeChosen.connect(self.themeChosen.emit)
        dialog.notificationsChosen.connect(self.choose_notifications)
        dialog.open()
        self.settings_dialog = dialog
        return dialog

    def choose_notifications(self, choice: NotificationChoice) -> None:
        self.notification_choice = choice
        self.notifier.desktop, self.notifier.sound = choice.desktop, choice.sound
        self.notifier.quiet = QuietHours.parse(choice.quiet_hours, enabled=bool(choice.quiet_hours))
        self.notificationsChosen.emit(choice)

    def open_from_notification(self, conversation_id: int) -> None:
        """A click on a notification: the window comes forward with that conversation open."""
        self.showNormal()
        self.raise_()
        self.activateWindow()
        row = self.inbox.row_of(conversation_id)
        if row >= 0:
            index = self.inbox.index(row, 0)
            self.inbox_pane.list.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
            self.inbox_pane.list.scrollTo(index)
        if self._open_id != conversation_id:
            self.open_conversation(conversation_id)

    def _choose_language(self, code: str) -> None:
        self.language = code
        self.languageChosen.emit(code)

    def open_shortcuts(self) -> None:
        dialog = ShortcutsDialog(
            [
                *self.conversation_actions,
                self.mine_action,
                self.unassigned_action,
                self.all_action,
                self.waiting_order_action,
                self.find_customer_action,
                self.refresh_action,
                self.settings_action,
                self.help_action,
                self.quit_action,
            ],
            self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.shortcuts_dialog = dialog

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("OmniDesk"))
        self.desk_menu.setTitle(self.tr("&Desk"))
        self.conversation_menu.setTitle(self.tr("&Conversation"))
        self.view_menu.setTitle(self.tr("&View"))
        self.help_menu.setTitle(self.tr("&Help"))
        texts = {
            self.next_action: self.tr("Next conversation"),
            self.previous_action: self.tr("Previous conversation"),
            self.focus_inbox_action: self.tr("Go to the inbox"),
            self.focus_composer_action: self.tr("Write a reply"),
            self.send_action: self.tr("Send the reply"),
            self.take_action: self.tr("Take the conversation"),
            self.resolve_action: self.tr("Resolve the conversation"),
            self.reopen_action: self.tr("Reopen the conversation"),
            self.pending_action: self.tr("Set to pending (waiting on the customer)"),
            self.mine_action: self.tr("Show mine"),
            self.unassigned_action: self.tr("Show unassigned"),
            self.all_action: self.tr("Show all"),
            self.waiting_order_action: self.tr("Longest waiting first / newest first"),
            self.refresh_action: self.tr("Refresh the inbox"),
            self.settings_action: self.tr("Settings…"),
            self.help_action: self.tr("Keyboard shortcuts"),
            self.find_customer_action: self.tr("Find a customer…"),
            self.review_duplicates_action: self.tr("Suggested duplicates…"),
            self.sign_out_action: self.tr("Log out"),
            self.quit_action: self.tr("Quit"),
        }
        for action, text in texts.items():
            action.setText(text)
        self.placeholder.setText(
            self.tr(
                "Choose a conversation on the left.\n\n"
                "Ctrl+Down and Ctrl+Up move through the inbox, F1 lists all shortcuts."
            )
        )
        user = self.workspace.user
        if user is not None:
            who = self.tr("%1 (%2)").replace("%1", user.display_name or user.username)
            self.user_label.setText(who.replace("%2", self._role(str(user.role))))
        else:
            self.user_label.setText("")
        self.inbox_pane.list.viewport().update()

    def _role(self, role: str) -> str:
        roles = {
            "operator": self.tr("operator"),
            "supervisor": self.tr("supervisor"),
            "admin": self.tr("administrator"),
        }
        return roles.get(role, role)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.conversation_pane.extras.voice.stop()  # a voice note does not play on after the window closed
        self.closed.emit()
        super().closeEvent(event)
