"""The routing rule editor (admins and supervisors): the ordered list, each rule as a sentence in the interface's
language, a form with validation by the server, "which rule would take this message" preview, and the history."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QLocale, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from omnidesk.client.api import Rejected
from omnidesk.client.workorg import texts
from omnidesk.client.workorg.desk import WorkDesk
from omnidesk.client.workorg.rule_history import RuleHistory
from omnidesk.client.workorg.rule_preview import RulePreview
from omnidesk.domain.routing import FIELDS, OPS
from omnidesk.protocol.workorg import RuleOut


class RuleWords:
    """A rule as a sentence, translated: "IF channel = WhatsApp AND … THEN queue = VIP support, priority = high"."""

    def __init__(self, owner: QWidget, queues: dict[int, str]) -> None:
        self.o = owner
        self.queues = queues

    def field(self, name: str) -> str:
        return {
            "channel": QCoreApplication.translate("RuleWords", "channel"),
            "channel_id": QCoreApplication.translate("RuleWords", "channel no."),
            "segment": QCoreApplication.translate("RuleWords", "customer.segment"),
            "language": QCoreApplication.translate("RuleWords", "customer.language"),
            "tag": QCoreApplication.translate("RuleWords", "customer.tag"),
            "attribute": QCoreApplication.translate("RuleWords", "customer attribute"),
            "text": QCoreApplication.translate("RuleWords", "text"),
            "customer_known": QCoreApplication.translate("RuleWords", "customer known"),
            "business_hours": QCoreApplication.translate("RuleWords", "business hours"),
        }.get(name, name)

    def op(self, name: str) -> str:
        return {
            "eq": "=",
            "ne": "≠",
            "in": QCoreApplication.translate("RuleWords", "is one of"),
            "has": QCoreApplication.translate("RuleWords", "has"),
            "has_not": QCoreApplication.translate("RuleWords", "has not"),
            "contains": QCoreApplication.translate("RuleWords", "contains"),
            "exists": QCoreApplication.translate("RuleWords", "is set"),
            "contains_any": QCoreApplication.translate("RuleWords", "contains any of"),
            "contains_none": QCoreApplication.translate("RuleWords", "contains none of"),
            "is": "=",
        }.get(name, name)

    def condition(self, c: dict[str, Any]) -> str:
        value = c.get("value")
        if c["field"] == "business_hours":
            where = self.queues.get(c.get("calendar"), "?")
            text = (
                QCoreApplication.translate("RuleWords", "time = business hours (%1)")
                if value
                else QCoreApplication.translate("RuleWords", "time = outside business hours (%1)")
            )
            return text.replace("%1", where)
        if c["field"] == "customer_known":
            return (
                QCoreApplication.translate("RuleWords", "customer is known")
                if value
                else QCoreApplication.translate("RuleWords", "customer is new")
            )
        shown = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
        field = self.field(c["field"]) + (f".{c.get('key')}" if c["field"] == "attribute" else "")
        return f"{field} {self.op(c['op'])} {shown}"

    def sentence(self, rule: dict[str, Any]) -> str:
        and_ = QCoreApplication.translate("RuleWords", "AND")
        conditions = f" {and_} ".join(
            self.condition(c) for c in rule.get("conditions", [])
        ) or QCoreApplication.translate("RuleWords", "always")
        return (
            QCoreApplication.translate("RuleWords", "IF %1 THEN %2")
            .replace("%1", conditions)
            .replace("%2", self.actions(rule.get("actions", {})))
        )

    def actions(self, a: dict[str, Any]) -> str:
        parts = []
        if a.get("queue_id") is not None:
            parts.append(
                QCoreApplication.translate("RuleWords", "queue = %1").replace("%1", self.queues.get(a["queue_id"], "?"))
            )
        if a.get("priority") is not None:
            parts.append(
                QCoreApplication.translate("RuleWords", "priority = %1").replace(
                    "%1", texts.priority_names()[a["priority"]].lower()
                )
            )
        if a.get("skill"):
            parts.append(QCoreApplication.translate("RuleWords", "skill = %1").replace("%1", a["skill"]))
        if a.get("max_wait_s"):
            seconds = QLocale().toString(int(a["max_wait_s"]))
            parts.append(QCoreApplication.translate("RuleWords", "max wait = %1 s").replace("%1", seconds))
        if a.get("auto_reply"):
            parts.append(QCoreApplication.translate("RuleWords", "auto-reply"))
        return ", ".join(parts) or "—"


class RuleEditor(QDialog):
    def __init__(self, desk: WorkDesk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.rules: list[RuleOut] = []
        self.current: int | None = None  # rule id being edited (None: a new one)
        self.channels: list = []
        self.resize(1180, 720)
        self.list = QListWidget(self)
        self.list.setWordWrap(True)
        self.list.currentRowChanged.connect(self._pick)
        self.new = QPushButton(self)
        self.up = QPushButton(self)
        self.down = QPushButton(self)
        self.delete = QPushButton(self)
        self.history = QPushButton(self)
        self.new.clicked.connect(lambda: self.edit(None))
        self.up.clicked.connect(lambda: self.move(-1))
        self.down.clicked.connect(lambda: self.move(1))
        self.delete.clicked.connect(self.remove)
        self.history.clicked.connect(self.show_history)
        buttons = QHBoxLayout()
        for b in (self.new, self.up, self.down, self.delete, self.history):
            buttons.addWidget(b)
        left = QVBoxLayout()
        self.list_title = QLabel(self)
        self.list_title.setStyleSheet("font-weight: 600;")
        left.addWidget(self.list_title)
        left.addWidget(self.list, 1)
        left.addLayout(buttons)

        self.name = QLineEdit(self)
        self.enabled = QCheckBox(self)
        self.enabled.setChecked(True)
        self.conditions = QTableWidget(0, 4, self)
        self.conditions.verticalHeader().hide()
        self.conditions.horizontalHeader().setStretchLastSection(True)
        self.add_condition = QPushButton(self)
        self.remove_condition = QPushButton(self)
        self.add_condition.clicked.connect(lambda: self._condition_row({"field": "channel", "op": "eq", "value": ""}))
        self.remove_condition.clicked.connect(lambda: self.conditions.removeRow(self.conditions.currentRow()))
        self.queue = QComboBox(self)
        self.priority = QComboBox(self)
        self.skill = QLineEdit(self)
        self.max_wait = QSpinBox(self)
        self.max_wait.setRange(0, 7 * 86400)
        self.auto_reply = QPlainTextEdit(self)
        self.auto_reply.setFixedHeight(60)
        self.words = QLabel(self)
        self.words.setWordWrap(True)
        self.words.setStyleSheet("background: #EEF4FB; padding: 6px; border-radius: 4px;")
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #C62828;")
        self.save = QPushButton(self)
        self.save.clicked.connect(self.submit)
        self.form_box = QGroupBox(self)
        form = QFormLayout(self.form_box)
        self.labels = {k: QLabel(self) for k in ("name", "queue", "priority", "skill", "max_wait", "auto_reply")}
        form.addRow(self.labels["name"], self.name)
        form.addRow("", self.enabled)
        form.addRow(self.conditions)
        row = QHBoxLayout()
        row.addWidget(self.add_condition)
        row.addWidget(self.remove_condition)
        row.addStretch(1)
        form.addRow(row)
        form.addRow(self.labels["queue"], self.queue)
        form.addRow(self.labels["priority"], self.priority)
        form.addRow(self.labels["skill"], self.skill)
        form.addRow(self.labels["max_wait"], self.max_wait)
        form.addRow(self.labels["auto_reply"], self.auto_reply)
        form.addRow(self.words)
        form.addRow(self.error)
        form.addRow(self.save)

        self.preview_box = RulePreview(desk, self.drafts, self.words_of, self)

        # The preview sits under the list, so the form keeps its height for the conditions.
        left.addWidget(self.preview_box)
        right = QVBoxLayout()
        right.addWidget(self.form_box, 1)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 4)
        layout.addLayout(right, 5)  # the conditions' four columns need the room
        for widget in (self.name, self.skill):
            widget.textChanged.connect(self._describe)
        self.queue.currentIndexChanged.connect(self._describe)
        self.priority.currentIndexChanged.connect(self._describe)
        self.max_wait.valueChanged.connect(self._describe)
        self.conditions.itemChanged.connect(self._describe)
        self.retranslate()
        self.reload()
        desk.rulesChanged.connect(self._changed_elsewhere)

    def _changed_elsewhere(self) -> None:
        """A colleague (or this editor) changed the rules: the list follows; the form being edited stays."""
        if not self.isVisible():
            return

        def done(rules: list[RuleOut]) -> None:
            editing = self.current
            self.list.blockSignals(True)
            self.show_rules(rules)
            self.list.blockSignals(False)
            self.current = editing

        self.desk.run(self.desk.api.rules(), "rules-changed", done)

    # --- data ----------------------------------------------------------------------------------------------

    def words_of(self) -> RuleWords:
        return RuleWords(self, self.desk.queues)

    def reload(self) -> None:
        async def work():
            return await self.desk.api.rules(), await self.desk.api.queues(), await self.desk.api.channels()

        def done(result) -> None:
            rules, queues, channels = result
            self.desk.queues = {q.id: q.name for q in queues}
            self.channels = channels
            self.show_rules(rules)

        self.desk.run(work(), "rules", done)

    def show_rules(self, rules: list[RuleOut]) -> None:
        self.rules = rules
        self._fill_combos()
        self.list.blockSignals(True)
        self.list.clear()
        words = self.words_of()
        for i, rule in enumerate(rules, start=1):
            sentence = words.sentence({"conditions": rule.conditions, "actions": rule.actions})
            state = "" if rule.enabled else " " + self.tr("(off)")
            item = QListWidgetItem(f"{i}. {rule.name}{state}\n{sentence}")
            item.setData(Qt.ItemDataRole.UserRole, rule.id)
            self.list.addItem(item)
        self.list.blockSignals(False)
        if self.current is not None:
            for row, rule in enumerate(rules):
                if rule.id == self.current:
                    self.list.setCurrentRow(row)
        elif rules:
            self.list.setCurrentRow(0)
        else:
            self.edit(None)

    def _fill_combos(self) -> None:
        self.queue.blockSignals(True)
        self.queue.clear()
        self.queue.addItem(self.tr("(channel's queue)"), None)
        for queue_id, name in sorted(self.desk.queues.items(), key=lambda q: q[1]):
            self.queue.addItem(name, queue_id)
        self.queue.blockSignals(False)
        self.priority.blockSignals(True)
        self.priority.clear()
        self.priority.addItem(self.tr("(unchanged)"), None)
        for value, name in enumerate(texts.priority_names()):
            self.priority.addItem(name, value)
        self.priority.blockSignals(False)
        self.preview_box.set_channels(self.channels)

    def _pick(self, row: int) -> None:
        if 0 <= row < len(self.rules):
            self.edit(self.rules[row])

    def edit(self, rule: RuleOut | None) -> None:
        self.current = rule.id if rule else None
        if rule is None:  # a new rule: no rule of the list is selected, so a click on any one edits it again
            self.list.blockSignals(True)
            self.list.setCurrentRow(-1)
            self.list.blockSignals(False)
        self.error.clear()
        self.name.setText(rule.name if rule else "")
        self.enabled.setChecked(rule.enabled if rule else True)
        self.conditions.setRowCount(0)
        for c in rule.conditions if rule else []:
            self._condition_row(c)
        a = rule.actions if rule else {}
        self.queue.setCurrentIndex(max(0, self.queue.findData(a.get("queue_id"))))
        self.priority.setCurrentIndex(max(0, self.priority.findData(a.get("priority"))))
        self.skill.setText(a.get("skill") or "")
        self.max_wait.setValue(a.get("max_wait_s") or 0)
        self.auto_reply.setPlainText(a.get("auto_reply") or "")
        self._describe()

    def _condition_row(self, c: dict[str, Any]) -> None:
        row = self.conditions.rowCount()
        self.conditions.insertRow(row)
        field = QComboBox(self.conditions)
        words = self.words_of()
        for name in FIELDS:
            field.addItem(words.field(name), name)
        field.setCurrentIndex(max(0, field.findData(c.get("field"))))
        op = QComboBox(self.conditions)
        value = QLineEdit(self.conditions)
        extra = QComboBox(self.conditions)  # the calendar's queue for business hours; else unused

        def fill_ops() -> None:
            op.clear()
            for name in OPS[field.currentData()]:
                op.addItem(words.op(name), name)
            extra.clear()
            if field.currentData() == "business_hours":
                for queue_id, name in sorted(self.desk.queues.items(), key=lambda q: q[1]):
                    extra.addItem(name, queue_id)
            extra.setVisible(field.currentData() in ("business_hours", "attribute"))
            extra.setEditable(field.currentData() == "attribute")
            self._describe()

        field.currentIndexChanged.connect(fill_ops)
        fill_ops()
        op.setCurrentIndex(max(0, op.findData(c.get("op"))))
        raw = c.get("value")
        value.setText(
            ", ".join(map(str, raw))
            if isinstance(raw, list)
            else ("" if raw is None else self.yes_no(raw) if isinstance(raw, bool) else str(raw))
        )
        if c.get("field") == "business_hours":
            extra.setCurrentIndex(max(0, extra.findData(c.get("calendar"))))
        elif c.get("field") == "attribute":
            extra.setEditText(c.get("key") or "")
        for column, widget in enumerate((field, op, extra, value)):
            self.conditions.setCellWidget(row, column, widget)
        op.currentIndexChanged.connect(self._describe)
        value.textChanged.connect(self._describe)

    def yes_no(self, value: bool) -> str:
        """A yes/no condition's value as the operator reads and types it (any language's "no" reads as false)."""
        return self.tr("yes") if value else self.tr("no")

    def condition_json(self, row: int) -> dict[str, Any]:
        field = self.conditions.cellWidget(row, 0).currentData()
        op = self.conditions.cellWidget(row, 1).currentData()
        extra = self.conditions.cellWidget(row, 2)
        text = self.conditions.cellWidget(row, 3).text().strip()
        out: dict[str, Any] = {"field": field, "op": op}
        if op in ("in", "contains_any", "contains_none"):
            items = [v.strip() for v in text.split(",") if v.strip()]
            out["value"] = [int(v) if field == "channel_id" and v.isdigit() else v for v in items]
        elif op in ("is", "exists"):
            no = {"false", "no", "0", "ні", "нет", "", self.yes_no(False).casefold()}
            out["value"] = text.casefold() not in no
        elif field == "channel_id":
            out["value"] = int(text) if text.isdigit() else text
        else:
            out["value"] = text
        if field == "business_hours":
            out["calendar"] = extra.currentData()
        if field == "attribute":
            out["key"] = extra.currentText().strip()
        return out

    def rule_json(self) -> dict[str, Any]:
        actions: dict[str, Any] = {
            "queue_id": self.queue.currentData(),
            "priority": self.priority.currentData(),
            "skill": self.skill.text().strip() or None,
            "max_wait_s": self.max_wait.value() or None,
            "auto_reply": self.auto_reply.toPlainText().strip() or None,
        }
        return {
            "name": self.name.text().strip(),
            "enabled": self.enabled.isChecked(),
            "conditions": [self.condition_json(r) for r in range(self.conditions.rowCount())],
            "actions": {k: v for k, v in actions.items() if v is not None},
        }

    def _describe(self, *_: object) -> None:
        try:
            rule = self.rule_json()
        except (AttributeError, TypeError):
            return
        self.words.setText(self.words_of().sentence(rule))

    # --- actions ------------------------------------------------------------------------------------------------

    def _rejected(self, error: Exception) -> None:
        from omnidesk.client.views.texts import describe_error

        self.error.setText(describe_error(error))  # in words ("Not saved: check conditions[0].value (...)")

    def submit(self) -> None:
        body = self.rule_json()
        if not body["name"]:
            self.error.setText(self.tr("A rule needs a name."))
            return

        async def work():
            try:
                saved = await self.desk.api.save_rule(self.current, body)
            except Rejected as error:
                return error
            return saved

        def done(result) -> None:
            if isinstance(result, Exception):
                self._rejected(result)
                return
            self.current = result.id
            self.error.clear()
            self.reload()

        self.desk.run(work(), "rule-save", done)

    def move(self, delta: int) -> None:
        row = self.list.currentRow()
        target = row + delta
        if not (0 <= row < len(self.rules) and 0 <= target < len(self.rules)):
            return
        ids = [r.id for r in self.rules]
        ids[row], ids[target] = ids[target], ids[row]
        self.desk.run(self.desk.api.reorder(ids), "rule-order", self.show_rules)

    def remove(self) -> None:
        if self.current is None:
            return
        rule_id, self.current = self.current, None
        self.desk.run(self.desk.api.delete_rule(rule_id), "rule-delete", lambda _r: self.reload())

    def preview(self) -> None:
        self.preview_box.preview()

    def drafts(self) -> list[dict[str, Any]]:
        """The rule list as the preview should judge it: the stored rules with the form's unsaved edits in place of
        the rule being edited, and a new rule (not saved yet) at the end, where saving would put it."""
        drafts = [self._draft(r) for r in self.rules]
        if self.current is None:
            draft = self.rule_json()
            drafts.append({**draft, "name": draft["name"] or self.tr("(new rule)")})
        return drafts

    def _draft(self, rule: RuleOut) -> dict[str, Any]:
        if rule.id == self.current:
            return self.rule_json()
        return {"name": rule.name, "enabled": rule.enabled, "conditions": rule.conditions, "actions": rule.actions}

    def show_history(self) -> RuleHistory | None:
        if self.current is None:
            return None
        name = next((r.name for r in self.rules if r.id == self.current), "")
        dialog = RuleHistory(self.desk, self.current, name, self.words_of, self)
        dialog.load()
        dialog.open()
        self.history_dialog = dialog
        return dialog

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Routing rules"))
        self.list_title.setText(self.tr("Rules in order: the first that matches takes the message"))
        self.new.setText(self.tr("New rule"))
        self.up.setText(self.tr("Up"))
        self.down.setText(self.tr("Down"))
        self.delete.setText(self.tr("Delete"))
        self.history.setText(self.tr("History"))
        self.form_box.setTitle(self.tr("Rule"))
        self.enabled.setText(self.tr("Enabled"))
        self.conditions.setHorizontalHeaderLabels(
            [self.tr("If"), self.tr("is"), self.tr("Queue / attribute"), self.tr("Value")]
        )
        self._fit_condition_columns()
        self.add_condition.setText(self.tr("Add condition"))
        self.remove_condition.setText(self.tr("Remove condition"))
        for key, text in (
            ("name", self.tr("Name")),
            ("queue", self.tr("Then queue")),
            ("priority", self.tr("Priority")),
            ("skill", self.tr("Required skill")),
            ("max_wait", self.tr("Maximum wait, s")),
            ("auto_reply", self.tr("Auto-reply")),
        ):
            self.labels[key].setText(text)
        self.max_wait.setSpecialValueText(self.tr("none"))
        self.save.setText(self.tr("Save rule"))
        if self.rules:  # the sentences, priorities and field names follow the language
            self._relabel()

    def _fit_condition_columns(self) -> None:
        """The field and comparison columns as wide as their longest choice in this language, the queue/attribute
        column as its title; the value takes the rest (no column cut off behind a scroll bar)."""
        words, metrics = self.words_of(), self.conditions.fontMetrics()
        header = self.conditions.horizontalHeader()
        bold = header.fontMetrics()
        ops = {name for names in OPS.values() for name in names}
        widths = (
            max(metrics.horizontalAdvance(words.field(f)) for f in FIELDS) + 36,
            max(
                max(metrics.horizontalAdvance(words.op(o)) for o in ops) + 36,
                bold.horizontalAdvance(self.tr("is")) + 24,
            ),
            max(bold.horizontalAdvance(self.tr("Queue / attribute")) + 24, 120),
        )
        for column, width in enumerate(widths):
            self.conditions.setColumnWidth(column, width)

    def _relabel(self) -> None:
        words = self.words_of()
        for row, rule in enumerate(self.rules):
            item = self.list.item(row)
            if item is not None:
                state = "" if rule.enabled else " " + self.tr("(off)")
                sentence = words.sentence({"conditions": rule.conditions, "actions": rule.actions})
                item.setText(f"{row + 1}. {rule.name}{state}\n{sentence}")
        priority = self.priority.currentData()
        self.priority.setItemText(0, self.tr("(unchanged)"))
        for value, name in enumerate(texts.priority_names()):
            self.priority.setItemText(value + 1, name)
        self.priority.setCurrentIndex(max(0, self.priority.findData(priority)))
        self.queue.setItemText(0, self.tr("(channel's queue)"))
        for row in range(self.conditions.rowCount()):
            field, op = self.conditions.cellWidget(row, 0), self.conditions.cellWidget(row, 1)
            for i in range(field.count()):
                field.setItemText(i, words.field(field.itemData(i)))
            for i in range(op.count()):
                op.setItemText(i, words.op(op.itemData(i)))
            if op.currentData() in ("is", "exists"):  # yes / no in the new language
                value = self.conditions.cellWidget(row, 3)
                value.setText(self.yes_no(self.condition_json(row)["value"]))
        self._describe()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
