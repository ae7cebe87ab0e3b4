"""A new customer, or an edit of one: "search before create".

While the operator types a name, a phone or an e-mail, the server is asked who already looks like this draft
(POST /customers/matches, debounced) and the matches are shown with the reasons in words BEFORE anything is saved,
so the operator can open the existing customer instead of making a duplicate.
"""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QEvent, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from omnidesk.client.customers import CustomerDesk
from omnidesk.client.models.customer import CustomerResultsModel
from omnidesk.client.views.customer_search import CustomerDelegate
from omnidesk.client.views.texts import describe_error
from omnidesk.protocol.customers import CustomerCreate, CustomerOut, CustomerUpdate, IdentityIn, MatchRequest

__all__ = ["CustomerEditDialog", "parse_attributes"]

DEBOUNCE_MS = 300


def parse_attributes(text: str) -> dict[str, Any]:
    """Lines of "key: value" (or "key = value"); numbers and true/false keep their type."""
    found: dict[str, Any] = {}
    for line in text.splitlines():
        key, separator, value = line.partition(":")
        if not separator:
            key, separator, value = line.partition("=")
        key, value = key.strip(), value.strip()
        if not key or not separator:
            continue
        try:
            parsed = json.loads(value)
        except ValueError:
            parsed = value
        found[key] = parsed if isinstance(parsed, (str, int, float, bool)) or parsed is None else value
    return found


def attributes_text(attributes: dict[str, Any]) -> str:
    return "\n".join(
        f"{key}: {json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value}"
        for key, value in attributes.items()
    )


