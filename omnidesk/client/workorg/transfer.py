"""The transfer dialog: hand the open conversation to a colleague or another queue, with a note for the receiver."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from omnidesk.client.workorg import texts
from omnidesk.client.workorg.desk import WorkDesk


class TransferDialog(QDialog):
    def __init__(
        self, desk: WorkDesk, conversation_id: int, parent: QWidget | None = None, *, colleague_id: int | None = None
    ) -> None:
        super().__init__(parent)
        self.desk = desk
        self.conversation_id = conversation_id
        self.colleague_id = colleague_id  # chosen beforehand (a double-click in the colleagues list)
        self.to_colleague = QRadioButton(self)
        self.to_queue = QRadioButton(self)
        group = QButtonGroup(self)
        group.addButton(self.to_colleague)
        group.addButton(self.to_queue)
        self.to_colleague.setChecked(True)
        self.colleague = QComboBox(self)
        self.queue = QComboBox(self)
        self.note = QPlainTextEdit(self)
        self.note.setFixedHeight(90)
        self.explain = QLabel(self)
        self.explain.setWordWrap(True)
        self.explain.setStyleSheet("color: #6B7785;")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.to_colleague, self.colleague)
        form.addRow(self.to_queue, self.queue)
        self.note_label = QLabel(self)
        form.addRow(self.note_label, self.note)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.explain)
        layout.addWidget(self.buttons)
        self.to_colleague.toggled.connect(self._enable)
        self.retranslate()
        self.fill()
        self._enable()

    def fill(self) -> None:
        me = self.desk.me.id if self.desk.me else None
        self.colleague.clear()
        for p in sorted(self.desk.presence.values(), key=lambda p: (p.status.value != "online", p.display_name)):
            if p.user_id != me:
                label = (
                    self.tr("%1 (%2)").replace("%1", p.display_name).replace("%2", texts.presence_name(p.status.value))
                )
                self.colleague.addItem(label, p.user_id)
        if self.colleague_id is not None and self.colleague.findData(self.colleague_id) >= 0:
            self.colleague.setCurrentIndex(self.colleague.findData(self.colleague_id))
        self.queue.clear()
        for queue_id, name in sorted(self.desk.queues.items(), key=lambda q: q[1]):
            self.queue.addItem(name, queue_id)

    def _enable(self) -> None:
        self.colleague.setEnabled(self.to_colleague.isChecked())
        self.queue.setEnabled(self.to_queue.isChecked())

    def target(self) -> dict:
        if self.to_colleague.isChecked():
            return {"user_id": self.colleague.currentData()}
        return {"queue_id": self.queue.currentData()}

    @staticmethod
    def refusal() -> str:
        return QCoreApplication.translate(
            "TransferDialog",
            "You are offline: the conversation was not transferred. Try again when the connection is back.",
        )

    def submit(self) -> None:
        refused = self.refusal()
        if self.desk.refuse_offline(refused):  # the link dropped while the dialog was open
            self.explain.setText(refused)  # the dialog stays open with the choice and the note kept
            return
        target = self.target()
        if None in target.values():
            return
        self.desk.transfer(
            self.conversation_id, note=self.note.toPlainText().strip(), done=lambda _c: self.accept(), **target
        )

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Transfer conversation"))
        self.to_colleague.setText(self.tr("To a colleague"))
        self.to_queue.setText(self.tr("To a queue"))
        self.note_label.setText(self.tr("Note for the receiver"))
        self.note.setPlaceholderText(self.tr("What they should know (the customer will not see this)"))
        self.explain.setText(self.tr("The customer is not asked anything again; the transfer shows in the timeline."))
