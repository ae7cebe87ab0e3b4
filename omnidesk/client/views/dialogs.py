"""Small dialogs: the settings (language, theme, notifications) and the keyboard shortcuts help."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from omnidesk.client.i18n import LANGUAGES

__all__ = ["THEME_CHOICES", "NotificationChoice", "SettingsDialog", "ShortcutsDialog"]


@dataclass
class NotificationChoice:
    desktop: bool = True
    sound: bool = True
    quiet_hours: str = ""  # "22:00-08:00", "" for none


THEME_CHOICES = ["", "light", "dark", "contrast"]


class SettingsDialog(QDialog):
    """Settings applied at once: the language and the theme switch live, no restart; notifications as chosen."""

    languageChosen = Signal(str)
    themeChosen = Signal(str)
    notificationsChosen = Signal(object)  # NotificationChoice

    def __init__(
        self,
        language: str,
        parent: QWidget | None = None,
        *,
        theme: str = "",
        notifications: NotificationChoice | None = None,
    ) -> None:
        super().__init__(parent)
        chosen = notifications or NotificationChoice()
        self.theme = QComboBox(self)
        self.theme.setObjectName("theme")
        for _ in THEME_CHOICES:
            self.theme.addItem("")
        self.theme.setCurrentIndex(THEME_CHOICES.index(theme) if theme in THEME_CHOICES else 0)
        self.theme.currentIndexChanged.connect(lambda number: self.themeChosen.emit(THEME_CHOICES[number]))
        self.theme_label = QLabel(self)
        self.theme_label.setBuddy(self.theme)
        self.desktop = QCheckBox(self)
        self.desktop.setChecked(chosen.desktop)
        self.sound = QCheckBox(self)
        self.sound.setChecked(chosen.sound)
        self.quiet = QLineEdit(self)
        self.quiet.setObjectName("quietHours")
        self.quiet.setPlaceholderText("22:00-08:00")
        self.quiet.setText(chosen.quiet_hours)
        self.quiet_label = QLabel(self)
        self.quiet_label.setBuddy(self.quiet)
        for widget in (self.desktop, self.sound):
            widget.toggled.connect(self._notifications_changed)
        self.quiet.editingFinished.connect(self._notifications_changed)
        self.language = QComboBox(self)
        self.language.addItem("", "")
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(language)))
        self.language.currentIndexChanged.connect(lambda _: self.languageChosen.emit(self.language.currentData()))
        self.language_label = QLabel(self)
        self.language_label.setBuddy(self.language)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.language_label, self.language)
        form.addRow(self.theme_label, self.theme)
        form.addRow("", self.desktop)
        form.addRow("", self.sound)
        form.addRow(self.quiet_label, self.quiet)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)
        self.retranslate()

    def notification_choice(self) -> NotificationChoice:
        return NotificationChoice(self.desktop.isChecked(), self.sound.isChecked(), self.quiet.text().strip())

    def _notifications_changed(self, *_: object) -> None:
        self.notificationsChosen.emit(self.notification_choice())

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Settings"))
        self.language_label.setText(self.tr("&Language:"))
        self.language.setItemText(0, self.tr("System"))
        self.theme_label.setText(self.tr("&Theme:"))
        for number, label in enumerate(
            [self.tr("System"), self.tr("Light"), self.tr("Dark"), self.tr("High contrast")]
        ):
            self.theme.setItemText(number, label)
        self.desktop.setText(self.tr("&Desktop notifications"))
        self.sound.setText(self.tr("&Sound"))
        self.quiet_label.setText(self.tr("&Quiet hours (no sound):"))
        self.quiet.setToolTip(self.tr("For example 22:00-08:00; empty for none"))
        self.hint.setText(self.tr("The language changes at once; dates and numbers follow it."))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class ShortcutsDialog(QDialog):
    """Lists every action that has a shortcut, read from the actions themselves so it never goes stale."""

    def __init__(self, actions: list[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._actions = actions
        self.table = QTableWidget(0, 2, self)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(520, 460)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.table.setHorizontalHeaderLabels([self.tr("Action"), self.tr("Keys")])
        rows = [action for action in self._actions if action.shortcuts()]
        self.table.setRowCount(len(rows))
        for row, action in enumerate(rows):
            name = action.text().replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").rstrip(".")
            native = QKeySequence.SequenceFormat.NativeText
            keys = ", ".join(shortcut.toString(native) for shortcut in action.shortcuts())
            self.table.setItem(row, 0, QTableWidgetItem(name))
            self.table.setItem(row, 1, QTableWidgetItem(keys))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
