"""The comment panel and the reply-window badge (strings in resources/i18n/threads_*.ts)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEvent, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QButtonGroup, QFrame, QLabel, QPushButton, QRadioButton, QVBoxLayout, QWidget

MUTED = "color: #5F6B7A;"


@dataclass(frozen=True)
class ThreadInfo:
    """GET /api/v1/conversations/{id}/thread."""

    conversation_id: int
    kind: str
    comment_id: str
    url: str | None
    context: str | None
    public: bool

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ThreadInfo:
        return cls(
            data["conversation_id"],
            data["kind"],
            data["comment_id"],
            data.get("url"),
            data.get("context"),
            data["public"],
        )


async def fetch_thread(api: Any, conversation_id: int) -> ThreadInfo | None:
    """The thread of a comment conversation, or None for any other conversation (the server answers 404)."""
    from omnidesk.client.api import NotFound

    try:
        response = await api._call("GET", f"/conversations/{conversation_id}/thread")
    except NotFound:
        return None
    return ThreadInfo.from_json(response.json())


async def save_reply_mode(api: Any, conversation_id: int, public: bool) -> ThreadInfo:
    response = await api._call("PUT", f"/conversations/{conversation_id}/thread", json={"public": public})
    return ThreadInfo.from_json(response.json())


class CommentThreadPanel(QFrame):
    """The post the comment is under, and where the reply goes: a public comment or a private message."""

    modeChanged = Signal(bool)  # public?

    def __init__(self, parent: QWidget | None = None, *, save: Callable[[bool], Awaitable[Any]] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("commentThread")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._save = save
        self.thread: ThreadInfo | None = None
        self.title = QLabel()
        self.title.setStyleSheet("font-weight: 600;")
        self.context = QLabel()
        self.context.setWordWrap(True)
        self.context.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_post = QPushButton()
        self.open_post.setFlat(True)
        self.open_post.setCursor(Qt.CursorShape.PointingHandCursor)
        self.open_post.clicked.connect(self._open)
        self.public_choice = QRadioButton()
        self.private_choice = QRadioButton()
        self.group = QButtonGroup(self)
        self.group.addButton(self.public_choice)
        self.group.addButton(self.private_choice)
        self.public_choice.toggled.connect(self._toggled)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(MUTED)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(4)
        for widget in (self.title, self.context, self.open_post, self.public_choice, self.private_choice, self.hint):
            layout.addWidget(widget)
        layout.setAlignment(self.open_post, Qt.AlignmentFlag.AlignLeft)
        self.setVisible(False)
        self.retranslate()

    def set_thread(self, thread: ThreadInfo | None) -> None:
        self.thread = thread
        self.setVisible(thread is not None)
        if thread is None:
            return
        self.public_choice.blockSignals(True)
        (self.public_choice if thread.public else self.private_choice).setChecked(True)
        self.public_choice.blockSignals(False)
        self.open_post.setVisible(bool(thread.url))
        self.retranslate()

    @property
    def public(self) -> bool:
        return self.public_choice.isChecked()

    def _toggled(self, checked: bool) -> None:
        self._update_hint()
        self.modeChanged.emit(checked)
        if self._save is not None and self.thread is not None:
            self._pending = asyncio.ensure_future(self._save(checked))

    def _open(self) -> None:
        if self.thread and self.thread.url:
            QDesktopServices.openUrl(QUrl(self.thread.url))

    def _update_hint(self) -> None:
        if self.public:
            self.hint.setText(self.tr("Everyone who sees the post will see the answer."))
        else:
            self.hint.setText(self.tr("Only the author of the comment will see the answer, as a direct message."))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.title.setText(self.tr("Comment under a post"))
        context = self.thread.context if self.thread else None
        self.context.setText(context or self.tr("The post's text is not available."))
        self.context.setStyleSheet("" if context else MUTED)
        self.open_post.setText(self.tr("Open the post"))
        self.public_choice.setText(self.tr("Reply publicly, under the comment"))
        self.private_choice.setText(self.tr("Reply privately, in a direct message"))
        self._update_hint()