class CustomerEditDialog(QDialog):
    """Create (``customer`` None) or edit a customer; `saved` carries the server's card, `openExisting` an id."""

    saved = Signal(object)  # CustomerOut
    openExisting = Signal(int)

    def __init__(
        self,
        desk: CustomerDesk,
        customer: CustomerOut | None = None,
        parent: QWidget | None = None,
        *,
        known_duplicates: int = 0,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("customerEdit")
        self.desk = desk
        self.customer = customer
        self.known_duplicates = known_duplicates  # suggestions the card already lists for this customer
        self.name = QLineEdit(self)
        self.phone = QLineEdit(self)
        self.email = QLineEdit(self)
        self.language = QLineEdit(self)
        self.segment = QLineEdit(self)
        self.tags = QLineEdit(self)
        self.attributes = QPlainTextEdit(self)
        self.attributes.setFixedHeight(72)
        self.form = QFormLayout()
        self.labels = [QLabel(self) for _ in range(7)]
        for label, field in zip(
            self.labels,
            [self.name, self.phone, self.email, self.language, self.segment, self.tags, self.attributes],
            strict=True,
        ):
            label.setBuddy(field)
            self.form.addRow(label, field)
        if customer is not None:
            self.name.setText(customer.name)
            self.language.setText(customer.language or "")
            self.segment.setText(customer.segment or "")
            self.tags.setText(", ".join(customer.tags))
            self.attributes.setPlainText(attributes_text(customer.attributes))

        self.matches_title = QLabel(self)
        self.matches_title.setWordWrap(True)
        self.matches = CustomerResultsModel(self)
        self.matches_view = QListView(self)
        self.matches_view.setObjectName("matches")
        self.matches_view.setModel(self.matches)
        self.matches_view.setItemDelegate(CustomerDelegate(self.matches_view))
        self.matches_view.setMaximumHeight(130)
        self.matches_view.doubleClicked.connect(self._open_match)
        self.problem = QLabel(self)
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #C62828;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.save_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.open_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self._open_match)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.matches_view.selectionModel().currentChanged.connect(
            lambda current, _previous: self.open_button.setEnabled(current.isValid())
        )

        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.matches_title)
        layout.addWidget(self.matches_view)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)

        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(DEBOUNCE_MS)
        self.debounce.timeout.connect(self.look_for_matches)
        for field in (self.name, self.phone, self.email):
            field.textChanged.connect(self.debounce.start)
        self._asked = 0  # only the newest question's answer is shown
        self.matches_loaded = 0  # answers shown (tests wait on it)
        self.problem.hide()
        self.retranslate()
        self._show_matches_title()

    # --- search before create -------------------------------------------------------------------------

    def _identities(self) -> list[IdentityIn]:
        found = []
        if self.phone.text().strip():
            found.append(IdentityIn(kind="phone", value=self.phone.text().strip()))
        if self.email.text().strip():
            found.append(IdentityIn(kind="email", value=self.email.text().strip()))
        return found

    def draft(self) -> MatchRequest:
        return MatchRequest(
            name=self.name.text().strip(),
            identities=self._identities(),
            exclude_id=self.customer.id if self.customer else None,
        )

    def look_for_matches(self) -> None:
        draft = self.draft()
        self._asked += 1
        if not draft.name and not draft.identities:
            self.matches.set_matches([])
            self._show_matches_title()
            return
        self.desk.tasks.spawn(self._matches(draft, self._asked), name="customer-matches")

    async def _matches(self, draft: MatchRequest, asked: int) -> None:
        try:
            found = await self.desk.api.matches(draft)
        except Exception as error:
            if asked == self._asked:
                self._show_problem(error)
            return
        if asked != self._asked:
            return  # the operator typed on meanwhile
        self.matches.set_matches(found)
        self.matches_loaded += 1
        self._show_matches_title()

    def _show_matches_title(self) -> None:
        count = self.matches.rowCount()
        self.matches_view.setVisible(count > 0)
        if count:
            self.matches_title.setText(
                self.tr("%n customer(s) already look like this. Open one instead of creating a duplicate?", "", count)
            )
            self.matches_title.setStyleSheet("color: #8A4B00; font-weight: bold;")
        elif self.known_duplicates:
            # The card beside lists suggested duplicates: never claim there are none (defect 6).
            self.matches_title.setText(
                self.tr("%n possible duplicate(s) of this customer are listed on the card.", "", self.known_duplicates)
            )
            self.matches_title.setStyleSheet("color: #8A4B00;")
        else:
            self.matches_title.setText(self.tr("No existing customer looks like this."))
            self.matches_title.setStyleSheet("color: #6B7785;")

    def _open_match(self, *_: object) -> None:
        summary = self.matches.summary_at(self.matches_view.currentIndex().row())
        if summary is not None:
            self.openExisting.emit(summary.id)
            self.accept()

    # --- saving ---------------------------------------------------------------------------------------

    def save(self) -> None:
        self.problem.hide()
        tags = [tag.strip() for tag in self.tags.text().split(",") if tag.strip()]
        common: dict[str, Any] = {
            "name": self.name.text().strip(),
            "language": self.language.text().strip() or None,
            "segment": self.segment.text().strip() or None,
            "tags": tags,
            "attributes": parse_attributes(self.attributes.toPlainText()),
        }
        self.save_button.setEnabled(False)
        self.desk.tasks.spawn(self._save(common), name="customer-save")

    async def _save(self, values: dict[str, Any]) -> None:
        try:
            if self.customer is None:
                card = await self.desk.create(CustomerCreate(**values, identities=self._identities()))
            else:
                card = await self.desk.update(self.customer.id, CustomerUpdate(**values))
                for identity in self._identities():
                    card = await self.desk.add_identity(self.customer.id, identity)
        except Exception as error:
            self.save_button.setEnabled(True)
            self._show_problem(error)
            return
        self.saved.emit(card)
        self.accept()

    def _show_problem(self, error: BaseException) -> None:
        self.problem.setText(describe_error(error, self.desk.workspace.server_url))
        self.problem.show()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("New customer") if self.customer is None else self.tr("Edit customer"))
        texts = [
            self.tr("&Name:"),
            self.tr("&Phone:") if self.customer is None else self.tr("Add a &phone:"),
            self.tr("&E-mail:") if self.customer is None else self.tr("Add an &e-mail:"),
            self.tr("&Language:"),
            self.tr("&Segment:"),
            self.tr("&Tags:"),
            self.tr("&Attributes:"),
        ]
        for label, text in zip(self.labels, texts, strict=True):
            label.setText(text)
        self.phone.setPlaceholderText(self.tr("e.g. 050 123 45 67"))
        self.segment.setPlaceholderText(self.tr("e.g. VIP"))
        self.tags.setPlaceholderText(self.tr("separated by commas"))
        self.attributes.setPlaceholderText(self.tr("one per line, e.g. contract: A-1042"))
        self.save_button.setText(self.tr("Save"))
        self.open_button.setText(self.tr("Open this customer"))
        self._show_matches_title()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
