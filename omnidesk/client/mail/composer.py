"""The envelope of an e-mail reply, above the composer of an e-mail conversation: To, Cc, the subject ("Re: " kept)
and whether to quote the letter being answered. The text itself is typed in the window's own composer, so drafts,
the offline outbox and Ctrl+Enter work as for every reply; the envelope rides along as the reply's ``mail`` field.

Addresses are checked as they are typed (domain/mail.py, the rule the server applies too): a reply with a bad one is
held back with the reason in words and the field in question focused, never queued."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QCheckBox, QFrame, QGridLayout, QLabel, QLineEdit, QWidget

from omnidesk.client.drafts import Drafts
from omnidesk.client.views.theme import colour
from omnidesk.domain.mail import read_addresses

__all__ = ["Envelope", "EnvelopeDrafts", "MailEnvelope", "quote_block"]


@dataclass(frozen=True)
class Envelope:
    to: str = ""
    cc: str = ""
    subject: str = ""
    quote: bool = False
    answering: int | None = None  # the message id of the letter being answered

    @classmethod
    def from_json(cls, text: str) -> Envelope | None:
        try:
            data = json.loads(text)
            return cls(**{k: data[k] for k in ("to", "cc", "subject", "quote", "answering") if k in data})
        except (ValueError, TypeError):
            return None


class EnvelopeDrafts:
    """The envelope typed for a conversation, kept beside the text's draft (same file format, its own file)."""

    def __init__(self, drafts: Drafts) -> None:
        self.drafts = drafts

    def get(self, server_url: str, user_id: int, conversation_id: int) -> Envelope | None:
        stored = self.drafts.get(server_url, user_id, conversation_id)
        return Envelope.from_json(stored) if stored else None

    def put(self, server_url: str, user_id: int, conversation_id: int, envelope: Envelope | None) -> None:
        text = json.dumps(asdict(envelope), ensure_ascii=False) if envelope is not None else ""
        self.drafts.put(server_url, user_id, conversation_id, text)

    def forget_user(self, server_url: str, user_id: int) -> None:
        self.drafts.forget_user(server_url, user_id)


def quote_block(intro: str, text: str) -> str:
    """The quoted letter appended under the reply: an "On …, … wrote:" line, then the letter with "> " in front."""
    lines = [f"> {line}" if line else ">" for line in text.strip().splitlines()]
    return "\n\n" + intro + "\n" + "\n".join(lines)


class MailEnvelope(QFrame):
    quoteToggled = Signal(bool)
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mailEnvelope")
        self.answering: int | None = None
        self.to = QLineEdit(self)
        self.to.setObjectName("mailTo")
        self.cc = QLineEdit(self)
        self.cc.setObjectName("mailCc")
        self.subject = QLineEdit(self)
        self.subject.setObjectName("mailSubjectEdit")
        self.subject.setMaxLength(998)
        self.quote = QCheckBox(self)
        self.quote.setObjectName("mailQuote")
        self.quote.toggled.connect(self.quoteToggled)
        self.error = QLabel(self)
        self.error.setObjectName("mailEnvelopeError")
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        self.labels: list[QLabel] = []
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 2, 0, 2)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(2)
        for row, edit in enumerate((self.to, self.cc, self.subject)):
            label = QLabel(self)
            label.setBuddy(edit)
            self.labels.append(label)
            grid.addWidget(label, row, 0)
            grid.addWidget(edit, row, 1)
            edit.textChanged.connect(self._edited)
        grid.addWidget(self.quote, 3, 1)
        grid.addWidget(self.error, 4, 0, 1, 2)
        grid.setColumnStretch(1, 1)
        self.setVisible(False)
        self.retranslate()

    # --- state ---------------------------------------------------------------------------------------------

    def envelope(self) -> Envelope:
        return Envelope(self.to.text(), self.cc.text(), self.subject.text(), self.quote.isChecked(), self.answering)

    def set_envelope(self, envelope: Envelope | None) -> None:
        envelope = envelope or Envelope()
        for edit, value in ((self.to, envelope.to), (self.cc, envelope.cc), (self.subject, envelope.subject)):
            edit.blockSignals(True)
            edit.setText(value)
            edit.blockSignals(False)
        self.quote.blockSignals(True)
        self.quote.setChecked(envelope.quote)
        self.quote.blockSignals(False)
        self.answering = envelope.answering
        self._check(show=False)

    def _edited(self) -> None:
        self._check(show=True)
        self.changed.emit()

    def problem(self) -> tuple[QLineEdit, str] | None:
        """The first thing wrong with the envelope, in words, and the field it is in; None when it can go."""
        to, bad_to = read_addresses(self.to.text())
        _cc, bad_cc = read_addresses(self.cc.text())
        if bad_to:
            return self.to, self.tr("Not an e-mail address in To: %1").replace("%1", ", ".join(bad_to))
        if not to:
            return self.to, self.tr("Whom is the letter to? Give at least one address in To.")
        if bad_cc:
            return self.cc, self.tr("Not an e-mail address in Cc: %1").replace("%1", ", ".join(bad_cc))
        if len(to) > 20 or len(_cc) > 20:
            return (self.to if len(to) > 20 else self.cc), self.tr("At most 20 addresses in To and 20 in Cc.")
        return None

    def _check(self, *, show: bool) -> None:
        found = self.problem() if show else None
        for edit in (self.to, self.cc):
            bad = found is not None and found[0] is edit
            edit.setStyleSheet(f"border: 2px solid {colour('failed').name()};" if bad else "")
            edit.setAccessibleDescription(found[1] if bad and found else "")
        self.error.setVisible(found is not None)
        self.error.setText(found[1] if found else "")
        self.error.setStyleSheet(f"color: {colour('failed').name()};")

    def mail(self) -> dict[str, object]:
        """The reply's ``mail`` field; raises ValueError with the reason (and focuses the field) when it cannot go."""
        found = self.problem()
        self._check(show=True)
        if found is not None:
            found[0].setFocus()
            raise ValueError(found[1])
        to, _ = read_addresses(self.to.text())
        cc, _ = read_addresses(self.cc.text())
        body: dict[str, object] = {"to": to, "cc": cc}
        subject = " ".join(self.subject.text().split())
        if subject:
            body["subject"] = subject
        return body

    # --- words ---------------------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        for label, text in zip(self.labels, (self.tr("To:"), self.tr("Cc:"), self.tr("Subject:")), strict=True):
            label.setText(text)
        self.to.setPlaceholderText(self.tr("name@example.com, several separated by commas"))
        self.cc.setPlaceholderText(self.tr("Copies, separated by commas"))
        self.to.setAccessibleName(self.tr("To"))
        self.cc.setAccessibleName(self.tr("Cc"))
        self.subject.setAccessibleName(self.tr("Subject"))
        self.quote.setText(self.tr("Quote the letter I answer"))
        self.quote.setToolTip(self.tr("Adds the letter under your reply, each line starting with \u201c>\u201d"))
        self._check(show=self.error.isVisible())
