"""Under the history: the reply window ("21 h left to reply freely"), the conversation's files with previews, the
files waiting for the next reply (attached by the button, dropped on the reply area or pasted with Ctrl+V, see
staging.py), and the templates offered when the window is closed."""

from __future__ import annotations

import mimetypes
import tempfile
import uuid
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, QLocale, QSize, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication, QIcon, QImage, QImageReader, QPixmap
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
from omnidesk.client.attachments.staging import THUMB, Offer, StagedFile, StagedStrip, offered, pasted_name, png_bytes
from omnidesk.client.attachments.voice import PLAYABLE, VoicePlayer, VoiceState
from omnidesk.client.workspace import ReplyHeld
from omnidesk.protocol import ConversationOut
from omnidesk.protocol.channels import AttachmentOut, ReplyWindow, TemplateOut

__all__ = ["ConversationExtras"]

FILE_ROLE = Qt.ItemDataRole.UserRole + 1
MAX_FILES = 10  # files with one reply (the server's ReplyIn.attachment_ids)


def thumbnail_of(data: bytes) -> QPixmap | None:
    """A small preview of an image's bytes (decoded at the preview's size), or None for what is no image."""
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    if not reader.canRead():
        return None
    size = reader.size()
    if size.isValid():
        reader.setScaledSize(size.scaled(THUMB, Qt.AspectRatioMode.KeepAspectRatio).expandedTo(QSize(1, 1)))
    image = reader.read()
    return None if image.isNull() else QPixmap.fromImage(image)


