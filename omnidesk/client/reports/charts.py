"""Charts drawn with QPainter: a line over time, horizontal bars, and a week-by-hour heat map.

QtCharts is in PySide6-Addons, which the client installs for Qt Multimedia only (voice notes): the client bundle
takes just the modules the client imports, and these three widgets are all the reports need, follow the palette
(light and dark), and show each point's value on hover, without QtCharts' own look.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QLocale, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QMouseEvent, QPainter, QPainterPath, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from omnidesk.client.views.theme import colour

Formatter = Callable[[float], str]


def plain(value: float) -> str:
    return QLocale().toString(float(value), "f", 0 if float(value).is_integer() else 1)


class _Chart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.formatter: Formatter = plain
        self.empty_text = ""
        self._hot: list[tuple[QRectF, str]] = []  # hover areas and their texts

    def minimumSizeHint(self) -> QSize:
        return QSize(260, 160)

    def sizeHint(self) -> QSize:
        return QSize(420, 200)

    def accent(self) -> QColor:
        # The theme's strong accent: its Highlight is the pale selection background, which barely shows as ink.
        return colour("accent")

    def ink(self, alpha: int = 255) -> QColor:
        color = QColor(self.palette().color(QPalette.ColorRole.WindowText))
        color.setAlpha(alpha)
        return color

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        for area, text in self._hot:
            if area.contains(event.position()):
                QToolTip.showText(event.globalPosition().toPoint(), text, self)
                return
        QToolTip.hideText()

    def _empty(self, painter: QPainter) -> bool:
        painter.setPen(self.ink(140))
        painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.empty_text)
        return True


class LineChart(_Chart):
    """Values over time: ``points`` = [(label, value or None)], labels shown under the axis where they fit."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.points: list[tuple[str, float | None]] = []

    def set_points(self, points: Sequence[tuple[str, float | None]]) -> None:
        self.points = list(points)
        self.update()

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._hot = []
        values = [v for _, v in self.points if v is not None]
        if not values:
            self._empty(painter)
            return
        metrics = QFontMetrics(self.font())
        top = max(values) or 1.0
        left = max(metrics.horizontalAdvance(self.formatter(top * i / 2)) for i in range(3)) + 12
        plot = QRectF(left, 8, self.width() - left - 10, self.height() - metrics.height() - 20)
        painter.setPen(QPen(self.ink(60), 1))
        for i in range(3):
            y = plot.bottom() - plot.height() * i / 2
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(self.ink(150))
            painter.drawText(
                QRectF(0, y - metrics.height() / 2, left - 6, metrics.height()),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                self.formatter(top * i / 2),
            )
            painter.setPen(QPen(self.ink(60), 1))
        n = len(self.points)
        step = plot.width() / max(1, n - 1)

        def at(i: int, v: float) -> QPointF:
            return QPointF(
                plot.left() + (step * i if n > 1 else plot.width() / 2), plot.bottom() - plot.height() * v / top
            )

        path = QPainterPath()
        started = False
        for i, (_, v) in enumerate(self.points):
            if v is None:
                started = False
                continue
            if started:
                path.lineTo(at(i, v))
            else:
                path.moveTo(at(i, v))
                started = True
        painter.setPen(QPen(self.accent(), 2))
        painter.drawPath(path)
        painter.setBrush(self.accent())
        label_every = max(1, int(n / max(1, plot.width() / (metrics.horizontalAdvance(self.points[0][0]) + 12))))
        for i, (label, v) in enumerate(self.points):
            if v is not None:
                point = at(i, v)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.drawEllipse(point, 3, 3)
                self._hot.append(
                    (QRectF(point.x() - 6, plot.top(), 12, plot.height()), f"{label}: {self.formatter(v)}")
                )
            if i % label_every == 0:
                painter.setPen(self.ink(150))
                x = plot.left() + (step * i if n > 1 else plot.width() / 2)
                width = metrics.horizontalAdvance(label) + 4
                x = min(max(x - width / 2, 0.0), self.width() - width)  # the first and last label stay whole
                painter.drawText(
                    QRectF(x, plot.bottom() + 4, width, metrics.height()), Qt.AlignmentFlag.AlignLeft, label
                )


class BarChart(_Chart):
    """Horizontal bars: ``bars`` = [(label, value)], longest first as given."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bars: list[tuple[str, float]] = []

    def set_bars(self, bars: Sequence[tuple[str, float | None]]) -> None:
        self.bars = [(label, v) for label, v in bars if v is not None]
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(420, max(120, 26 * len(self.bars) + 16))

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._hot = []
        if not self.bars:
            self._empty(painter)
            return
        metrics = QFontMetrics(self.font())
        label_width = min(self.width() // 3, max(metrics.horizontalAdvance(b[0]) for b in self.bars) + 12)
        value_width = max(metrics.horizontalAdvance(self.formatter(b[1])) for b in self.bars) + 12
        top = max(b[1] for b in self.bars) or 1.0
        row = min(26.0, (self.height() - 8) / len(self.bars))
        for i, (label, value) in enumerate(self.bars):
            y = 4 + i * row
            painter.setPen(self.ink())
            shown = metrics.elidedText(label, Qt.TextElideMode.ElideRight, label_width - 8)
            painter.drawText(
                QRectF(0, y, label_width - 8, row), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, shown
            )
            span = (self.width() - label_width - value_width) * value / top
            bar = QRectF(label_width, y + row * 0.2, max(1.0, span), row * 0.6)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(self.accent())
            painter.drawRoundedRect(bar, 3, 3)
            painter.setPen(self.ink(200))
            painter.drawText(
                QRectF(bar.right() + 6, y, value_width, row), Qt.AlignmentFlag.AlignVCenter, self.formatter(value)
            )
            self._hot.append((QRectF(0, y, self.width(), row), f"{label}: {self.formatter(value)}"))


class HeatMap(_Chart):
    """Load by hour of the week: ``cells[weekday][hour]`` (weekday 0 = Monday), darker is busier."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cells: list[list[float]] = [[0.0] * 24 for _ in range(7)]

    def set_cells(self, cells: list[list[float]]) -> None:
        self.cells = cells
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(560, 190)

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        self._hot = []
        top = max(max(row) for row in self.cells)
        if not top:
            self._empty(painter)
            return
        metrics = QFontMetrics(self.font())
        locale = QLocale()
        days = [locale.dayName(d, QLocale.FormatType.ShortFormat) for d in range(1, 8)]
        left = max(metrics.horizontalAdvance(d) for d in days) + 8
        cell_w = (self.width() - left - 4) / 24
        cell_h = (self.height() - metrics.height() - 8) / 7
        accent = self.accent()
        for d in range(7):
            painter.setPen(self.ink())
            painter.drawText(
                QRectF(0, d * cell_h, left - 6, cell_h),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                days[d],
            )
            for h in range(24):
                value = self.cells[d][h]
                color = QColor(accent)
                color.setAlphaF(0.08 + 0.92 * value / top if value else 0.04)
                area = QRectF(left + h * cell_w, d * cell_h, cell_w - 1, cell_h - 1)
                painter.fillRect(area, color)
                self._hot.append((area, f"{days[d]} {h:02d}:00: {self.formatter(value)}"))
        painter.setPen(self.ink(150))
        for h in range(0, 24, 3):
            painter.drawText(
                QRectF(left + h * cell_w, 7 * cell_h + 2, cell_w * 3, metrics.height()),
                Qt.AlignmentFlag.AlignLeft,
                f"{h:02d}",
            )
