"""The status bar indicator of the live connection: online, reconnecting (with a countdown), offline."""

from __future__ import annotations

import math
import time

from PySide6.QtCore import QEvent, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

__all__ = ["LinkIndicator"]

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
