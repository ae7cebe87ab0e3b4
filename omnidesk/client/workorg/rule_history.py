"""A routing rule's history: each recorded change (from the audit log) with who, when (in the interface's locale)
and, field by field, what it was before and after, in words.

The server records a rule's creation with the rule as written (``routing.rule_add``), an edit with ``before`` and
``after`` (``routing.rule_edit``) and a deletion with ``before`` (``routing.rule_delete``); ``sides`` reads the three.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QDateTime, QEvent, QLocale
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from omnidesk.client.workorg import texts
from omnidesk.client.workorg.desk import WorkDesk
from omnidesk.protocol.workorg import RuleChange

RULE_FIELDS = ("name", "enabled", "conditions", "queue_id", "priority", "skill", "max_wait_s", "auto_reply")


def sides(change: RuleChange) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """The rule before and after the change (None: it did not exist before, or no longer exists after)."""
    details = change.details or {}
    if change.action == "routing.rule_edit":
        return details.get("before"), details.get("after")
    if change.action == "routing.rule_delete":
        return details.get("before"), None
    if change.action == "routing.rule_add":
        return None, details
    return None, None


def _flat(rule: dict[str, Any] | None) -> dict[str, Any]:
    if rule is None:
        return {}
    actions = rule.get("actions") or {}
    return {
        "name": rule.get("name"),
        "enabled": rule.get("enabled", True),
        "conditions": list(rule.get("conditions") or []),
        **{k: actions.get(k) for k in ("queue_id", "priority", "skill", "max_wait_s", "auto_reply")},
    }


def changed_fields(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[tuple[str, Any, Any]]:
    """(field, value before, value after) for each field that differs; on creation or deletion, each field with a
    value (the other side None)."""
    old, new = _flat(before), _flat(after)
    out = []
    for field in RULE_FIELDS:
        a, b = old.get(field), new.get(field)
        if a in (None, "", []) and b in (None, "", []):
            continue
        if a != b:
            out.append((field, a, b))
    return out


class RuleHistory(QDialog):
    """Newest first; a change is a row (when, who, what) with one child row per field: "Priority: normal → high"."""

    def __init__(self, desk: WorkDesk, rule_id: int, rule_name: str, words: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.rule_id = rule_id
        self.rule_name = rule_name
        self.words = words
        self.changes: list[RuleChange] = []
        self.resize(940, 480)
        self.title = QLabel(self)
        self.title.setStyleSheet("font-weight: 600;")
        self.tree = QTreeWidget(self)
        self.tree.setColumnCount(3)
        self.tree.setWordWrap(True)  # long conditions wrap within the column (each row as high as it needs)
        self.tree.setUniformRowHeights(False)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.tree.setColumnWidth(0, 150)
        self.tree.setColumnWidth(1, 190)
        self.empty = QLabel(self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.buttons)
        self.retranslate()

    def load(self) -> None:
        self.desk.run(self.desk.api.history(self.rule_id), "rule-history", self.show_changes)

    def show_changes(self, changes: list[RuleChange]) -> None:
        self.changes = changes
        self.tree.clear()
        for change in changes:
            before, after = sides(change)
            row = QTreeWidgetItem([when(change.at), change.username or "?", self.action(change.action)])
            for field, a, b in changed_fields(before, after):
                value = (
                    self.tr("%1 → %2").replace("%1", self.value(field, a)).replace("%2", self.value(field, b))
                    if before is not None and after is not None
                    else self.value(field, b if after is not None else a)
                )
                shown = self.tr("%1: %2").replace("%1", self.field(field)).replace("%2", value)
                child = QTreeWidgetItem(["", "", shown])
                child.setToolTip(2, shown)
                row.addChild(child)
            self.tree.addTopLevelItem(row)
            row.setExpanded(True)
        self.empty.setVisible(not changes)

    # --- words ------------------------------------------------------------------------------------------------

    def action(self, action: str) -> str:
        return {
            "routing.rule_add": self.tr("Created"),
            "routing.rule_edit": self.tr("Changed"),
            "routing.rule_delete": self.tr("Deleted"),
        }.get(action, action)

    def field(self, name: str) -> str:
        return {
            "name": self.tr("Name"),
            "enabled": self.tr("Enabled"),
            "conditions": self.tr("Conditions"),
            "queue_id": self.tr("Queue"),
            "priority": self.tr("Priority"),
            "skill": self.tr("Required skill"),
            "max_wait_s": self.tr("Maximum wait"),
            "auto_reply": self.tr("Auto-reply"),
        }[name]

    def value(self, field: str, value: Any) -> str:
        locale = QLocale()
        if value in (None, "", []):
            return {
                "conditions": self.tr("always"),
                "queue_id": self.tr("(channel's queue)"),
                "priority": self.tr("(unchanged)"),
            }.get(field, self.tr("none"))
        words = self.words()
        if field == "enabled":
            return self.tr("yes") if value else self.tr("no")
        if field == "conditions":
            and_ = QCoreApplication.translate("RuleWords", "AND")
            try:
                return f" {and_} ".join(words.condition(c) for c in value)
            except (KeyError, TypeError, AttributeError):
                return str(value)
        if field == "queue_id":
            return self.desk.queues.get(value) or self.tr("queue no. %1").replace("%1", locale.toString(int(value)))
        if field == "priority" and isinstance(value, int) and 0 <= value <= 3:
            return texts.priority_names()[value].lower()
        if field == "max_wait_s" and isinstance(value, int):
            return self.tr("%1 s").replace("%1", locale.toString(value))
        if field in ("name", "auto_reply"):
            return self.tr("“%1”").replace("%1", str(value))
        return str(value)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("History of the rule"))
        self.title.setText(self.tr("Changes of “%1”, newest first").replace("%1", self.rule_name))
        self.tree.setHeaderLabels([self.tr("When"), self.tr("Who"), self.tr("What changed")])
        self.empty.setText(self.tr("No changes recorded."))
        if self.changes:
            self.show_changes(self.changes)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


def when(at) -> str:
    """A moment in the interface's locale (short format, the computer's time zone)."""
    return QLocale().toString(QDateTime.fromSecsSinceEpoch(int(at.timestamp())), QLocale.FormatType.ShortFormat)
