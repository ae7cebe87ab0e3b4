"""Merging two customers: choose who survives and, field by field, whose value stays; one confirmation.

The dialog itself is the one confirmation: it says in words why the two look alike, what moves where, and that
the merge can be undone from the timeline. Nothing is sent until the operator presses "Merge"; Enter cancels.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QLocale, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from omnidesk.protocol.customers import CustomerOut, MergeRequest, ReasonOut

__all__ = ["MERGE_FIELDS", "MergeDialog", "field_text"]

MERGE_FIELDS = ("name", "language", "segment", "tags", "attributes")
JOINABLE = ("tags", "attributes")


def field_text(customer: CustomerOut, field: str) -> str:
    """A profile field as the card shows it: the language by its name, attributes by their labels (never "uk" or
    a raw key)."""
    from omnidesk.client.views.customer_card import attribute_label, language_name  # the card imports this module

    value: Any = getattr(customer, field)
    if field == "tags":
        return ", ".join(value)
    if field == "attributes":
        return ", ".join(f"{attribute_label(key)}: {item}" for key, item in value.items())
    if field == "language" and value:
        return language_name(value)
    return str(value or "")


def profile_richness(customer: CustomerOut) -> tuple[int, int, int, int, int]:
    """How much a profile knows, to compare two: full words of the name (initials and "М." do not count), then
    identities, then history (conversations), then filled fields, then the name's length."""
    words = [word for word in customer.name.split() if len(word.strip(".")) > 1 and not word.endswith(".")]
    identities = sum(len(group.items) for group in customer.identities)
    filled = sum(1 for value in (customer.language, customer.segment) if value) + len(customer.tags)
    filled += len(customer.attributes)
    return (len(words), identities, customer.conversations, filled, len(customer.name))


