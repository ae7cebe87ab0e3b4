"""The customer beside the conversation: the card (who they are, across every channel) above their timeline.

The card shows the name, the segment (e.g. VIP), the language, the identities grouped by channel with the channel
icons, tags, custom attributes and the count of open conversations; those allowed can edit it. Possible duplicates
are listed with the reasons in words and a merge action (one confirmation: the merge dialog). The timeline below
offers "Undo merge" on a merge item (one confirmation). Everything updates live from the event stream.
"""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QLocale, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from omnidesk.client.customers import CustomerDesk, TimelineQuery, may_edit, may_merge, why_not_unmerge
from omnidesk.client.models.customer import DuplicatesModel, identity_text
from omnidesk.client.models.timeline import TimelineModel
from omnidesk.client.views.customer_edit import CustomerEditDialog
from omnidesk.client.views.customer_search import CustomerDelegate, identity_icon
from omnidesk.client.views.icons import channel_icon
from omnidesk.client.views.merge_dialog import MergeDialog
from omnidesk.client.views.texts import channel_kind_label, describe_error, relative_time, status_label
from omnidesk.client.views.timeline import TimelinePane, describe_item
from omnidesk.domain.permissions import Permission
from omnidesk.protocol.customers import CustomerOut, DuplicateSuggestionOut, MergeOut

__all__ = ["CustomerCard", "CustomerPanel", "attribute_label", "identity_kind_label", "language_name"]

MUTED = "color: #5F6B7A;"


def identity_kind_label(kind: str) -> str:
    labels = {
        "phone": QCoreApplication.translate("CustomerCard", "Phone"),
        "email": QCoreApplication.translate("CustomerCard", "E-mail"),
        "telegram_id": QCoreApplication.translate("CustomerCard", "Telegram"),
        "telegram_username": QCoreApplication.translate("CustomerCard", "Telegram"),
        "whatsapp": "WhatsApp",
        "viber": "Viber",
        "vk": channel_kind_label("vk"),
        "meta": QCoreApplication.translate("CustomerCard", "Instagram/Facebook"),
        "instagram": "Instagram",
        "max": "MAX",
        "webchat": QCoreApplication.translate("CustomerCard", "Web chat"),
        "external": QCoreApplication.translate("CustomerCard", "External id"),
    }
    return labels.get(kind, kind)


def language_name(code: str) -> str:
    """The customer's language by its name in the interface's language ("українська", "Ukrainian", "украинский"),
    never "American English (en)"."""
    names = {
        "uk": QCoreApplication.translate("Languages", "Ukrainian"),
        "ru": QCoreApplication.translate("Languages", "Russian"),
        "en": QCoreApplication.translate("Languages", "English"),
        "pl": QCoreApplication.translate("Languages", "Polish"),
        "de": QCoreApplication.translate("Languages", "German"),
        "fr": QCoreApplication.translate("Languages", "French"),
        "it": QCoreApplication.translate("Languages", "Italian"),
        "es": QCoreApplication.translate("Languages", "Spanish"),
        "cs": QCoreApplication.translate("Languages", "Czech"),
        "ro": QCoreApplication.translate("Languages", "Romanian"),
        "tr": QCoreApplication.translate("Languages", "Turkish"),
        "be": QCoreApplication.translate("Languages", "Belarusian"),
        "kk": QCoreApplication.translate("Languages", "Kazakh"),
        "ka": QCoreApplication.translate("Languages", "Georgian"),
    }
    base = code.replace("_", "-").split("-", 1)[0].lower()
    if base in names:
        return names[base]
    locale = QLocale(code)
    if locale.language() == QLocale.Language.C:
        return code
    return QLocale.languageToString(locale.language())


