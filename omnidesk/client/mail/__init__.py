"""E-mail, the website chat and web forms in the operator's conversation view (issue 13); strings in mail_*.ts.

Attached to the main window by omnidesk/client/features (``attach(window)``), so the window knows none of it:

* E-mail conversations: the letter view (:class:`~omnidesk.client.mail.reader.MailReader`) under the history, in a
  splitter; clicking a message (or moving to it with the keyboard) shows its letter, the newest one from the customer
  when the conversation opens. Above the composer, the envelope (To, Cc, subject, quote) that rides along with the
  reply through the window's own composer, drafts and offline outbox. Ctrl+R reply, Ctrl+Shift+E reply all,
  Ctrl+Shift+I show images, Ctrl+U the full original, Ctrl+Shift+L go to the letter.
* Web chat conversations: the visitor panel (on the site, typing, page, referrer, browser, time on site), read again
  every few seconds while the conversation is open.
* Web form conversations: the submission as a card of its fields.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDateTime, QEvent, QLocale, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QSplitter

from omnidesk.client.api import ApiError
from omnidesk.client.drafts import Drafts
from omnidesk.client.mail.api import (
    Letter,
    MailFile,
    fetch_file,
    fetch_form,
    fetch_letter,
    fetch_remote_images,
    fetch_visitor,
)
from omnidesk.client.mail.composer import Envelope, EnvelopeDrafts, MailEnvelope, quote_block
from omnidesk.client.mail.reader import MailReader, remote_image_urls
from omnidesk.client.mail.visitor import FormCardPanel, VisitorPanel
from omnidesk.client.models.messages import MessageRole
from omnidesk.client.workspace import ReplyHeld
from omnidesk.domain.enums import EventType
from omnidesk.domain.mail import reply_envelope
from omnidesk.protocol import MessageOut

__all__ = ["MailDesk", "attach"]

log = logging.getLogger(__name__)
VISITOR_REFRESH_MS = 4000


class MailDesk(QObject):
    """Everything this package adds to one main window."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.workspace = window.workspace
        self.kind: str | None = None  # the open conversation's channel kind
        self.conversation_id: int | None = None
        self.letters: dict[int, Letter] = {}  # message id -> letter, for the open conversation
        self.images_allowed: set[int] = set()  # letters whose remote images the operator asked for
        self.sent_at: dict[int, dt.datetime] = {}
        self.inline_images: dict[int, dict[str, bytes]] = {}  # message id -> the letter's inline images by cid
        self.envelope_drafts = EnvelopeDrafts(Drafts(self.workspace.drafts.path.parent / "mail_drafts.json"))
        self._signed_in_as: tuple[str, int] | None = None
        pane = window.conversation_pane
        self.pane = pane

        # The letter under the history, in a splitter the operator can drag.
        self.reader = MailReader(pane)
        self.split = QSplitter(Qt.Orientation.Vertical, pane)
        self.split.setObjectName("mailSplit")
        self.split.setChildrenCollapsible(False)
        layout = pane.layout()
        layout.replaceWidget(pane.history, self.split)
        self.split.addWidget(pane.history)
        self.split.addWidget(self.reader)
        self.split.setStretchFactor(0, 2)
        self.split.setStretchFactor(1, 3)
        layout.setStretchFactor(self.split, 1)
        self.reader.remoteImagesRequested.connect(self.show_remote_images)
        self.reader.replyRequested.connect(self.start_reply)
        self.reader.fileRequested.connect(self.ask_where_to_save)

        self.envelope = MailEnvelope(pane)
        self.envelope.quoteToggled.connect(self._quote_toggled)
        self.envelope.changed.connect(self._keep_envelope)
        self.visitor = VisitorPanel(pane)
        self.form = FormCardPanel(pane)
        at = layout.indexOf(pane.extras)
        for offset, widget in enumerate((self.form, self.visitor, self.envelope)):
            layout.insertWidget(at + offset, widget)
        self.visitor_timer = QTimer(self)
        self.visitor_timer.setInterval(VISITOR_REFRESH_MS)
        self.visitor_timer.timeout.connect(self._load_visitor)

        history = pane.history
        history.clicked.connect(self._message_chosen)
        history.selectionModel().currentChanged.connect(lambda current, _previous: self._message_chosen(current))
        window.messages.newestPageLoaded.connect(self._history_loaded)
        window.messages.rowsInserted.connect(self._rows_arrived)

        self.workspace.reply_details.append(self.reply_details)
        self.workspace.signedIn.connect(self._signed_in)
        self.workspace.signedOut.connect(self._signed_out)
        self.workspace.store.eventApplied.connect(self._event)
        window.conversationShown.connect(self.conversation_shown)
        window.sessionCleared.connect(self.clear)

        def action(slot: Any, key: str) -> QAction:
            made = QAction(window)
            made.setShortcut(QKeySequence(key))
            made.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            made.triggered.connect(slot)
            window.addAction(made)
            return made

        self.reply_action = action(lambda: self._reply_to_shown(False), "Ctrl+R")
        self.reply_all_action = action(lambda: self._reply_to_shown(True), "Ctrl+Shift+E")
        self.images_action = action(lambda: self.reader._ask_images(), "Ctrl+Shift+I")
        self.original_action = action(self.reader.toggle_full, "Ctrl+U")
        self.letter_action = action(self.focus_letter, "Ctrl+Shift+L")
        self.actions = [
            self.reply_action,
            self.reply_all_action,
            self.images_action,
            self.original_action,
            self.letter_action,
        ]
        menu = getattr(window, "conversation_menu", None)
        if menu is not None:
            menu.addSeparator()
            for made in self.actions:
                menu.addAction(made)
        window.installEventFilter(self)
        self._update_actions()
        self.retranslate()

    # --- the open conversation -----------------------------------------------------------------------------

    def conversation_shown(self, conversation: Any) -> None:
        self._keep_envelope()
        self.kind = str(getattr(getattr(conversation, "channel", None), "kind", "") or "") or None
        self.conversation_id = getattr(conversation, "id", None)
        self.letters.clear()
        self.sent_at.clear()
        self.inline_images.clear()
        self.images_allowed.clear()
        self.reader.show_letter(None)
        self.visitor.set_visitor(None)
        self.form.set_card(None)
        self.visitor_timer.stop()
        email = self.kind == "email"
        self.envelope.setVisible(email)
        self.envelope.set_envelope(self._stored_envelope() if email else None)
        if self.kind == "webchat":
            self._load_visitor()
            self.visitor_timer.start()
        elif self.kind == "webform" and self.conversation_id is not None:
            self._spawn(self._load_form(self.conversation_id), "mail-form")
        self._update_actions()

    def _spawn(self, work: Any, name: str) -> None:
        self.workspace.tasks.spawn(work, name=f"{name}-{self.conversation_id}")

    def _still(self, conversation_id: int | None) -> bool:
        return conversation_id is not None and conversation_id == self.conversation_id

    # --- letters ---------------------------------------------------------------------------------------------

    def _history_loaded(self) -> None:
        """The newest page arrived: show the customer's newest letter."""
        if self.kind != "email":
            return
        model = self.window.messages
        for row in range(model.rowCount() - 1, -1, -1):
            message = model.index(row, 0).data(MessageRole.MESSAGE)
            if isinstance(message, MessageOut) and str(message.direction) == "in":
                self.show_message(message)
                return

    def _rows_arrived(self, _parent: Any, first: int, last: int) -> None:
        """A new letter from the customer while the conversation is open comes to the reader (the reply too)."""
        if self.kind != "email" or self.reader.letter is None:
            return
        model = self.window.messages
        message = model.index(last, 0).data(MessageRole.MESSAGE)
        if last == model.rowCount() - 1 and isinstance(message, MessageOut) and str(message.direction) == "in":
            self.show_message(message)

    def _message_chosen(self, index: Any) -> None:
        """The customer's letter, or our reply as it went out (the server keeps it once it is sent)."""
        if self.kind != "email" or not index.isValid():
            return
        message = index.data(MessageRole.MESSAGE)
        if isinstance(message, MessageOut) and str(message.direction) in ("in", "out"):
            self.show_message(message)

    def show_message(self, message: MessageOut) -> None:
        self.sent_at[message.id] = message.sent_at
        if message.id in self.letters:
            self._show(self.letters[message.id])
            return
        self._spawn(self._load_letter(message.id), "mail-letter")

    async def _load_letter(self, message_id: int, *, remote: bool = False) -> None:
        conversation_id = self.conversation_id
        api = self.workspace.api
        if api is None:
            return
        try:
            letter = await fetch_letter(api, message_id, remote_images=remote)
        except ApiError as error:
            self.window.show_failure(error)
            return
        if letter is None or not self._still(conversation_id):
            return
        inline: dict[str, bytes] = {}
        for file in letter.files:
            if file.content_id and file.is_image and file.size <= 5 * 1024 * 1024:
                try:
                    inline[file.content_id] = await fetch_file(api, file.id)
                except ApiError as error:
                    log.info("inline image %s not read: %s", file.id, error)
        remote_bytes = await fetch_remote_images(remote_image_urls(letter.html)) if remote else {}
        if not self._still(conversation_id):
            return
        self.letters[message_id] = letter
        self.inline_images[message_id] = inline
        self._show(letter, remote_bytes, keep_view=remote)

    def _show(self, letter: Letter, remote: dict[str, bytes] | None = None, *, keep_view: bool = False) -> None:
        self.reader.show_letter(
            letter,
            self.sent_at.get(letter.message_id),
            inline=self.inline_images.get(letter.message_id, {}),
            remote=remote,
            keep_view=keep_view,
        )
        self._update_actions()

    def show_remote_images(self, message_id: int) -> None:
        """The operator asked for this letter's remote images: read it again with them, and fetch them."""
        if self.reader.letter is None or self.reader.letter.message_id != message_id:
            return
        self.images_allowed.add(message_id)
        self.letters.pop(message_id, None)
        self._spawn(self._load_letter(message_id, remote=True), "mail-images")

    def focus_letter(self) -> None:
        if self.reader.isVisible():
            self.reader.body.setFocus()

    # --- files ------------------------------------------------------------------------------------------------

    def ask_where_to_save(self, file: MailFile) -> QFileDialog:
        dialog = QFileDialog(self.window, self.tr("Save the file"), str(Path.home() / file.file_name))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(lambda path: self._spawn(self.save_file(file, Path(path)), "mail-save"))
        dialog.open()
        self.save_dialog = dialog
        return dialog

    async def save_file(self, file: MailFile, path: Path) -> None:
        api = self.workspace.api
        if api is None:
            return
        try:
            data = await fetch_file(api, file.id)
            await asyncio.to_thread(path.write_bytes, data)
        except (ApiError, OSError) as error:
            self.window.show_failure(error)
            return
        self.window.statusBar().showMessage(self.tr("Saved %1").replace("%1", str(path)), 5000)

    # --- replying ---------------------------------------------------------------------------------------------

    def _reply_to_shown(self, everyone: bool) -> None:
        if self.kind == "email" and self.reader.letter is not None:
            self.start_reply(self.reader.letter.message_id, everyone)

    def start_reply(self, message_id: int, everyone: bool) -> None:
        """Reply or Reply all: the envelope takes the server's answer (the mailbox's own address left out), or,
        offline, the same rule over the letter on screen."""
        letter = self.letters.get(message_id) or self.reader.letter
        if letter is None:
            return
        self._spawn(self._fill_envelope(letter, everyone), "mail-reply")

    async def _fill_envelope(self, letter: Letter, everyone: bool) -> None:
        conversation_id = self.conversation_id
        api = self.workspace.api
        to: list[str] = []
        cc: list[str] = []
        subject = ""
        try:
            if api is None:
                raise ApiError("not signed in")
            params = {"everyone": "true" if everyone else "false"}
            answer = (await api.get(f"/messages/{letter.message_id}/mail/reply", params=params)).json()
            to, cc, subject = list(answer["to"]), list(answer.get("cc") or []), answer.get("subject") or ""
        except ApiError as error:
            log.info("reply envelope from the letter itself (%s)", error)
            to, cc, subject = reply_envelope(
                sender=letter.from_address,
                to=list(letter.to),
                cc=list(letter.cc),
                subject=letter.subject,
                mailbox=None,
                everyone=everyone,
            )
        if not self._still(conversation_id):
            return
        quoting = self.envelope.quote.isChecked()
        if quoting:
            self._quote_toggled(False)  # the old quote goes; the new letter's comes back below
        self.envelope.set_envelope(Envelope(", ".join(to), ", ".join(cc), subject, quoting, letter.message_id))
        if quoting:
            self._quote_toggled(True)
        self._keep_envelope()
        self.window.focus_composer()

    def _quote_text(self) -> str | None:
        answering = self.envelope.answering
        letter = self.letters.get(answering) if answering is not None else None
        letter = letter or self.reader.letter
        if letter is None:
            return None
        when = self.sent_at.get(letter.message_id)
        moment = (
            QLocale().toString(QDateTime.fromSecsSinceEpoch(int(when.timestamp())).toLocalTime(),
                               QLocale.FormatType.ShortFormat)
            if when else ""
        )  # fmt: skip
        intro = self.tr("On %1, %2 wrote:").replace("%1", moment).replace("%2", letter.sender)
        return quote_block(intro, letter.text)

    def _quote_toggled(self, on: bool) -> None:
        composer = self.pane.composer
        block = self._quote_text()
        if block is None:
            return
        text = composer.toPlainText()
        if on and block not in text:
            composer.setPlainText(text.rstrip("\n") + block)
            cursor = composer.textCursor()
            cursor.setPosition(len(text.rstrip("\n")))
            composer.setTextCursor(cursor)  # the operator types above the quote
        elif not on and block in text:
            composer.setPlainText(text.replace(block, ""))
        self._keep_envelope()

    def reply_details(self, conversation_id: int) -> dict[str, Any]:
        """The ``mail`` field of a reply in the open e-mail conversation (the workspace asks before queueing it)."""
        if conversation_id != self.conversation_id or self.kind != "email":
            return {}
        try:
            mail = self.envelope.mail()
        except ValueError as error:
            raise ReplyHeld(str(error)) from None
        # Sent: the next reply starts from the same recipients, without the quote of this one.
        self.envelope.quote.blockSignals(True)
        self.envelope.quote.setChecked(False)
        self.envelope.quote.blockSignals(False)
        self._keep_envelope()
        return {"mail": mail}

    # --- drafts of the envelope ---------------------------------------------------------------------------

    def _who(self) -> tuple[str, int] | None:
        api, user = self.workspace.api, self.workspace.user
        return (api.server_url, user.id) if api is not None and user is not None else None

    def _stored_envelope(self) -> Envelope | None:
        who = self._who()
        if who is None or self.conversation_id is None:
            return None
        return self.envelope_drafts.get(*who, self.conversation_id)

    def _keep_envelope(self) -> None:
        who = self._who()
        if who is None or self.conversation_id is None or self.kind != "email":
            return
        envelope = self.envelope.envelope()
        empty = not (envelope.to.strip() or envelope.cc.strip() or envelope.subject.strip())
        self.envelope_drafts.put(*who, self.conversation_id, None if empty else envelope)

    def _signed_in(self, _user: Any) -> None:
        self._signed_in_as = self._who()

    def _signed_out(self, by: str) -> None:
        if by == "operator" and self._signed_in_as is not None:
            self.envelope_drafts.forget_user(*self._signed_in_as)  # like the text drafts: the next user finds none
        self._signed_in_as = None

    # --- web chat and forms ---------------------------------------------------------------------------------

    def _event(self, event: Any) -> None:
        """The web chat visitor of the open conversation types (told live through the event stream)."""
        if getattr(event, "type", None) != EventType.CONVERSATION_ACTIVITY or self.kind != "webchat":
            return
        seen = event.payload.get("activity") or {}
        if seen.get("visitor") and seen.get("typing") and seen.get("conversation_id") == self.conversation_id:
            self.visitor.show_typing()

    def _load_visitor(self) -> None:
        if self.kind == "webchat" and self.conversation_id is not None and self.workspace.api is not None:
            self._spawn(self._read_visitor(self.conversation_id), "mail-visitor")

    async def _read_visitor(self, conversation_id: int) -> None:
        try:
            visitor = await fetch_visitor(self.workspace.api, conversation_id)
        except ApiError as error:
            log.info("visitor not read: %s", error)  # offline: the panel keeps what it showed
            return
        if self._still(conversation_id) and self.kind == "webchat":
            self.visitor.set_visitor(visitor)

    async def _load_form(self, conversation_id: int) -> None:
        try:
            card = await fetch_form(self.workspace.api, conversation_id)
        except ApiError as error:
            self.window.show_failure(error)
            return
        if self._still(conversation_id):
            self.form.set_card(card)

    # --- around -------------------------------------------------------------------------------------------

    def _update_actions(self) -> None:
        email = self.kind == "email"
        letter = self.reader.letter
        self.reply_action.setEnabled(email and letter is not None)
        self.reply_all_action.setEnabled(email and letter is not None)
        self.images_action.setEnabled(email and self.reader.hidden_images > 0)
        self.original_action.setEnabled(email and letter is not None and letter.trimmed)
        self.letter_action.setEnabled(email and letter is not None)

    def clear(self) -> None:
        self.conversation_shown(None)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        return False

    def retranslate(self) -> None:
        self.reply_action.setText(self.tr("Reply to the letter"))
        self.reply_all_action.setText(self.tr("Reply to everyone on the letter"))
        self.images_action.setText(self.tr("Show the letter's images"))
        self.original_action.setText(self.tr("Show the full original letter"))
        self.letter_action.setText(self.tr("Go to the letter"))


def attach(window: Any) -> MailDesk:
    return MailDesk(window)