class MergeDialog(QDialog):
    """`first` and `second` are the two cards; the survivor proposed is the richer profile (profile_richness)."""

    def __init__(
        self, first: CustomerOut, second: CustomerOut, reasons: list[ReasonOut], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mergeDialog")
        self.pair = (first, second)
        self.reasons = reasons
        self.why = QLabel(self)
        self.why.setWordWrap(True)
        self.survivor_box = QGroupBox(self)
        self.survivors = QButtonGroup(self)
        survivor_row = QHBoxLayout(self.survivor_box)
        self.survivor_buttons: list[QRadioButton] = []
        for number, customer in enumerate(self.pair):
            button = QRadioButton(self.survivor_box)
            button.setProperty("customer_id", customer.id)
            self.survivors.addButton(button, number)
            self.survivor_buttons.append(button)
            survivor_row.addWidget(button)
        # The richer profile is proposed as the one that stays (defect 6): "Мельник Тарас Іванович" over "Тарас М.".
        richer = 0 if profile_richness(first) >= profile_richness(second) else 1
        self.survivor_buttons[richer].setChecked(True)
        self.survivors.idToggled.connect(self._survivor_changed)

        self.fields_box = QGroupBox(self)
        grid = QGridLayout(self.fields_box)
        self.field_labels: dict[str, QLabel] = {}
        self.choices: dict[str, QComboBox] = {}
        for row, field in enumerate(MERGE_FIELDS):
            label = QLabel(self.fields_box)
            combo = QComboBox(self.fields_box)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(28)
            grid.addWidget(label, row, 0)
            grid.addWidget(combo, row, 1)
            self.field_labels[field] = label
            self.choices[field] = combo
        grid.setColumnStretch(1, 1)
        self.outcome = QLabel(self)
        self.outcome.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.merge_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        # A destructive confirmation defaults to Cancel (issue 16, as Undo merge's default_to_cancel): Enter in the
        # dialog cancels; merging takes the Merge button itself (a click, or Tab to it and Enter/Space). Set
        # explicitly, or the button box would make its first accept button the default when the dialog shows.
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.why)
        layout.addWidget(self.survivor_box)
        layout.addWidget(self.fields_box)
        layout.addWidget(self.outcome)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)
        self.retranslate()

    # --- the choice ------------------------------------------------------------------------------------

    @property
    def survivor(self) -> CustomerOut:
        return self.pair[max(0, self.survivors.checkedId())]

    @property
    def other(self) -> CustomerOut:
        return self.pair[1 - max(0, self.survivors.checkedId())]

    def choose_survivor(self, customer_id: int) -> None:
        for button in self.survivor_buttons:
            if button.property("customer_id") == customer_id:
                button.setChecked(True)

    def choose(self, field: str, choice: str) -> None:
        combo = self.choices[field]
        combo.setCurrentIndex(max(0, combo.findData(choice)))

    def request(self) -> MergeRequest:
        fields = {field: combo.currentData() for field, combo in self.choices.items() if combo.currentData()}
        return MergeRequest(survivor_id=self.survivor.id, other_id=self.other.id, fields=fields)

    def _survivor_changed(self, *_: object) -> None:
        self._fill_choices()

    def _fill_choices(self) -> None:
        survivor, other = self.survivor, self.other
        for field, combo in self.choices.items():
            mine, theirs = field_text(survivor, field), field_text(other, field)
            combo.blockSignals(True)
            combo.clear()
            empty = self.tr("(empty)")
            if mine == theirs:
                combo.addItem(mine or empty, "survivor")
                combo.setEnabled(False)
            else:
                combo.setEnabled(True)
                combo.addItem(self.tr("Keep: %1").replace("%1", mine or empty), "survivor")
                combo.addItem(self.tr("Take: %1").replace("%1", theirs or empty), "other")
                if field in JOINABLE:
                    combo.addItem(self.tr("Both"), "both")
                # An empty value never wins over a filled one unless the operator says so.
                if not mine and theirs:
                    combo.setCurrentIndex(1)
            combo.setToolTip(combo.currentText())
            combo.blockSignals(False)
        self._describe_outcome()

    def _describe_outcome(self) -> None:
        survivor, other = self.survivor, self.other
        locale = QLocale()
        identities = sum(len(group.items) for group in other.identities)
        # Plural forms per language ("1 identity", "2 identities"; uk/ru have three forms).
        with_identities = self.tr("%n identity(ies)", "", identities)
        with_conversations = self.tr("%n conversation(s)", "", other.conversations)
        text = self.tr(
            "%1 stays. %2 with %3 and %4 joins it. "
            "Values that are not kept stay visible in the profile's history, "
            "and the merge can be undone from the timeline."
        )
        text = (
            text.replace("%1", survivor.name)
            .replace("%2", other.name)
            .replace("%3", with_identities)
            .replace("%4", with_conversations)
        )
        del locale
        self.outcome.setText(text)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Merge customers"))
        first, second = self.pair
        heading = self.tr("%1 and %2 look like one person:").replace("%1", first.name).replace("%2", second.name)
        self.why.setTextFormat(Qt.TextFormat.RichText)
        reasons = _escape_items(self.reasons)
        self.why.setText(f"<b>{_escape(heading)}</b><ul>{reasons}</ul>" if reasons else _escape(heading))
        self.survivor_box.setTitle(self.tr("Who stays"))
        for button, customer in zip(self.survivor_buttons, self.pair, strict=True):
            button.setText(customer.name)
        self.fields_box.setTitle(self.tr("Which values stay"))
        labels = {
            "name": self.tr("Name"),
            "language": self.tr("Language"),
            "segment": self.tr("Segment"),
            "tags": self.tr("Tags"),
            "attributes": self.tr("Attributes"),
        }
        for field, label in self.field_labels.items():
            label.setText(labels[field])
        self.merge_button.setText(self.tr("Merge"))
        self._fill_choices()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _escape_items(reasons: list[ReasonOut]) -> str:
    return "".join(f"<li>{_escape(reason.text)}</li>" for reason in reasons)
