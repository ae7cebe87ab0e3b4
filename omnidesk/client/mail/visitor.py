"""The web chat visitor beside the conversation: on the site or gone, typing, the page, where they came from, the
browser and system, the time on the site; and the web form card: the fields of a submission as sent."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QDateTime, QEvent, QLocale, Qt, QTimer
from PySide6.QtWidgets import QFormLayout, QFrame, QLabel, QVBoxLayout, QWidget

from omnidesk.client.mail.api import FormCard, Visitor
from omnidesk.client.mail.useragent import browser, operating_system
from omnidesk.client.views.customer_card import language_name
from omnidesk.client.views.theme import colour

TYPING_SHOWN_MS = 6000  # the widget reports typing every 3 s; the server tells it at most every 3 s

__all__ = ["FormCardPanel", "VisitorPanel", "duration_words"]


def _value_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
    label.setOpenExternalLinks(True)
    return label


def _link(url: str) -> str:
    from html import escape

    shown = url if len(url) <= 90 else url[:87] + "…"
    if url.lower().startswith(("https://", "http://")):
        return f'<a href="{escape(url, quote=True)}">{escape(shown)}</a>'
    return escape(shown)


def _when(at: dt.datetime) -> str:
    return QLocale().toString(
        QDateTime.fromSecsSinceEpoch(int(at.timestamp())).toLocalTime(), QLocale.FormatType.ShortFormat
    )


def duration_words(seconds: float) -> str:
    """ "less than a minute", "12 min", "1 h 5 min" in the interface language."""
    translate = QCoreApplication.translate
    minutes = max(0, int(seconds // 60))
    if minutes < 1:
        return translate("VisitorPanel", "less than a minute")
    hours, rest = divmod(minutes, 60)
    words = [translate("VisitorPanel", "%n h", "", hours)] if hours else []
    if rest:
        words.append(translate("VisitorPanel", "%n min", "", rest))
    return " ".join(words)


class _Card(QFrame):
    """A titled panel of label: value rows, rebuilt on every change (a handful of rows)."""

    def __init__(self, parent: QWidget | None, name: str) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel(self)
        self.title.setStyleSheet("font-weight: 600;")
        self.status = QLabel(self)
        self.status.setObjectName(f"{name}Status")
        self.rows = QFormLayout()
        self.rows.setHorizontalSpacing(8)
        self.rows.setVerticalSpacing(2)
        self.rows.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(3)
        layout.addWidget(self.title)
        layout.addWidget(self.status)
        layout.addLayout(self.rows)
        self.values: dict[str, QLabel] = {}
        self.setVisible(False)

    def set_rows(self, rows: list[tuple[str, str, str]]) -> None:
        """(key, label, rich text value) rows, in order; empty values are left out."""
        while self.rows.rowCount():
            self.rows.removeRow(0)
        self.values = {}
        for key, label, value in rows:
            if not value:
                continue
            name = QLabel(label, self)
            name.setProperty("muted", True)
            shown = _value_label(self)
            shown.setObjectName(f"{self.objectName()}_{key}")
            shown.setText(value)
            self.rows.addRow(name, shown)
            self.values[key] = shown

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:  # pragma: no cover - overridden
        pass


class VisitorPanel(_Card):
    def __init__(self, parent: QWidget | None = None, now: Callable[[], dt.datetime] | None = None) -> None:
        super().__init__(parent, "visitorPanel")
        self.visitor: Visitor | None = None
        self.now = now or (lambda: dt.datetime.now(dt.UTC))
        # Live typing from the event stream (conversation.activity with ``visitor``): shown at once, fades after
        # TYPING_SHOWN_MS unless told again; the periodic read of the visitor's state says the rest.
        self.typing_live = False
        self._typing_fade = QTimer(self)
        self._typing_fade.setSingleShot(True)
        self._typing_fade.setInterval(TYPING_SHOWN_MS)
        self._typing_fade.timeout.connect(self._typing_faded)
        self.retranslate()

    def set_visitor(self, visitor: Visitor | None) -> None:
        self.visitor = visitor
        if visitor is None:
            self.typing_live = False
            self._typing_fade.stop()
        self.setVisible(visitor is not None)
        self.retranslate()

    def show_typing(self) -> None:
        """The visitor types now (told by the event stream)."""
        self.typing_live = True
        self._typing_fade.start()
        self.retranslate()

    def _typing_faded(self) -> None:
        self.typing_live = False
        self.retranslate()

    def retranslate(self) -> None:
        from html import escape

        self.title.setText(self.tr("Visitor of the website"))
        v = self.visitor
        if v is None:
            return
        if v.online:
            state = self.tr("On the site now")
            tint = colour("chip_open").name()
        elif v.last_seen_at is not None:
            state = self.tr("Left the site; last seen %1").replace("%1", _when(v.last_seen_at))
            tint = colour("muted").name()
        else:
            state, tint = self.tr("Left the site"), colour("muted").name()
        if v.typing or self.typing_live:
            state += " · " + self.tr("typing…")
        self.status.setText(f"● {state}")
        self.status.setStyleSheet(f"color: {tint}; font-weight: 600;")
        self.status.setAccessibleName(state)
        time_on_site = ""
        if v.first_seen_at is not None:
            end = self.now() if v.online else (v.last_seen_at or v.first_seen_at)
            time_on_site = duration_words((end - v.first_seen_at).total_seconds())
        agent_browser, agent_os = browser(v.user_agent), operating_system(v.user_agent)
        self.set_rows(
            [
                ("page_title", self.tr("Page title:"), escape(v.page_title or "")),
                ("page", self.tr("Page:"), _link(v.page_url) if v.page_url else ""),
                ("referrer", self.tr("Came from:"), _link(v.referrer) if v.referrer else ""),
                ("browser", self.tr("Browser:"), escape(agent_browser or (v.user_agent or "")[:80])),
                ("system", self.tr("System:"), escape(agent_os or "")),
                ("language", self.tr("Language:"), escape(language_name(v.language) if v.language else "")),
                ("time", self.tr("On the site for:"), escape(time_on_site)),
                ("site_user", self.tr("Signed in on the site as:"), escape(v.site_user or "")),
            ]
        )
        if "browser" in self.values and v.user_agent:
            self.values["browser"].setToolTip(v.user_agent)


class FormCardPanel(_Card):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, "formCard")
        self.card: FormCard | None = None
        self.retranslate()

    def set_card(self, card: FormCard | None) -> None:
        self.card = card
        self.setVisible(card is not None)
        self.retranslate()

    def retranslate(self) -> None:
        from html import escape

        card = self.card
        self.title.setText(self.tr("Web form: %1").replace("%1", card.form_name) if card else self.tr("Web form"))
        if card is None:
            return
        self.status.setText(
            self.tr("Sent %1").replace("%1", _when(card.submitted_at)) if card.submitted_at is not None else ""
        )
        self.status.setStyleSheet(f"color: {colour('muted').name()};")

        def plain(value: str | None) -> str:
            return escape(value or "").replace("\n", "<br>")

        rows = [
            ("name", self.tr("Name:"), plain(card.name)),
            ("phone", self.tr("Phone:"), plain(card.phone)),
            ("email", self.tr("E-mail:"), plain(card.email)),
            ("message", self.tr("Message:"), plain(card.message)),
        ]
        rows += [(f"field_{n}", f"{key}:", plain(value)) for n, (key, value) in enumerate(card.fields.items())]
        rows.append(("page", self.tr("Sent from the page:"), _link(card.page_url) if card.page_url else ""))
        utm = ", ".join(f"{k.removeprefix('utm_')}={v}" for k, v in card.utm.items())
        rows.append(("utm", self.tr("Campaign (UTM):"), plain(utm)))
        self.set_rows(rows)
