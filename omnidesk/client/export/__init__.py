"""Export and print from the client (issue 15): the open conversation, or its customer's whole history on every
channel, saved as PDF (to print, or for a complaint file) or HTML. The server renders it
(GET /api/v1/conversations/{id}/export, /customers/{id}/history/export) and audits it; the actions appear for who
holds ``conversation.export`` (supervisors and admins by default). Each comes twice: with internal notes (the complete
file, for a complaint or a court) and as the customer's copy (``notes=false``: no notes, system lines, queue or
assignee; what may be handed to the customer under a data-subject request)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QLocale, QObject, QTimeZone
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog

EXPORT_PERMISSION = "conversation.export"


class ExportActions(QObject):
    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.conversation_action = QAction(window)
        self.conversation_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Print))  # Ctrl+P: print it
        self.conversation_action.triggered.connect(lambda: self.choose("conversation"))
        self.conversation_copy_action = QAction(window)
        self.conversation_copy_action.triggered.connect(lambda: self.choose("conversation", notes=False))
        self.history_action = QAction(window)
        self.history_action.triggered.connect(lambda: self.choose("history"))
        self.history_copy_action = QAction(window)
        self.history_copy_action.triggered.connect(lambda: self.choose("history", notes=False))
        self.all_actions = (
            self.conversation_action,
            self.conversation_copy_action,
            self.history_action,
            self.history_copy_action,
        )
        for action in self.all_actions:
            window.addAction(action)
        window.conversation_actions.append(self.conversation_action)  # listed with the shortcuts (F1)
        window.conversation_menu.addSeparator()
        for action in self.all_actions:
            window.conversation_menu.addAction(action)
        self.dialog: QFileDialog | None = None
        window.workspace.store.userChanged.connect(lambda _user: self.update())
        window.installEventFilter(self)
        self.retranslate()
        self.update()

    def eventFilter(self, watched, event) -> bool:
        if watched is self.window and event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        return False

    def retranslate(self) -> None:
        self.conversation_action.setText(self.tr("Export the conversation with internal notes (PDF, HTML)…"))
        self.conversation_copy_action.setText(self.tr("Export the conversation: customer's copy (PDF, HTML)…"))
        self.history_action.setText(self.tr("Export the customer's whole history with internal notes (PDF, HTML)…"))
        self.history_copy_action.setText(self.tr("Export the customer's whole history: customer's copy (PDF, HTML)…"))
        tip = self.tr("Without internal notes, system lines, queue and assignee: what may be handed to the customer")
        self.conversation_copy_action.setToolTip(tip)
        self.history_copy_action.setToolTip(tip)

    def update(self) -> None:
        allowed = self.window.workspace.store.may(EXPORT_PERMISSION)
        for action in self.all_actions:
            action.setVisible(allowed)
            action.setEnabled(allowed)

    # --- choosing where, then fetching ------------------------------------------------------------------------

    def _target(self, what: str, notes: bool = True) -> tuple[str, str] | None:
        """(API path, file stem) of what is open, or None."""
        conversation_id = self.window.open_conversation_id
        if conversation_id is None:
            return None
        copy = "" if notes else "-customer-copy"
        if what == "conversation":
            return f"/conversations/{conversation_id}/export", f"conversation-{conversation_id}{copy}"
        conversation = self.window.workspace.store.conversation(conversation_id)
        if conversation is None:
            return None
        customer_id = conversation.customer.id
        return f"/customers/{customer_id}/history/export", f"customer-{customer_id}-history{copy}"

    def choose(self, what: str, notes: bool = True) -> QFileDialog | None:
        target = self._target(what, notes)
        if target is None:
            self.window.statusBar().showMessage(self.tr("Open a conversation first."), 5000)
            return None
        dialog = QFileDialog(self.window, self.tr("Export"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilters([self.tr("PDF document (*.pdf)"), self.tr("Web page (*.html)")])
        dialog.setDefaultSuffix("pdf")
        dialog.selectFile(str(Path.home() / f"{target[1]}.pdf"))
        dialog.filterSelected.connect(lambda name: dialog.setDefaultSuffix("html" if "html" in name else "pdf"))
        dialog.fileSelected.connect(lambda path: self.export_to(what, Path(path), notes))
        dialog.open()
        self.dialog = dialog
        return dialog

    def export_to(self, what: str, path: Path, notes: bool = True) -> None:
        target = self._target(what, notes)
        if target is None:
            return
        fmt = "html" if path.suffix.lower() in (".html", ".htm") else "pdf"
        if path.suffix.lower() not in (".pdf", ".html", ".htm"):
            path = path.with_suffix(".pdf")
        self.window.workspace.tasks.spawn(self._fetch(target[0], fmt, path, notes), name="export")

    async def _fetch(self, api_path: str, fmt: str, path: Path, notes: bool = True) -> None:
        api = self.window.workspace.api
        if api is None:
            return
        language = QLocale().name().split("_", 1)[0]
        params = {
            "format": fmt,
            "tz": bytes(QTimeZone.systemTimeZoneId()).decode() or "UTC",
            "lang": language if language in ("uk", "ru", "en") else "en",
            "notes": "true" if notes else "false",
        }
        status = self.window.statusBar()
        status.showMessage(self.tr("Exporting…"))
        try:
            response = await api.get(api_path, params=params)
            temporary = path.with_name(f".{path.name}.part")
            temporary.write_bytes(response.content)
            os.replace(temporary, path)
        except OSError as error:
            status.showMessage(self.tr("Could not save %1: %2").replace("%1", str(path)).replace("%2", str(error)))
            return
        except Exception as error:  # the server's refusal (403, 404, 422) in words
            self.window.show_failure(error)
            return
        status.showMessage(self.tr("Saved %1").replace("%1", str(path)), 10_000)
        self.last_saved = path


def attach(window: Any) -> ExportActions:
    return ExportActions(window)
