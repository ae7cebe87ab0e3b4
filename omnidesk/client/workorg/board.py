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
from omnidesk.client.workorg.problems import problem_text
from omnidesk.domain.permissions import Permission
from omnidesk.protocol.workorg import BulkAssignOut, OfferOut, OperatorFigures, QueueFigures


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
        self._colour = ""
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
        tip = self.tr("Of the waiting, offered to an operator now, who may accept or decline")
        if self.offered.toolTip() != tip:
            self.offered.setToolTip(tip)
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
        colour = "#C62828" if f.longest_wait_s >= 120 else "#1B2631"
        if colour != self._colour:  # a style sheet costs a re-polish: set only when the colour turns
            self._colour = colour
            self.waiting.setStyleSheet(f"font-size: 22px; font-weight: 600; color: {colour};")

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
        self.waiting.setWordWrap(False)  # one line per row: a long cell ends in "…"
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
        self.outcome = QLabel(self)  # what the last move did: moved, and why any were not (in words)
        self.outcome.setWordWrap(True)
        self.outcome.setObjectName("boardOutcome")

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
        left_layout.addWidget(self.outcome)
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
        desk.boardLoaded.connect(self._loaded)
        desk.boardChanged.connect(self._board_changed)  # a method: the connection goes with the window (logout)
        desk.reassigned.connect(self.show_outcome)
        self.ticker = QTimer(self)
        self.ticker.setInterval(1000)
        self.ticker.timeout.connect(self.tick)
        self.ticker.start()
        self.retranslate()

    def _loaded(self) -> None:
        self._fit_columns()  # the queues' names are known now
        self.refresh()

    def _board_changed(self, queues: set, operators: set) -> None:
        """One event's change: the tiles (cheap), the waiting list if a conversation moved, and only the operators
        whose figures changed (a board of 200 operators and thousands of conversations hears many events a
        second). Nothing named (a new session's empty board): everything."""
        if not queues and not operators:
            self.refresh()
            return
        self._show_tiles()
        if queues:
            self.waiting_model.sync(self.desk.board.waiting_list())
        board = self.desk.board
        if not self.operators_model.update_rows([board.operators[u] for u in operators if u in board.operators]):
            self.operators_model.sync(board.operator_list())
        self._fill_targets()

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
        self._show_tiles()
        self.waiting_model.sync(self.desk.board.waiting_list())
        self.operators_model.sync(self.desk.board.operator_list())
        self._fill_targets(force=True)

    def _show_tiles(self) -> None:
        now = self.desk.now()
        for f in self.desk.board.figures(now):
            tile = self.tiles.get(f.queue_id)
            if tile is None:
                tile = self.tiles[f.queue_id] = QueueTile(f.queue_id, self)
                self.tile_layout.insertWidget(self.tile_layout.count() - 1, tile)
            tile.show_figures(self._queue_name(f.queue_id) or f.name, f)

    def tick(self) -> None:
        now = self.desk.now()
        for f in self.desk.board.figures(now):
            if f.queue_id in self.tiles:
                self.tiles[f.queue_id].show_figures(self._queue_name(f.queue_id) or f.name, f)
        self.waiting_model.tick()
        self.operators_model.tick()  # a pending offer's time

    def _fill_targets(self, force: bool = False) -> None:
        """The "Move selected" choices: every operator and queue by name (built again only when those change)."""
        names = (
            tuple((o.user_id, o.display_name) for o in self.desk.board.operators.values()),
            tuple(self.desk.queues.items()),
        )
        if names == getattr(self, "_target_names", None) and not force:
            return
        self._target_names = names
        current = self.target.currentData()
        self.target.blockSignals(True)
        self.target.clear()
        for o in sorted(self.desk.board.operators.values(), key=lambda o: o.display_name):
            self.target.addItem(self.tr("Operator: %1").replace("%1", o.display_name), ("user", o.user_id))
        for queue_id, name in sorted(self.desk.queues.items(), key=lambda q: q[1]):
            self.target.addItem(self.tr("Queue: %1").replace("%1", name), ("queue", queue_id))
        self.target.setCurrentIndex(max(0, self.target_index(current)))  # the choice survives the board's updates
        self.target.blockSignals(False)

    def target_index(self, target: object) -> int:
        """The row of ("user", id) or ("queue", id) in the target list, -1 if gone. Compared in Python: Qt's
        findData does not match a Python tuple (it answered -1, so every update reset the choice to the first)."""
        return next((i for i in range(self.target.count()) if self.target.itemData(i) == target), -1)

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

    def show_outcome(self, result: object) -> None:
        """The answer to a move: how many moved and, for any refused, why (the server's codes in words)."""
        self._outcome = result
        if isinstance(result, Exception):
            from omnidesk.client.views.texts import describe_error

            self.outcome.setStyleSheet("color: #C62828;")
            self.outcome.setText(describe_error(result))
            return
        assert isinstance(result, BulkAssignOut)
        text = self.tr("Moved %n conversation(s).", "", len(result.moved))
        if result.refused:
            reasons: list[str] = []
            for conversation_id, detail in result.refused.items():
                coded = result.refusals.get(conversation_id)
                worded = problem_text(coded.code, coded.params) if coded is not None else None
                if worded is None:  # an uncoded refusal: the server's own words
                    worded = self.tr("The server did not accept this: %1").replace("%1", detail)
                if worded not in reasons:
                    reasons.append(worded)
            text += " " + self.tr("%n not moved: %1", "", len(result.refused)).replace("%1", " ".join(reasons))
        self.outcome.setStyleSheet("color: #C62828;" if result.refused else "color: #2E7D32;")
        self.outcome.setText(text)

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
        self._fit_columns()
        if hasattr(self, "_outcome"):
            self.show_outcome(self._outcome)  # the last move's outcome, in the new language
        self.refresh()

    def _fit_columns(self) -> None:
        """Each column but the customer's as wide as its title and its usual contents in this language (measured
        once here, not per update: a board of thousands repaints often); a longer cell is elided, never cut."""
        header = self.waiting.horizontalHeader()
        bold, cell = header.fontMetrics(), self.waiting.fontMetrics()
        samples = {
            1: max(self.desk.queues.values(), key=len, default=""),
            3: max(self.waiting_model.priority_names, key=len),
            4: texts.wait(3599),
            5: self.tr("%1, for %2").replace("%1", "Olena Kovalenko").replace("%2", texts.wait(599)),
        }
        for column in range(1, WaitingModel.COLUMNS):
            title = self.waiting_model.headers[column]
            need = max(bold.horizontalAdvance(title) + 28, cell.horizontalAdvance(samples.get(column, "")) + 16, 70)
            header.resizeSection(column, need)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.desk.load_board()
