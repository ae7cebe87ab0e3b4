"""The reply composer: Enter starts a new line, Ctrl+Enter sends. Files dropped on it or pasted into it (Ctrl+V) are
offered to the reply as attachments (``filesOffered``); pasted or dropped text stays text."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from omnidesk.client.attachments.staging import attachable, offered

__all__ = ["Composer"]


class Composer(QPlainTextEdit):
    submitted = Signal(str)
    filesOffered = Signal(object)  # an attachments.staging.Offer: local files or a pasted image

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        # Files wait for this reply (set by the conversation pane): then it may go without text.
        self.has_attachments: Callable[[], bool] = lambda: False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and (
            event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self.submit()
            return
        super().keyPressEvent(event)

    # A drop and a paste both come here (QPlainTextEdit asks these for drag moves, drops and Ctrl+V).
    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        return attachable(source) or super().canInsertFromMimeData(source)

    def insertFromMimeData(self, source: QMimeData) -> None:
        offer = offered(source)
        if offer is not None:
            self.filesOffered.emit(offer)
            return
        super().insertFromMimeData(source)

    def submit(self) -> None:
        text = self.toPlainText().strip()
        if text or self.has_attachments():
            self.clear()
            self.submitted.emit(text)
