"""Work organisation in the desktop client: presence, "take next", transfer, internal notes, canned replies with "/",
the supervisor board and the routing rule editor.

``attach(window)`` wires all of it into the main window from the outside (a menu, status bar widgets, shortcuts and
the composer hooks), so the main window needs one line and knows nothing of this package's internals.
"""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLayout, QMessageBox, QToolButton

from omnidesk.client.permissions import reason, works_in
from omnidesk.client.workorg.board import BoardWindow
from omnidesk.client.workorg.canned import CannedEditor, CannedManager, CannedTrigger
from omnidesk.client.workorg.colleagues import ColleaguesButton
from omnidesk.client.workorg.desk import WorkDesk
from omnidesk.client.workorg.mentions import MentionsDialog
from omnidesk.client.workorg.offers import OfferToast
from omnidesk.client.workorg.presence import PresenceSelector
from omnidesk.client.workorg.queues import QueueAdmin
from omnidesk.client.workorg.rules import RuleEditor
from omnidesk.client.workorg.transfer import TransferDialog
from omnidesk.domain.permissions import Permission

__all__ = ["WorkOrg", "attach"]

NOTE_STYLE = "QPlainTextEdit { background: #FFF8E1; }"


def _layout_holding(layout: QLayout | None, widget) -> QHBoxLayout | None:
    if layout is None:
        return None
    for i in range(layout.count()):
        item = layout.itemAt(i)
        if item.widget() is widget and isinstance(layout, QHBoxLayout):
            return layout
        found = _layout_holding(item.layout(), widget)
        if found is not None:
            return found
    return None


def _parent_of(layout: QLayout | None, child: QLayout):
    """The layout (at any depth under ``layout``) that directly holds ``child``."""
    if layout is None:
        return None
    for i in range(layout.count()):
        item = layout.itemAt(i)
        if item.layout() is child:
            return layout
        found = _parent_of(item.layout(), child)
        if found is not None:
            return found
    return None


