"""Files waiting to go with the next reply: what a drop or a paste offers, and the strip that shows them.

A drop onto the reply area or a paste (Ctrl+V) offers files when its data holds local file URLs (a file manager's
copy or drag) or image data without text (a screenshot, "Copy image"): the image becomes a PNG. Anything else (text,
a web link, a spreadsheet's cells, which carry a picture of themselves beside their text) stays text. The offered
files are uploaded at once and shown above the composer; the next reply carries them (``ConversationExtras``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QBuffer, QEvent, QIODevice, QLocale, QMimeData, QSize, Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QStyle, QToolButton, QVBoxLayout, QWidget

__all__ = ["Offer", "StagedFile", "StagedStrip", "attachable", "offered", "png_bytes"]

THUMB = QSize(40, 40)


@dataclass(frozen=True)
class Offer:
    """What a drop or paste brings: local files, or one image (pasted pixels)."""

    paths: tuple[Path, ...] = ()
    image: QImage | None = None


def _local_files(mime: QMimeData) -> tuple[Path, ...]:
    if not mime.hasUrls():
        return ()
    return tuple(Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile() and url.toLocalFile())


def _pixels_only(mime: QMimeData) -> bool:
    return mime.hasImage() and not (mime.hasText() and mime.text().strip())


def attachable(mime: QMimeData | None) -> bool:
    """Cheap: whether ``offered`` would give files (asked on every mouse move of a drag)."""
    return mime is not None and (bool(_local_files(mime)) or _pixels_only(mime))


def offered(mime: QMimeData | None) -> Offer | None:
    if mime is None:
        return None
    paths = _local_files(mime)
    if paths:
        return Offer(paths=paths)
    if _pixels_only(mime):
        data = mime.imageData()
        image = data.toImage() if isinstance(data, QPixmap) else data if isinstance(data, QImage) else QImage()
        if not image.isNull():
            return Offer(image=image)
    return None


def png_bytes(image: QImage) -> bytes:
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(buffer.data())


def pasted_name(now: dt.datetime | None = None) -> str:
    """A pasted image's file name: the moment it was pasted (the customer sees it in some messengers)."""
    return f"image-{(now or dt.datetime.now()).strftime('%Y%m%d-%H%M%S')}.png"


@dataclass(eq=False)
class StagedFile:
    name: str
    size: int
    mime: str
    thumb: QPixmap | None = None
    attachment_id: int | None = None  # set once the server took the upload
    key: str = field(default_factory=lambda: uuid.uuid4().hex)


class StagedStrip(QWidget):
    """The files waiting for the next reply, each with its preview, size and a button taking it off the reply."""

    removed = Signal(str)  # a StagedFile's key

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stagedFiles")
        self.files: list[StagedFile] = []
        self.caption = QLabel(self)
        self.caption.setProperty("muted", True)
        self.row = QHBoxLayout()
        self.row.setContentsMargins(0, 0, 0, 0)
        self.row.setSpacing(6)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.addWidget(self.caption)
        layout.addLayout(self.row, 1)
        self.chips: dict[str, QFrame] = {}
        self.retranslate()
        self.setVisible(False)

    def show_files(self, files: list[StagedFile]) -> None:
        self.files = list(files)
        while self.row.count():
            item = self.row.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.chips = {}
        for staged in self.files:
            chip = self._chip(staged)
            self.chips[staged.key] = chip
            self.row.addWidget(chip)
        self.row.addStretch(1)
        self.setVisible(bool(self.files))
        self.retranslate()

    def _chip(self, staged: StagedFile) -> QFrame:
        chip = QFrame(self)
        chip.setObjectName("stagedFile")
        chip.setFrameShape(QFrame.Shape.StyledPanel)
        icon = QLabel(chip)
        icon.setFixedSize(THUMB)
        icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        if staged.thumb is not None and not staged.thumb.isNull():
            icon.setPixmap(staged.thumb)
        else:
            kind = QStyle.StandardPixmap.SP_MediaVolume if staged.mime.startswith("audio/") else None
            kind = kind or QStyle.StandardPixmap.SP_FileIcon
            icon.setPixmap(self.style().standardIcon(kind).pixmap(32, 32))
        name = QLabel(staged.name, chip)
        name.setObjectName("stagedName")
        state = QLabel(chip)
        state.setObjectName("stagedState")
        state.setProperty("muted", True)
        remove = QToolButton(chip)
        remove.setObjectName("stagedRemove")
        remove.setText("✕")
        remove.setAutoRaise(True)
        remove.clicked.connect(lambda: self.removed.emit(staged.key))
        texts = QVBoxLayout()
        texts.setSpacing(0)
        texts.addWidget(name)
        texts.addWidget(state)
        layout = QHBoxLayout(chip)
        layout.setContentsMargins(4, 2, 2, 2)
        layout.addWidget(icon)
        layout.addLayout(texts)
        layout.addWidget(remove, 0, Qt.AlignmentFlag.AlignTop)
        return chip

    def retranslate(self) -> None:
        self.caption.setText(self.tr("With your reply:"))
        locale = QLocale()
        for staged in self.files:
            chip = self.chips.get(staged.key)
            if chip is None:
                continue
            state = chip.findChild(QLabel, "stagedState")
            size = locale.formattedDataSize(staged.size)
            state.setText(size if staged.attachment_id is not None else self.tr("%1, uploading…").replace("%1", size))
            remove = chip.findChild(QToolButton, "stagedRemove")
            remove.setToolTip(self.tr("Take %1 off the reply").replace("%1", staged.name))
            remove.setAccessibleName(remove.toolTip())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
