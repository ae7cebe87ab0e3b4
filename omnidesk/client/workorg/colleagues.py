"""Colleagues' presence for the operator: a button in the status bar beside their own presence ("Colleagues: 2
online") that opens a compact pop-up list of the colleagues of their queues, each with a presence dot, name,
presence in words and load against capacity.

A pop-up rather than a dock: it takes no room from the inbox and the conversation, is one click from where the
operator sets their own presence, and needs nothing from the main window but its status bar. The count comes from
the presence list and ``presence.updated`` events; the list from the board's state (GET /board, scoped by the server
to the caller's queues), kept live by events like the board's, never by polling. A double-click on a colleague opens
the transfer dialog of the open conversation with that colleague chosen.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QModelIndex, QPoint, Qt
from PySide6.QtWidgets import QFrame, QLabel, QListView, QToolButton, QVBoxLayout, QWidget

from omnidesk.client.workorg import texts
from omnidesk.client.workorg.desk import WorkDesk
from omnidesk.client.workorg.models import OperatorsModel
from omnidesk.protocol.workorg import OperatorFigures


class ColleaguesPopup(QFrame):
    """The list itself (a pop-up window: it closes on a click outside or Esc)."""

    def __init__(self, desk: WorkDesk, transfer_to: Callable[[int], bool], parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.desk = desk
        self.transfer_to = transfer_to
        self.setObjectName("colleaguesPopup")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel(self)
        self.title.setStyleSheet("font-weight: 600;")
        self.model = OperatorsModel(lambda _ids, _user: None, self)  # no drops here: the board reassigns
        self.model.describe = texts.operator_load
        self.list = QListView(self)
        self.list.setModel(self.model)
        self.list.setUniformItemSizes(True)
        self.list.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        self.list.doubleClicked.connect(self._chosen)
        self.list.activated.connect(self._chosen)  # Enter on a colleague, as a double-click
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #6B7785;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.title)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.hint)
        self.resize(360, 320)
        desk.boardLoaded.connect(self.refresh)
        desk.boardChanged.connect(self._board_changed)
        self.retranslate()

    def colleagues(self) -> list[OperatorFigures]:
        """The colleagues (the caller left out): online first, then away, then offline; by name within each."""
        me = self.desk.me.id if self.desk.me else None
        order = {"online": 0, "away": 1, "offline": 2}
        people = [o for o in self.desk.board.operator_list() if o.user_id != me]
        return sorted(people, key=lambda o: (order.get(o.status.value, 3), o.display_name, o.user_id))

    def _board_changed(self, _queues: object, _operators: object) -> None:
        if self.isVisible():  # hidden, it is filled afresh when it opens (open_popup)
            self.refresh()

    def refresh(self) -> None:
        self.model.sync(self.colleagues())
        self.hint.setText(
            self.tr("Double-click a colleague to hand them the open conversation.")
            if self.model.rowCount()
            else self.tr("Nobody else works in your queues.")
        )

    def _chosen(self, index: QModelIndex) -> None:
        if index.isValid() and self.transfer_to(self.model.item(index.row()).user_id):
            self.hide()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Colleagues in your queues"))
        self.refresh()  # the rows repaint: presence words and numbers in the new language

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class ColleaguesButton(QToolButton):
    """The status bar's "Colleagues: N online"; a click opens the pop-up above it."""

    def __init__(self, desk: WorkDesk, transfer_to: Callable[[int], bool], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.setObjectName("colleaguesButton")
        self.setAutoRaise(True)
        self.popup = ColleaguesPopup(desk, transfer_to, self)
        self.clicked.connect(self.open_popup)
        desk.presenceChanged.connect(lambda _p: self.retranslate())
        desk.peopleLoaded.connect(self.retranslate)
        self.retranslate()

    def online(self) -> int:
        me = self.desk.me.id if self.desk.me else None
        return sum(1 for p in self.desk.presence.values() if p.user_id != me and p.status.value == "online")

    def open_popup(self) -> ColleaguesPopup:
        if not self.desk.board_live:
            self.desk.load_board()  # once: events keep it current from then on
        self.popup.refresh()
        below = self.mapToGlobal(QPoint(0, 0))
        self.popup.move(below.x(), max(0, below.y() - self.popup.height()))
        self.popup.show()
        self.popup.list.setFocus()
        return self.popup

    def retranslate(self) -> None:
        self.setText(self.tr("Colleagues: %n online", "", self.online()))
        self.setToolTip(self.tr("Who of your queues is online, away or offline, and how busy they are"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
