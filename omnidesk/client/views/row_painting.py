"""What the customer and timeline rows share when they paint: the item's background and its text colours."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

__all__ = ["RowColours", "paint_background", "paint_focus"]


@dataclass(frozen=True)
class RowColours:
    selected: bool
    text: QColor
    muted: QColor


def paint_background(
    delegate: QStyledItemDelegate,
    painter: QPainter,
    option: QStyleOptionViewItem,
    index: QModelIndex | QPersistentModelIndex,
) -> RowColours:
    """Draw the row's panel (selection, hover) the way the style does, and return the colours for its text."""
    style = option.widget.style() if option.widget else None
    background = QStyleOptionViewItem(option)
    delegate.initStyleOption(background, index)
    background.text = ""
    if style is not None:
        style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, background, painter, option.widget)
    selected = bool(option.state & QStyle.StateFlag.State_Selected)
    paint_focus(painter, option)
    palette: QPalette = option.palette
    text = palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
    muted = QColor(text)
    muted.setAlpha(150)
    return RowColours(selected, text, muted)


def paint_focus(painter: QPainter, option: QStyleOptionViewItem) -> None:
    """The keyboard's row: a ring in the theme's focus colour while the list has the focus (always visible, also on
    a selected row and in high contrast)."""
    from omnidesk.client.views.theme import colour

    widget = option.widget
    if not (option.state & QStyle.StateFlag.State_HasFocus) or widget is None or not widget.hasFocus():
        return
    painter.save()
    pen = QPen(colour("focus"))
    pen.setWidth(2)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(option.rect.adjusted(1, 1, -1, -1))
    painter.restore()
