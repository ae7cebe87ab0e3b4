"""The live connection, shown twice: a status bar indicator (online, reconnecting with a countdown, offline) and,
when the link is down, a banner across the window that says what it means and offers "Retry now"."""

from __future__ import annotations

import math
import time

from PySide6.QtCore import QEvent, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

__all__ = ["LinkIndicator", "OfflineBanner"]

COLOURS = {"online": "#2E7D32", "connecting": "#F9A825", "reconnecting": "#F9A825", "offline": "#C62828"}


class LinkIndicator(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._dot = QLabel(self)
        self._dot.setFixedSize(10, 10)
        self._text = QLabel(self)
        self._text.setObjectName("linkText")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.setSpacing(6)
        layout.addWidget(self._dot)
        layout.addWidget(self._text)
        self._state = "connecting"
        self._retry_at: float | None = None
        self._ticker = QTimer(self)
        self._ticker.setInterval(250)
        self._ticker.timeout.connect(self._refresh)
        self._refresh()

    @property
    def state(self) -> str:
        return self._state

    def text(self) -> str:
        return self._text.text()

    def set_state(self, state: str, retry_in: float = -1.0) -> None:
        self._state = state
        self._retry_at = time.monotonic() + retry_in if retry_in >= 0 else None
        if self._retry_at is not None:
            self._ticker.start()
        else:
            self._ticker.stop()
        self._refresh()

    def _refresh(self) -> None:
        seconds = None
        if self._retry_at is not None:
            seconds = max(0, math.ceil(self._retry_at - time.monotonic()))
        if self._state == "online":
            text = self.tr("Online")
        elif self._state == "offline":
            text = self.tr("Offline") if seconds is None else self.tr("Offline, retrying in %n s", "", seconds)
        elif self._state == "reconnecting":
            text = (
                self.tr("Reconnecting…")
                if seconds is None or seconds == 0
                else self.tr("Reconnecting in %n s", "", seconds)
            )
        else:
            text = self.tr("Connecting…")
        self._text.setText(text)
        colour = COLOURS.get(self._state, "#9E9E9E")
        self._dot.setStyleSheet(f"background: {colour}; border-radius: 5px;")
        self.setToolTip(self.tr("Live updates from the server"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._refresh()
        super().changeEvent(event)


class OfflineBanner(QFrame):
    """Across the top of the window while the server cannot be reached: replies still queue (and go out when it is
    back), other actions are refused in words. A short reconnect (the server restarting a stream) does not flash it."""

    retryRequested = Signal()

    GRACE_MS = 2500  # a reconnect that succeeds within this never shows the banner

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("offlineBanner")
        self.setAccessibleName("offline banner")
        self.message = QLabel(self)
        self.message.setObjectName("offlineMessage")
        self.message.setWordWrap(True)
        self.retry = QPushButton(self)
        self.retry.setObjectName("retryNow")
        self.retry.clicked.connect(self.retryRequested.emit)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.retry)
        self._state = "connecting"
        self._said = ""
        self._grace = QTimer(self)
        self._grace.setSingleShot(True)
        self._grace.setInterval(self.GRACE_MS)
        self._grace.timeout.connect(self._refresh)
        self.setVisible(False)
        self._refresh()

    @property
    def state(self) -> str:
        return self._state

    def set_state(self, state: str, retry_in: float = -1.0) -> None:
        was_down = self._state in ("offline", "reconnecting")
        self._state = state
        if state == "online":
            self._said = ""
            self._grace.stop()
        elif state == "reconnecting" and not was_down:
            self._grace.start()
        self._refresh()

    def say(self, text: str) -> None:
        """An action was refused while offline: the banner says which (shown until the link is back)."""
        self._said = text
        self._refresh()

    def is_down(self) -> bool:
        return self._state == "offline" or (self._state == "reconnecting" and not self._grace.isActive())

    def _refresh(self) -> None:
        self.message.setText(
            self._said
            or self.tr(
                "No connection to the server. Replies and notes you send wait on this computer and go out when it "
                "is back; other actions need the connection."
            )
        )
        self.retry.setText(self.tr("Retry now"))
        self.retry.setAccessibleName(self.tr("Retry now"))
        self.setVisible(self.is_down() or (bool(self._said) and self._state not in ("online", "connecting")))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._refresh()
        super().changeEvent(event)
