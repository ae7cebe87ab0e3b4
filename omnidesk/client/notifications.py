"""Notifications for a day-long shift: the tray icon with the unread count, a desktop notification and a sound for
what needs the operator, and a click that opens the conversation.

What notifies: a new conversation in a queue the operator sees, a new customer message in a conversation they
hold, a colleague's mention in a note (client/workorg calls `notify`; the click opens that conversation), and SLA
timers: a warning before a promise is missed (to whoever holds the conversation, or its queue when nobody does) and a
breach (to the holder or the queue, and to every supervisor and admin: they watch all queues). Not
while the operator is looking at that very conversation, and the sound never in quiet hours. Everything it showed is
kept in `shown` (the tray may be missing: offscreen, some Linux desktops; the notification then is the window's own
alert).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time

from PySide6.QtCore import QObject, QRect, Qt, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QSystemTrayIcon, QWidget

from omnidesk.client.store import Store
from omnidesk.domain.enums import Direction, EventType, Role
from omnidesk.protocol import ConversationEventPayload, ConversationOut, Event, MessageEventPayload

__all__ = ["Notice", "Notifier", "QuietHours", "badge_icon"]


@dataclass(frozen=True)
class QuietHours:
    """A daily span without sounds, e.g. 22:00-08:00 (may wrap midnight); start == end means none."""

    start: time = time(22, 0)
    end: time = time(8, 0)
    enabled: bool = False

    @classmethod
    def parse(cls, text: str, enabled: bool = True) -> QuietHours:
        try:
            first, second = (part.strip() for part in text.split("-", 1))
            return cls(time.fromisoformat(first), time.fromisoformat(second), enabled)
        except ValueError:
            return cls(enabled=False)

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"

    def contains(self, moment: time) -> bool:
        if not self.enabled or self.start == self.end:
            return False
        if self.start < self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end


@dataclass(frozen=True)
class Notice:
    conversation_id: int
    title: str
    text: str
    sound: bool


def badge_icon(base: QIcon, count: int, size: int = 64) -> QIcon:
    """The app icon with the unread count in a red disc (99+ above 99)."""
    pixmap = base.pixmap(size, size) if not base.isNull() else QPixmap(size, size)
    if base.isNull():
        pixmap.fill(Qt.GlobalColor.transparent)
    if count <= 0:
        return QIcon(pixmap)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    disc = QRect(size // 2 - 2, 0, size // 2 + 2, size // 2 + 2)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("#D32F2F"))
    painter.drawEllipse(disc)
    font = QFont()
    font.setBold(True)
    font.setPixelSize(size // 4 if count < 100 else size // 5)
    painter.setFont(font)
    painter.setPen(QColor("#FFFFFF"))
    painter.drawText(disc, Qt.AlignmentFlag.AlignCenter, str(count) if count < 100 else "99+")
    painter.end()
    return QIcon(pixmap)


class Notifier(QObject):
    openRequested = Signal(int)  # conversation id: the operator clicked a notification
    unreadChanged = Signal(int)

    def __init__(
        self,
        store: Store,
        icon: QIcon,
        *,
        looking_at: Callable[[], int | None] = lambda: None,
        window: QWidget | None = None,
        clock: Callable[[], datetime] = datetime.now,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.icon = icon
        self.looking_at = looking_at
        self.window = window
        self.clock = clock
        self.desktop = True
        self.sound = True
        self.quiet = QuietHours()
        self.shown: list[Notice] = []
        self.sounds = 0
        self.unread = 0
        self._last: int | None = None
        self._announced: dict[int, str] = {}  # conversations told as new, with their first message
        self.tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QSystemTrayIcon(icon, self)
            self.tray.messageClicked.connect(self.clicked)
            self.tray.activated.connect(self._tray_activated)
            self.tray.show()
        store.eventApplied.connect(self.on_event)
        store.conversationChanged.connect(lambda _c: self.count_unread())
        store.userChanged.connect(lambda _u: self.count_unread())

    # --- what counts ---------------------------------------------------------------------------------------

    def count_unread(self) -> int:
        count = len(self.store.unread)
        if count != self.unread:
            self.unread = count
            self._update_tray()
            self.unreadChanged.emit(count)
        return count

    def _update_tray(self) -> None:
        tip = self.tr("OmniDesk: %n conversation(s) with unread messages", "", self.unread)
        if self.tray is not None:
            self.tray.setIcon(badge_icon(self.icon, self.unread))
            self.tray.setToolTip(tip)
        if self.window is not None:
            self.window.setWindowIcon(badge_icon(self.icon, self.unread))

    # --- what notifies -------------------------------------------------------------------------------------

    def on_event(self, event: Event) -> None:
        me = self.store.user
        if me is None:
            return
        kind = str(event.type)
        if kind == EventType.CONVERSATION_CREATED:
            conversation = ConversationEventPayload.model_validate(event.payload).conversation
            if conversation.assignee_id not in (None, me.id):
                return  # a colleague's already
            title = self.tr("New conversation: %1").replace("%1", conversation.customer.name)
            self._announced[conversation.id] = conversation.last_message_preview
            self.notify(conversation.id, title, conversation.last_message_preview)
        elif kind == EventType.MESSAGE_CREATED:
            message = MessageEventPayload.model_validate(event.payload).message
            if message.direction != Direction.IN:
                return
            conversation = self.store.conversation(message.conversation_id)
            if conversation is None or conversation.assignee_id != me.id:
                return
            if self._announced.pop(conversation.id, None) == message.text:
                return  # its first message, already told as the new conversation
            title = self.tr("%1 wrote").replace("%1", conversation.customer.name)
            self.notify(conversation.id, title, message.text)
        elif kind in (EventType.SLA_WARNING, EventType.SLA_BREACHED):
            self._sla(kind == EventType.SLA_BREACHED, event.payload or {}, me)

    def _sla(self, breach: bool, payload: dict, me) -> None:
        try:
            conversation = ConversationOut.model_validate(payload["conversation"])
            due = datetime.fromisoformat(str(payload["due_at"]))
        except (KeyError, ValueError, TypeError):
            return  # an event of another version: nothing to say reliably
        mine = conversation.assignee_id in (None, me.id)
        watching = me.role in (Role.SUPERVISOR, Role.ADMIN)
        if not (mine or (breach and watching)):
            return  # a colleague's warning: theirs to act on
        promise = {
            "first_response": self.tr("first response"),
            "next_response": self.tr("next response"),
            "resolution": self.tr("resolution"),
        }.get(str(payload.get("target")), self.tr("a promise"))
        name = conversation.customer.name
        if breach:
            title = self.tr("SLA missed: %1").replace("%1", name)
            text = self.tr("The %1 promise was not kept.").replace("%1", promise)
        else:
            now = datetime.now(due.tzinfo) if due.tzinfo else datetime.now()
            minutes = max(1, round((due - now).total_seconds() / 60))
            title = self.tr("SLA soon: %1").replace("%1", name)
            text = self.tr("The %1 is due in %n minute(s).", "", minutes).replace("%1", promise)
        self.notify(conversation.id, title, text)

    def notify(self, conversation_id: int, title: str, text: str) -> Notice | None:
        window_active = self.window is not None and self.window.isActiveWindow()
        if window_active and self.looking_at() == conversation_id:
            return None  # the operator is reading it right now
        sound = self.sound and not self.quiet.contains(self.clock().time())
        notice = Notice(conversation_id, title, " ".join(text.split())[:200], sound)
        self.shown.append(notice)
        self._last = conversation_id
        if self.desktop and self.tray is not None:
            self.tray.showMessage(title, notice.text, QSystemTrayIcon.MessageIcon.Information, 8000)
        elif self.window is not None and not window_active:
            QApplication.alert(self.window)  # the task bar entry asks for attention
        if sound:
            self.sounds += 1
            QApplication.beep()
        return notice

    def forget(self) -> None:
        """The session ended: no customer name, text or conversation to open stays, and the count is zero."""
        self.shown.clear()
        self._announced.clear()
        self._last = None
        self.unread = 0
        self._update_tray()
        self.unreadChanged.emit(0)

    def clicked(self) -> None:
        if self._last is not None:
            self.openRequested.emit(self._last)

    def _tray_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason == QSystemTrayIcon.ActivationReason.Trigger and self.window is not None:
            self.window.showNormal()
            self.window.raise_()
            self.window.activateWindow()

    def close(self) -> None:
        if self.tray is not None:
            self.tray.hide()
