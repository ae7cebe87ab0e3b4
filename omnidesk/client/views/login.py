"""The sign-in dialog: server address, user name, password, "remember me", and clear failure messages.

The dialog only collects and shows; the application signs in through the workspace and reports back with
`show_error` or by closing the dialog.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from omnidesk.client.credentials import KeyringStatus
from omnidesk.client.i18n import LANGUAGES
from omnidesk.client.views.icons import app_icon

__all__ = ["LoginDialog", "SignInRequest"]


@dataclass(frozen=True)
class SignInRequest:
    server_url: str
    username: str
    password: str = field(repr=False)
    remember: bool = False


class LoginDialog(QDialog):
    submitted = Signal(object)  # SignInRequest (no bool in signals: PySide6 6.12 over-releases it)
    languageChosen = Signal(str)

    def __init__(self, keyring: KeyringStatus, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowIcon(app_icon())
        self.setMinimumWidth(460)
        self._keyring = keyring
        self._busy = False

        self.title = QLabel(self)
        title_font = self.title.font()
        title_font.setPointSizeF(title_font.pointSizeF() * 1.4)
        title_font.setBold(True)
        self.title.setFont(title_font)
        self.server = QLineEdit(self)
        self.server.setPlaceholderText("https://desk.example.org")
        self.username = QLineEdit(self)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember = QCheckBox(self)
        self.keyring_note = QLabel(self)
        self.keyring_note.setWordWrap(True)
        self.keyring_note.setStyleSheet("color: #8A6D00;")
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #C62828;")
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.hide()
        self.language = QComboBox(self)
        self.language.addItem("", "")
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.currentIndexChanged.connect(lambda _: self.languageChosen.emit(self.language.currentData()))

        self.form = QFormLayout()
        self.server_label, self.username_label, self.password_label = QLabel(self), QLabel(self), QLabel(self)
        self.server_label.setBuddy(self.server)
        self.username_label.setBuddy(self.username)
        self.password_label.setBuddy(self.password)
        self.form.addRow(self.server_label, self.server)
        self.form.addRow(self.username_label, self.username)
        self.form.addRow(self.password_label, self.password)
        self.form.addRow("", self.remember)

        self.buttons = QDialogButtonBox(self)
        self.sign_in = QPushButton(self)
        self.sign_in.setDefault(True)
        self.buttons.addButton(self.sign_in, QDialogButtonBox.ButtonRole.AcceptRole)
        self.quit = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)

        bottom = QHBoxLayout()
        self.language_label = QLabel(self)
        bottom.addWidget(self.language_label)
        bottom.addWidget(self.language)
        bottom.addStretch(1)
        bottom.addWidget(self.buttons)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(self.form)
        layout.addWidget(self.keyring_note)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addLayout(bottom)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Sign in to OmniDesk"))
        self.title.setText(self.tr("Sign in to OmniDesk"))
        self.server_label.setText(self.tr("&Server:"))
        self.username_label.setText(self.tr("&User name:"))
        self.password_label.setText(self.tr("&Password:"))
        self.remember.setText(self.tr("&Remember me on this computer"))
        self.sign_in.setText(self.tr("Signing in…") if self._busy else self.tr("&Sign in"))
        self.language_label.setText(self.tr("Language:"))
        self.language.setItemText(0, self.tr("System"))
        if self._keyring.usable:
            self.keyring_note.hide()
            self.remember.setEnabled(True)
            self.remember.setToolTip(
                self.tr("The session is kept in the system keyring (%1).").replace("%1", self._keyring.backend_name)
            )
        else:
            self.remember.setChecked(False)
            self.remember.setEnabled(False)
            self.keyring_note.setText(
                self.tr(
                    "No secure password storage (keyring) is available on this computer, so OmniDesk "
                    "cannot remember you and will ask you to sign in each time."
                )
            )
            self.keyring_note.show()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def fill(self, server_url: str, username: str, remember: bool, language: str) -> None:
        self.server.setText(server_url)
        self.username.setText(username)
        self.remember.setChecked(remember and self._keyring.usable)
        self.language.blockSignals(True)
        self.language.setCurrentIndex(max(0, self.language.findData(language)))
        self.language.blockSignals(False)
        (self.password if server_url and username else self.server if not server_url else self.username).setFocus()

    def _submit(self) -> None:
        if self._busy:
            return
        server, username, password = self.server.text().strip(), self.username.text().strip(), self.password.text()
        missing = [
            (self.server, not server),
            (self.username, not username),
            (self.password, not password),
        ]
        for widget, empty in missing:
            if empty:
                self.show_error(self.tr("Please fill in the server, the user name and the password."))
                widget.setFocus()
                return
        self.error.hide()
        self.set_busy(True)
        self.submitted.emit(SignInRequest(server, username, password, self.remember.isChecked()))

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        for widget in (self.server, self.username, self.password, self.sign_in):
            widget.setEnabled(not busy)
        self.remember.setEnabled(not busy and self._keyring.usable)
        self.retranslate()

    def show_error(self, message: str) -> None:
        self.set_busy(False)
        self.error.setText(message)
        self.error.show()
        self.password.selectAll()
        self.password.setFocus()
