"""Queues for supervisors and admins: a queue's name, push mode and business hours, and its members with skills,
capacity per class of work and priority. Every change goes through the server (validated, audited)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QLocale, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from omnidesk.client.workorg.desk import WorkDesk
from omnidesk.protocol.workorg import MemberOut, QueueOut


class WeekHours(QWidget):
    """A queue calendar's week: each day open or closed, with its opening and closing time. A day with several
    spans (a lunch break set through the API or the CLI) keeps them as long as its row is not changed here."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.open_days: list[QCheckBox] = []
        self.opens: list[QTimeEdit] = []
        self.closes: list[QTimeEdit] = []
        self.original: dict[str, list] = {}
        self.shown: dict[int, tuple[bool, str, str]] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        for day in range(7):
            check = QCheckBox(self)
            opens, closes = QTimeEdit(QTime(9, 0), self), QTimeEdit(QTime(18, 0), self)
            for edit in (opens, closes):
                edit.setDisplayFormat("HH:mm")  # 24-hour time, as the calendars store it, in every language
            check.toggled.connect(opens.setEnabled)
            check.toggled.connect(closes.setEnabled)
            grid.addWidget(check, day, 0)
            grid.addWidget(opens, day, 1)
            grid.addWidget(closes, day, 2)
            self.open_days.append(check)
            self.opens.append(opens)
            self.closes.append(closes)
        self.retranslate()

    def load(self, week: dict[str, list]) -> None:
        self.original = {k: [list(span) for span in v] for k, v in (week or {}).items()}
        for day in range(7):
            spans = self.original.get(str(day)) or []
            is_open = bool(spans)
            first, last = (spans[0][0][:5], spans[-1][1][:5]) if spans else ("09:00", "18:00")
            self.open_days[day].setChecked(is_open)
            self.opens[day].setTime(QTime.fromString(first, "HH:mm"))
            self.closes[day].setTime(QTime.fromString(last, "HH:mm"))
            self.opens[day].setEnabled(is_open)
            self.closes[day].setEnabled(is_open)
            self.shown[day] = self._row(day)

    def _row(self, day: int) -> tuple[bool, str, str]:
        return (
            self.open_days[day].isChecked(),
            self.opens[day].time().toString("HH:mm"),
            self.closes[day].time().toString("HH:mm"),
        )

    def week(self) -> dict[str, list]:
        out: dict[str, list] = {}
        for day in range(7):
            row = self._row(day)
            if not row[0]:
                continue
            if row == self.shown.get(day) and self.original.get(str(day)):
                out[str(day)] = self.original[str(day)]  # untouched: its spans as they were
            else:
                out[str(day)] = [[row[1], row[2]]]
        return out

    def retranslate(self) -> None:
        locale = QLocale()
        for day, check in enumerate(self.open_days):
            check.setText(locale.dayName(day + 1, QLocale.FormatType.LongFormat))  # Qt: 1 = Monday


