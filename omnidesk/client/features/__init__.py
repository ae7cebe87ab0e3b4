"""Feature windows and panels that live in their own packages, attached to the main window in one place.

The main window stays the operator's workspace; what other features add to it is wired here with one call,
``attach(window)``, so the window knows nothing of their internals:

* Reports (omnidesk/client/reports, issue 14): View > Reports… (Ctrl+Shift+A).
* History search (omnidesk/client/history, issue 15): View > Search the history… (Ctrl+Shift+F); a hit opens its
  conversation.
* Comment threads (omnidesk/client/threads, issue 12): above the composer of a VK, Facebook or Instagram comment
  conversation, the post and the choice between a public and a private answer.
* E-mail, web chat and web forms (omnidesk/client/mail, issue 13): the letter view and the reply's To / Cc / subject,
  the web chat visitor, the web form's fields.

Logging out closes and forgets every one of them (nothing of the last user's data stays on screen).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction

from omnidesk.client.history import install_history_search
from omnidesk.client.mail import attach as attach_mail
from omnidesk.client.reports.window import ReportsWindow
from omnidesk.client.threads.panel import CommentThreadPanel, fetch_thread, save_reply_mode

COMMENT_KINDS = {"vk", "meta", "instagram"}  # channels whose conversations may start from a comment


class Features(QObject):
    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.reports: ReportsWindow | None = None
        workspace = window.workspace

        self.reports_action: QAction = window._action(self.open_reports, "Ctrl+Shift+A")
        self.history_shortcut = install_history_search(
            window, workspace.api, workspace.tasks, lambda conversation_id, _message_id: self._open(conversation_id)
        )
        self.history_action: QAction = window._action(lambda: self.history_shortcut.activated.emit())
        self.history_action.setShortcut(self.history_shortcut.key())
        self.history_shortcut.setEnabled(False)  # the action carries the shortcut (and shows it in the menu)
        window.view_menu.addSeparator()
        window.view_menu.addAction(self.history_action)
        window.view_menu.addAction(self.reports_action)

        pane = window.conversation_pane
        self.thread_panel = CommentThreadPanel(pane, save=self._save_mode)
        self.thread_panel.setVisible(False)
        layout = pane.layout()
        layout.insertWidget(layout.indexOf(pane.extras), self.thread_panel)

        self.mail = attach_mail(window)  # issue 13
        window.sessionCleared.connect(self.clear)
        window.conversationShown.connect(self.conversation_shown)
        window.installEventFilter(self)
        self.retranslate()

    # --- reports and history -------------------------------------------------------------------------------

    def open_reports(self) -> ReportsWindow:
        if self.reports is None:
            self.reports = ReportsWindow(self.window.workspace.api, self.window.workspace.tasks.spawn)
        self.reports.show()
        self.reports.raise_()
        self.reports.activateWindow()
        return self.reports

    def _open(self, conversation_id: int) -> None:
        self.window.open_conversation(conversation_id)

    # --- comment threads -----------------------------------------------------------------------------------

    def conversation_shown(self, conversation: object) -> None:
        self.thread_panel.set_thread(None)
        kind = getattr(getattr(conversation, "channel", None), "kind", None)
        if conversation is None or str(kind) not in COMMENT_KINDS:
            return
        conversation_id = conversation.id

        async def load() -> None:
            thread = await fetch_thread(self.window.workspace.api, conversation_id)
            if self.window.open_conversation_id == conversation_id:  # still the one on screen
                self.thread_panel.set_thread(thread)

        self.window.workspace.tasks.spawn(load(), name=f"thread-{conversation_id}")

    async def _save_mode(self, public: bool):
        conversation_id = self.window.open_conversation_id
        if conversation_id is None:
            return None
        return await save_reply_mode(self.window.workspace.api, conversation_id, public)

    # --- the session ends -----------------------------------------------------------------------------------

    def clear(self) -> None:
        if self.reports is not None:
            self.reports.close()
            self.reports.deleteLater()
            self.reports = None
        search = getattr(self.window, "_history_search", None)
        if search is not None:
            search.hide()
            search.deleteLater()
            self.window._history_search = None
        self.thread_panel.set_thread(None)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        return False

    def retranslate(self) -> None:
        self.reports_action.setText(self.tr("Reports…"))
        self.history_action.setText(self.tr("Search the history…"))


def attach(window: Any) -> Features:
    return Features(window)


__all__ = ["COMMENT_KINDS", "Features", "attach"]