def attribute_label(key: str) -> str:
    """A custom attribute's key as a label: the well-known ones translated, others made readable ("vip_since" ->
    "Vip since"); never a raw key with underscores."""
    known = {
        "region": QCoreApplication.translate("Attributes", "Region"),
        "city": QCoreApplication.translate("Attributes", "City"),
        "country": QCoreApplication.translate("Attributes", "Country"),
        "contract": QCoreApplication.translate("Attributes", "Contract"),
        "account": QCoreApplication.translate("Attributes", "Account"),
        "card": QCoreApplication.translate("Attributes", "Card"),
        "tariff": QCoreApplication.translate("Attributes", "Tariff"),
        "plan": QCoreApplication.translate("Attributes", "Plan"),
        "company": QCoreApplication.translate("Attributes", "Company"),
        "manager": QCoreApplication.translate("Attributes", "Manager"),
        "birthday": QCoreApplication.translate("Attributes", "Birthday"),
        "client_since": QCoreApplication.translate("Attributes", "Client since"),
    }
    if key in known:
        return known[key]
    words = key.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:] if words else key


def _clear(layout: Any) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget()
        if widget is not None:
            widget.deleteLater()
        elif item.layout() is not None:
            _clear(item.layout())


def default_to_cancel(box: QMessageBox) -> QPushButton:
    """A Cancel button that Enter and Esc both press: destructive confirmations default to Cancel (defect 5)."""
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    return cancel