class WorkOrg(QObject):
    """Everything this package adds to one main window."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.desk = WorkDesk(window.workspace, self)
        self.desk.refuse_offline = window._refuse_offline  # take next, transfer, presence: refused in words (defect 7)
        self.board: BoardWindow | None = None
        self.rules: RuleEditor | None = None
        self.presence = PresenceSelector(self.desk, window)
        window.statusBar().insertPermanentWidget(0, self.presence)
        self.colleagues = ColleaguesButton(self.desk, self.transfer_to, window)
        window.statusBar().insertPermanentWidget(1, self.colleagues)
        pane = window.conversation_pane
        self.note_toggle = QToolButton(pane)
        self.note_toggle.setCheckable(True)
        self.note_toggle.toggled.connect(self._note_mode)
        self.collision = QLabel(pane)
        self.collision.setObjectName("collisionLabel")
        self.collision.setStyleSheet("color: #B26A00; font-weight: 600;")
        # A strip above the composer: who else is here (collision prevention) and the note-mode toggle.
        strip = QHBoxLayout()
        strip.setContentsMargins(0, 0, 0, 0)
        strip.addWidget(self.collision, 1)
        strip.addWidget(self.note_toggle)
        row = _layout_holding(pane.layout(), pane.send)
        outer = _parent_of(pane.layout(), row) if row is not None else None
        if outer is not None:
            outer.insertLayout(outer.indexOf(row), strip)
        else:  # a reworked pane: the strip goes to the end of it
            pane.layout().addItem(strip)
        # Replies go through the window's own path; in note mode the text becomes an internal note instead.
        pane.composer.submitted.disconnect(window.send_reply)
        pane.composer.submitted.connect(self._submitted)
        self.canned = CannedTrigger(self.desk, pane.composer, lambda: window.open_conversation_id, self)
        # Collision prevention: tell colleagues what this operator views and types; show what they do.
        self._told: tuple[int | None, bool, float] = (None, False, 0.0)
        pane.composer.textChanged.connect(lambda: self._tell(typing=bool(pane.composer.toPlainText().strip())))
        self.desk.activityChanged.connect(lambda _c: self._show_collision())
        self.activity_timer = QTimer(self)
        self.activity_timer.setInterval(1000)
        self.activity_timer.timeout.connect(self._activity_tick)
        self.activity_timer.start()

        def action(slot, *keys: str) -> QAction:
            a = QAction(window)
            a.setShortcuts([QKeySequence(k) for k in keys])
            a.triggered.connect(slot)
            window.addAction(a)
            return a

        self.take_next_action = action(self.desk.take_next, "Ctrl+N")
        self.transfer_action = action(lambda: self.open_transfer(), "Ctrl+Shift+T")
        self.note_action = action(lambda: self.note_toggle.isEnabled() and self.note_toggle.toggle(), "Ctrl+Shift+N")
        self.canned_action = action(self.open_canned_editor)
        self.canned_manager_action = action(self.open_canned_manager)
        self.mentions_action = action(self.open_mentions, "Ctrl+Shift+M")
        self.board_action = action(self.open_board, "Ctrl+B")
        self.rules_action = action(self.open_rules)
        self.queues_action = action(self.open_queues)
        self.menu = window.menuBar().addMenu("")
        for a in (
            self.take_next_action,
            self.transfer_action,
            self.note_action,
            self.canned_action,
            self.canned_manager_action,
            self.mentions_action,
            self.board_action,
            self.rules_action,
            self.queues_action,
        ):
            self.menu.addAction(a)

        self.desk.taken.connect(lambda c: window.open_conversation(c.id))
        self.desk.nothingWaiting.connect(lambda: window.statusBar().showMessage(self.tr("Nothing is waiting."), 5000))
        self.desk.mentioned.connect(self._mentioned)
        # Conversations a colleague mentioned this operator in: outside their queues they read along, notes only.
        self.mentioned_ids: set[int] = set()
        self.read_along = False
        window.conversationShown.connect(self._conversation_shown)
        window.inbox.unlisted = self.reads_along
        window.sessionCleared.connect(self.clear_session)
        # Push mode's offers: accept or decline in a corner notice, never a modal dialog.
        self.offers = OfferToast(self.desk, window)
        window.sessionCleared.connect(self.offers.clear)
        window.workspace.store.conversationChanged.connect(self._open_changed)  # after the pane redrew it
        self.desk.failed.connect(window.show_failure)
        window.workspace.store.userChanged.connect(self._user_changed)
        window.closed.connect(lambda: self.desk.set_presence("offline"))
        window.installEventFilter(self)
        self._user_changed(window.workspace.store.user)
        self.retranslate()

    # --- reactions ---------------------------------------------------------------------------------------------

    def _user_changed(self, user) -> None:
        supervisor = self.desk.is_supervisor()
        self.board_action.setVisible(user is not None)  # operators: a read-only board of their own queues
        self.board_action.setText(self.tr("Supervisor board") if supervisor else self.tr("Queue board"))
        store = self.window.workspace.store
        # Offered as the server's permissions allow (issue 16, item 14), not by the role's name alone.
        self.rules_action.setVisible(user is not None and store.may(Permission.ROUTING_MANAGE))
        self.queues_action.setVisible(user is not None and store.may(Permission.QUEUE_MANAGE))
        for action, permission in (
            (self.take_next_action, Permission.CONVERSATION_TAKE),
            (self.transfer_action, Permission.CONVERSATION_TRANSFER),
        ):
            allowed = user is not None and store.may(permission)
            action.setEnabled(allowed)
            action.setToolTip("" if allowed else reason(permission))
        self.presence.setVisible(user is not None)
        self.colleagues.setVisible(user is not None)
        if user is not None and self.desk.signed_in():
            self.desk.load_people()
            self.desk.load_offers()
            self.desk.set_presence("online")  # signing in means being available; the selector changes it

    def _note_mode(self, on: bool) -> None:
        composer = self.window.conversation_pane.composer
        composer.setStyleSheet(NOTE_STYLE if on else "")
        composer.setPlaceholderText(
            self.tr("Internal note for colleagues (@name to mention) — never sent to the customer") if on else ""
        )

    def _tell(self, *, typing: bool) -> None:
        conversation_id = self.window.open_conversation_id
        if conversation_id is None:
            return
        last_id, last_typing, at = self._told
        every = 5.0 if typing else 20.0
        if (conversation_id, typing) != (last_id, last_typing) or time.monotonic() - at >= every:
            self._told = (conversation_id, typing, time.monotonic())
            self.desk.tell_activity(conversation_id, typing)

    def _activity_tick(self) -> None:
        composer = self.window.conversation_pane.composer
        # Typing means a reply: an internal note is not (colleagues are not asked to confirm around it, and the
        # web chat visitor is never told "the operator is typing" for a note).
        self._tell(typing=bool(composer.toPlainText().strip()) and not self.note_toggle.isChecked())
        self._show_collision()

    def _show_collision(self) -> None:
        conversation_id = self.window.open_conversation_id
        others = self.desk.others(conversation_id) if conversation_id is not None else []
        typing = [a.display_name for a in others if a.typing]
        viewing = [a.display_name for a in others if not a.typing]
        parts = []
        if typing:
            parts.append(self.tr("%1 is typing a reply").replace("%1", ", ".join(typing)))
        if viewing:
            parts.append(self.tr("%1 is viewing").replace("%1", ", ".join(viewing)))
        self.collision.setText(" · ".join(parts))

    def someone_typing(self) -> list[str]:
        conversation_id = self.window.open_conversation_id
        if conversation_id is None:
            return []
        return [a.display_name for a in self.desk.others(conversation_id) if a.typing]

    def _submitted(self, text: str) -> None:
        if not self.note_toggle.isChecked():
            typing = self.someone_typing()
            if typing:
                self._confirm_send(text, typing)
                return
            self.window.send_reply(text)
            return
        # A note waits in the client's outbox as a reply does: offline it goes out when the server is back (defect 7).
        self.window.send_reply(text, note=True)

    def _confirm_send(self, text: str, typing: list[str]) -> QMessageBox:
        """Another operator is replying right now: ask before sending (non-blocking; the text is kept if not sent)."""
        box = QMessageBox(self.window)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Someone is replying"))
        box.setText(
            self.tr("%1 is typing a reply in this conversation. Send yours anyway?").replace("%1", ", ".join(typing))
        )
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        composer = self.window.conversation_pane.composer

        def decided(button) -> None:
            if box.standardButton(button) == QMessageBox.StandardButton.Yes:
                self.window.send_reply(text)
            else:
                composer.setPlainText(text)

        box.buttonClicked.connect(decided)
        box.open()
        self.confirmation = box
        return box

    def _mentioned(self, mention) -> None:
        text = (
            self.tr("%1 mentioned you: %2").replace("%1", mention.author_name or "?").replace("%2", mention.text[:120])
        )
        self.mentioned_ids.add(mention.conversation_id)
        self.window.statusBar().showMessage(text, 15_000)
        # The window's notifier: a desktop notification whose click opens the conversation (also one outside the
        # operator's queues, which the server lets them read after the mention).
        self.window.notifier.notify(mention.conversation_id, self.tr("Mention"), text)

    def open_mentioned(self, conversation_id: int) -> None:
        self.mentioned_ids.add(conversation_id)
        self.window.open_from_notification(conversation_id)

    def reads_along(self, conversation) -> bool:
        """A conversation outside the operator's queues that a colleague mentioned them in: read, and notes only."""
        user = self.window.workspace.store.user
        return conversation.id in self.mentioned_ids and not works_in(user, conversation)

    def _open_changed(self, conversation) -> None:
        if conversation.id == self.window.open_conversation_id:
            self._conversation_shown(conversation)

    def _conversation_shown(self, conversation) -> None:
        """Outside the operator's queues (reached through a mention) only notes can be written: the queue replies,
        takes and resolves it (the server would refuse those)."""
        read_along = conversation is not None and self.reads_along(conversation)
        if read_along:
            self.note_toggle.setChecked(True)
        elif self.read_along:
            self.note_toggle.setChecked(False)
        was, self.read_along = self.read_along, read_along
        self.note_toggle.setEnabled(not read_along)
        self._note_tooltip()
        window, pane = self.window, self.window.conversation_pane
        window.customer_panel.set_read_only(read_along)
        if read_along:
            for button in (pane.take, pane.pending, pane.resolve, pane.reopen):
                button.setVisible(False)
            for a in (window.take_action, window.resolve_action, window.reopen_action, window.pending_action):
                a.setEnabled(False)
            self._note_mode(True)  # the pane's redraw put the reply placeholder back
        elif was:
            window._apply_permissions()

    def _note_tooltip(self) -> None:
        if self.read_along:
            self.note_toggle.setToolTip(
                self.tr("You were mentioned here; this conversation is not in your queues, so you write notes only")
            )
        else:
            self.note_toggle.setToolTip(self.tr("Write an internal note instead of a reply (Ctrl+Shift+N)"))

    def clear_session(self) -> None:
        """Logout or a session the server ended: the board, the rule editor (its preview names customers), the
        colleagues pop-up and every dialog of this package close and forget the last user's data (defect 2)."""
        self.mentioned_ids.clear()
        for name in ("board", "rules"):
            window = getattr(self, name)
            if window is not None:
                window.close()
                window.deleteLater()
                setattr(self, name, None)
        self.transfer_dialog = self.confirmation = None
        self.colleagues.popup.hide()
        self.desk.forget()
        self.collision.clear()
        self._told = (None, False, 0.0)

    # --- windows -------------------------------------------------------------------------------------------------

    def open_transfer(self, colleague_id: int | None = None) -> TransferDialog | None:
        conversation_id = self.window.open_conversation_id
        if not self.window.workspace.store.may(Permission.CONVERSATION_TRANSFER):
            self.window.statusBar().showMessage(reason(Permission.CONVERSATION_TRANSFER), 8000)
            return None  # also from the colleagues' pop-up: never offered to be refused
        if conversation_id is None or self.desk.refuse_offline(TransferDialog.refusal()):
            return None  # offline: said in words, no dialog whose colleagues and queues cannot be read (defect 7)
        dialog = TransferDialog(self.desk, conversation_id, self.window, colleague_id=colleague_id)
        self.desk.load_people(dialog.fill)
        dialog.open()
        return dialog

    def transfer_to(self, colleague_id: int) -> bool:
        """The colleagues list's double-click: the transfer dialog with that colleague chosen (True when it opened)."""
        if self.window.open_conversation_id is None or not self.transfer_action.isEnabled():
            self.window.statusBar().showMessage(self.tr("Open a conversation to hand it to a colleague."), 5000)
            return False
        self.transfer_dialog = self.open_transfer(colleague_id)
        return self.transfer_dialog is not None

    def open_board(self) -> BoardWindow:
        if self.board is None:
            self.board = BoardWindow(self.desk, None)
        self.board.show()
        self.board.raise_()
        return self.board

    def open_rules(self) -> RuleEditor:
        if self.rules is None:
            self.rules = RuleEditor(self.desk, self.window)
        self.rules.show()
        return self.rules

    def open_queues(self) -> QueueAdmin:
        dialog = QueueAdmin(self.desk, self.window)
        dialog.open()
        return dialog

    def open_canned_editor(self) -> CannedEditor:
        dialog = CannedEditor(self.desk, self.window)
        dialog.accepted.connect(self.canned.reload)
        dialog.open()
        return dialog

    def open_canned_manager(self) -> CannedManager:
        dialog = CannedManager(self.desk, self.window)
        dialog.changed.connect(self.canned.reload)  # the "/" picker reads the replies again
        dialog.open()
        return dialog

    def open_mentions(self) -> MentionsDialog:
        dialog = MentionsDialog(self.desk, self.window)
        dialog.openConversation.connect(self.open_mentioned)
        dialog.open()
        return dialog

    # --- language ------------------------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.menu.setTitle(self.tr("&Work"))
        self.take_next_action.setText(self.tr("Take next conversation"))
        self.transfer_action.setText(self.tr("Transfer…"))
        self.note_action.setText(self.tr("Internal note mode"))
        self.canned_action.setText(self.tr("New canned reply…"))
        self.canned_manager_action.setText(self.tr("Canned replies…"))
        self.mentions_action.setText(self.tr("Mentions"))
        self.board_action.setText(self.tr("Supervisor board") if self.desk.is_supervisor() else self.tr("Queue board"))
        self.rules_action.setText(self.tr("Routing rules…"))
        self.queues_action.setText(self.tr("Queues and members…"))
        self.note_toggle.setText(self.tr("Note"))
        self._note_tooltip()
        self._note_mode(self.note_toggle.isChecked())
        if hasattr(self, "collision"):
            self._show_collision()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        return False


def attach(window: Any) -> WorkOrg:
    """Add work organisation to ``window`` (omnidesk.client.views.main_window.MainWindow)."""
    return WorkOrg(window)
