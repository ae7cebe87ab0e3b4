"""Push mode's offers: a non-modal notice in the main window's corner, "Conversation offered: Iryna (Telegram)", the
customer's last words, the seconds left, and Accept / Decline.

It never takes the keyboard from the composer: its buttons are in the window's tab order, and two window shortcuts
(Ctrl+Shift+Y accepts, Ctrl+Shift+X declines) act on the offer shown. Several offers wait their turn; one that
expires, is withdrawn or is decided elsewhere leaves by itself (the server's ``assignment.offer_ended``).
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from PySide6.QtCore import QEvent, QLocale, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from omnidesk.client.views.texts import channel_kind_label
from omnidesk.client.workorg.desk import WorkDesk
from omnidesk.protocol.workorg import OfferOut

__all__ = ["ACCEPT_KEYS", "DECLINE_KEYS", "OfferToast"]

ACCEPT_KEYS = "Ctrl+Shift+Y"
DECLINE_KEYS = "Ctrl+Shift+X"
MARGIN = 16


class OfferToast(QFrame):
    """The offer shown now (``current``) and those waiting behind it (``waiting``)."""

    def __init__(self, desk: WorkDesk, window: Any) -> None:
        super().__init__(window)
        self.desk = desk
        self.window = window
        self.setObjectName("offerToast")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("#offerToast { background: palette(base); border: 2px solid #1E88E5; border-radius: 8px; }")
        self.setFixedWidth(360)
        self.title = QLabel(self)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.preview = QLabel(self)
        self.preview.setWordWrap(True)
        self.preview.setTextFormat(Qt.TextFormat.PlainText)
        self.left = QLabel(self)
        self.left.setObjectName("offerLeft")
        self.accept_button = QPushButton(self)
        self.accept_button.setDefault(True)
        self.decline_button = QPushButton(self)
        self.left.setWordWrap(True)
        self.title.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.decline_button)
        buttons.addWidget(self.accept_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.preview)
        layout.addWidget(self.left)
        layout.addLayout(buttons)
        self.accept_button.clicked.connect(self.accept_current)
        self.decline_button.clicked.connect(self.decline_current)
        self.accept_action = QAction(window)
        self.accept_action.setShortcut(QKeySequence(ACCEPT_KEYS))
        self.accept_action.triggered.connect(self.accept_current)
        self.decline_action = QAction(window)
        self.decline_action.setShortcut(QKeySequence(DECLINE_KEYS))
        self.decline_action.triggered.connect(self.decline_current)
        window.addAction(self.accept_action)
        window.addAction(self.decline_action)
        self.current: OfferOut | None = None
        self.waiting: list[OfferOut] = []
        self._deadline: dict[int, float] = {}  # offer id -> time.monotonic() it expires at
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self.tick)
        desk.offered.connect(self.add)
        desk.offerEnded.connect(self.ended)
        window.installEventFilter(self)
        self.retranslate()
        self._show_next()

    # --- offers ------------------------------------------------------------------------------------------------

    def add(self, offer: OfferOut) -> None:
        known = {o.id for o in self.waiting} | ({self.current.id} if self.current else set())
        if offer.id in known or offer.outcome is not None:
            return
        # The seconds the server gave, counted on this machine's clock (the two clocks need not agree).
        timeout = (offer.expires_at - offer.offered_at).total_seconds()
        left = (offer.expires_at - dt.datetime.now(dt.UTC)).total_seconds()
        self._deadline[offer.id] = time.monotonic() + max(0.0, min(timeout, left))
        self.waiting.append(offer)
        if self.current is None:
            self._show_next()

    def ended(self, offer: OfferOut) -> None:
        self.waiting = [o for o in self.waiting if o.id != offer.id]
        if self.current is not None and self.current.id == offer.id:
            self.current = None
            self._show_next()

    def seconds_left(self) -> int:
        if self.current is None:
            return 0
        return max(0, round(self._deadline.get(self.current.id, 0.0) - time.monotonic()))

    def accept_current(self) -> None:
        if self.current is not None:
            self.desk.accept_offer(self.current)
            self.current = None
            self._show_next()

    def decline_current(self) -> None:
        if self.current is not None:
            self.desk.decline_offer(self.current)
            self.current = None
            self._show_next()

    def clear(self) -> None:
        """Signed out: no offer stays on screen."""
        self.waiting.clear()
        self.current = None
        self._show_next()

    def tick(self) -> None:
        if self.current is not None and self.seconds_left() <= 0:
            self.current = None  # expired here; the server's expiry offers it to the next colleague
            self._show_next()
            return
        self._fill()

    def _show_next(self) -> None:
        now = time.monotonic()
        self.waiting = [o for o in self.waiting if self._deadline.get(o.id, 0.0) > now]
        if self.current is None and self.waiting:
            self.current = self.waiting.pop(0)
        on = self.current is not None
        self.accept_action.setEnabled(on)
        self.decline_action.setEnabled(on)
        if not on:
            self.timer.stop()
            self.hide()
            return
        self._fill()
        self.timer.start()
        self.show()
        self.raise_()
        self._place()

    def _fill(self) -> None:
        offer = self.current
        if offer is None:
            return
        kind = channel_kind_label(offer.channel_kind)
        self.title.setText(
            self.tr("Conversation offered: %1 (%2)").replace("%1", offer.customer_name).replace("%2", kind)
        )
        self.preview.setText(offer.preview)
        self.preview.setVisible(bool(offer.preview))
        left = self.tr("%1 s left to accept").replace("%1", QLocale().toString(self.seconds_left()))
        if self.waiting:
            more = self.tr("%1 more waiting").replace("%1", QLocale().toString(len(self.waiting)))
            left = f"{left} · {more}"
        self.left.setText(left)
        self.setAccessibleName(self.title.text())

    def _place(self) -> None:
        self.adjustSize()
        bar = self.window.statusBar()
        bottom = self.window.height() - (bar.height() if bar.isVisible() else 0) - MARGIN
        self.move(self.window.width() - self.width() - MARGIN, bottom - self.height())

    # --- Qt --------------------------------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Resize and self.isVisible():
            self._place()
        return False

    def retranslate(self) -> None:
        self.accept_button.setText(self.tr("Accept"))
        self.accept_button.setToolTip(self.tr("Take this conversation (%1)").replace("%1", ACCEPT_KEYS))
        self.decline_button.setText(self.tr("Decline"))
        self.decline_button.setToolTip(
            self.tr("Let a colleague have it; it is not offered to you again for a while (%1)").replace(
                "%1", DECLINE_KEYS
            )
        )
        self.accept_action.setText(self.tr("Accept the offered conversation"))
        self.decline_action.setText(self.tr("Decline the offered conversation"))
        self._fill()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
