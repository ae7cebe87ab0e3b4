"""The supervisor board: live tiles per queue and per operator, the waiting list, drag-and-drop reassignment.

Everything here is fed by the WorkDesk's board state, which events keep current; the one-second timer only
repaints the ticking wait times (nothing is read from the server by it).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListView,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from omnidesk.client.workorg import texts
from omnidesk.client.workorg.desk import WorkDesk
from omnidesk.client.workorg.models import MIME, OperatorsModel, WaitingModel, decode_ids
from omnidesk.domain.permissions import Permission
from omnidesk.protocol.workorg import OfferOut, OperatorFigures, QueueFigures


class QueueTile(QFrame):
    """One queue's figures; conversations dropped here move to this queue."""

    def __init__(self, queue_id: int | None, board: BoardWindow) -> None:
        super().__init__(board)
        self.queue_id = queue_id
        self.board = board
        self.setAcceptDrops(queue_id is not None)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("queueTile")
        self.setStyleSheet("#queueTile { background: #F4F6F8; border: 1px solid #D5DBE1; border-radius: 6px; }")
        self.setMinimumWidth(190)
        self.title = QLabel(self)
        self.title.setStyleSheet("font-weight: 600; font-size: 13px;")
        self.waiting = QLabel(self)
        self.waiting.setStyleSheet("font-size: 22px; font-weight: 600;")
        self.offered = QLabel(self)  # of the waiting, those offered to an operator now (push mode)
        self.offered.setStyleSheet("font-size: 13px; font-weight: 600; color: #1565C0;")
        counts = QHBoxLayout()
        counts.setSpacing(8)
        counts.addWidget(self.waiting)
        counts.addWidget(self.offered, 0, Qt.AlignmentFlag.AlignBottom)
        counts.addStretch(1)
        self.details = QLabel(self)
        self.details.setStyleSheet("color: #4A5560;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addLayout(counts)
        layout.addWidget(self.details)

    def show_figures(self, name: str, f: QueueFigures) -> None:
        self.title.setText(name)
        self.waiting.setText(self.tr("%n waiting", "", f.waiting))
        self.offered.setText(self.tr("%n offered", "", f.offered))
        self.offered.setVisible(f.offered > 0)
        self.offered.setToolTip(self.tr("Of the waiting, offered to an operator now, who may accept or decline"))
        self.details.setText(
            "\n".join(
                [
                    self.tr("Longest wait: %1").replace("%1", texts.wait(f.longest_wait_s)),
                    self.tr("Average wait: %1").replace("%1", texts.wait(f.average_wait_s)),
                    self.tr("%n in progress", "", f.in_progress),
                    self.tr("%n online", "", f.online_operators),
                ]
            )
        )
        self.waiting.setStyleSheet(
            "font-size: 22px; font-weight: 600; color: %s;" % ("#C62828" if f.longest_wait_s >= 120 else "#1B2631")
        )

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasFormat(MIME):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        ids = decode_ids(event.mimeData())
        if ids:
            self.board.desk.reassign(ids, queue_id=self.queue_id)
            event.acceptProposedAction()


class BoardWindow(QWidget):
    def __init__(self, desk: WorkDesk, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.desk = desk
        self.resize(1100, 680)
        self.tiles: dict[int | None, QueueTile] = {}
        self.tile_row = QWidget(self)
        self.tile_layout = QHBoxLayout(self.tile_row)
        self.tile_layout.setContentsMargins(0, 0, 0, 0)
        self.tile_layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidget(self.tile_row)
        scroll.setWidgetResizable(True)
        scroll.setFixedHeight(150)
        scroll.setFrameShape(QFrame.Shape.NoFrame)

        self.waiting_model = WaitingModel(self._queue_name, desk.now, self)
        self.waiting = QTableView(self)
        self.waiting.setModel(self.waiting_model)
        self.waiting.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.waiting.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.waiting.setDragEnabled(True)
        self.waiting.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.waiting.verticalHeader().hide()
        self.waiting.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.waiting_title = QLabel(self)
        self.waiting_title.setStyleSheet("font-weight: 600;")

        self.operators_model = OperatorsModel(lambda ids, user: desk.reassign(ids, user_id=user), self)
        self.operators_model.describe = self._describe_operator
        self.operators = QListView(self)
        self.operators.setModel(self.operators_model)
        self.operators.setAcceptDrops(True)
        self.operators.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.operators.setDropIndicatorShown(True)
        self.operators_title = QLabel(self)
        self.operators_title.setStyleSheet("font-weight: 600;")

        self.target = QComboBox(self)
        self.assign = QPushButton(self)
        self.assign.clicked.connect(self._assign_selected)
        self.hint = QLabel(self)
        self.hint.setStyleSheet("color: #6B7785;")

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.waiting_title)
        left_layout.addWidget(self.waiting)
        actions = QHBoxLayout()
        actions.addWidget(self.target, 1)
        actions.addWidget(self.assign)
        left_layout.addLayout(actions)
        left_layout.addWidget(self.hint)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.operators_title)
        right_layout.addWidget(self.operators)
        splitter = QSplitter(self)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([700, 380])
        layout = QVBoxLayout(self)
        layout.addWidget(scroll)
        layout.addWidget(splitter, 1)

        # Moving work is for those who may assign colleagues (supervisors): for the others the board is read-only.
        movable = desk.workspace.store.may(Permission.CONVERSATION_ASSIGN_OTHERS.value)
        self.waiting.setDragEnabled(movable)
        self.operators.setAcceptDrops(movable)
        for widget in (self.target, self.assign):
            widget.setVisible(movable)
        self.movable = movable
        self.retranslate()
        desk.boardLoaded.connect(self.refresh)
        desk.boardChanged.connect(self._board_changed)  # a method: the connection goes with the window (logout)
        self.ticker = QTimer(self)
        self.ticker.setInterval(1000)
        self.ticker.timeout.connect(self.tick)
        self.ticker.start()
        self.retranslate()

    def _board_changed(self, _queues: object, _operators: object) -> None:
        self.refresh()

    def _queue_name(self, queue_id: int | None) -> str:
        return self.desk.queues.get(queue_id, "") if queue_id is not None else self.tr("No queue")

    def _describe_operator(self, o: OperatorFigures) -> str:
        text = texts.operator_load(o)
        if o.offers:
            first = o.offers[0]
            since = (self.desk.now() - first.offered_at).total_seconds()
            text += "\n" + (
                self.tr("Offered: %1 (%2, %3)")
                .replace("%1", first.customer_name)
                .replace("%2", self._queue_name(first.queue_id))
                .replace("%3", texts.wait(since))
            )
            if len(o.offers) > 1:
                text += " " + self.tr("and %n more", "", len(o.offers) - 1)
        return text

    def _describe_offer(self, offer: OfferOut, seconds: float) -> str:
        return self.tr("%1, for %2").replace("%1", offer.user_name).replace("%2", texts.wait(seconds))

    def refresh(self) -> None:
        now = self.desk.now()
        for f in self.desk.board.figures(now):
            tile = self.tiles.get(f.queue_id)
            if tile is None:
                tile = self.tiles[f.queue_id] = QueueTile(f.queue_id, self)
                self.tile_layout.insertWidget(self.tile_layout.count() - 1, tile)
            tile.show_figures(self._queue_name(f.queue_id) or f.name, f)
        self.waiting_model.sync(self.desk.board.waiting_list())
        self.operators_model.sync(self.desk.board.operator_list())
        self._fill_targets()

    def tick(self) -> None:
        now = self.desk.now()
        for f in self.desk.board.figures(now):
            if f.queue_id in self.tiles:
                self.tiles[f.queue_id].show_figures(self._queue_name(f.queue_id) or f.name, f)
        self.waiting_model.tick()
        self.operators_model.tick()  # a pending offer's time

    def _fill_targets(self) -> None:
        current = self.target.currentData()
        self.target.blockSignals(True)
        self.target.clear()
        for o in sorted(self.desk.board.operators.values(), key=lambda o: o.display_name):
            self.target.addItem(self.tr("Operator: %1").replace("%1", o.display_name), ("user", o.user_id))
        for queue_id, name in sorted(self.desk.queues.items(), key=lambda q: q[1]):
            self.target.addItem(self.tr("Queue: %1").replace("%1", name), ("queue", queue_id))
        index = self.target.findData(current)
        self.target.setCurrentIndex(max(0, index))
        self.target.blockSignals(False)

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.waiting.selectionModel().selectedRows()})
        return [self.waiting_model.item(r).conversation_id for r in rows]

    def _assign_selected(self) -> None:
        ids, target = self.selected_ids(), self.target.currentData()
        if not ids or target is None:
            return
        kind, value = target
        if kind == "user":
            self.desk.reassign(ids, user_id=value)
        else:
            self.desk.reassign(ids, queue_id=value)

    def retranslate(self) -> None:
        movable = getattr(self, "movable", True)
        self.setWindowTitle(self.tr("Supervisor board") if movable else self.tr("Queue board"))
        self.waiting_title.setText(self.tr("Waiting conversations"))
        self.operators_title.setText(
            self.tr("Operators (drop conversations here to assign)") if movable else self.tr("Colleagues in my queues")
        )
        self.assign.setText(self.tr("Move selected"))
        self.hint.setText(
            self.tr("Drag conversations onto an operator or a queue tile, or select several and move them.")
            if movable
            else self.tr("Your queues now: who waits and how long. Take the next one with Ctrl+N.")
        )
        self.waiting_model.headers = [
            self.tr("Customer"),
            self.tr("Queue"),
            self.tr("Channel"),
            self.tr("Priority"),
            self.tr("Waiting"),
            self.tr("Offered to"),
        ]
        self.waiting_model.describe_offer = self._describe_offer
        self.waiting_model.priority_names = texts.priority_names()
        self.waiting_model.format_wait = texts.wait
        self.waiting_model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, WaitingModel.COLUMNS - 1)
        self.refresh()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.desk.load_board()
