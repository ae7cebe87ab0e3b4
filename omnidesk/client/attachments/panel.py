"""Under the history: the reply window ("21 h left to reply freely"), the conversation's files with previews, the
attach button (also drag and drop, and pasting an image), and the templates offered when the window is closed."""

from __future__ import annotations

import tempfile
import uuid
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, QLocale, QSize, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication, QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from omnidesk.client.attachments import api as calls
from omnidesk.client.attachments.buttons import ButtonsDialog, ReplyButton
from omnidesk.protocol import ConversationOut
from omnidesk.protocol.channels import AttachmentOut, ReplyWindow, TemplateOut

__all__ = ["ConversationExtras"]

FILE_ROLE = Qt.ItemDataRole.UserRole + 1


class ConversationExtras(QWidget):
    """Files, window and templates of the open conversation. ``attach(api, tasks)`` connects it to the session."""

    failed = Signal(object)  # an exception, shown by the main window like its own failures
    sent = Signal()
    previewReady = Signal(int)  # a message id whose picture's preview arrived (shown in its bubble)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conversationExtras")
        self.api = None
        self.tasks = None
        self.conversation: ConversationOut | None = None
        self.window: ReplyWindow | None = None
        self.templates: list[TemplateOut] = []
        self.files: list[AttachmentOut] = []
        self.previews: dict[int, QPixmap] = {}  # message id → the preview of its first picture
        self.marks: dict[int, tuple[str, ...]] = {}  # message id → ("edited", "deleted", "echo") from its details
        self._thumbs: dict[int, QPixmap] = {}  # attachment id → its preview (kept when the list is refilled)
        self.setAcceptDrops(True)

        self.window_label = QLabel(self)
        self.window_label.setObjectName("replyWindow")
        self.attach_button = QPushButton(self)
        self.paste_button = QPushButton(self)
        # Buttons under the next reply (issue 10): chosen per conversation, sent with the reply, then gone.
        self.buttons_button = QPushButton(self)
        self.buttons_button.setObjectName("replyButtons")
        self.buttons_button.clicked.connect(self.choose_buttons)
        self.reply_buttons: dict[int, list[ReplyButton]] = {}
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.window_label, 1)
        top.addWidget(self.buttons_button)
        top.addWidget(self.paste_button)
        top.addWidget(self.attach_button)

        self.file_list = QListWidget(self)
        self.file_list.setObjectName("conversationFiles")
        self.file_list.setViewMode(QListWidget.ViewMode.IconMode)
        self.file_list.setIconSize(QSize(64, 64))
        self.file_list.setFlow(QListWidget.Flow.LeftToRight)
        self.file_list.setWrapping(False)
        self.file_list.setFixedHeight(104)
        self.file_list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.file_list.itemActivated.connect(self._open)
        self.file_list.customContextMenuRequested.connect(self._menu)

        self.template_box = QComboBox(self)
        self.template_box.setObjectName("templates")
        self.template_params = QLineEdit(self)
        self.template_send = QPushButton(self)
        self.template_box.currentIndexChanged.connect(self._template_chosen)
        self.template_send.clicked.connect(self.send_template)
        templates = QHBoxLayout()
        templates.setContentsMargins(0, 0, 0, 0)
        self.template_params.setMinimumWidth(200)
        templates.addWidget(self.template_box, 1)
        templates.addWidget(self.template_params, 1)
        templates.addWidget(self.template_send)
        self.template_row = QWidget(self)
        self.template_row.setLayout(templates)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.file_list)
        layout.addWidget(self.template_row)
        self.attach_button.clicked.connect(self.choose_files)
        self.paste_button.clicked.connect(self.paste_image)
        self.retranslate()
        self._refresh_visibility()

    # --- wiring -------------------------------------------------------------------------------------------

    def attach(self, api, tasks) -> None:
        self.api, self.tasks = api, tasks

    def show_conversation(self, conversation: ConversationOut | None) -> None:
        changed = (conversation.id if conversation else None) != (self.conversation.id if self.conversation else None)
        self.conversation = conversation
        if changed:
            self.window, self.templates, self.files = None, [], []
            self.previews, self._thumbs, self.marks = {}, {}, {}
            self.file_list.clear()
        self.retranslate()
        self._refresh_visibility()
        if conversation is not None and self.api is not None and self.tasks is not None:
            self.tasks.spawn(self.reload(), name="conversation-extras")

    async def reload(self) -> None:
        conversation = self.conversation
        if conversation is None or self.api is None:
            return
        try:
            window = await calls.window(self.api, conversation.id)
            media = await calls.media(self.api, conversation.id)
            templates = await calls.templates(self.api, conversation.channel.id) if window.templates_required else []
        except Exception as error:  # the main window shows it in words
            self.failed.emit(error)
            return
        if self.conversation is None or self.conversation.id != conversation.id:
            return  # another conversation opened meanwhile
        self.window, self.templates = window, templates
        self.files = [a for a in media.attachments if a.message_id is not None]
        marks = {
            d.message_id: tuple(
                mark for mark, on in (("edited", bool(d.edits)), ("deleted", d.deleted), ("echo", d.echo)) if on
            )
            for d in media.details
        }
        changed = {i for i in set(marks) | set(self.marks) if marks.get(i, ()) != self.marks.get(i, ())}
        self.marks = {i: m for i, m in marks.items() if m}
        for message_id in sorted(changed):
            self.previewReady.emit(message_id)  # its row repaints with the marks
        self._fill_files()
        self.retranslate()
        self._refresh_visibility()
        await self._thumbnails()

    async def _thumbnails(self) -> None:
        for attachment in list(self.files):
            if not attachment.has_thumbnail or self.api is None or attachment.id in self._thumbs:
                continue
            try:
                data = await calls.thumbnail(self.api, attachment.id)
            except Exception:
                continue  # the file stays listed with its kind's icon
            image = QImage.fromData(QByteArray(data))
            if image.isNull() or self.conversation is None or self.conversation.id != attachment.conversation_id:
                continue
            pixmap = self._thumbs[attachment.id] = QPixmap.fromImage(image)
            for row in range(self.file_list.count()):  # the list may have been refilled meanwhile
                item = self.file_list.item(row)
                if item.data(FILE_ROLE).id == attachment.id:
                    item.setIcon(QIcon(pixmap))
            if attachment.message_id is not None and attachment.message_id not in self.previews:
                self.previews[attachment.message_id] = pixmap
                self.previewReady.emit(attachment.message_id)

    # --- the window and templates -------------------------------------------------------------------------

    def window_text(self) -> str:
        window = self.window
        if window is None or window.seconds_left is None:
            return ""
        if not window.free_text:
            if window.templates_required:
                return self.tr("Window closed: choose a template")
            return self.tr("Window closed: nothing can be sent until the customer writes again")
        hours = int(window.seconds_left // 3600)
        if window.state == "human_agent":  # Meta after 24 h: the server tags the reply HUMAN_AGENT
            if hours >= 24:
                left = self.tr("%Ln day(s) left", "", hours // 24)
            else:
                left = self.tr("%Ln h left", "", max(1, hours))
            return self.tr("24 h passed: only an operator's own reply (human agent), %1").replace("%1", left)
        if hours >= 1:
            return self.tr("%Ln h left to reply freely", "", hours)
        minutes = max(1, int(window.seconds_left // 60))
        return self.tr("%Ln min left to reply freely", "", minutes)

    def _template_chosen(self, *_: object) -> None:
        template = self._current_template()
        if template is None:
            self.template_params.clear()
            self.template_params.setEnabled(False)
            return
        self.template_params.setEnabled(template.parameters > 0)
        self.template_params.setPlaceholderText(
            self.tr("%Ln value(s), separated by |", "", template.parameters) if template.parameters else ""
        )
        self.template_box.setToolTip(template.body)

    def _current_template(self) -> TemplateOut | None:
        index = self.template_box.currentIndex()
        return self.templates[index] if 0 <= index < len(self.templates) else None

    def send_template(self) -> None:
        template = self._current_template()
        if template is None or self.conversation is None or self.api is None or self.tasks is None:
            return
        values = [v.strip() for v in self.template_params.text().split("|")] if template.parameters else []
        body = {"name": template.name, "language": template.language, "parameters": values}
        self.tasks.spawn(self._send(template=body), name="send-template")

    # --- files --------------------------------------------------------------------------------------------

    def choose_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, self.tr("Send files"))
        self.send_paths([Path(n) for n in names])

    def send_paths(self, paths: list[Path]) -> None:
        files = [(p.name, p.read_bytes(), None) for p in paths if p.is_file()]
        if files and self.tasks is not None:
            self.tasks.spawn(self._send(files=files), name="send-files")

    def paste_image(self) -> None:
        image = QGuiApplication.clipboard().image()
        if image.isNull():
            self.failed.emit(ValueError(self.tr("The clipboard holds no image")))
            return
        self.send_image(image)

    def send_image(self, image: QImage) -> None:
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        data = bytes(buffer.data())
        if self.tasks is not None:
            self.tasks.spawn(self._send(files=[("image.png", data, "image/png")]), name="send-image")

    async def _send(self, *, files=(), template: dict | None = None) -> None:
        conversation = self.conversation
        if conversation is None or self.api is None:
            return
        try:
            ids = [(await calls.upload(self.api, conversation.id, n, d, m)).id for n, d, m in files]
            await calls.send(
                self.api,
                conversation.id,
                attachment_ids=ids,
                template=template,
                client_key=f"extras-{uuid.uuid4().hex}",
            )
        except Exception as error:
            self.failed.emit(error)
            return
        self.template_params.clear()
        self.sent.emit()
        await self.reload()

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls() or event.mimeData().hasImage():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        data = event.mimeData()
        if data.hasUrls():
            self.send_paths([Path(u.toLocalFile()) for u in data.urls() if u.isLocalFile()])
        elif data.hasImage():
            self.send_image(QImage(data.imageData()))
        event.acceptProposedAction()

    def _fill_files(self) -> None:
        self.file_list.clear()
        locale = QLocale()
        for attachment in self.files:
            thumb = self._thumbs.get(attachment.id)
            icon = QIcon(thumb) if thumb is not None else self._kind_icon(attachment)
            item = QListWidgetItem(icon, attachment.file_name)
            item.setData(FILE_ROLE, attachment)
            size = locale.formattedDataSize(attachment.size)
            when = locale.toString(attachment.created_at.astimezone(), QLocale.FormatType.ShortFormat)
            item.setToolTip(f"{attachment.file_name}\n{size} · {when}")
            self.file_list.addItem(item)

    def _kind_icon(self, attachment: AttachmentOut) -> QIcon:
        style = self.style()
        from PySide6.QtWidgets import QStyle

        if attachment.kind in ("voice", "audio"):
            return style.standardIcon(QStyle.StandardPixmap.SP_MediaVolume)
        if attachment.kind == "video":
            return style.standardIcon(QStyle.StandardPixmap.SP_MediaPlay)
        return style.standardIcon(QStyle.StandardPixmap.SP_FileIcon)

    def _open(self, item: QListWidgetItem) -> None:
        """Open with the desktop's application (images, PDFs; voice notes play in the system player)."""
        if self.tasks is not None:
            self.tasks.spawn(self._open_file(item.data(FILE_ROLE), None), name="open-file")

    def _menu(self, position) -> None:
        item = self.file_list.itemAt(position)
        if item is None:
            return
        menu = QMenu(self)
        menu.addAction(self.tr("Open"), lambda: self._open(item))
        menu.addAction(self.tr("Save as…"), lambda: self._save(item))
        menu.popup(self.file_list.viewport().mapToGlobal(position))

    def _save(self, item: QListWidgetItem) -> None:
        attachment: AttachmentOut = item.data(FILE_ROLE)
        target, _ = QFileDialog.getSaveFileName(self, self.tr("Save the file"), attachment.file_name)
        if target and self.tasks is not None:
            self.tasks.spawn(self._open_file(attachment, Path(target)), name="save-file")

    async def _open_file(self, attachment: AttachmentOut, target: Path | None) -> None:
        if self.api is None:
            return
        try:
            data = await calls.download(self.api, attachment.id)
        except Exception as error:
            self.failed.emit(error)
            return
        if target is None:
            folder = Path(tempfile.mkdtemp(prefix="omnidesk-"))
            target = folder / Path(attachment.file_name).name
            target.write_bytes(data)
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))
        else:
            target.write_bytes(data)

    # --- text ---------------------------------------------------------------------------------------------

    def _refresh_visibility(self) -> None:
        self.file_list.setVisible(bool(self.files))
        templates = self.window is not None and self.window.templates_required
        closed = self.window is not None and not self.window.free_text  # with or without templates to offer
        self.template_row.setVisible(templates)
        self.template_send.setEnabled(templates and bool(self.templates))
        self.window_label.setVisible(bool(self.window_text()))
        media = self.window.media_kinds if self.window is not None else []
        self.attach_button.setEnabled(bool(media) and not closed)
        self.paste_button.setEnabled(bool(media) and not closed)
        buttons = self.window is not None and self.window.buttons
        self.buttons_button.setVisible(buttons)
        self.buttons_button.setEnabled(buttons and not closed)

    def choose_buttons(self) -> ButtonsDialog | None:
        conversation, window = self.conversation, self.window
        if conversation is None or window is None or not window.buttons:
            return None
        dialog = ButtonsDialog(
            self.reply_buttons.get(conversation.id, []),
            window.max_buttons,
            window.max_button_title,
            self,
        )

        def done(result: int) -> None:
            if result == dialog.DialogCode.Accepted and self.conversation is not None:
                self.reply_buttons[conversation.id] = dialog.chosen()
                self.retranslate()

        dialog.finished.connect(done)
        dialog.open()
        return dialog

    def reply_details(self, conversation_id: int) -> dict:
        """The buttons chosen for this conversation's next reply (Workspace.reply_details), then forgotten."""
        chosen = self.reply_buttons.pop(conversation_id, [])
        if chosen:
            self.retranslate()
        return {"buttons": [b.body() for b in chosen]} if chosen else {}

    def retranslate(self) -> None:
        chosen = len(self.reply_buttons.get(self.conversation.id, [])) if self.conversation else 0
        self.buttons_button.setText(self.tr("&Buttons (%n)…", "", chosen) if chosen else self.tr("&Buttons…"))
        self.buttons_button.setToolTip(self.tr("Buttons the customer can press under your next reply"))
        self.attach_button.setText(self.tr("&Attach…"))
        self.attach_button.setToolTip(self.tr("Send files (or drop them here)"))
        self.paste_button.setText(self.tr("Paste image"))
        self.template_send.setText(self.tr("Send template"))
        self.window_label.setText(self.window_text())
        current = self.template_box.currentIndex()
        self.template_box.blockSignals(True)
        self.template_box.clear()
        if not self.templates:
            self.template_box.addItem(self.tr("No approved templates: ask an administrator to sync them"))
        for template in self.templates:
            self.template_box.addItem(f"{template.name} ({template.language})")
        self.template_box.setCurrentIndex(max(0, current))
        self.template_box.blockSignals(False)
        self._template_chosen()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