class CustomerCard(QWidget):
    """The profile of one customer; `editRequested` / `mergeRequested` / `dismissRequested` go to the panel."""

    editRequested = Signal()
    mergeRequested = Signal(object)  # DuplicateSuggestionOut
    dismissRequested = Signal(object)  # DuplicateSuggestionOut
    removeIdentityRequested = Signal(object)  # IdentityOut

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("customerCard")
        self.customer: CustomerOut | None = None
        self.editable = False
        self.mergeable = False
        self.may_remove_identity = False
        self.name = QLabel(self)
        self.name.setObjectName("customerName")
        self.name.setWordWrap(True)
        self.name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.name.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.name.setFont(font)
        self.segment = QLabel(self)
        self.segment.setObjectName("segment")
        self.segment.setStyleSheet(
            "background: #FFF1D6; color: #8A4B00; border: 1px solid #F0C36D; border-radius: 4px; padding: 1px 6px;"
        )
        self.edit = QPushButton(self)
        self.edit.clicked.connect(self.editRequested.emit)
        header = QHBoxLayout()
        header.addWidget(self.name, 1)
        header.addWidget(self.segment, 0, Qt.AlignmentFlag.AlignTop)
        header.addWidget(self.edit, 0, Qt.AlignmentFlag.AlignTop)
        self.summary = QLabel(self)
        self.summary.setStyleSheet(MUTED)
        self.summary.setWordWrap(True)
        self.merged_note = QLabel(self)
        self.merged_note.setWordWrap(True)
        self.merged_note.setStyleSheet("color: #8A4B00;")

        self.identities_title = QLabel(self)
        self.identities = QGridLayout()
        self.identities.setHorizontalSpacing(8)
        self.identities.setVerticalSpacing(2)
        self.details_title = QLabel(self)
        self.details = QFormLayout()
        self.details.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        self.duplicates_title = QLabel(self)
        self.duplicates = DuplicatesModel(self)
        self.duplicates_view = QListView(self)
        self.duplicates_view.setObjectName("duplicates")
        self.duplicates_view.setModel(self.duplicates)
        self.duplicates_view.setItemDelegate(CustomerDelegate(self.duplicates_view))
        self.duplicates_view.setUniformItemSizes(True)
        self.duplicates_view.doubleClicked.connect(self._merge_current)
        self.merge = QPushButton(self)
        self.merge.clicked.connect(self._merge_current)
        self.dismiss = QPushButton(self)
        self.dismiss.clicked.connect(self._dismiss_current)
        duplicate_buttons = QHBoxLayout()
        duplicate_buttons.addStretch(1)
        duplicate_buttons.addWidget(self.dismiss)
        duplicate_buttons.addWidget(self.merge)
        self.duplicates_view.selectionModel().currentChanged.connect(self._update_duplicate_buttons)
        self.duplicates.modelReset.connect(self._update_duplicate_buttons)
        self.duplicates.rowsRemoved.connect(self._update_duplicate_buttons)

        for title in (self.identities_title, self.details_title, self.duplicates_title):
            title_font = title.font()
            title_font.setBold(True)
            title.setFont(title_font)
            title.setStyleSheet("margin-top: 6px;")  # colour from the theme
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addLayout(header)
        layout.addWidget(self.summary)
        layout.addWidget(self.merged_note)
        layout.addWidget(self.identities_title)
        layout.addLayout(self.identities)
        layout.addWidget(self.details_title)
        layout.addLayout(self.details)
        layout.addWidget(self.duplicates_title)
        layout.addWidget(self.duplicates_view)
        layout.addLayout(duplicate_buttons)
        layout.addStretch(1)
        self.retranslate()

    # --- content ----------------------------------------------------------------------------------------

    def show_customer(self, customer: CustomerOut | None, *, editable: bool = False, mergeable: bool = False) -> None:
        self.customer, self.editable, self.mergeable = customer, editable, mergeable
        self.retranslate()

    def set_duplicates(self, suggestions: list[DuplicateSuggestionOut]) -> None:
        chosen = self._current_suggestion()
        self.duplicates.set_suggestions(self.customer.id if self.customer else None, suggestions)
        if self.duplicates.rowCount():
            ids = [s.id for s in self.duplicates._rows]
            row = ids.index(chosen.id) if chosen is not None and chosen.id in ids else 0
            self.duplicates_view.setCurrentIndex(self.duplicates.index(row, 0))  # the merge is one click away
        self._update_duplicates_visibility()

    def _update_duplicates_visibility(self) -> None:
        shown = self.duplicates.rowCount() > 0 and self.customer is not None
        for widget in (self.duplicates_title, self.duplicates_view, self.merge, self.dismiss):
            widget.setVisible(shown)
        if shown:
            rows = min(self.duplicates.rowCount(), 3)
            view = self.duplicates_view
            view.setFixedHeight(rows * max(view.sizeHintForRow(0), 1) + 2 * view.frameWidth())
            self.duplicates_title.setText(
                self.tr("Possible duplicates (%1)").replace("%1", QLocale().toString(self.duplicates.rowCount()))
            )
        self._update_duplicate_buttons()

    def _current_suggestion(self) -> DuplicateSuggestionOut | None:
        return self.duplicates.suggestion_at(self.duplicates_view.currentIndex().row())

    def _update_duplicate_buttons(self, *_: object) -> None:
        chosen = self._current_suggestion() is not None
        self.merge.setEnabled(chosen and self.mergeable)
        self.dismiss.setEnabled(chosen and self.mergeable)

    def _merge_current(self, *_: object) -> None:
        suggestion = self._current_suggestion()
        if suggestion is not None and self.mergeable:
            self.mergeRequested.emit(suggestion)

    def _dismiss_current(self) -> None:
        suggestion = self._current_suggestion()
        if suggestion is not None and self.mergeable:
            self.dismissRequested.emit(suggestion)

    def _fill_identities(self, customer: CustomerOut) -> None:
        _clear(self.identities)
        row = 0
        for group in customer.identities:
            icon = QLabel(self)
            icon.setPixmap(identity_icon(str(group.kind)).pixmap(18, 18))
            icon.setToolTip(identity_kind_label(str(group.kind)))
            kind = QLabel(identity_kind_label(str(group.kind)), self)
            kind.setStyleSheet(MUTED)
            values = QLabel(", ".join(identity_text(item) for item in group.items), self)
            values.setObjectName(f"identity_{group.kind}")
            values.setWordWrap(True)
            values.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.identities.addWidget(icon, row, 0, Qt.AlignmentFlag.AlignTop)
            self.identities.addWidget(kind, row, 1, Qt.AlignmentFlag.AlignTop)
            self.identities.addWidget(values, row, 2)
            if self.editable and self.may_remove_identity:
                remove = self._remove_button(group.kind, group.items)
                self.identities.addWidget(remove, row, 3, Qt.AlignmentFlag.AlignTop)
            row += 1
        if not row:
            none = QLabel(self.tr("No identities yet."), self)
            none.setStyleSheet(MUTED)
            self.identities.addWidget(none, 0, 0, 1, 3)
        self.identities.setColumnStretch(2, 1)

    def _remove_button(self, kind: Any, items: list[Any]) -> QToolButton:
        """A small button that removes one identity of the row (a menu picks which when the row has several)."""
        button = QToolButton(self)
        button.setObjectName(f"remove_identity_{kind}")
        button.setAutoRaise(True)
        # Not a Tab stop: walking the card with Tab must not land on a destructive button (defect 5).
        button.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        button.setAccessibleName(self.tr("Remove identity"))
        button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_TitleBarCloseButton))
        button.setToolTip(self.tr("Remove this identity from the customer…"))
        if len(items) == 1:
            button.clicked.connect(lambda _=False, item=items[0]: self.removeIdentityRequested.emit(item))
        else:
            menu = QMenu(button)
            for item in items:
                action = menu.addAction(identity_text(item))
                action.triggered.connect(lambda _=False, item=item: self.removeIdentityRequested.emit(item))
            button.setMenu(menu)
            button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        return button

    def _fill_details(self, customer: CustomerOut) -> None:
        _clear(self.details)
        locale = QLocale()

        def add(label: str, text: str) -> None:
            value = QLabel(text, self)
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            caption = QLabel(label, self)
            caption.setStyleSheet(MUTED)
            self.details.addRow(caption, value)

        language = customer.language or ""
        if language:
            add(self.tr("Language"), language_name(language))
        if customer.tags:
            add(self.tr("Tags"), " · ".join(customer.tags))
        for key, value in customer.attributes.items():
            key = attribute_label(key)
            if isinstance(value, bool):
                shown = self.tr("yes") if value else self.tr("no")
            elif isinstance(value, (int, float)):
                shown = locale.toString(value)
            else:
                shown = str(value if value is not None else "—")
            add(key, shown)
        self.details_title.setVisible(self.details.rowCount() > 0)

    def retranslate(self) -> None:
        self.identities_title.setText(self.tr("Identities"))
        self.details_title.setText(self.tr("Profile"))
        self.edit.setText(self.tr("&Edit…"))
        self.edit.setToolTip(self.tr("Change the name, language, segment, tags and attributes"))
        self.merge.setText(self.tr("&Merge…"))
        self.merge.setToolTip(self.tr("Merge the chosen customer into one profile (can be undone)"))
        self.dismiss.setText(self.tr("Not the same person"))
        customer = self.customer
        self.edit.setVisible(customer is not None and self.editable)
        if customer is None:
            self.name.setText("")
            self.segment.hide()
            self.summary.setText("")
            self.merged_note.hide()
            _clear(self.identities)
            _clear(self.details)
            self.details_title.hide()
            self._update_duplicates_visibility()
            return
        self.name.setText(customer.name)
        self.segment.setText(customer.segment or "")
        self.segment.setVisible(bool(customer.segment))
        locale = QLocale()
        open_text = self.tr("%Ln open conversation(s)", "", customer.open_conversations)
        total = self.tr("%1 in all").replace("%1", locale.toString(customer.conversations))
        self.summary.setText(f"{open_text} · {total}")
        self.merged_note.setVisible(customer.merged_into_id is not None)
        if customer.merged_into_id is not None:
            self.merged_note.setText(self.tr("This profile was merged into another customer."))
        self._fill_identities(customer)
        self._fill_details(customer)
        self._update_duplicates_visibility()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class CustomerPanel(QWidget):
    """The card above the timeline for one customer; opens the edit and merge dialogs and confirms unmerges."""

    customerShown = Signal(int)
    failed = Signal(object)
    conversationChosen = Signal(int)  # one of the customer's conversations, to open

    def __init__(self, desk: CustomerDesk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("customerPanel")
        self.desk = desk
        self.customer_id: int | None = None
        # Reading along (a mention outside the operator's queues): the card is shown, never edited or merged.
        self.read_only = False
        self.card = CustomerCard(self)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.card)
        self.card_scroll = scroll
        self.timeline = TimelineModel(self._timeline_page, desk.tasks, self, describe=self._describe)
        self.timeline_pane = TimelinePane(self.timeline, self._channels, desk.channel_kind, self.user_name, self)
        self.timeline_pane.why_not_unmerge = lambda item: why_not_unmerge(
            self.desk.user, item.payload.get("by"), self.desk.store.permissions
        )
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(scroll)
        splitter.addWidget(self.timeline_pane)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([430, 330])
        splitter.setChildrenCollapsible(False)
        self.splitter = splitter
        self.placeholder = QLabel(self)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.placeholder.setStyleSheet("color: #6B7785;")
        # Whose card this is, against the open conversation (defect 4): the two never disagree silently.
        self.open_conversation: Any = None
        self.context = QLabel(self)
        self.context.setObjectName("cardContext")
        self.context.setWordWrap(True)
        self.back = QPushButton(self)
        self.back.setObjectName("backToConversationCustomer")
        self.back.clicked.connect(self._back_to_conversation_customer)
        context_row = QHBoxLayout()
        context_row.setContentsMargins(8, 4, 8, 0)
        context_row.addWidget(self.context, 1)
        context_row.addWidget(self.back, 0, Qt.AlignmentFlag.AlignTop)
        # The customer's conversations on every channel, each one activation away.
        self.conversations_title = QLabel(self)
        self.conversations_title.setObjectName("customerConversationsTitle")
        title_font = self.conversations_title.font()
        title_font.setBold(True)
        self.conversations_title.setFont(title_font)
        self.conversations = QListWidget(self)
        self.conversations.setObjectName("customerConversations")
        self.conversations.itemActivated.connect(self._conversation_activated)
        self.conversations.itemClicked.connect(self._conversation_activated)
        self._conversation_list: list[Any] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.placeholder)
        layout.addLayout(context_row)
        layout.addWidget(self.conversations_title)
        layout.addWidget(self.conversations)
        layout.addWidget(splitter, 1)
        self.merge_dialog: MergeDialog | None = None
        self.edit_dialog: CustomerEditDialog | None = None
        self.confirm: QMessageBox | None = None
        self.loads = 0  # cards read with their duplicates (tests wait on it)
        self._fitted: int | None = None  # the customer the splitter was last fitted to
        self._reads = 0  # numbers each read of the card: only the latest one's answer is shown
        self._language_refresh = QTimer(self)
        self._language_refresh.setSingleShot(True)
        self._language_refresh.setInterval(100)
        self._language_refresh.timeout.connect(self.refresh)

        self.card.editRequested.connect(self.open_editor)
        self.card.mergeRequested.connect(self.open_merge)
        self.card.dismissRequested.connect(self.dismiss)
        self.card.removeIdentityRequested.connect(self.confirm_remove_identity)
        self.timeline_pane.queryChanged.connect(self.timeline.set_query)
        self.timeline_pane.unmergeRequested.connect(self.confirm_unmerge)
        self.timeline.loadFailed.connect(self.failed.emit)
        desk.customerChanged.connect(self._card_changed)
        desk.timelineTouched.connect(self._timeline_touched)
        desk.mergeChanged.connect(self._merge_changed)
        desk.messageChanged.connect(self.timeline.update_message)
        desk.store.userChanged.connect(lambda _user: self._card_changed(self.card.customer))
        self.retranslate()
        self._show_placeholder()

    # --- what is shown ------------------------------------------------------------------------------------

    def _channels(self) -> list[tuple[int, str]]:
        return sorted(((c.id, c.name) for c in self.desk.store.channels.values()), key=lambda pair: pair[1])

    def user_name(self, user_id: int) -> str:
        me = self.desk.user
        if me is not None and me.id == user_id:
            return self.tr("you")
        known = self.desk.store.user_names.get(user_id)
        if known:
            return known
        for conversation in self.desk.store.conversations.values():
            if conversation.assignee_id == user_id and conversation.assignee_name:
                return conversation.assignee_name
        return self.tr("a colleague")  # never "operator #1": a name, or words

    def _describe(self, item: Any) -> str:
        pane = getattr(self, "timeline_pane", None)  # the merges undone here since the items were read
        title, detail = describe_item(item, self.user_name, pane.undone if pane is not None else ())
        return f"{title}: {detail}" if detail else title

    async def _timeline_page(self, customer_id: int, query: TimelineQuery, before: str | None, limit: int) -> Any:
        return await self.desk.api.timeline(customer_id, query, before=before, limit=limit)

    def show_customer(self, customer_id: int | None) -> None:
        """Open a customer's card and timeline (None: nothing)."""
        if customer_id == self.customer_id:
            return
        if self.customer_id is not None:
            self.desk.watched.discard(self.customer_id)
        self.customer_id = customer_id
        cached = self.desk.cards.get(customer_id) if customer_id is not None else None
        self._card_changed(cached, force=True)
        self.card.set_duplicates([])
        self._fill_conversations([])
        self.timeline_pane.refill_channels()
        self.timeline.open(customer_id, self.timeline_pane.current_query())
        self._show_placeholder()
        if customer_id is not None:
            self.desk.watched.add(customer_id)
            self.desk.tasks.spawn(self._load(customer_id), name="customer-card")

    # --- the card against the open conversation (defect 4) ------------------------------------------------

    def set_open_conversation(self, conversation: Any) -> None:
        self.open_conversation = conversation
        self._update_context()

    def _update_context(self) -> None:
        conversation, card = self.open_conversation, self.card.customer
        shown = self.customer_id is not None
        self.context.setVisible(shown)
        self.back.setVisible(False)
        if not shown:
            self.context.clear()
            self.back.setText("")
            return
        name = card.name if card is not None else ""
        if conversation is None:
            self.context.setText(self.tr("Card of %1 · no conversation open").replace("%1", name))
            self.context.setProperty("chip", None)
            self.context.setProperty("muted", True)
        elif conversation.customer.id == self.customer_id:
            self.context.setText(
                self.tr("Card of %1, the customer of the open conversation (%2)")
                .replace("%1", name)
                .replace("%2", conversation.channel.name)
            )
            self.context.setProperty("chip", None)
            self.context.setProperty("muted", True)
        else:
            self.context.setText(
                self.tr("Card of %1, NOT the customer of the open conversation (%2, %3)")
                .replace("%1", name)
                .replace("%2", conversation.customer.name)
                .replace("%3", conversation.channel.name)
            )
            self.context.setProperty("chip", "mismatch")
            self.context.setProperty("muted", False)
            self.back.setText(self.tr("Show %1").replace("%1", conversation.customer.name))
            self.back.setVisible(True)
        self.context.style().unpolish(self.context)
        self.context.style().polish(self.context)

    def _back_to_conversation_customer(self) -> None:
        if self.open_conversation is not None:
            self.show_customer(self.open_conversation.customer.id)

    def _fill_conversations(self, conversations: list[Any]) -> None:
        self._conversation_list = conversations
        self.conversations.clear()
        now = datetime.now(UTC)
        for conversation in conversations:
            open_mark = (
                "▶ " if self.open_conversation is not None and conversation.id == self.open_conversation.id else ""
            )
            text = " · ".join(
                [conversation.channel.name, status_label(str(conversation.status)),
                 relative_time(conversation.last_message_at, now)]
            )  # fmt: skip
            item = QListWidgetItem(channel_icon(str(conversation.channel.kind)), open_mark + text)
            item.setData(Qt.ItemDataRole.UserRole, conversation.id)
            item.setToolTip(conversation.last_message_preview)
            self.conversations.addItem(item)
        count = len(conversations)
        self.conversations_title.setText(self.tr("Conversations on every channel (%1)").replace("%1", str(count)))
        visible = count > 0
        self.conversations_title.setVisible(visible)
        self.conversations.setVisible(visible)
        rows = min(max(count, 1), 3)
        self.conversations.setFixedHeight(rows * max(self.conversations.sizeHintForRow(0), 20) + 6)

    def _conversation_activated(self, item: QListWidgetItem) -> None:
        conversation_id = item.data(Qt.ItemDataRole.UserRole)
        if conversation_id is not None:
            self.conversationChosen.emit(int(conversation_id))

    def clear(self) -> None:
        """Nothing shown, nothing kept (logout): the card, the timeline, the dialogs opened from them."""
        for dialog in (self.merge_dialog, self.edit_dialog, self.confirm):
            if dialog is not None:
                with contextlib.suppress(RuntimeError):  # already deleted on close
                    dialog.reject()
        self.merge_dialog = self.edit_dialog = self.confirm = None
        self.customer_id = None
        self._fitted = None
        self._reads += 1  # a read still in flight must not fill the card afterwards
        self.card.show_customer(None)
        self.card.set_duplicates([])
        self.open_conversation = None
        self._fill_conversations([])
        self.timeline.open(None, self.timeline_pane.current_query())
        self._show_placeholder()

    def _show_placeholder(self) -> None:
        self.placeholder.setVisible(self.customer_id is None)
        self.splitter.setVisible(self.customer_id is not None)
        if self.customer_id is None:
            self.conversations_title.hide()
            self.conversations.hide()
        self._update_context()

    async def _load(self, customer_id: int) -> None:
        # Reads overlap (a language switch, then another; a merge event during a read): an older answer arriving
        # last must not replace a newer one, e.g. reasons in the language just left over those in the new one.
        self._reads += 1
        read = self._reads
        try:
            await self.desk.card(customer_id)
            suggestions = await self.desk.api.duplicates(customer_id)
            conversations = await self.desk.workspace.customer_conversations(customer_id)
        except Exception as error:
            if customer_id == self.customer_id and read == self._reads:
                self.failed.emit(error)
            return
        if customer_id == self.customer_id and read == self._reads:
            self.card.set_duplicates(suggestions)
            self._fill_conversations(conversations)
            if self._fitted != customer_id:
                self._fit_card()
                self._fitted = customer_id
            self.loads += 1

    def _fit_card(self) -> None:
        """Give the card the height it needs (at most 60%), the timeline the rest."""
        total = sum(self.splitter.sizes())
        if total <= 0:
            return
        card = min(self.card.sizeHint().height() + 4, int(total * 0.6))
        self.splitter.setSizes([card, total - card])

    def refresh(self) -> None:
        """Read the card and the duplicates again (after a merge, a dismissal, an edit, a language switch)."""
        if self.customer_id is not None and self.desk.workspace.api is not None:
            self.desk.tasks.spawn(self._load(self.customer_id), name="customer-card")

    def _card_changed(self, card: CustomerOut | None, force: bool = False) -> None:
        if not force and (card is None or card.id != self.customer_id):
            return
        user, held = self.desk.user, self.desk.store.permissions
        if card is not None and card.id == self.customer_id:
            self.card.customer = card
            self._update_context()
        writable = not self.read_only
        mergeable = writable and may_merge(user, held) and card is not None and card.merged_into_id is None
        self.card.may_remove_identity = writable and Permission.CUSTOMER_IDENTITY_REMOVE in held
        self.card.show_customer(card, editable=writable and may_edit(user, card, held), mergeable=mergeable)

    def set_read_only(self, read_only: bool) -> None:
        if read_only != self.read_only:
            self.read_only = read_only
            if self.card.customer is not None:
                self._card_changed(self.card.customer, force=True)

    def _timeline_touched(self, customer_id: int) -> None:
        if customer_id == self.customer_id:
            self.timeline.refresh_head()

    def _merge_changed(self, merge: MergeOut) -> None:
        if merge.undone_at is not None:
            self.timeline_pane.mark_undone(merge.id)
        if self.customer_id in (merge.survivor_id, merge.other_id):
            # Items moved between the two customers: read the timeline from the top again, not just its head,
            # so the other customer's messages leave this one's timeline at once after an undo (defect 6).
            self.timeline.open(self.customer_id, self.timeline_pane.current_query())
            self.refresh()

    # --- acting -------------------------------------------------------------------------------------------

    def _editor(self, customer: CustomerOut | None) -> CustomerEditDialog:
        known = self.card.duplicates.rowCount() if customer is not None and customer.id == self.customer_id else 0
        dialog = CustomerEditDialog(self.desk, customer, self, known_duplicates=known)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.openExisting.connect(self.show_customer)
        dialog.saved.connect(self._saved)
        self.edit_dialog = dialog
        dialog.open()
        return dialog

    def _saved(self, card: CustomerOut) -> None:
        if card.id == self.customer_id:
            self.refresh()
        else:
            self.show_customer(card.id)

    def open_editor(self) -> CustomerEditDialog | None:
        """Edit the shown customer (if the operator may)."""
        card = self.card.customer
        if card is None or not may_edit(self.desk.user, card, self.desk.store.permissions):
            return None
        return self._editor(card)

    def new_customer(self, typed: str = "") -> CustomerEditDialog:
        """A new customer, starting from what the operator typed in the search (a phone, an e-mail or a name)."""
        dialog = self._editor(None)
        text = typed.strip()
        if "@" in text and not text.startswith("@"):
            dialog.email.setText(text)
        elif sum(ch.isdigit() for ch in text) >= 5:
            dialog.phone.setText(text)
        elif text:
            dialog.name.setText(text)
        return dialog

    def open_merge(self, suggestion: DuplicateSuggestionOut) -> None:
        self.desk.tasks.spawn(self._open_merge(suggestion), name="merge-dialog")

    async def _open_merge(self, suggestion: DuplicateSuggestionOut) -> None:
        try:
            first = await self.desk.api.customer(suggestion.customer.id)
            second = await self.desk.api.customer(suggestion.other.id)
        except Exception as error:
            self.failed.emit(error)
            return
        mine, theirs = (first, second) if first.id == self.customer_id else (second, first)
        dialog = MergeDialog(mine, theirs, suggestion.reasons, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._merge(dialog.request()))
        self.merge_dialog = dialog
        dialog.open()

    def _merge(self, request: Any) -> None:
        self.desk.tasks.spawn(self._run_merge(request), name="merge")

    async def _run_merge(self, request: Any) -> None:
        try:
            merged = await self.desk.merge(request)
        except Exception as error:
            self.failed.emit(error)
            return
        self.show_customer(merged.survivor_id)
        self.refresh()

    def dismiss(self, suggestion: DuplicateSuggestionOut) -> None:
        self.desk.tasks.spawn(self._dismiss(suggestion), name="dismiss-duplicate")

    async def _dismiss(self, suggestion: DuplicateSuggestionOut) -> None:
        try:
            await self.desk.api.dismiss(suggestion.id)
        except Exception as error:
            self.failed.emit(error)
            return
        self.card.duplicates.remove(suggestion.id)
        self.card._update_duplicates_visibility()

    def confirm_remove_identity(self, identity: Any) -> None:
        customer = self.card.customer
        if customer is None:
            return
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Remove identity"), "", parent=self)
        box.setObjectName("removeIdentityConfirm")
        box.setText(
            self.tr(
                "Remove %1 from %2? Messages that came through it stay in the history; a new message from it "
                "will start a new customer."
            )
            .replace("%1", identity_text(identity))
            .replace("%2", customer.name)
        )
        remove = box.addButton(self.tr("Remove"), QMessageBox.ButtonRole.DestructiveRole)
        default_to_cancel(box)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(
            lambda button: (
                button is remove
                and self.desk.tasks.spawn(self._remove_identity(customer.id, identity.id), name="remove-identity")
            )
        )
        self.confirm = box
        box.open()

    async def _remove_identity(self, customer_id: int, identity_id: int) -> None:
        try:
            card = await self.desk.remove_identity(customer_id, identity_id)
        except Exception as error:
            self.failed.emit(error)
            return
        self._card_changed(card)
        self.refresh()

    def confirm_unmerge(self, merge_id: int, other_name: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Undo merge"), "", parent=self)
        box.setObjectName("unmergeConfirm")
        box.setText(
            self.tr(
                "Split %1 off again? Both customers return exactly as they were before the merge, "
                "with what each received since through their own identities."
            ).replace("%1", other_name)
        )
        undo = box.addButton(self.tr("Undo merge"), QMessageBox.ButtonRole.AcceptRole)
        default_to_cancel(box)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(lambda button: button is undo and self._unmerge(merge_id))
        self.confirm = box
        box.open()

    def _unmerge(self, merge_id: int) -> None:
        self.desk.tasks.spawn(self._run_unmerge(merge_id), name="unmerge")

    async def _run_unmerge(self, merge_id: int) -> None:
        try:
            await self.desk.unmerge(merge_id)
        except Exception as error:
            self.failed.emit(error)
            return
        self.timeline_pane.mark_undone(merge_id)
        self.refresh()

    def describe_failure(self, error: BaseException) -> str:
        return describe_error(error, self.desk.workspace.server_url)

    def retranslate(self) -> None:
        self.placeholder.setText(
            self.tr("Open a conversation or find a customer (Ctrl+K) to see their card and timeline.")
        )
        self._update_context()
        if self._conversation_list or self.customer_id is not None:
            self._fill_conversations(self._conversation_list)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            # The reasons of the duplicates come from the server in the interface language: read them again,
            # from the event loop (not inside Qt's event delivery, which also runs during shutdown).
            self._language_refresh.start()
        super().changeEvent(event)
