"""The look: one palette and one stylesheet for the whole client, in light, dark and high-contrast variants.

Widgets and delegates never hard-code colours; they ask `colour(name)` (painting) or use the object names the
stylesheet styles (#offlineBanner, QLabel[chip="resolved"], ...). Spacing follows a 4 px grid; the type scale is
body / small (0.9) / title (1.25, bold). Keyboard focus is always visible (a 2 px accent ring), sizes are in points
and layouts, so 125 % and 150 % display scaling only scale. `apply(app, name)` switches live.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPalette, QPen
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle

__all__ = ["THEMES", "Theme", "apply", "avatar_colour", "colour", "current", "initials", "paint_avatar"]


@dataclass(frozen=True)
class Theme:
    name: str
    window: str
    base: str  # lists, text fields
    alternate: str
    text: str
    muted: str
    accent: str
    accent_text: str
    border: str
    highlight: str
    highlight_text: str
    bubble_in: str
    bubble_out: str
    bubble_note: str
    failed: str
    wait: str
    wait_long: str
    banner: str
    banner_text: str
    chip_open: str
    chip_pending: str
    chip_resolved: str
    focus: str


THEMES: dict[str, Theme] = {
    "light": Theme(
        "light", window="#F5F7FA", base="#FFFFFF", alternate="#F0F3F7", text="#1F2933", muted="#5F6B7A",
        accent="#2B6CB0", accent_text="#FFFFFF", border="#D5DCE4", highlight="#DCEBFF", highlight_text="#10243E",
        bubble_in="#F1F3F5", bubble_out="#DCEBFF", bubble_note="#FFF6D6", failed="#C62828", wait="#B26A00",
        wait_long="#C62828", banner="#FDECEA", banner_text="#7F1D1D", chip_open="#2E7D32", chip_pending="#B26A00",
        chip_resolved="#5F6B7A", focus="#2B6CB0",
    ),
    "dark": Theme(
        "dark", window="#1B1F24", base="#23282F", alternate="#2A3038", text="#E6EAF0", muted="#9AA5B1",
        accent="#5AA0F2", accent_text="#0B1320", border="#3A424D", highlight="#2D4A6E", highlight_text="#FFFFFF",
        bubble_in="#2C323A", bubble_out="#244266", bubble_note="#4A4126", failed="#FF6B6B", wait="#F0B44C",
        wait_long="#FF6B6B", banner="#5A1F1F", banner_text="#FFE1E1", chip_open="#66BB6A", chip_pending="#F0B44C",
        chip_resolved="#9AA5B1", focus="#8EC1FF",
    ),
    "contrast": Theme(
        "contrast", window="#000000", base="#000000", alternate="#101010", text="#FFFFFF", muted="#E0E0E0",
        accent="#FFD600", accent_text="#000000", border="#FFFFFF", highlight="#FFD600", highlight_text="#000000",
        bubble_in="#1A1A1A", bubble_out="#002B5C", bubble_note="#3D3300", failed="#FF8A80", wait="#FFD600",
        wait_long="#FF8A80", banner="#FFD600", banner_text="#000000", chip_open="#00E676", chip_pending="#FFD600",
        chip_resolved="#FFFFFF", focus="#FFD600",
    ),
}  # fmt: skip

_current = THEMES["light"]


def current() -> Theme:
    return _current


def colour(name: str) -> QColor:
    return QColor(getattr(_current, name))


def _palette(theme: Theme) -> QPalette:
    palette = QPalette()
    roles = QPalette.ColorRole
    for role, value in (
        (roles.Window, theme.window),
        (roles.WindowText, theme.text),
        (roles.Base, theme.base),
        (roles.AlternateBase, theme.alternate),
        (roles.Text, theme.text),
        (roles.Button, theme.base),
        (roles.ButtonText, theme.text),
        (roles.Highlight, theme.highlight),
        (roles.HighlightedText, theme.highlight_text),
        (roles.ToolTipBase, theme.base),
        (roles.ToolTipText, theme.text),
        (roles.PlaceholderText, theme.muted),
        (roles.Link, theme.accent),
        (roles.BrightText, theme.failed),
    ):
        palette.setColor(role, QColor(value))
    palette.setColor(QPalette.ColorGroup.Disabled, roles.Text, QColor(theme.muted))
    palette.setColor(QPalette.ColorGroup.Disabled, roles.ButtonText, QColor(theme.muted))
    palette.setColor(QPalette.ColorGroup.Disabled, roles.WindowText, QColor(theme.muted))
    return palette


def stylesheet(theme: Theme) -> str:
    ring = "3px" if theme.name == "contrast" else "2px"
    return f"""
