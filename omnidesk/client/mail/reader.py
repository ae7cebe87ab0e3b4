"""The letter view of an e-mail message: subject, From / To / Cc, the date, the body, the files.

The body is the server's sanitised HTML (nh3) or the plain text, shown in a QTextBrowser that loads nothing by
itself: ``LetterBrowser.loadResource`` answers only from the images this view was given (the letter's inline files by
``cid:``, and remote images only after the operator pressed "Show images" for this very letter), never from the
network or the disk. What the operator reads first is the new part of the letter; the quoted history is one click
(or Ctrl+U) away.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from PySide6.QtCore import QByteArray, QDateTime, QEvent, QLocale, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QImage, QTextDocument
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from omnidesk.client.mail.api import Letter, MailFile
from omnidesk.client.views.theme import colour

__all__ = ["LetterBrowser", "MailReader", "hidden_remote_images", "remote_image_urls"]

_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_SRC = re.compile(r"""\bsrc\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
SAFE_LINKS = ("http", "https", "mailto")
_NOTHING = QImage(1, 1, QImage.Format.Format_ARGB32)
_NOTHING.fill(0)


def hidden_remote_images(html: str | None) -> int:
    """Images the server took the address out of (remote images, tracking pixels among them): <img> without src."""
    return sum(1 for tag in _IMG.findall(html or "") if not _SRC.search(tag))


def remote_image_urls(html: str | None) -> list[str]:
    urls = []
    for tag in _IMG.findall(html or ""):
        found = _SRC.search(tag)
        if found and found.group(1).lower().startswith(("https://", "http://")) and found.group(1) not in urls:
            urls.append(found.group(1))
    return urls