class QueueAdmin(QDialog):
    """Queues (name, push mode, business hours and holidays) and their members, for supervisors and admins."""

    def __init__(self, desk: WorkDesk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.resize(980, 680)
        self.queues: list[QueueOut] = []
        self.members: list[MemberOut] = []
        self.list = QListWidget(self)
        self.list.currentRowChanged.connect(self._pick)
        self.new_name = QLineEdit(self)
        self.add_queue = QPushButton(self)
        self.add_queue.clicked.connect(self._add_queue)
        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        row = QHBoxLayout()
        row.addWidget(self.new_name, 1)
        row.addWidget(self.add_queue)
        left.addLayout(row)

        self.queue_box = QGroupBox(self)
        self.name = QLineEdit(self)
        self.push = QCheckBox(self)
        self.offer_timeout = QSpinBox(self)  # push mode's offer step: 0 assigns at once
        self.offer_timeout.setRange(0, 3600)
        self.push.toggled.connect(self.offer_timeout.setEnabled)
        self.offer_cooldown = QSpinBox(self)  # who declined is not offered the same conversation again this long
        self.offer_cooldown.setRange(0, 86400)
        self.offer_cooldown.setSingleStep(60)
        self.push.toggled.connect(self.offer_cooldown.setEnabled)
        self.tz = QLineEdit(self)
        self.hours = WeekHours(self)
        self.holidays = QLineEdit(self)
        self.save_queue = QPushButton(self)
        self.save_queue.clicked.connect(self._save_queue)
        form = QFormLayout(self.queue_box)
        self.labels = [QLabel(self) for _ in range(6)]
        form.addRow(self.labels[2], self.name)
        form.addRow("", self.push)
        form.addRow(self.labels[4], self.offer_timeout)
        form.addRow(self.labels[5], self.offer_cooldown)
        form.addRow(self.labels[0], self.tz)
        form.addRow(self.labels[1], self.hours)
        form.addRow(self.labels[3], self.holidays)
        form.addRow(self.save_queue)

        self.member_box = QGroupBox(self)
        self.member_list = QListWidget(self)
        self.member_list.currentRowChanged.connect(self._pick_member)
        self.user = QComboBox(self)
        self.skills = QLineEdit(self)
        self.chat, self.email, self.call = QSpinBox(self), QSpinBox(self), QSpinBox(self)
        for box, value in ((self.chat, 5), (self.email, 10), (self.call, 1)):
            box.setRange(0, 100)
            box.setValue(value)
        self.priority = QSpinBox(self)
        self.priority.setRange(0, 100)
        self.save_member = QPushButton(self)
        self.remove_member = QPushButton(self)
        self.save_member.clicked.connect(self._save_member)
        self.remove_member.clicked.connect(self._remove_member)
        self.member_labels = [QLabel(self) for _ in range(4)]
        members = QFormLayout(self.member_box)
        members.addRow(self.member_list)
        members.addRow(self.member_labels[0], self.user)
        members.addRow(self.member_labels[1], self.skills)
        capacity = QHBoxLayout()
        for box in (self.chat, self.email, self.call):
            capacity.addWidget(box)
        members.addRow(self.member_labels[2], capacity)
        members.addRow(self.member_labels[3], self.priority)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_member)
        buttons.addWidget(self.remove_member)
        members.addRow(buttons)
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #C62828;")
        self.error.setWordWrap(True)
        right = QVBoxLayout()
        right.addWidget(self.queue_box)
        right.addWidget(self.member_box, 1)
        right.addWidget(self.error)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addLayout(right, 2)
        self.retranslate()
        self.reload()

    def current_queue(self) -> QueueOut | None:
        row = self.list.currentRow()
        return self.queues[row] if 0 <= row < len(self.queues) else None

    def reload(self, select: int | None = None) -> None:
        async def work():
            return await self.desk.api.queues(), await self.desk.api.presence()

        def done(result) -> None:
            queues, people = result
            self.queues = queues
            self.desk.queues = {q.id: q.name for q in queues}
            self.user.clear()
            for p in sorted(people, key=lambda p: p.display_name):
                self.user.addItem(p.display_name, p.user_id)
            self.list.clear()
            for q in queues:
                self.list.addItem(QListWidgetItem(q.name))
            ids = [q.id for q in queues]
            self.list.setCurrentRow(ids.index(select) if select in ids else (0 if queues else -1))

        self.desk.run(work(), "queues", done)

    def _pick(self, row: int) -> None:
        queue = self.current_queue()
        if queue is None:
            return
        self.name.setText(queue.name)
        self.push.setChecked(queue.auto_assign)
        self.offer_timeout.setValue(queue.offer_timeout_s)
        self.offer_timeout.setEnabled(queue.auto_assign)
        self.offer_cooldown.setValue(queue.offer_cooldown_s)
        self.offer_cooldown.setEnabled(queue.auto_assign)
        calendar = queue.calendar or {}
        self.tz.setText(calendar.get("tz", "Europe/Kyiv"))
        week = calendar.get("week")
        if week is None:  # a queue without a calendar: offer the usual working week to start from
            week = {str(day): [["09:00", "18:00"]] for day in range(5)}
        self.hours.load(week)
        self.holidays.setText(", ".join(calendar.get("holidays") or []))
        self._load_members(queue.id)

    def _load_members(self, queue_id: int) -> None:
        def done(rows) -> None:
            self.members = [MemberOut.model_validate(r) for r in rows]
            self.member_list.clear()
            for m in self.members:
                skills = ", ".join(m.skills) or "—"
                self.member_list.addItem(f"{m.display_name} · {skills}")

        self.desk.run(self.desk.api._json("GET", f"/queues/{queue_id}/members"), "members", done)

    def _pick_member(self, row: int) -> None:
        if not 0 <= row < len(self.members):
            return
        m = self.members[row]
        self.user.setCurrentIndex(max(0, self.user.findData(m.user_id)))
        self.skills.setText(", ".join(m.skills))
        self.chat.setValue(m.capacity.get("chat", 5))
        self.email.setValue(m.capacity.get("email", 10))
        self.call.setValue(m.capacity.get("call", 1))
        self.priority.setValue(m.priority)

    def _rejected(self, error: Exception) -> None:
        from omnidesk.client.views.texts import describe_error

        self.error.setText(describe_error(error))  # in words: "Not saved: check calendar.holidays (...)"

    def _call(self, work, done) -> None:
        async def guarded():
            try:
                return await work
            except Exception as error:  # shown in the dialog (a 422 says what is wrong)
                return error

        def finished(result) -> None:
            if isinstance(result, Exception):
                self._rejected(result)
            else:
                self.error.clear()
                done(result)

        self.desk.run(guarded(), "queue-admin", finished)

    def _add_queue(self) -> None:
        name = self.new_name.text().strip()
        if name:
            self._call(
                self.desk.api._json("POST", "/queues", json={"name": name}),
                lambda q: (self.new_name.clear(), self.reload(q["id"])),
            )

    def _save_queue(self) -> None:
        queue = self.current_queue()
        if queue is None:
            return
        holidays = [d.strip() for d in self.holidays.text().replace(";", ",").split(",") if d.strip()]
        calendar = {**(queue.calendar or {}), "tz": self.tz.text().strip(), "week": self.hours.week()}
        calendar["holidays"] = holidays  # kept as they were unless edited here (they were dropped before)
        body = {
            "auto_assign": self.push.isChecked(),
            "offer_timeout_s": self.offer_timeout.value(),
            "offer_cooldown_s": self.offer_cooldown.value(),
            "calendar": calendar,
        }
        if self.name.text().strip() and self.name.text().strip() != queue.name:
            body["name"] = self.name.text().strip()
        self._call(self.desk.api._json("PATCH", f"/queues/{queue.id}", json=body), lambda q: self.reload(q["id"]))

    def _save_member(self) -> None:
        queue, user_id = self.current_queue(), self.user.currentData()
        if queue is None or user_id is None:
            return
        body = {
            "skills": [s.strip() for s in self.skills.text().split(",") if s.strip()],
            "capacity": {"chat": self.chat.value(), "email": self.email.value(), "call": self.call.value()},
            "priority": self.priority.value(),
        }
        path = f"/queues/{queue.id}/members/{user_id}"
        self._call(self.desk.api._json("PUT", path, json=body), lambda _m: self._load_members(queue.id))

    def _remove_member(self) -> None:
        queue, row = self.current_queue(), self.member_list.currentRow()
        if queue is None or not 0 <= row < len(self.members):
            return
        path = f"/queues/{queue.id}/members/{self.members[row].user_id}"
        self._call(self.desk.api._json("DELETE", path), lambda _r: self._load_members(queue.id))

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Queues and members"))
        self.new_name.setPlaceholderText(self.tr("New queue's name"))
        self.add_queue.setText(self.tr("Add queue"))
        self.queue_box.setTitle(self.tr("Queue"))
        self.push.setText(self.tr("Offer waiting work to online members (push mode)"))
        self.labels[0].setText(self.tr("Time zone"))
        self.labels[1].setText(self.tr("Business hours"))
        self.labels[2].setText(self.tr("Name"))
        self.labels[3].setText(self.tr("Holidays (closed all day)"))
        self.labels[4].setText(self.tr("Seconds to accept an offer"))
        self.offer_timeout.setSpecialValueText(self.tr("assign at once, no offer"))
        self.offer_timeout.setSuffix(self.tr(" s"))
        self.offer_timeout.setToolTip(
            self.tr("The chosen member accepts or declines within this time; then it is offered to the next one")
        )
        self.labels[5].setText(self.tr("Not offered again after a decline for"))
        self.offer_cooldown.setSpecialValueText(self.tr("offered again at once"))
        self.offer_cooldown.setSuffix(self.tr(" s"))
        self.offer_cooldown.setToolTip(
            self.tr("Whoever declined a conversation, or let its offer expire, is not offered it again for this long")
        )
        self.holidays.setPlaceholderText(self.tr("dates such as 2026-12-25, 2027-01-01"))
        self.hours.retranslate()
        self.save_queue.setText(self.tr("Save queue"))
        self.member_box.setTitle(self.tr("Members"))
        self.member_labels[0].setText(self.tr("Colleague"))
        self.member_labels[1].setText(self.tr("Skills (comma-separated)"))
        self.member_labels[2].setText(self.tr("At once: chats, e-mails, calls"))
        self.member_labels[3].setText(self.tr("Priority (higher is offered first)"))
        self.save_member.setText(self.tr("Save member"))
        self.remove_member.setText(self.tr("Remove member"))