QWidget {{ color: {theme.text}; }}
QMainWindow, QDialog {{ background: {theme.window}; }}
QToolTip {{ background: {theme.base}; color: {theme.text}; border: 1px solid {theme.border}; padding: 4px 6px; }}
QPushButton, QToolButton {{
    background: {theme.base}; color: {theme.text}; border: 1px solid {theme.border}; border-radius: 6px;
    padding: 4px 12px; min-height: 1.6em;
}}
QToolButton {{ padding: 3px 8px; }}
QToolButton[autoRaise="true"] {{ border-color: transparent; background: transparent; padding: 2px; }}
QPushButton:hover, QToolButton:hover {{ border-color: {theme.accent}; }}
QPushButton:default {{ background: {theme.accent}; color: {theme.accent_text}; border-color: {theme.accent}; }}
QToolButton:checked {{ background: {theme.highlight}; color: {theme.highlight_text}; border-color: {theme.accent}; }}
QPushButton:disabled, QToolButton:disabled {{ color: {theme.muted}; border-color: {theme.border}; }}
QPushButton:focus, QToolButton:focus, QComboBox:focus, QLineEdit:focus, QPlainTextEdit:focus,
QCheckBox:focus, QRadioButton:focus {{ border: {ring} solid {theme.focus}; }}
QListView:focus, QTableView:focus, QTableWidget:focus {{ border: {ring} solid {theme.focus}; }}
QLineEdit, QPlainTextEdit, QComboBox {{
    background: {theme.base}; color: {theme.text}; border: 1px solid {theme.border}; border-radius: 6px;
    padding: 3px 6px; selection-background-color: {theme.highlight}; selection-color: {theme.highlight_text};
}}
QComboBox QAbstractItemView {{ background: {theme.base}; color: {theme.text}; selection-background-color:
    {theme.highlight}; selection-color: {theme.highlight_text}; }}
QListView, QTableView, QTableWidget {{
    background: {theme.base}; border: 1px solid {theme.border}; border-radius: 6px;
    selection-background-color: {theme.highlight}; selection-color: {theme.highlight_text};
}}
QListView#history {{ border: none; }}
QHeaderView::section {{ background: {theme.alternate}; color: {theme.text}; border: none;
    border-bottom: 1px solid {theme.border}; padding: 4px 6px; font-weight: bold; }}