class ConversationExtras(QWidget):
    """Files, window and templates of the open conversation. ``attach(api, tasks)`` connects it to the session."""

    failed = Signal(object)  # an exception or a text, shown by the main window like its own failures
    told = Signal(str)  # a short notice for the status bar ("Saved …")
    sent = Signal()
    previewReady = Signal(int)  # a message id whose picture's preview arrived (shown in its bubble)
    voiceChanged = Signal(int)  # a message id whose voice control repaints (playing, position)

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
        self.staged: dict[int, list[StagedFile]] = {}  # conversation id → files waiting for its next reply
        self.voices: dict[int, AttachmentOut] = {}  # message id → its voice note or audio file (played in its bubble)
        self.voice = VoicePlayer(self._download, self._open_voice, self._spawn, self)
        self.voice.changed.connect(self.voiceChanged)
        self.voice.failed.connect(self.failed)
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
        self.file_list.setMovement(QListWidget.Movement.Static)
        self.file_list.setAcceptDrops(False)  # a drop on the list attaches, as anywhere on the reply area
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
        self.staged_strip = StagedStrip(self)
        self.staged_strip.removed.connect(self.unstage)
        layout.addWidget(self.staged_strip)
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
            self.previews, self._thumbs, self.marks, self.voices = {}, {}, {}, {}
            self.file_list.clear()
            self.voice.stop()
        self.retranslate()
        self._refresh_visibility()
        self._show_staged()  # each conversation keeps the files waiting for its own next reply
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
        voices: dict[int, AttachmentOut] = {}
        for attachment in self.files:
            if attachment.kind in PLAYABLE:
                voices.setdefault(attachment.message_id, attachment)
        new_voices = set(voices) - set(self.voices)
        self.voices = voices
        for message_id in sorted(new_voices):
            self.previewReady.emit(message_id)  # its bubble grows a play button
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

    # --- voice notes ----------------------------------------------------------------------------------------

    def voice_state(self, message_id: int) -> VoiceState | None:
        attachment = self.voices.get(message_id)
        return None if attachment is None else self.voice.state(message_id, attachment)

    def play_voice(self, message_id: int) -> None:
        attachment = self.voices.get(message_id)
        if attachment is not None:
            self.voice.toggle(message_id, attachment)

    def seek_voice(self, message_id: int, fraction: float) -> None:
        attachment = self.voices.get(message_id)
        if attachment is not None:
            self.voice.seek(message_id, attachment, fraction)

    async def _download(self, attachment: AttachmentOut) -> bytes | None:
        if self.api is None:
            return None
        try:
            return await calls.download(self.api, attachment.id)
        except Exception as error:
            self.failed.emit(error)
            return None

    def _open_voice(self, attachment: AttachmentOut) -> None:
        """Where Qt cannot play it: the desktop's player (as "Open" in the files' menu)."""
        if self.tasks is not None:
            self.tasks.spawn(self._open_file(attachment, None), name="open-voice")

    def _spawn(self, work, name: str) -> None:
        if self.tasks is not None:
            self.tasks.spawn(work, name=name)
        else:
            work.close()

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
        names, _ = QFileDialog.getOpenFileNames(self, self.tr("Attach files to your reply"))
        self.stage_paths([Path(n) for n in names])

    def stage(self, offer: Offer | None) -> None:
        """Files dropped on the reply area or pasted: they wait for the next reply (a pasted image as a PNG)."""
        if offer is None:
            return
        if offer.image is not None:
            self._stage_files([(pasted_name(), png_bytes(offer.image), "image/png")])
        else:
            self.stage_paths(list(offer.paths))

    def stage_paths(self, paths: list[Path]) -> None:
        files, unreadable = [], []
        for path in paths:
            refusal = self._files_refused(path.stat().st_size if path.is_file() else 0)
            if refusal:
                self.failed.emit(refusal.replace("%1", path.name))
                return
            try:
                if not path.is_file():
                    raise IsADirectoryError(path)
                data = path.read_bytes()
            except OSError:
                unreadable.append(path.name)
                continue
            files.append((path.name, data, mimetypes.guess_type(path.name)[0] or "application/octet-stream"))
        if unreadable:
            self.failed.emit(
                self.tr("Not attached, not a file that can be read: %1").replace("%1", ", ".join(unreadable))
            )
        self._stage_files(files)

    def stage_image(self, image: QImage) -> None:
        self.stage(Offer(image=image))

    def paste_image(self) -> None:
        offer = offered(QGuiApplication.clipboard().mimeData())
        if offer is None:
            self.failed.emit(self.tr("The clipboard holds no image and no file"))
            return
        self.stage(offer)

    def _files_refused(self, size: int = 0) -> str | None:
        """Why this conversation's channel takes no file now (in words, ``%1`` the file), or None."""
        window = self.window
        if self.conversation is None:
            return self.tr("Open a conversation first")
        if window is None:
            return None  # not read yet: the server checks the reply
        if not window.media_kinds:
            return self.tr("This channel cannot send files")
        if not window.free_text:
            return self.tr("The reply window is closed: files can be sent once the customer writes again")
        if window.max_media_bytes and size > window.max_media_bytes:
            largest = QLocale().formattedDataSize(window.max_media_bytes)
            return self.tr("%1 is larger than this channel takes (%2)").replace("%2", largest)
        return None

    def _stage_files(self, files: list[tuple[str, bytes, str]]) -> None:
        conversation = self.conversation
        if not files or conversation is None or self.api is None or self.tasks is None:
            return
        for name, data, _ in files:
            refusal = self._files_refused(len(data))
            if refusal:
                self.failed.emit(refusal.replace("%1", name))
                return
        waiting = self.staged.setdefault(conversation.id, [])
        room = MAX_FILES - len(waiting)
        if len(files) > room:
            self.failed.emit(self.tr("At most %n file(s) go with one reply", "", MAX_FILES))
            files = files[: max(0, room)]
        for name, data, mime in files:
            staged = StagedFile(name, len(data), mime, thumbnail_of(data) if mime.startswith("image/") else None)
            waiting.append(staged)
            self.tasks.spawn(self._upload(conversation.id, staged, data), name="stage-file")
        self._show_staged()

    async def _upload(self, conversation_id: int, staged: StagedFile, data: bytes) -> None:
        try:
            attachment = await calls.upload(self.api, conversation_id, staged.name, data, staged.mime)
        except Exception as error:  # refused (too large, offline): off the reply, and said in words
            self.unstage(staged.key, conversation_id)
            self.failed.emit(error)
            return
        if staged not in self.staged.get(conversation_id, []):
            return  # taken off the reply while it uploaded
        staged.attachment_id, staged.name, staged.size = attachment.id, attachment.file_name, attachment.size
        self._show_staged()

    def unstage(self, key: str, conversation_id: int | None = None) -> None:
        if conversation_id is None and self.conversation is not None:
            conversation_id = self.conversation.id
        waiting = self.staged.get(conversation_id, [])
        waiting[:] = [s for s in waiting if s.key != key]
        if not waiting:
            self.staged.pop(conversation_id, None)
        self._show_staged()

    def forget(self) -> None:
        """Sign-out: no file, button or recording of the last user's conversations is kept for the next one."""
        self.staged.clear()
        self.reply_buttons.clear()
        self.voice.forget()
        self._show_staged()
        self.retranslate()

    def has_staged(self) -> bool:
        return self.conversation is not None and bool(self.staged.get(self.conversation.id))

    def reply_queued(self, conversation_id: int) -> None:
        """The reply carrying the waiting files is in the outbox: they are no longer waiting."""
        if self.staged.pop(conversation_id, None):
            self._show_staged()

    def _show_staged(self) -> None:
        waiting = self.staged.get(self.conversation.id, []) if self.conversation is not None else []
        self.staged_strip.show_files(waiting)

    async def _send(self, *, template: dict) -> None:
        conversation = self.conversation
        if conversation is None or self.api is None:
            return
        try:
            await calls.send(
                self.api,
                conversation.id,
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
        if offered(event.mimeData()) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        offer = offered(event.mimeData())
        if offer is not None:
            event.acceptProposedAction()
            self.stage(offer)

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
        self.open_file(item.data(FILE_ROLE))

    def open_file(self, attachment: AttachmentOut) -> None:
        """Open with the desktop's application (images, PDFs; voice notes play in the system player)."""
        if self.tasks is not None:
            self.tasks.spawn(self._open_file(attachment, None), name="open-file")

    def _menu(self, position) -> None:
        item = self.file_list.itemAt(position)
        if item is None:
            return
        attachment = item.data(FILE_ROLE)  # the list may be refilled (and its items freed) while the menu is open
        menu = QMenu(self)
        menu.addAction(self.tr("Open"), lambda: self.open_file(attachment))
        menu.addAction(self.tr("Save as…"), lambda: self.save_file(attachment))
        menu.popup(self.file_list.viewport().mapToGlobal(position))

    def save_file(self, attachment: AttachmentOut) -> QFileDialog:
        """Ask where to save the file (a window-modal dialog that does not block the loop), then download it there."""
        dialog = QFileDialog(self, self.tr("Save the file"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.selectFile(Path(attachment.file_name).name)

        def chosen(target: str) -> None:
            if target and self.tasks is not None:
                self.tasks.spawn(self._open_file(attachment, Path(target)), name="save-file")

        dialog.fileSelected.connect(chosen)
        dialog.open()
        return dialog

    async def _open_file(self, attachment: AttachmentOut, target: Path | None) -> Path | None:
        """Download the file; open it with the desktop's application (``target`` None) or save it at ``target``."""
        if self.api is None:
            return None
        try:
            data = await calls.download(self.api, attachment.id)
        except Exception as error:
            self.failed.emit(error)
            return None
        try:
            if target is None:
                folder = Path(tempfile.mkdtemp(prefix="omnidesk-"))
                target = folder / (Path(attachment.file_name).name or "file")
                target.write_bytes(data)
                if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(target))):
                    self.failed.emit(self.tr("No application on this computer opens %1").replace("%1", target.name))
                return target
            target.write_bytes(data)
        except OSError as error:
            self.failed.emit(
                self.tr("Could not write %1: %2").replace("%1", str(target)).replace("%2", error.strerror or "")
            )
            return None
        self.told.emit(self.tr("Saved %1").replace("%1", str(target)))
        return target

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
        """The files waiting for this conversation's next reply and the buttons chosen for it (Workspace's
        reply_details); the buttons are then forgotten, the files once the reply is queued (``reply_queued``)."""
        waiting = self.staged.get(conversation_id, [])
        if any(s.attachment_id is None for s in waiting):
            raise ReplyHeld(self.tr("Wait a moment: a file of this reply is still uploading"))
        chosen = self.reply_buttons.pop(conversation_id, [])
        if chosen:
            self.retranslate()
        details: dict = {"buttons": [b.body() for b in chosen]} if chosen else {}
        if waiting:
            details["attachment_ids"] = [s.attachment_id for s in waiting]
        return details

    def retranslate(self) -> None:
        chosen = len(self.reply_buttons.get(self.conversation.id, [])) if self.conversation else 0
        self.buttons_button.setText(self.tr("&Buttons (%n)…", "", chosen) if chosen else self.tr("&Buttons…"))
        self.buttons_button.setToolTip(self.tr("Buttons the customer can press under your next reply"))
        self.attach_button.setText(self.tr("&Attach…"))
        self.attach_button.setToolTip(
            self.tr("Attach files to your reply (or drop them on the reply, or paste them with Ctrl+V)")
        )
        self.paste_button.setText(self.tr("Paste image"))
        self.paste_button.setToolTip(self.tr("Attach the image or files on the clipboard to your reply"))
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
