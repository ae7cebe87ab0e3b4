"""The Reports window: the desk's figures for a period, with charts, filters and exports.

Tiles with today's live figures and the period's (first response, waiting, breaches, CSAT, FCR...), each with its
definition on hover; conversations and first response over time (lines), by channel and by operator (bars), load by
hour of the week (heat map), channel transitions (a matrix), SLA compliance by channel, conversations and
satisfaction by customer segment; filters for period, channel, queue, operator and customer segment; export of any
report to CSV or XLSX. Everything comes from /api/v1/analytics: operators get their own
figures, supervisors every queue's (the server decides).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDateTime, QEvent, QLocale, Qt, QTimeZone, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from omnidesk.client.reports.charts import BarChart, HeatMap, LineChart
from omnidesk.client.views.texts import describe_error
from omnidesk.protocol.analytics import Summary, Timeseries, Transitions

__all__ = ["ReportsWindow"]

PERIODS = (7, 30, 90)
TILES = (
    "conversations",
    "waiting",
    "frt_median",
    "frt_p90",
    "resolution_median",
    "sla_compliance",
    "sla_breaches",
    "fcr",
    "abandonment",
    "csat",
    "nps",
    "nrt_median",
    "nrt_p90",
    "handled_per_hour",
    "occupancy",
    "concurrent_mean",
)
RATIOS = {"fcr", "abandonment", "sla_compliance", "csat_satisfied", "occupancy"}
DURATIONS = {"frt_mean", "frt_median", "frt_p90", "resolution_mean", "resolution_median", "resolution_p90", "nrt_mean",
             "nrt_median", "nrt_p90"}  # fmt: skip
EXPORTS = ("summary", "channel", "queue", "operator", "segment", "day", "transitions")


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class ReportsWindow(QWidget):
    """A top-level window over an ApiClient (``api``) and the task registry that runs its reads (``spawn``)."""

    loaded = Signal()
    failed = Signal(str)

    def __init__(self, api: Any, spawn: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.api = api
        self.spawn = spawn
        self.summary: Summary | None = None
        self.hourly_from: dt.datetime | None = None  # where the hourly series (the heat map) starts
        self.loads = 0
        self.channels: list[Any] = []
        self.queues: list[dict] | None = None  # GET /queues, once
        self.operators: dict[str, str] = {}  # id -> name of every operator the reports have shown so far
        self.segments: set[str] = set()  # every customer segment the reports have shown so far
        self.clock = lambda: dt.datetime.now(dt.UTC)  # the periods end now (tests show a fixed history's)
        self.setMinimumSize(900, 640)

        self.period = QComboBox()
        self.channel = QComboBox()
        self.queue = QComboBox()
        self.operator = QComboBox()
        self.segment = QComboBox()
        for combo in (self.period, self.channel, self.queue, self.operator, self.segment):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.business = QCheckBox()
        self.refresh = QPushButton()
        self.export_kind = QComboBox()
        self.export_kind.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.export_csv = QPushButton()
        self.export_xlsx = QPushButton()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.period_label, self.channel_label, self.export_label = QLabel(), QLabel(), QLabel()
        self.queue_label, self.operator_label, self.segment_label = QLabel(), QLabel(), QLabel()
        bar = QHBoxLayout()
        for w in (self.period_label, self.period, self.channel_label, self.channel, self.queue_label, self.queue):
            bar.addWidget(w)
        for w in (self.operator_label, self.operator, self.segment_label, self.segment):
            bar.addWidget(w)
        bar.addStretch(1)
        exports = QHBoxLayout()
        for w in (self.business, self.refresh):
            exports.addWidget(w)
        exports.addStretch(1)
        for w in (self.export_label, self.export_kind, self.export_csv, self.export_xlsx):
            exports.addWidget(w)

        self.tiles: dict[str, tuple[QLabel, QLabel]] = {}
        tiles = QGridLayout()
        for i, key in enumerate(TILES):
            frame = QFrame()
            frame.setFrameShape(QFrame.Shape.StyledPanel)
            title, value = QLabel(), QLabel("—")
            value.setObjectName("tileValue")
            font = value.font()
            font.setPointSizeF(font.pointSizeF() * 1.6)
            font.setBold(True)
            value.setFont(font)
            inner = QVBoxLayout(frame)
            inner.addWidget(title)
            inner.addWidget(value)
            tiles.addWidget(frame, i // 4, i % 4)
            self.tiles[key] = (title, value)

        self.volume = LineChart()
        self.frt_line = LineChart()
        self.frt_line.formatter = self.duration
        self.by_channel = BarChart()
        self.by_operator = BarChart()
        self.by_operator.formatter = self.duration
        self.sla_by_channel = BarChart()
        self.sla_by_channel.formatter = self.percent
        self.occupancy = BarChart()
        self.occupancy.formatter = self.percent
        self.per_hour = BarChart()
        self.per_hour.formatter = self.rate
        self.heat = HeatMap()
        self.by_segment = BarChart()
        self.csat_by_segment = BarChart()
        self.csat_by_segment.formatter = self.score
        self.transitions = QTableWidget()
        self.transitions.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.transitions.setMinimumHeight(150)
        self.boxes: dict[str, QGroupBox] = {}
        grid = QGridLayout()
        placed = [
            ("volume", self.volume, 0, 0),
            ("frt", self.frt_line, 0, 1),
            ("channel", self.by_channel, 1, 0),
            ("operator", self.by_operator, 1, 1),
            ("heat", self.heat, 2, 0),
            ("transitions", self.transitions, 2, 1),
            ("sla", self.sla_by_channel, 3, 0),
            ("occupancy", self.occupancy, 3, 1),
            ("per_hour", self.per_hour, 4, 0),
            ("segment", self.by_segment, 4, 1),
            ("csat_segment", self.csat_by_segment, 5, 0),
        ]
        for key, chart, row, column in placed:
            box = QGroupBox()
            QVBoxLayout(box).addWidget(chart)
            grid.addWidget(box, row, column)
            self.boxes[key] = box

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addLayout(bar)
        layout.addLayout(exports)
        layout.addWidget(self.status)
        layout.addLayout(tiles)
        layout.addLayout(grid)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

        self.refresh.clicked.connect(self.reload)
        self.period.currentIndexChanged.connect(self.reload)
        self.channel.currentIndexChanged.connect(self.reload)
        self.queue.currentIndexChanged.connect(self.reload)
        self.operator.currentIndexChanged.connect(self.reload)
        self.segment.currentIndexChanged.connect(self.reload)
        self.business.toggled.connect(self.reload)
        self.export_csv.clicked.connect(lambda: self._export_dialog("csv"))
        self.export_xlsx.clicked.connect(lambda: self._export_dialog("xlsx"))
        self.retranslate()

    # --- texts --------------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            self._show()
        super().changeEvent(event)

    def titles(self) -> dict[str, str]:
        return {
            "conversations": self.tr("Conversations"),
            "waiting": self.tr("Waiting now"),
            "frt_median": self.tr("First response, median"),
            "frt_p90": self.tr("First response, 90%"),
            "resolution_median": self.tr("Resolution, median"),
            "sla_compliance": self.tr("SLA met"),
            "sla_breaches": self.tr("SLA breaches"),
            "fcr": self.tr("First contact resolution"),
            "abandonment": self.tr("Abandoned"),
            "csat": self.tr("Satisfaction (1–5)"),
            "nps": self.tr("Net promoter score"),
            "nrt_median": self.tr("Next response, median"),
            "nrt_p90": self.tr("Next response, 90%"),
            "handled_per_hour": self.tr("Dialogs per hour"),
            "occupancy": self.tr("Occupancy"),
            "concurrent_mean": self.tr("At once / capacity"),
        }

    def definitions(self) -> dict[str, str]:
        return {
            "conversations": self.tr("Conversations whose first customer message arrived in the period."),
            "waiting": self.tr("Open conversations still without a first operator reply, right now."),
            "frt_median": self.tr(
                "Half of the conversations got their first operator reply faster than this, counted from the "
                "customer's first message."
            ),
            "frt_p90": self.tr("Nine in ten conversations got their first reply at least this fast."),
            "resolution_median": self.tr("Half of the resolved conversations were resolved faster than this."),
            "sla_compliance": self.tr(
                "Conversations under an SLA policy that kept every promise, among those whose promises are decided."
            ),
            "sla_breaches": self.tr("Conversations that missed at least one SLA promise."),
            "fcr": self.tr(
                "Resolved conversations after which the customer did not come back on any channel within three days."
            ),
            "abandonment": self.tr("Resolved conversations that never got an operator reply."),
            "csat": self.tr("The mean rating customers gave after resolution (1 poor, 5 excellent)."),
            "nps": self.tr(
                'Of the customers who answered "How likely are you to recommend us?" (0–10): the percentage of '
                "promoters (9–10) less the percentage of detractors (0–6), from −100 to 100."
            ),
            "nrt_median": self.tr(
                "Half of the customers' messages after an operator reply got the next reply faster than this "
                "(counted from the first of the customer's messages; unanswered ones are left out)."
            ),
            "nrt_p90": self.tr("Nine in ten next replies came at least this fast."),
            "handled_per_hour": self.tr(
                "Conversations the operators replied in during the period, per hour they were online."
            ),
            "occupancy": self.tr(
                "The share of the time online spent with at least one active conversation (assigned and open, "
                "not waiting on the customer)."
            ),
            "concurrent_mean": self.tr(
                "Active conversations held at once, on average over the time online, against the chats the "
                "operators online may hold at once."
            ),
        }

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Reports"))
        self.period_label.setText(self.tr("Period:"))
        self.channel_label.setText(self.tr("Channel:"))
        self.queue_label.setText(self.tr("Queue:"))
        self.operator_label.setText(self.tr("Operator:"))
        self.segment_label.setText(self.tr("Segment:"))
        self.segment.setToolTip(self.tr("The customers' segment, as their card shows it now"))
        self.business.setText(self.tr("Business hours"))
        self.business.setToolTip(
            self.tr(
                "First response and resolution times counted in the working hours of each conversation's queue "
                "(a queue without hours counts around the clock); the other figures do not change."
            )
        )
        self.export_label.setText(self.tr("Export:"))
        self.refresh.setText(self.tr("Refresh"))
        self.export_csv.setText(self.tr("CSV…"))
        self.export_xlsx.setText(self.tr("Excel…"))
        current = self.period.currentIndex()
        self.period.blockSignals(True)
        self.period.clear()
        for days in PERIODS:
            self.period.addItem(self.tr("Last %n day(s)", "", days), days)
        self.period.setCurrentIndex(current if current >= 0 else 1)
        self.period.blockSignals(False)
        self._fill_channels()
        self._fill_queues()
        self._fill_operators()
        self._fill_segments()
        exports = {
            "summary": self.tr("Totals"),
            "channel": self.tr("By channel"),
            "queue": self.tr("By queue"),
            "operator": self.tr("By operator"),
            "segment": self.tr("By customer segment"),
            "day": self.tr("By day"),
            "transitions": self.tr("Channel transitions"),
        }
        chosen = self.export_kind.currentIndex()
        self.export_kind.clear()
        for key in EXPORTS:
            self.export_kind.addItem(exports[key], key)
        self.export_kind.setCurrentIndex(max(0, chosen))
        titles, definitions = self.titles(), self.definitions()
        for key, (title, _value) in self.tiles.items():
            title.setText(titles[key])
            title.parentWidget().setToolTip(definitions[key])
        boxes = {
            "volume": self.tr("Conversations per day"),
            "frt": self.tr("First response per day (median)"),
            "channel": self.tr("Conversations by channel"),
            "operator": self.tr("First response by operator (median)"),
            "heat": self.tr("Load by hour of the week"),
            "transitions": self.tr("Channel transitions (customer came back elsewhere within 48 h)"),
            "sla": self.tr("SLA met by channel"),
            "occupancy": self.tr("Occupancy by operator"),
            "per_hour": self.tr("Dialogs per hour by operator"),
            "segment": self.tr("Conversations by customer segment"),
            "csat_segment": self.tr("Satisfaction by customer segment"),
        }
        for key, box in self.boxes.items():
            box.setTitle(boxes[key])
        self.frt_line.setToolTip(definitions["frt_median"])
        self.by_operator.setToolTip(definitions["frt_median"])
        self.sla_by_channel.setToolTip(definitions["sla_compliance"])
        self.occupancy.setToolTip(definitions["occupancy"])
        self.per_hour.setToolTip(definitions["handled_per_hour"])
        self.by_segment.setToolTip(definitions["conversations"])
        self.csat_by_segment.setToolTip(definitions["csat"])
        charts = (self.volume, self.frt_line, self.by_channel, self.by_operator, self.sla_by_channel, self.heat)
        for chart in (*charts, self.occupancy, self.per_hour, self.by_segment, self.csat_by_segment):
            chart.empty_text = self.tr("No data for this period")

    def _fill_channels(self) -> None:
        chosen = self.channel.currentData()
        self.channel.blockSignals(True)
        self.channel.clear()
        self.channel.addItem(self.tr("All channels"), None)
        for channel in self.channels:
            self.channel.addItem(channel.name, channel.id)
        index = self.channel.findData(chosen)
        self.channel.setCurrentIndex(max(0, index))
        self.channel.blockSignals(False)

    def _fill(self, combo: QComboBox, everything: str, entries: list[tuple[Any, str]]) -> None:
        """``combo``'s items: ``everything`` (no filter), then ``entries`` (data, text), keeping the choice."""
        chosen = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(everything, None)
        for data, name in entries:
            combo.addItem(name, data)
        combo.setCurrentIndex(max(0, combo.findData(chosen)))
        combo.blockSignals(False)

    def _fill_queues(self) -> None:
        self._fill(self.queue, self.tr("All queues"), [(q["id"], q["name"]) for q in self.queues or ()])

    def _fill_operators(self) -> None:
        names = sorted(self.operators.items(), key=lambda kv: kv[1].casefold())
        self._fill(self.operator, self.tr("All operators"), [(int(k), name) for k, name in names])

    def _fill_segments(self) -> None:
        """All segments, the customers without one (filter ""), then each segment the reports have shown."""
        known = [("", self.tr("No segment")), *((s, s) for s in sorted(self.segments, key=str.casefold))]
        self._fill(self.segment, self.tr("All segments"), known)

    # --- formatting ----------------------------------------------------------------------------------

    def duration(self, seconds: float | None) -> str:
        if seconds is None:
            return "—"
        locale = QLocale()
        seconds = float(seconds)
        if seconds < 60:
            return self.tr("%1 s").replace("%1", locale.toString(round(seconds)))
        if seconds < 3600:
            return self.tr("%1 min").replace("%1", locale.toString(seconds / 60, "f", 1))
        if seconds < 86400 * 2:
            return self.tr("%1 h").replace("%1", locale.toString(seconds / 3600, "f", 1))
        return self.tr("%1 d").replace("%1", locale.toString(seconds / 86400, "f", 1))

    def percent(self, ratio: float | None) -> str:
        return "—" if ratio is None else QLocale().toString(float(ratio) * 100, "f", 0) + " %"

    def rate(self, value: float | None) -> str:
        return "—" if value is None else QLocale().toString(float(value), "f", 1)

    def score(self, value: float | None) -> str:
        return "—" if value is None else QLocale().toString(float(value), "f", 2)

    def figure(self, key: str, value: Any, capacity: Any = None) -> str:
        if value is None:
            return "—"
        if key == "handled_per_hour":
            return self.rate(value)
        if key == "concurrent_mean":
            shown = QLocale().toString(float(value), "f", 1)
            return shown if capacity is None else f"{shown} / {QLocale().toString(int(capacity))}"
        if key in DURATIONS:
            return self.duration(value)
        if key in RATIOS:
            return self.percent(value)
        if key == "csat":
            return QLocale().toString(float(value), "f", 2)
        if key == "nps":
            rounded = round(float(value))
            return ("+" if rounded > 0 else "") + QLocale().toString(rounded)
        return QLocale().toString(int(value))

    # --- data ---------------------------------------------------------------------------------------

    def params(self) -> dict[str, Any]:
        end = self.clock()
        days = self.period.currentData() or 30
        params: dict[str, Any] = {
            "from": _iso(end - dt.timedelta(days=days)),
            "to": _iso(end),
            "tz": bytes(QTimeZone.systemTimeZoneId()).decode() or "UTC",
        }
        filters = (("channel", self.channel), ("queue", self.queue), ("operator", self.operator))
        for name, combo in (*filters, ("segment", self.segment)):
            if combo.currentData() is not None:
                params[name] = combo.currentData()
        if self.business.isChecked():
            params["business_hours"] = "true"
        return params

    def reload(self) -> None:
        self.spawn(self.load(), name="reports-load")

    async def load(self) -> None:
        """Read every figure of the window (five requests) and show them."""
        self.status.setText(self.tr("Loading…"))
        try:
            if not self.channels:
                self.channels = await self.api.channels()
                self._fill_channels()
            if self.queues is None:
                self.queues = (await self.api.get("/queues")).json()
                self._fill_queues()
            params = self.params()
            zone = params["tz"]
            try:
                summary = Summary.model_validate((await self.api.get("/analytics/summary", params)).json())
            except Exception:
                if zone == "UTC":
                    raise
                params["tz"] = "UTC"  # a zone the server does not know: UTC rather than nothing
                summary = Summary.model_validate((await self.api.get("/analytics/summary", params)).json())
            series = {}
            for metric in ("conversations", "frt_median"):
                got = await self.api.get("/analytics/timeseries", {**params, "metric": metric, "interval": "day"})
                series[metric] = Timeseries.model_validate(got.json())
            hourly_params = dict(params)
            end = self.clock()
            self.hourly_from = max(
                end - dt.timedelta(days=31), end - dt.timedelta(days=self.period.currentData() or 30)
            )
            hourly_params["from"] = _iso(self.hourly_from)
            hourly = Timeseries.model_validate(
                (
                    await self.api.get(
                        "/analytics/timeseries", {**hourly_params, "metric": "conversations", "interval": "hour"}
                    )
                ).json()
            )
            moves = Transitions.model_validate(
                (await self.api.get("/analytics/transitions", {k: v for k, v in params.items() if k != "tz"})).json()
            )
        except Exception as exc:  # shown in words, the window stays usable
            self.status.setText(describe_error(exc))
            self.failed.emit(str(exc))
            return
        self.summary, self.series, self.hourly, self.moves = summary, series, hourly, moves
        known = len(self.operators)
        self.operators.update({g.key: g.label or g.key for g in summary.by_operator if g.key is not None})
        if len(self.operators) != known:
            self._fill_operators()
        segments = {g.key for g in summary.by_segment if g.key is not None}
        if not segments <= self.segments:
            self.segments |= segments
            self._fill_segments()
        self.status.setText("")
        self.loads += 1
        self._show()
        self.loaded.emit()

    def _show(self) -> None:
        summary = self.summary
        if summary is None:
            return
        totals = summary.totals.model_dump()
        totals["waiting"] = summary.waiting
        for key, (_title, value) in self.tiles.items():
            value.setText(self.figure(key, totals.get(key), totals.get("capacity")))
        locale = QLocale()

        def day(bucket: str) -> str:
            moment = QDateTime.fromString(bucket, "yyyy-MM-ddTHH:mm")
            return locale.toString(moment.date(), "d MMM")

        self.volume.set_points([(day(p.bucket), p.value) for p in self.series["conversations"].points])
        self.frt_line.set_points([(day(p.bucket), p.value) for p in self.series["frt_median"].points])
        self.by_channel.set_bars([(g.label or g.key or "—", g.conversations) for g in summary.by_channel])
        self.sla_by_channel.set_bars([(g.label or g.key or "—", g.sla_compliance) for g in summary.by_channel])
        unassigned = self.tr("Unassigned")
        self.by_operator.set_bars(
            [
                (g.label or unassigned, g.frt_median)
                for g in sorted(summary.by_operator, key=lambda g: g.frt_median or 0)
            ]
        )
        people = [g for g in summary.by_operator if g.online_hours]
        self.occupancy.set_bars(
            [(g.label or unassigned, g.occupancy) for g in sorted(people, key=lambda g: -(g.occupancy or 0))]
        )
        self.per_hour.set_bars(
            [
                (g.label or unassigned, g.handled_per_hour)
                for g in sorted(people, key=lambda g: -(g.handled_per_hour or 0))
            ]
        )
        no_segment = self.tr("No segment")
        self.by_segment.set_bars([(g.label or no_segment, g.conversations) for g in summary.by_segment])
        rated = sorted((g for g in summary.by_segment if g.csat is not None), key=lambda g: -(g.csat or 0))
        self.csat_by_segment.set_bars([(g.label or no_segment, g.csat) for g in rated])
        cells = [[0.0] * 24 for _ in range(7)]
        for p in self.hourly.points:
            moment = dt.datetime.fromisoformat(p.bucket)
            cells[moment.weekday()][moment.hour] += p.value or 0
        self.heat.set_cells(cells)
        kinds = sorted({c.source for c in self.moves.cells} | {c.target for c in self.moves.cells})
        self.transitions.clear()
        self.transitions.setRowCount(len(kinds))
        self.transitions.setColumnCount(len(kinds))
        self.transitions.setHorizontalHeaderLabels([self.tr("to %1").replace("%1", k) for k in kinds])
        self.transitions.setVerticalHeaderLabels([self.tr("from %1").replace("%1", k) for k in kinds])
        for cell in self.moves.cells:
            item = QTableWidgetItem(locale.toString(cell.count))
            item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            self.transitions.setItem(kinds.index(cell.source), kinds.index(cell.target), item)
        self.transitions.resizeColumnsToContents()

    # --- export -------------------------------------------------------------------------------------

    async def export_to(self, path: Path, report: str, fmt: str) -> Path:
        """Save ``report`` (one of EXPORTS) for the shown filters as ``fmt`` (csv or xlsx) at ``path``."""
        response = await self.api.get("/analytics/export", {**self.params(), "report": report, "format": fmt})
        await asyncio.to_thread(path.write_bytes, response.content)
        return path

    def _export_dialog(self, fmt: str) -> None:
        report = self.export_kind.currentData()
        suggested = f"omnidesk-{report}.{fmt}"
        kind = self.tr("CSV files (*.csv)") if fmt == "csv" else self.tr("Excel workbooks (*.xlsx)")
        name, _ = QFileDialog.getSaveFileName(self, self.tr("Export report"), suggested, kind)
        if not name:
            return

        async def save() -> None:
            try:
                await self.export_to(Path(name), report, fmt)
                self.status.setText(self.tr("Saved %1").replace("%1", name))
            except Exception as exc:
                self.status.setText(describe_error(exc))

        self.spawn(save(), name="reports-export")
