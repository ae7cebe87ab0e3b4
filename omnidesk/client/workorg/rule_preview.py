"""The rule editor's "which rule would take this message?": a message described by everything a rule can test
(channel, text, the moment, whether the customer is known and their profile, or a real customer found by search),
judged by the rules as edited in the form (unsaved) or by the saved ones, and the answer in words."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QDateTime, QEvent, QLocale, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from omnidesk.client.workorg import texts
from omnidesk.client.workorg.desk import WorkDesk
from omnidesk.protocol.workorg import PreviewOut

# Who writes: a first-time sender, a known customer made up here, or a real customer picked by search.
NEW, SAMPLE, REAL = "new", "sample", "real"
# Which rules judge: the list with the form's unsaved edits, or the list as saved.
EDITED, SAVED = "edited", "saved"
LANGUAGES = ("uk", "ru", "en")
OTHER = "other"


def language_name(code: str) -> str:
    """A customer's language as a name in the interface's language."""
    return {
        "uk": QCoreApplication.translate("RulePreview", "Ukrainian"),
        "ru": QCoreApplication.translate("RulePreview", "Russian"),
        "en": QCoreApplication.translate("RulePreview", "English"),
    }.get(code, code)


def parse_tags(text: str) -> list[str]:
    return list(dict.fromkeys(t.strip() for t in text.split(",") if t.strip()))


def parse_attributes(text: str) -> dict[str, str] | None:
    """``plan=gold, city=Kyiv`` as a dict; None when a part has no ``=`` or no name (the form says so)."""
    out: dict[str, str] = {}
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        key, sep, value = part.partition("=")
        if not sep or not key.strip():
            return None
        out[key.strip()] = value.strip()
    return out


class RulePreview(QGroupBox):
    """``drafts`` gives the rule list with the form's unsaved edits; ``words`` the sentence maker of the editor."""

    def __init__(
        self,
        desk: WorkDesk,
        drafts: Callable[[], list[dict[str, Any]]],
        words: Callable[[], Any],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.desk = desk
        self.drafts = drafts
        self.words = words
        self.found: list = []  # the customers of the last search
        self.last: PreviewOut | None = None  # the last answer (shown again in a new language)
        self.channel = QComboBox(self)
        self.text = QLineEdit(self)
        self.moment = QDateTimeEdit(QDateTime.currentDateTime(), self)
        self.moment.setCalendarPopup(True)
        self.now = QPushButton(self)
        self.now.clicked.connect(lambda: self.moment.setDateTime(QDateTime.currentDateTime()))
        self.who = QComboBox(self)
        for value in (NEW, SAMPLE, REAL):
            self.who.addItem("", value)
        self.who.currentIndexChanged.connect(self._enable)
        self.segment = QLineEdit(self)
        self.language = QComboBox(self)
        self.language.addItem("", None)
        for code in (*LANGUAGES, OTHER):
            self.language.addItem("", code)
        self.language.currentIndexChanged.connect(self._enable)
        self.other_language = QLineEdit(self)
        self.other_language.setMaxLength(64)
        self.tags = QLineEdit(self)
        self.attributes = QLineEdit(self)
        self.search = QLineEdit(self)
        self.customer = QComboBox(self)
        self.customer.setMinimumContentsLength(24)
        self._search_later = QTimer(self)  # a search after the typing pauses, not one per key
        self._search_later.setSingleShot(True)
        self._search_later.setInterval(300)
        self._search_later.timeout.connect(self.find_customers)
        self.search.textEdited.connect(lambda _t: self._search_later.start())
        self.search.returnPressed.connect(self.find_customers)
        self.judge = QComboBox(self)
        for value in (EDITED, SAVED):
            self.judge.addItem("", value)
        self.check = QPushButton(self)
        self.check.clicked.connect(self.preview)
        self.result = QLabel(self)
        self.result.setWordWrap(True)
        self.result.setObjectName("previewResult")

        form = QFormLayout(self)
        self.labels = {k: QLabel(self) for k in ("channel", "text", "moment", "who", "search", "judge")}
        self.sample_labels = {k: QLabel(self) for k in ("segment", "language", "tags", "attributes")}
        moment = QHBoxLayout()
        moment.addWidget(self.moment, 1)
        moment.addWidget(self.now)
        language = QHBoxLayout()
        language.addWidget(self.language, 1)
        language.addWidget(self.other_language, 1)
        real = QHBoxLayout()
        real.addWidget(self.search, 1)
        real.addWidget(self.customer, 2)
        form.addRow(self.labels["channel"], self.channel)
        form.addRow(self.labels["text"], self.text)
        form.addRow(self.labels["moment"], moment)
        form.addRow(self.labels["who"], self.who)
        form.addRow(self.labels["search"], real)
        form.addRow(self.sample_labels["segment"], self.segment)
        form.addRow(self.sample_labels["language"], language)
        form.addRow(self.sample_labels["tags"], self.tags)
        form.addRow(self.sample_labels["attributes"], self.attributes)
        form.addRow(self.labels["judge"], self.judge)
        form.addRow(self.check, self.result)
        self.retranslate()
        self._enable()

    def set_channels(self, channels: list) -> None:
        chosen = self.channel.currentData()
        self.channel.clear()
        for channel in channels:
            self.channel.addItem(f"{channel.name} ({channel.kind})", channel.id)
        self.channel.setCurrentIndex(max(0, self.channel.findData(chosen)))

    def _enable(self, *_: object) -> None:
        who = self.who.currentData()
        for widget in (self.segment, self.language, self.tags, self.attributes, *self.sample_labels.values()):
            widget.setEnabled(who == SAMPLE)
        self.other_language.setVisible(self.language.currentData() == OTHER)
        self.other_language.setEnabled(who == SAMPLE)
        for widget in (self.search, self.customer, self.labels["search"]):
            widget.setEnabled(who == REAL)

    # --- the question ------------------------------------------------------------------------------------------

    def moment_utc(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.moment.dateTime().toSecsSinceEpoch(), dt.UTC)

    def sample(self) -> dict[str, Any] | None:
        """The made-up customer's profile; None (with the reason shown) when the attributes cannot be read."""
        attributes = parse_attributes(self.attributes.text())
        if attributes is None:
            self.result.setText(self.tr("Write attributes as name=value, separated by commas."))
            return None
        language = self.language.currentData()
        if language == OTHER:
            language = self.other_language.text().strip() or None
        return {
            "segment": self.segment.text().strip() or None,
            "language": language,
            "tags": parse_tags(self.tags.text()),
            "attributes": attributes,
        }

    def body(self) -> dict[str, Any] | None:
        """The request for POST /routing/preview; None when the form cannot ask yet (the reason is shown)."""
        channel_id = self.channel.currentData()
        if channel_id is None:
            self.result.setText(self.tr("Choose a channel."))
            return None
        body: dict[str, Any] = {
            "channel_id": channel_id,
            "text": self.text.text(),
            "at": self.moment_utc().isoformat(),
        }
        who = self.who.currentData()
        if who == SAMPLE:
            sample = self.sample()
            if sample is None:
                return None
            body["sample"] = sample
        elif who == REAL:
            if self.customer.currentData() is None:
                self.result.setText(self.tr("Find the customer by name, phone or e-mail first."))
                return None
            body["customer_id"] = self.customer.currentData()
        if self.judge.currentData() == EDITED:
            body["rules"] = self.drafts()
        return body

    def preview(self) -> None:
        body = self.body()
        if body is None:
            return
        self.result.setText(self.tr("Checking…"))

        async def work():
            from omnidesk.client.api import Rejected

            try:
                return await self.desk.api.preview(body)
            except Rejected as error:
                return error

        def done(result) -> None:
            if isinstance(result, Exception):
                from omnidesk.client.views.texts import describe_error

                self.result.setText(describe_error(result))
            else:
                self.show_answer(result)

        self.desk.run(work(), "rule-preview", done)

    def find_customers(self) -> None:
        self._search_later.stop()
        query = self.search.text().strip()
        if not query:
            return

        def done(found) -> None:
            self.found = found
            self.customer.clear()
            for c in found:
                segment = f" · {c.segment}" if c.segment else ""
                self.customer.addItem(f"{c.name}{segment}", c.id)
            if not found:
                self.customer.addItem(self.tr("nobody found"), None)

        self.desk.run(self.desk.api.find_customers(query), "preview-customers", done)

    # --- the answer ----------------------------------------------------------------------------------------------

    def answer(self, result: PreviewOut) -> str:
        """The preview's answer in words, one fact a line."""
        locale = QLocale()
        if result.queue_id is None:
            queue = self.tr("no queue")
        else:
            queue = self.desk.queues.get(result.queue_id) or self.tr("queue no. %1").replace(
                "%1", locale.toString(result.queue_id)
            )
        if result.rule_name is None:
            head = self.tr("No rule matched: the channel's default queue %1.").replace("%1", queue)
        else:
            head = self.tr("Rule “%1” would take it.").replace("%1", result.rule_name)
        priority = texts.priority_names()[max(0, min(3, result.priority))].lower()
        lines = [
            head,
            self.tr("Queue: %1").replace("%1", queue),
            self.tr("Priority: %1").replace("%1", priority),
            self.tr("Required skill: %1").replace("%1", result.skill or self.tr("none")),
            self.tr("Maximum wait: %1").replace(
                "%1",
                self.tr("%1 s").replace("%1", locale.toString(result.max_wait_s))
                if result.max_wait_s
                else self.tr("none"),
            ),
            self.tr("Auto-reply: “%1”").replace("%1", result.auto_reply)
            if result.auto_reply
            else self.tr("Auto-reply: none"),
        ]
        return "\n".join(lines)

    def show_answer(self, result: PreviewOut) -> None:
        self.last = result
        self.result.setText(self.answer(result))

    # --- language ----------------------------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.setTitle(self.tr("Which rule would take this message?"))
        for key, text in (
            ("channel", self.tr("Channel")),
            ("text", self.tr("Message text")),
            ("moment", self.tr("Written at")),
            ("who", self.tr("Who writes")),
            ("search", self.tr("Real customer")),
            ("judge", self.tr("Judge by")),
        ):
            self.labels[key].setText(text)
        for key, text in (
            ("segment", self.tr("Segment")),
            ("language", self.tr("Language")),
            ("tags", self.tr("Tags")),
            ("attributes", self.tr("Attributes")),
        ):
            self.sample_labels[key].setText(text)
        self.now.setText(self.tr("Now"))
        self.moment.setToolTip(self.tr("Business hours are judged at this moment (your computer's time zone)"))
        # Dates in the interface's language: the format and the calendar follow QLocale.
        self.moment.setLocale(QLocale())
        self.moment.setDisplayFormat(QLocale().dateTimeFormat(QLocale.FormatType.ShortFormat))
        for i, text in enumerate(
            (
                self.tr("A new customer (first message)"),
                self.tr("A known customer described here"),
                self.tr("A real customer"),
            )
        ):
            self.who.setItemText(i, text)
        self.language.setItemText(0, self.tr("not set"))
        for i, code in enumerate(LANGUAGES, start=1):
            self.language.setItemText(i, language_name(code))
        self.language.setItemText(len(LANGUAGES) + 1, self.tr("Other…"))
        self.other_language.setPlaceholderText(self.tr("language code, e.g. de"))
        self.tags.setPlaceholderText(self.tr("comma-separated, e.g. vip, wholesale"))
        self.attributes.setPlaceholderText(self.tr("name=value, e.g. plan=gold, city=Kyiv"))
        self.search.setPlaceholderText(self.tr("name, phone or e-mail"))
        self.judge.setItemText(0, self.tr("the rules with the edits in the form (unsaved)"))
        self.judge.setItemText(1, self.tr("the saved rules"))
        self.check.setText(self.tr("Check"))
        if self.last is not None:
            self.result.setText(self.answer(self.last))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
