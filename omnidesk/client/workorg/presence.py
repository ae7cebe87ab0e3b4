"""The presence selector of the status bar, and automatic presence: away when idle, offline when the client closes."""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QComboBox, QWidget

from omnidesk.client.workorg import texts
from omnidesk.client.workorg.desk import WorkDesk

STATUSES = ("online", "away", "offline")
IDLE_AFTER = 300.0  # seconds without keyboard or mouse input before "online" becomes "away" (the preference's default)
HEARTBEAT_MS = 60_000  # well inside the server's presence_timeout (180 s by default)


class PresenceSelector(QComboBox):
    def __init__(self, desk: WorkDesk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.setObjectName("presenceSelector")
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)  # "Не в мережі" is longer than "Online"
        for status in STATUSES:
            self.addItem("", status)
        self.retranslate()
        self.activated.connect(lambda index: self._chosen(self.itemData(index)))
        desk.myPresenceChanged.connect(self.show_status)
        self.show_status(desk.my_status)
        self.idle = IdleWatch(self)
        self._auto_away = False
        self.idle_timer = QTimer(self)
        self.idle_timer.timeout.connect(self._check_idle)
        self.set_idle_after(IDLE_AFTER)
        self.idle_timer.start()
        self.heartbeat = QTimer(self)
        self.heartbeat.setInterval(HEARTBEAT_MS)
        self.heartbeat.timeout.connect(desk.heartbeat)
        self.heartbeat.start()

    def _chosen(self, status: str) -> None:
        self._auto_away = False
        if status != self.desk.my_status and self.desk.refuse_offline(
            self.tr("You are offline: your presence was not changed. Try again when the connection is back.")
        ):
            self.show_status(self.desk.my_status)  # the selector shows what colleagues still see
            return
        self.desk.set_presence(status)

    def show_status(self, status: str) -> None:
        index = self.findData(status)
        if index >= 0:
            self.setCurrentIndex(index)
        colour = {"online": "#2E7D32", "away": "#F9A825"}.get(status, "#9E9E9E")
        self.setStyleSheet(f"QComboBox#presenceSelector {{ color: {colour}; font-weight: 600; }}")

    def set_idle_after(self, seconds: float) -> None:
        """Away after this many idle seconds (the preference ``presence/away_after``); checked four times within it,
        at most every 15 s, so away and back come within a quarter of it."""
        self.idle_after = max(1.0, float(seconds))
        self.idle_timer.setInterval(int(min(15.0, self.idle_after / 4) * 1000))

    def _check_idle(self) -> None:
        idle = self.idle.seconds_idle()
        if self.desk.my_status == "online" and idle >= self.idle_after:
            self._auto_away = True
            self.desk.set_presence("away")
        elif self._auto_away and self.desk.my_status == "away" and idle < self.idle_after:
            self._auto_away = False
            self.desk.set_presence("online")

    def retranslate(self) -> None:
        for i, status in enumerate(STATUSES):
            self.setItemText(i, texts.presence_name(status))
        self.setToolTip(self.tr("Your presence: colleagues and supervisors see it; online means you get work"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class IdleWatch(QObject):
    """Notes the time of the last keyboard or mouse input anywhere in the application."""

    INPUT = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel}

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.last_input = time.monotonic()
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in self.INPUT:
            self.last_input = time.monotonic()
        return False

    def seconds_idle(self) -> float:
        return time.monotonic() - self.last_input
