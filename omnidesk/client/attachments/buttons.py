"""Buttons under the operator's next reply: a title each, and a link for a button that opens a page.

The channel's own limits come with its reply window (GET /conversations/{id}/window: ``buttons``, ``max_buttons``,
and the title length the server checks); a button without a link sends its title back as the customer's answer
(Telegram's callback, WhatsApp's reply button, Viber's keyboard), one with a link opens it (a rich media card on
Viber). The server refuses, in words, what the channel cannot show; the dialog already keeps to its limits.
"""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

__all__ = ["ButtonsDialog", "ReplyButton"]

DEFAULT_MAX = 10  # a channel that names no limit (the API channel): as many as a reply sensibly carries
TITLE_MAX = 64  # the longest title the API takes (ReplyButton.title)


class ReplyButton(NamedTuple):
    title: str
    url: str | None = None

    def body(self) -> dict[str, str]:
        """The button as the reply's body carries it (protocol ReplyButton)."""
        return {"title": self.title, "url": self.url} if self.url else {"title": self.title, "payload": self.title}


class ButtonsDialog(QDialog):
    def __init__(
        self,
        chosen: list[ReplyButton],
        max_buttons: int = 0,
        max_title: int = 0,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("replyButtons")
        self.max_buttons = max_buttons or DEFAULT_MAX
        self.max_title = min(max_title or TITLE_MAX, TITLE_MAX)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        grid = QGridLayout()
        self.title_header, self.link_header = QLabel(self), QLabel(self)
        grid.addWidget(self.title_header, 0, 0)
        grid.addWidget(self.link_header, 0, 1)
        self.titles: list[QLineEdit] = []
        self.links: list[QLineEdit] = []
        for row in range(self.max_buttons):
            title, link = QLineEdit(self), QLineEdit(self)
            title.setMaxLength(self.max_title)
            title.setMinimumWidth(title.fontMetrics().horizontalAdvance("M" * 14))
            link.setMinimumWidth(link.fontMetrics().horizontalAdvance("https://bank.example/" + "m" * 6))
            link.setPlaceholderText("https://")
            if row < len(chosen):
                title.setText(chosen[row].title)
                link.setText(chosen[row].url or "")
            title.textChanged.connect(self._check)
            link.textChanged.connect(self._check)
            grid.addWidget(title, row + 1, 0)
            grid.addWidget(link, row + 1, 1)
            self.titles.append(title)
            self.links.append(link)
        self.problem = QLabel(self)
        self.problem.setStyleSheet("color: #B42318;")
        self.box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.box.accepted.connect(self.accept)
        self.box.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(grid)
        layout.addWidget(self.problem)
        layout.addWidget(self.box)
        self.retranslate()
        self._check()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Buttons under the reply"))
        self.intro.setText(
            self.tr(
                "Up to %n button(s) the customer can press under your next reply. A button without a link sends "
                "its title back as the customer's answer.",
                "",
                self.max_buttons,
            )
        )
        self.title_header.setText(self.tr("Title"))
        self.link_header.setText(self.tr("Link (optional)"))
        for number, (title, link) in enumerate(zip(self.titles, self.links, strict=True), start=1):
            title.setAccessibleName(self.tr("Title of button %1").replace("%1", str(number)))
            link.setAccessibleName(self.tr("Link of button %1").replace("%1", str(number)))

    def chosen(self) -> list[ReplyButton]:
        out = []
        for title, link in zip(self.titles, self.links, strict=True):
            text, url = title.text().strip(), link.text().strip()
            if text:
                out.append(ReplyButton(text, url or None))
        return out

    def _problem(self) -> str:
        for title, link in zip(self.titles, self.links, strict=True):
            url = link.text().strip()
            if url and not title.text().strip():
                return self.tr("A button with a link needs a title.")
            if url and (QUrl(url).scheme() not in ("http", "https") or not QUrl(url).host()):
                return self.tr("A link must be a web address starting with https:// or http://.")
        return ""

    def _check(self, *_: object) -> None:
        problem = self._problem()
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        self.box.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problem)
