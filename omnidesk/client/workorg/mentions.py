"""The "Mentions" list: notes in which colleagues mentioned the signed-in operator, newest first; opening one shows
its conversation (also one outside the operator's queues: a mention grants no access, the server decides)."""

from __future__ import annotations

from PySide6.QtCore import QDateTime, QLocale, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from omnidesk.client.workorg.desk import WorkDesk
from omnidesk.protocol.workorg import MentionOut


class MentionsDialog(QDialog):
    openConversation = Signal(int)

    def __init__(self, desk: WorkDesk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.resize(560, 420)
        self.list = QListWidget(self)
        self.list.setWordWrap(True)
        self.list.itemActivated.connect(self._activated)
        self.empty = QLabel(self)
        self.empty.setStyleSheet("color: #6B7785;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty)
        layout.addWidget(buttons)
        self.setWindowTitle(self.tr("Mentions"))
        self.empty.setText(self.tr("Nobody has mentioned you yet."))
        self.show_mentions(desk.mentions)
        desk.run(desk.api.mentions(), "mentions", self.show_mentions)

    def show_mentions(self, mentions: list[MentionOut]) -> None:
        self.mentions = list(mentions)
        self.list.clear()
        locale = QLocale()
        for m in self.mentions:
            when = locale.toString(
                QDateTime.fromSecsSinceEpoch(int(m.created_at.timestamp())), QLocale.FormatType.ShortFormat
            )
            item = QListWidgetItem(
                self.tr("%1 · %2\n%3").replace("%1", m.author_name or "?").replace("%2", when).replace("%3", m.text)
            )
            item.setData(Qt.ItemDataRole.UserRole, m.id)
            if not m.read:
                font = QFont(item.font())
                font.setBold(True)
                item.setFont(font)
            self.list.addItem(item)
        self.empty.setVisible(not self.mentions)

    def _activated(self, item: QListWidgetItem) -> None:
        mention = next(m for m in self.mentions if m.id == item.data(Qt.ItemDataRole.UserRole))
        if not mention.read:
            self.desk.run(self.desk.api._json("POST", f"/mentions/{mention.id}/read"), "mention-read")
        self.openConversation.emit(mention.conversation_id)
        self.accept()