class LetterBrowser(QTextBrowser):
    """A QTextBrowser that loads nothing it was not handed: no network, no local files."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.images: dict[str, QImage] = {}
        self.asked: list[str] = []  # every resource the document asked for (the tests read it)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self._open_link)

    def loadResource(self, kind: int, url: QUrl | str) -> Any:
        key = url.toString() if isinstance(url, QUrl) else str(url)
        self.asked.append(key)
        # Never None: QTextDocument would then read the URL as a local file itself.
        if kind == QTextDocument.ResourceType.ImageResource.value or kind == QTextDocument.ResourceType.ImageResource:
            return self.images.get(key) or _NOTHING
        return QByteArray()

    def _open_link(self, url: QUrl) -> None:
        if url.scheme().lower() in SAFE_LINKS:
            QDesktopServices.openUrl(url)  # in the operator's browser, never inside the desk


class MailReader(QFrame):
    """One letter, with its actions: show images, show the full original, reply, reply all, save a file."""

    remoteImagesRequested = Signal(int)  # message id
    replyRequested = Signal(int, bool)  # message id, to everyone?
    fileRequested = Signal(object)  # MailFile: save it

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mailReader")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.letter: Letter | None = None
        self.sent_at: dt.datetime | None = None
        self.full = False
        self.subject = QLabel(self)
        self.subject.setObjectName("mailSubject")
        self.subject.setWordWrap(True)
        self.subject.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.subject.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self.subject.setFont(font)
        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(2)
        self.header_names: dict[str, QLabel] = {}
        self.header_values: dict[str, QLabel] = {}
        for row, key in enumerate(("from", "to", "cc", "date")):
            name = QLabel(self)
            name.setProperty("muted", True)
            value = QLabel(self)
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setObjectName(f"mail_{key}")
            grid.addWidget(name, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(value, row, 1)
            self.header_names[key], self.header_values[key] = name, value
        grid.setColumnStretch(1, 1)

        self.images_bar = QFrame(self)
        self.images_bar.setObjectName("mailImagesBar")
        self.images_note = QLabel(self.images_bar)
        self.images_note.setWordWrap(True)
        self.show_images = QPushButton(self.images_bar)
        self.show_images.setObjectName("showImages")
        self.show_images.clicked.connect(self._ask_images)
        bar = QHBoxLayout(self.images_bar)
        bar.setContentsMargins(8, 4, 8, 4)
        bar.addWidget(self.images_note, 1)
        bar.addWidget(self.show_images)

        self.body = LetterBrowser(self)
        self.body.setObjectName("mailBody")
        self.quoted = QPushButton(self)
        self.quoted.setObjectName("showOriginal")
        self.quoted.setFlat(True)
        self.quoted.clicked.connect(self.toggle_full)
        self.files = QListWidget(self)
        self.files.setObjectName("mailFiles")
        self.files.setFlow(QListWidget.Flow.LeftToRight)
        self.files.setWrapping(True)
        self.files.setMaximumHeight(40)
        self.files.itemActivated.connect(self._file_activated)
        self.reply = QPushButton(self)
        self.reply.setObjectName("mailReply")
        self.reply.clicked.connect(lambda: self._reply(False))
        self.reply_all = QPushButton(self)
        self.reply_all.setObjectName("mailReplyAll")
        self.reply_all.clicked.connect(lambda: self._reply(True))
        actions = QHBoxLayout()
        actions.addWidget(self.quoted)
        actions.addStretch(1)
        actions.addWidget(self.reply)
        actions.addWidget(self.reply_all)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(4)
        layout.addWidget(self.subject)
        layout.addLayout(grid)
        layout.addWidget(self.images_bar)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.files)
        layout.addLayout(actions)
        self.setVisible(False)
        self.retranslate()

    # --- what is shown --------------------------------------------------------------------------------------

    def show_letter(
        self,
        letter: Letter | None,
        sent_at: dt.datetime | None = None,
        *,
        inline: dict[str, bytes] | None = None,
        remote: dict[str, bytes] | None = None,
        keep_view: bool = False,
    ) -> None:
        """Show ``letter`` (None: hide); ``inline`` maps content ids to bytes, ``remote`` image URLs to bytes."""
        same = self.letter is not None and letter is not None and self.letter.message_id == letter.message_id
        self.letter = letter
        self.sent_at = sent_at if sent_at is not None or not same else self.sent_at
        if not (same and keep_view):
            self.full = False
        self.setVisible(letter is not None)
        images: dict[str, QImage] = {}
        for cid, data in (inline or {}).items():
            image = QImage.fromData(data)
            if not image.isNull():
                images[f"cid:{cid}"] = image
        for url, data in (remote or {}).items():
            image = QImage.fromData(data)
            if not image.isNull():
                images[url] = image
        self.body.images = images
        self.files.clear()
        if letter is not None:
            for file in letter.files:
                item = QListWidgetItem(self._file_label(file))
                item.setData(Qt.ItemDataRole.UserRole, file)
                item.setToolTip(file.mime_type)
                self.files.addItem(item)
        self.files.setVisible(bool(letter and letter.files))
        self.retranslate()

    def _file_label(self, file: MailFile) -> str:
        size = QLocale().formattedDataSize(file.size)
        return f"{file.file_name} ({size})"

    def _render_body(self) -> None:
        letter = self.letter
        if letter is None:
            self.body.clear()
            return
        self.body.asked.clear()
        if self.full or not letter.trimmed:
            if letter.html:
                self.body.setHtml(letter.html)
            else:
                self.body.setPlainText(letter.full_text or letter.text)
        else:
            self.body.setPlainText(letter.text)

    @property
    def hidden_images(self) -> int:
        return 0 if self.letter is None or self.letter.remote_images else hidden_remote_images(self.letter.html)

    def toggle_full(self) -> None:
        if self.letter is not None and self.letter.trimmed:
            self.full = not self.full
            self.retranslate()

    def _ask_images(self) -> None:
        if self.letter is not None:
            self.remoteImagesRequested.emit(self.letter.message_id)

    def _reply(self, everyone: bool) -> None:
        if self.letter is not None:
            self.replyRequested.emit(self.letter.message_id, everyone)

    def _file_activated(self, item: QListWidgetItem) -> None:
        self.fileRequested.emit(item.data(Qt.ItemDataRole.UserRole))

    # --- words ---------------------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        names = {
            "from": self.tr("From:"),
            "to": self.tr("To:"),
            "cc": self.tr("Cc:"),
            "date": self.tr("Date:"),
        }
        for key, text in names.items():
            self.header_names[key].setText(text)
        self.show_images.setText(self.tr("Show images"))
        self.show_images.setToolTip(self.tr("Load this letter's remote images (Ctrl+Shift+I)"))
        self.reply.setText(self.tr("Reply"))
        self.reply.setToolTip(self.tr("Answer the sender (Ctrl+R)"))
        self.reply_all.setText(self.tr("Reply all"))
        self.reply_all.setToolTip(self.tr("Answer the sender and everyone else on the letter (Ctrl+Shift+E)"))
        self.files.setAccessibleName(self.tr("Files of the letter: Enter saves the chosen one"))
        self.body.setAccessibleName(self.tr("The letter"))
        letter = self.letter
        if letter is None:
            return
        self.subject.setText(letter.subject or self.tr("(no subject)"))
        if letter.direction == "out":  # our reply as it went out: when it was sent, and a follow-up goes to its To
            self.header_names["date"].setText(self.tr("Sent:"))
            self.reply.setToolTip(self.tr("Write again to the recipients of this letter (Ctrl+R)"))
            self.reply_all.setToolTip(self.tr("Write again to everyone on this letter (Ctrl+Shift+E)"))
        self.header_values["from"].setText(letter.sender)
        self.header_values["to"].setText(", ".join(letter.to))
        self.header_values["cc"].setText(", ".join(letter.cc))
        for key in ("cc",):
            self.header_names[key].setVisible(bool(letter.cc))
            self.header_values[key].setVisible(bool(letter.cc))
        when = ""
        if self.sent_at is not None:
            moment = QDateTime.fromSecsSinceEpoch(int(self.sent_at.timestamp())).toLocalTime()
            locale = QLocale()
            when = (
                f"{locale.toString(moment.date(), QLocale.FormatType.LongFormat)}, "
                f"{locale.toString(moment.time(), QLocale.FormatType.ShortFormat)}"
            )
        self.header_values["date"].setText(when)
        hidden = self.hidden_images
        self.images_bar.setVisible(hidden > 0)
        self.images_bar.setStyleSheet(
            f"#mailImagesBar {{ background: {colour('bubble_note').name()}; border-radius: 4px; }}"
            f" #mailImagesBar QLabel {{ color: {colour('text').name()}; }}"
        )
        self.images_note.setText(
            self.tr(
                "%n remote image(s) not loaded: loading them can tell the sender that you read this letter.", "", hidden
            )
        )
        self.quoted.setVisible(letter.trimmed)
        self.quoted.setText(self.tr("Hide the quoted history") if self.full else self.tr("Show the full original"))
        self.quoted.setToolTip(self.tr("The whole letter, with the history it quotes (Ctrl+U)"))
        self._render_body()
