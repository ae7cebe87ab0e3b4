"""Canned replies in the composer: typing "/" plus a shortcut opens a live-filtered picker; Enter or Tab inserts the
chosen reply with the conversation's placeholders filled in by the server. Also the small manager dialog."""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from omnidesk.client.workorg.desk import WorkDesk
from omnidesk.protocol.workorg import CannedOut

TRIGGER = re.compile(r"(?:^|\s)/(\S*)$")


def matches(replies: list[CannedOut], typed: str) -> list[CannedOut]:
    """Replies whose shortcut starts with what was typed after "/" (or whose title contains it), personal first."""
    needle = typed.casefold()
    hits = [r for r in replies if r.shortcut.casefold().startswith(needle) or needle in r.title.casefold()]
    return sorted(hits, key=lambda r: (r.owner_id is None, not r.shortcut.casefold().startswith(needle), r.shortcut))


class CannedPicker(QListWidget):
    """The list under the composer while a "/shortcut" is being typed."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("cannedPicker")
        self.setWindowFlags(Qt.WindowType.ToolTip)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setMinimumWidth(360)
        self.setMaximumHeight(220)
        self.shortcuts: list[str] = []

    def show_replies(self, replies: list[CannedOut]) -> None:
        self.clear()
        self.shortcuts = [r.shortcut for r in replies[:30]]
        for reply in replies[:30]:
            preview = " ".join(reply.body.split())[:70]
            item = QListWidgetItem(f"/{reply.shortcut}  ·  {reply.title}  [{reply.language.value}]\n{preview}")
            item.setData(Qt.ItemDataRole.UserRole, reply.id)
            self.addItem(item)
        if self.count():
            self.setCurrentRow(0)

    def chosen(self) -> int | None:
        item = self.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None


class CannedTrigger(QObject):
    """Watches a composer (QPlainTextEdit) for "/" plus a shortcut and drives the picker."""

    def __init__(
        self, desk: WorkDesk, composer: QPlainTextEdit, conversation_id, parent: QObject | None = None
    ) -> None:
        super().__init__(parent or composer)
        self.desk = desk
        self.composer = composer
        self.conversation_id = conversation_id  # a callable: the open conversation's id
        self.replies: list[CannedOut] | None = None
        self.picker = CannedPicker(composer)
        composer.installEventFilter(self)
        composer.textChanged.connect(self.update)

    def typed(self) -> str | None:
        cursor = self.composer.textCursor()
        before = self.composer.toPlainText()[: cursor.position()]
        found = TRIGGER.search(before)
        return found.group(1) if found else None

    def update(self) -> None:
        typed = self.typed()
        if typed is None:
            self.picker.hide()
            return
        if self.replies is None:
            self.replies = []
            self.desk.run(self.desk.api.canned(), "canned", self._loaded)
            return
        hits = matches(self.replies, typed)
        if not hits:
            self.picker.hide()
            return
        self.picker.show_replies(hits)
        rect = self.composer.cursorRect()
        self.picker.move(self.composer.mapToGlobal(rect.bottomLeft()))
        self.picker.show()

    def _loaded(self, replies: list[CannedOut]) -> None:
        self.replies = replies
        self.update()

    def reload(self) -> None:
        self.replies = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.composer and event.type() == QEvent.Type.KeyPress and self.picker.isVisible():
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                row = self.picker.currentRow() + (1 if key == Qt.Key.Key_Down else -1)
                self.picker.setCurrentRow(max(0, min(self.picker.count() - 1, row)))
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab):
                self.insert(self.picker.chosen())
                return True
            if key == Qt.Key.Key_Escape:
                self.picker.hide()
                return True
        if watched is self.composer and event.type() == QEvent.Type.FocusOut:
            self.picker.hide()
        return False

    def insert(self, reply_id: int | None) -> None:
        conversation_id = self.conversation_id()
        typed = self.typed()
        self.picker.hide()
        if reply_id is None or conversation_id is None or typed is None:
            return

        def rendered(result) -> None:
            cursor = self.composer.textCursor()
            cursor.movePosition(QTextCursor.MoveOperation.Left, QTextCursor.MoveMode.KeepAnchor, len(typed) + 1)
            cursor.insertText(result.text)
            self.composer.setTextCursor(cursor)

        self.desk.run(self.desk.api.render(reply_id, conversation_id), "canned-render", rendered)


class CannedEditor(QDialog):
    """Add a canned reply: personal, or shared with a queue or everyone (supervisors)."""

    def __init__(self, desk: WorkDesk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.shortcut = QLineEdit(self)
        self.title = QLineEdit(self)
        self.language = QComboBox(self)
        for code, name in (("uk", "Українська"), ("ru", "Русский"), ("en", "English")):
            self.language.addItem(name, code)
        self.body = QPlainTextEdit(self)
        self.shared = QCheckBox(self)
        self.shared.setVisible(desk.is_supervisor())
        self.queue = QComboBox(self)
        self.queue.setVisible(desk.is_supervisor())
        self.queue.addItem("", None)
        for queue_id, name in sorted(desk.queues.items(), key=lambda q: q[1]):
            self.queue.addItem(name, queue_id)
        self.help = QLabel(self)
        self.help.setWordWrap(True)
        self.help.setStyleSheet("color: #6B7785;")
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #C62828;")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        self.labels = [QLabel(self) for _ in range(5)]
        for label, field in zip(
            self.labels, (self.shortcut, self.title, self.language, self.body, self.queue), strict=True
        ):
            form.addRow(label, field)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.shared)
        layout.addWidget(self.help)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.retranslate()

    def body_json(self) -> dict:
        shared = self.shared.isChecked() or self.queue.currentData() is not None
        return {
            "shortcut": self.shortcut.text().strip().lstrip("/"),
            "title": self.title.text().strip(),
            "language": self.language.currentData(),
            "body": self.body.toPlainText(),
            "queue_id": self.queue.currentData(),
            "shared": shared,
        }

    def save(self) -> None:
        body = self.body_json()
        if not body["shortcut"] or not body["title"] or not body["body"].strip():
            self.error.setText(self.tr("Shortcut, title and text are required."))
            return
        self.desk.run(self.desk.api.save_canned(None, body), "canned-save", lambda _r: self.accept())

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("New canned reply"))
        for label, text in zip(
            self.labels,
            (self.tr("Shortcut"), self.tr("Title"), self.tr("Language"), self.tr("Text"), self.tr("Queue")),
            strict=True,
        ):
            label.setText(text)
        self.shared.setText(self.tr("Shared with colleagues (all queues, or the queue chosen)"))
        self.help.setText(
            self.tr(
                "Placeholders: {customer.first_name}, {customer.name}, {operator.name}, {queue.name}, "
                "{queue.position}, and any custom attribute as {customer.<name>}. "
                "Type / and the shortcut in the composer."
            )
        )
