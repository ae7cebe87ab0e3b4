"""Canned replies in the composer: typing "/" plus a shortcut opens a live-filtered picker; Enter or Tab inserts the
chosen reply with the conversation's placeholders filled in by the server. Also the small manager dialog."""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from omnidesk.client.workorg.desk import WorkDesk
from omnidesk.domain.permissions import Permission
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


def may_change(desk: WorkDesk, reply: CannedOut) -> bool:
    """The server's rule (canned/views.py): one's own personal replies; shared ones with the permission to manage
    them (supervisors by default)."""
    me = desk.me
    if reply.owner_id is not None:
        return me is not None and reply.owner_id == me.id
    return desk.workspace.store.may(Permission.CANNED_SHARED_MANAGE.value)


class CannedEditor(QDialog):
    """Add or edit a canned reply: personal, or shared with a queue or everyone (supervisors)."""

    def __init__(self, desk: WorkDesk, parent: QWidget | None = None, reply: CannedOut | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.reply = reply
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
        if reply is not None:
            self.shortcut.setText(reply.shortcut)
            self.title.setText(reply.title)
            self.language.setCurrentIndex(max(0, self.language.findData(reply.language.value)))
            self.body.setPlainText(reply.body)
            self.shared.setChecked(reply.owner_id is None)
            self.queue.setCurrentIndex(max(0, self.queue.findData(reply.queue_id)))
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
        if self.reply is not None and self.reply.owner_id is not None and not self.desk.is_supervisor():
            body["shared"], body["queue_id"] = False, None  # an operator's own reply stays personal
        reply_id = self.reply.id if self.reply is not None else None
        self.desk.run(self.desk.api.save_canned(reply_id, body), "canned-save", lambda _r: self.accept())

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("New canned reply") if self.reply is None else self.tr("Edit canned reply"))
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


class CannedManager(QDialog):
    """Every canned reply the operator can use: filtered as they type and by language; their own and (with the
    permission) shared ones edited and deleted here; new ones added."""

    LANGUAGES = ("", "uk", "ru", "en")

    def __init__(self, desk: WorkDesk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cannedManager")
        self.desk = desk
        self.replies: list[CannedOut] = []
        self.loads = 0
        self.filter = QLineEdit(self)
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.refill)
        self.language = QComboBox(self)
        self.language.currentIndexChanged.connect(self.refill)
        self.list = QListWidget(self)
        self.list.setObjectName("cannedList")
        self.list.currentRowChanged.connect(self._selection)
        self.list.itemActivated.connect(lambda _item: self.edit())
        self.new_button, self.edit_button, self.delete_button = (QPushButton(self) for _ in range(3))
        self.new_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit)
        self.delete_button.clicked.connect(self.delete)
        self.close_box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.close_box.rejected.connect(self.reject)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #6B7785;")
        top = QHBoxLayout()
        top.addWidget(self.filter, 3)
        top.addWidget(self.language, 1)
        buttons = QHBoxLayout()
        for button in (self.new_button, self.edit_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_box)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.hint)
        layout.addLayout(buttons)
        self.resize(620, 460)
        self.retranslate()
        self.reload()

    def reload(self) -> None:
        self.desk.run(self.desk.api.canned(), "canned-list", self._loaded)

    def _loaded(self, replies: list[CannedOut]) -> None:
        self.replies = replies
        self.loads += 1
        self.refill()

    def visible(self) -> list[CannedOut]:
        language = self.language.currentData() or ""
        typed = self.filter.text().strip().lstrip("/")
        needle = typed.casefold()
        shown = (
            matches(self.replies, typed)
            if typed
            else sorted(self.replies, key=lambda r: (r.owner_id is None, r.shortcut))
        )
        if needle:  # the text too, not only shortcut and title
            extra = [r for r in self.replies if r not in shown and needle in r.body.casefold()]
            shown = shown + extra
        return [r for r in shown if not language or r.language.value == language]

    def refill(self) -> None:
        current = self.current()
        self.list.clear()
        for reply in self.visible():
            if reply.owner_id is not None:
                scope = self.tr("personal")
            elif reply.queue_id is not None:
                scope = self.tr("shared: %1").replace("%1", self.desk.queues.get(reply.queue_id, f"#{reply.queue_id}"))
            else:
                scope = self.tr("shared: everyone")
            preview = " ".join(reply.body.split())[:90]
            item = QListWidgetItem(
                f"/{reply.shortcut}  ·  {reply.title}  [{reply.language.value}]  ·  {scope}\n{preview}"
            )
            item.setData(Qt.ItemDataRole.UserRole, reply.id)
            self.list.addItem(item)
            if current is not None and reply.id == current.id:
                self.list.setCurrentItem(item)
        if self.list.currentRow() < 0 and self.list.count():
            self.list.setCurrentRow(0)
        self._selection()

    def current(self) -> CannedOut | None:
        item = self.list.currentItem()
        if item is None:
            return None
        wanted = item.data(Qt.ItemDataRole.UserRole)
        return next((r for r in self.replies if r.id == wanted), None)

    def _selection(self, *_args) -> None:
        reply = self.current()
        changeable = reply is not None and may_change(self.desk, reply)
        self.edit_button.setEnabled(changeable)
        self.delete_button.setEnabled(changeable)
        if reply is not None and not changeable:
            self.hint.setText(self.tr("A shared reply: a supervisor can change it."))
        else:
            self.hint.setText(self.tr("Type / and the shortcut in the composer to insert a reply."))

    def add(self) -> CannedEditor:
        editor = CannedEditor(self.desk, self)
        editor.accepted.connect(self._changed)
        editor.open()
        return editor

    def edit(self) -> CannedEditor | None:
        reply = self.current()
        if reply is None or not may_change(self.desk, reply):
            return None
        editor = CannedEditor(self.desk, self, reply)
        editor.accepted.connect(self._changed)
        editor.open()
        return editor

    def delete(self) -> QMessageBox | None:
        reply = self.current()
        if reply is None or not may_change(self.desk, reply):
            return None
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Delete canned reply"), "", parent=self)
        box.setText(
            self.tr("Delete the canned reply /%1 \u201c%2\u201d?")
            .replace("%1", reply.shortcut)
            .replace("%2", reply.title)
        )
        remove = box.addButton(self.tr("Delete"), QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)  # a destructive confirmation defaults to Cancel

        def answered(_result: int) -> None:
            if box.clickedButton() is remove:
                self.desk.run(self.desk.api.delete_canned(reply.id), "canned-delete", lambda _r: self._changed())

        box.finished.connect(answered)
        box.open()
        return box

    def _changed(self) -> None:
        self.reload()
        self.changed.emit()

    changed = Signal()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Canned replies"))
        self.filter.setPlaceholderText(self.tr("Find by shortcut, title or text"))
        index = max(0, self.language.currentIndex())
        self.language.blockSignals(True)
        self.language.clear()
        for code, name in zip(
            self.LANGUAGES, (self.tr("All languages"), "Українська", "Русский", "English"), strict=True
        ):
            self.language.addItem(name, code)
        self.language.setCurrentIndex(index)
        self.language.blockSignals(False)
        self.new_button.setText(self.tr("New…"))
        self.edit_button.setText(self.tr("Edit…"))
        self.delete_button.setText(self.tr("Delete…"))
        if self.replies:
            self.refill()
        else:
            self._selection()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