QSplitter::handle {{ background: {theme.border}; }}
QSplitter::handle:horizontal {{ width: 1px; }}
QSplitter::handle:vertical {{ height: 1px; }}
QStatusBar {{ background: {theme.window}; color: {theme.muted}; border-top: 1px solid {theme.border}; }}
QMenuBar {{ background: {theme.window}; }}
QMenuBar::item:selected, QMenu::item:selected {{ background: {theme.highlight}; color: {theme.highlight_text}; }}
QMenu {{ background: {theme.base}; border: 1px solid {theme.border}; }}
QGroupBox {{ border: 1px solid {theme.border}; border-radius: 6px; margin-top: 1.2em; padding: 8px; }}
QGroupBox::title {{ subcontrol-origin: margin; left: 8px; padding: 0 4px; font-weight: bold; }}
#offlineBanner {{ background: {theme.banner}; border-bottom: 1px solid {theme.failed}; }}
#offlineBanner QLabel {{ color: {theme.banner_text}; font-weight: bold; }}
QLabel[muted="true"] {{ color: {theme.muted}; }}
QLabel[chip] {{ border-radius: 8px; padding: 1px 8px; font-weight: bold; color: {theme.accent_text}; }}
QLabel[chip="open"] {{ background: {theme.chip_open}; }}
QLabel[chip="pending"] {{ background: {theme.chip_pending}; }}
QLabel[chip="resolved"] {{ background: {theme.chip_resolved}; }}
QLabel[chip="mismatch"] {{ background: {theme.wait}; }}
"""


class _Indicators(QProxyStyle):
    """Fusion with check boxes and radio buttons drawn in the theme's colours. Fusion draws their frames from the
    window colour made darker, so on the dark theme they hardly show and on high contrast not at all (seen in the
    merge dialog's "who stays" choice): here the frame is the muted text colour (the text colour on high contrast),
    the mark the accent."""

    def drawPrimitive(self, element, option, painter, widget=None) -> None:
        radio = element == QStyle.PrimitiveElement.PE_IndicatorRadioButton
        if not radio and element != QStyle.PrimitiveElement.PE_IndicatorCheckBox:
            super().drawPrimitive(element, option, painter, widget)
            return
        state = option.state
        enabled = bool(state & QStyle.StateFlag.State_Enabled)
        on = bool(state & QStyle.StateFlag.State_On)
        partly = bool(state & QStyle.StateFlag.State_NoChange)
        t = _current
        edge = QColor(t.text if t.name == "contrast" else t.muted)
        mark = QColor(t.accent)
        if not enabled:
            edge, mark = QColor(t.border), QColor(t.muted)
        side = min(option.rect.width(), option.rect.height()) - 1.0
        box = QRectF(0, 0, side, side)
        box.moveCenter(QRectF(option.rect).center())
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(mark if (on or partly) and enabled else edge, 1.2))
        painter.setBrush(QColor(t.base))
        if radio:
            painter.drawEllipse(box)
            if on:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(mark)
                painter.drawEllipse(box.adjusted(side * 0.27, side * 0.27, -side * 0.27, -side * 0.27))
        else:
            if on or partly:
                painter.setBrush(mark)
            painter.drawRoundedRect(box, 2.5, 2.5)
            ink = QPen(QColor(t.accent_text if enabled else t.base), max(1.6, side / 7))
            ink.setCapStyle(Qt.PenCapStyle.RoundCap)
            ink.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            painter.setPen(ink)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            x, y = box.left(), box.top()
            if partly:
                painter.drawLine(QPointF(x + side * 0.25, y + side * 0.5), QPointF(x + side * 0.75, y + side * 0.5))
            elif on:
                tick = QPainterPath(QPointF(x + side * 0.22, y + side * 0.52))
                tick.lineTo(QPointF(x + side * 0.42, y + side * 0.72))
                tick.lineTo(QPointF(x + side * 0.78, y + side * 0.3))
                painter.drawPath(tick)
        painter.restore()


def apply(app: QApplication, name: str = "") -> Theme:
    """Switch the whole client to `name` ("light", "dark", "contrast"; "" follows the system's light or dark)."""
    global _current
    if name not in THEMES:
        scheme = app.styleHints().colorScheme()
        name = "dark" if scheme == Qt.ColorScheme.Dark else "light"
    _current = THEMES[name]
    if not isinstance(app.style(), _Indicators):
        app.setStyle(_Indicators("Fusion"))  # the application owns the style
    app.setPalette(_palette(_current))
    app.setStyleSheet(stylesheet(_current))
    for widget in app.allWidgets():
        widget.update()
    return _current


# --- avatars -------------------------------------------------------------------------------------------------

_AVATAR_COLOURS = ["#1E88E5", "#43A047", "#F4511E", "#8E24AA", "#00897B", "#E53935", "#3949AB", "#6D4C41",
                   "#00ACC1", "#C0CA33", "#D81B60", "#5E35B1"]  # fmt: skip


def initials(name: str) -> str:
    """Two letters for an avatar: first and last word ("Мельник Тарас" -> "МТ"), or the first two letters."""
    words = [word for word in name.replace("@", " ").replace(".", " ").split() if word[:1].isalnum()]
    if not words:
        return "?"
    if len(words) == 1:
        return words[0][:2].upper()
    return (words[0][0] + words[-1][0]).upper()


def avatar_colour(key: object) -> QColor:
    """A stable colour per customer (the same person has the same colour everywhere, on every workstation)."""
    digest = hashlib.blake2s(str(key).encode(), digest_size=2).digest()
    return QColor(_AVATAR_COLOURS[int.from_bytes(digest, "big") % len(_AVATAR_COLOURS)])


def paint_avatar(painter: QPainter, rect: QRectF, name: str, key: object) -> None:
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(avatar_colour(key))
    painter.drawEllipse(rect)
    font = QFont(painter.font())
    font.setBold(True)
    font.setPixelSize(max(8, int(rect.height() * 0.4)))
    painter.setFont(font)
    painter.setPen(QColor("#FFFFFF"))
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, initials(name))
    painter.restore()
