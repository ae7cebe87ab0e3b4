"""Painting of the inbox rows and of the message bubbles.

Inbox rows all have one height (the list uses uniform item sizes, so 100,000 rows cost nothing to lay
out); bubbles wrap their text and cache their size per width.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTime,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QPolygonF
from PySide6.QtWidgets import QAbstractItemView, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from omnidesk.client.models.inbox import InboxRole
from omnidesk.client.models.messages import MessageRole
from omnidesk.client.views.icons import channel_icon
from omnidesk.client.views.row_painting import paint_focus
from omnidesk.client.views.texts import (
    delivery_label,
    mark_labels,
    message_time,
    relative_time,
    status_label,
    waiting_text,
)
from omnidesk.client.views.theme import colour, paint_avatar
from omnidesk.domain.sla import countdown

__all__ = ["BubbleDelegate", "ConversationDelegate"]

Index = QModelIndex | QPersistentModelIndex

PAD = 10
PREVIEW_MAX = QSize(240, 180)  # a picture in its bubble (the server's previews are at most 320 x 320)
VOICE = QSize(240, 32)  # a voice note's control in its bubble: play/pause, the track, the time
VOICE_MARKS = ("🎤", "🎵")  # server/channels/inbound.py fallback_text: a voice note's or audio file's line
ICON = 28
# Colours come from the theme (light, dark, high contrast) at paint time.
LONG_WAIT_SECONDS = 30 * 60


def _font(base: QFont, *, scale: float = 1.0, bold: bool = False, italic: bool = False) -> QFont:
    font = QFont(base)
    if scale != 1.0:
        font.setPointSizeF(max(6.0, base.pointSizeF() * scale))
    font.setBold(bold)
    font.setItalic(italic)
    return font


SLA_COLOURS = {"running": "#6B7280", "warning": "#D97706", "breached": "#DC2626", "paused": "#9CA3AF"}


def _paint_sla_chip(painter: QPainter, index: Index, room: QRect, font) -> int:
    """The SLA countdown (h:mm left, or -h:mm overdue) right-aligned in ``room``, coloured by
    omnidesk.domain.sla.countdown; the width it took (0 without a running promise)."""
    conversation = index.data(InboxRole.CONVERSATION)
    promise = getattr(conversation, "sla", None)
    if promise is None:
        return 0
    now = datetime.now(UTC)
    state = countdown(promise.due_at, promise.warn_at, paused=promise.paused, breached=promise.breached, now=now)
    minutes = int((promise.due_at - now).total_seconds() // 60)
    label = ("-" if minutes < 0 else "") + f"{abs(minutes) // 60}:{abs(minutes) % 60:02d}"
    metrics = QFontMetrics(font)
    width = metrics.horizontalAdvance(label) + 12
    chip = QRect(room.right() - width, room.center().y() - metrics.height() // 2, width, metrics.height())
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(SLA_COLOURS[state.value]))
    painter.drawRoundedRect(chip, chip.height() / 2, chip.height() / 2)
    painter.setFont(font)
    painter.setPen(QColor("#FFFFFF"))
    painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, label)
    painter.restore()
    return width + PAD


class ConversationDelegate(QStyledItemDelegate):
    """One inbox row: channel icon, customer, time; last message preview and the unread badge."""

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        line = QFontMetrics(option.font).height()
        small = QFontMetrics(_font(option.font, scale=0.9)).height()
        return QSize(200, 2 * line + small + 2 * PAD + 6)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        painter.save()
        style = option.widget.style() if option.widget else None
        background = QStyleOptionViewItem(option)
        self.initStyleOption(background, index)
        background.text = ""
        if style is not None:
            style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, background, painter, option.widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        paint_focus(painter, option)
        palette: QPalette = option.palette
        text_color = palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        muted = QColor(text_color)
        muted.setAlpha(150)
        rect = option.rect.adjusted(PAD, PAD, -PAD, -PAD)
        kind = index.data(InboxRole.CHANNEL_KIND) or "api"
        # The customer's avatar (initials on their colour), the channel's icon as a badge on its corner.
        avatar = QRect(rect.left(), rect.top() + 2, ICON, ICON)
        conversation = index.data(InboxRole.CONVERSATION)
        paint_avatar(painter, QRectF(avatar), index.data(InboxRole.CUSTOMER) or "",
                     conversation.customer.id if conversation is not None else index.row())  # fmt: skip
        badge_size = ICON // 2 + 2
        channel_icon(kind).paint(
            painter, QRect(avatar.right() - badge_size + 4, avatar.bottom() - badge_size + 4, badge_size, badge_size)
        )
        body = rect.adjusted(ICON + PAD, 0, 0, 0)
        line = QFontMetrics(option.font).height()
        unread = int(index.data(InboxRole.UNREAD) or 0)

        moment: datetime | None = index.data(InboxRole.LAST_ACTIVITY)
        small = _font(option.font, scale=0.9)
        when = relative_time(moment, datetime.now(UTC)) if moment else ""
        painter.setFont(small)
        painter.setPen(colour("accent") if unread and not selected else muted)
        when_width = QFontMetrics(small).horizontalAdvance(when) + 2
        top = QRect(body.left(), body.top(), body.width(), line)
        painter.drawText(top, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, when)
        when_width += _paint_sla_chip(painter, index, top.adjusted(0, 0, -when_width - PAD, 0), small)

        name_font = _font(option.font, bold=True)
        painter.setFont(name_font)
        painter.setPen(text_color)
        name_rect = top.adjusted(0, 0, -(when_width + PAD), 0)
        name = QFontMetrics(name_font).elidedText(
            index.data(InboxRole.CUSTOMER) or "", Qt.TextElideMode.ElideRight, name_rect.width()
        )
        painter.drawText(name_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, name)

        small_line = QFontMetrics(small).height()
        bottom = QRect(body.left(), top.bottom() + 3, body.width(), line)
        # Third line: since when the customer waits for an answer, and who holds the conversation (issue 16).
        third = QRect(body.left(), body.bottom() - small_line + 1, body.width(), small_line)
        waiting_since = index.data(InboxRole.WAITING_SINCE)
        holder = index.data(InboxRole.HOLDER) or ""
        painter.setFont(small)
        holder_text = holder or QCoreApplication.translate("ConversationDelegate", "Unassigned")
        holder_width = QFontMetrics(small).horizontalAdvance(holder_text) + 2
        painter.setPen(muted)
        painter.drawText(third, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, holder_text)
        if waiting_since is not None:
            waits = waiting_text(waiting_since)
            long_wait = (datetime.now(UTC) - waiting_since).total_seconds() >= LONG_WAIT_SECONDS
            painter.setPen(text_color if selected else colour("wait_long" if long_wait else "wait"))
            waits_rect = third.adjusted(0, 0, -(holder_width + PAD), 0)
            waits = QFontMetrics(small).elidedText(waits, Qt.TextElideMode.ElideRight, waits_rect.width())
            painter.drawText(waits_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, waits)
        trailing = 0
        if unread:
            badge_font = _font(option.font, scale=0.85, bold=True)
            label = str(unread) if unread < 1000 else "999+"
            metrics = QFontMetrics(badge_font)
            height = metrics.height() + 2
            width = max(height, metrics.horizontalAdvance(label) + 10)
            badge = QRect(bottom.right() - width, bottom.center().y() - height // 2, width, height)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour("accent_text") if selected else colour("accent"))
            painter.drawRoundedRect(badge, height / 2, height / 2)
            painter.setFont(badge_font)
            painter.setPen(colour("accent") if selected else colour("accent_text"))
            painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, label)
            trailing = width + PAD
        else:
            status = index.data(InboxRole.STATUS)
            if status and status != "open":
                # A status chip: the word on the status's colour, rounded.
                tag = status_label(status)
                chip_font = _font(option.font, scale=0.8, bold=True)
                metrics = QFontMetrics(chip_font)
                width, height = metrics.horizontalAdvance(tag) + 12, metrics.height() + 2
                chip = QRect(bottom.right() - width, bottom.center().y() - height // 2, width, height)
                painter.setRenderHint(QPainter.RenderHint.Antialiasing)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(colour("chip_pending" if status == "pending" else "chip_resolved"))
                painter.drawRoundedRect(chip, height / 2, height / 2)
                painter.setFont(chip_font)
                painter.setPen(colour("accent_text"))
                painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, tag)
                trailing = width + PAD
        painter.setFont(option.font)
        painter.setPen(muted)
        preview_rect = bottom.adjusted(0, 0, -trailing, 0)
        preview = " ".join((index.data(InboxRole.PREVIEW) or "").split())
        preview = QFontMetrics(option.font).elidedText(preview, Qt.TextElideMode.ElideRight, preview_rect.width())
        painter.drawText(preview_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, preview)
        painter.restore()


class BubbleDelegate(QStyledItemDelegate):
    """A message: incoming on the left, the operators' replies on the right, notes and system lines centred."""

    voiceToggled = Signal(int)  # a message id: play or pause its voice note (or open it, without a player)
    voiceSeek = Signal(int, float)  # a message id and where on its track (0..1) to go on

    def __init__(self, view: QAbstractItemView, channel_name: Callable[[], str] = lambda: "") -> None:
        super().__init__(view)
        self._view = view
        self._channel_name = channel_name
        self._sizes: dict[tuple[tuple[str, str] | None, int], QSize] = {}

    def forget_sizes(self) -> None:
        self._sizes.clear()

    def _available_width(self) -> int:
        return max(160, self._view.viewport().width())

    def _meta(self, index: Index) -> tuple[str, bool]:
        moment = index.data(MessageRole.SENT_AT)
        parts = []
        direction = index.data(MessageRole.DIRECTION)
        author = index.data(MessageRole.AUTHOR)
        if direction == "out" and author:
            parts.append(author)
        if moment is not None:
            parts.append(message_time(moment))
        if direction == "in":
            channel = self._channel_name()
            if channel:
                parts.append(channel)
        parts.extend(mark_labels(index.data(MessageRole.MARKS) or (), direction))
        delivery = index.data(MessageRole.DELIVERY)
        if direction == "out" and delivery:
            parts.append(delivery_label(delivery, index.data(MessageRole.DELIVERY_ERROR)))
        return " · ".join(parts), delivery in ("failed", "refused")

    @staticmethod
    def _text(index: Index) -> str:
        """The bubble's text; a voice note's stand-in line ("🎤 voice.ogg", the server's for a message without text)
        gives way to its play control."""
        text = index.data(Qt.ItemDataRole.DisplayRole) or ""
        if text[:1] in VOICE_MARKS and index.data(MessageRole.VOICE) is not None:
            return ""
        return text

    def _preview_size(self, index: Index, max_width: int) -> QSize:
        """The picture's size in the bubble: its preview scaled down to fit (never up), or empty."""
        preview = index.data(MessageRole.PREVIEW)
        if preview is None or preview.isNull():
            return QSize(0, 0)
        return (
            preview.size()
            .scaled(
                QSize(min(max_width, PREVIEW_MAX.width()), PREVIEW_MAX.height()), Qt.AspectRatioMode.KeepAspectRatio
            )
            .boundedTo(preview.size())
        )

    def _geometry(self, option: QStyleOptionViewItem, index: Index) -> tuple[QRect, QRect, QRect, QRect, QRect]:
        """Bubble, text, meta, picture and voice control rectangles relative to the row's top-left corner."""
        width = self._available_width()
        max_text = int(width * 0.72) - 2 * PAD
        text = self._text(index)
        metrics = QFontMetrics(option.font)
        text_rect = metrics.boundingRect(QRect(0, 0, max_text, 1_000_000), Qt.TextFlag.TextWordWrap, text)
        if not text and index.data(MessageRole.VOICE) is not None:
            text_rect = QRect()  # only the play control: no empty line under it
        meta, _ = self._meta(index)
        small = QFontMetrics(_font(option.font, scale=0.85))
        meta_width = min(max_text, small.horizontalAdvance(meta) + 2)
        picture = self._preview_size(index, max_text)
        voice = QSize(min(VOICE.width(), max_text), VOICE.height()) if index.data(MessageRole.VOICE) else QSize()
        above = picture.height() + PAD // 2 if picture.height() else 0
        voice_top = above
        above += voice.height() + PAD // 2 if voice.height() > 0 else 0
        inner = max(text_rect.width(), meta_width, picture.width(), voice.width(), 24)
        bubble_w = inner + 2 * PAD
        bubble_h = above + text_rect.height() + small.height() + 2 * PAD + 2  # room for descenders of the meta
        outgoing = index.data(MessageRole.DIRECTION) == "out"
        kind = index.data(MessageRole.KIND)
        if kind in ("note", "system"):
            left = (width - bubble_w) // 2
        elif outgoing:
            left = width - bubble_w - PAD
        else:
            left = PAD
        bubble = QRect(left, 4, bubble_w, bubble_h)
        picture_box = QRect(left + PAD, 4 + PAD - 2, picture.width(), picture.height())
        voice_box = QRect(left + PAD, 4 + PAD - 2 + voice_top, max(0, voice.width()), max(0, voice.height()))
        text_box = QRect(left + PAD, 4 + PAD - 2 + above, inner, text_rect.height())
        meta_box = QRect(left + PAD, text_box.bottom() + 2, inner, small.height() + 2)
        return bubble, text_box, meta_box, picture_box, voice_box

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        width = self._available_width()
        key = (index.data(MessageRole.LAYOUT_KEY), width)
        size = self._sizes.get(key)
        if size is None:
            bubble = self._geometry(option, index)[0]
            size = QSize(width, bubble.height() + 8)
            self._sizes[key] = size
        return size

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        bubble, text_box, meta_box, picture_box, voice_box = (
            r.translated(option.rect.topLeft()) for r in self._geometry(option, index)
        )
        kind = index.data(MessageRole.KIND)
        outgoing = index.data(MessageRole.DIRECTION) == "out"
        fill = colour("bubble_note" if kind in ("note", "system") else "bubble_out" if outgoing else "bubble_in")
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRoundedRect(bubble, 10, 10)
        if option.state & QStyle.StateFlag.State_Selected:
            painter.setPen(colour("accent"))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(bubble, 10, 10)
        if picture_box.height():
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawPixmap(picture_box, index.data(MessageRole.PREVIEW))
        if voice_box.height():
            self._paint_voice(painter, voice_box, index.data(MessageRole.VOICE), option.font)
        painter.setPen(colour("text"))
        painter.setFont(_font(option.font, italic=kind == "system"))
        painter.drawText(text_box, Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft, self._text(index))
        meta, alarming = self._meta(index)
        small = _font(option.font, scale=0.85)
        painter.setFont(small)
        painter.setPen(colour("failed") if alarming else colour("muted"))
        meta = QFontMetrics(small).elidedText(meta, Qt.TextElideMode.ElideRight, meta_box.width())
        align = Qt.AlignmentFlag.AlignRight if outgoing else Qt.AlignmentFlag.AlignLeft
        painter.drawText(meta_box, align | Qt.AlignmentFlag.AlignVCenter, meta)
        painter.restore()

    # --- a voice note's control: play/pause, the track (click to seek), the time; or "Open" -----------------

    @staticmethod
    def voice_parts(box: QRect) -> tuple[QRect, QRect]:
        """The play button and the track of a voice control's rectangle."""
        button = QRect(box.left(), box.top(), box.height(), box.height())
        track = QRect(button.right() + 8, box.top(), max(0, box.width() - box.height() - 8 - 84), box.height())
        return button, track

    def _paint_voice(self, painter: QPainter, box: QRect, state, font: QFont) -> None:
        button, track = self.voice_parts(box)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour("accent"))
        small = _font(font, scale=0.85)
        if not state.in_app:  # no player here: a button that hands the file to the desktop's player
            label = QCoreApplication.translate("BubbleDelegate", "Open in the player")
            wide = QRect(box.left(), box.top(), min(box.width(), QFontMetrics(font).horizontalAdvance(label) + 52),
                         box.height())  # fmt: skip
            painter.drawRoundedRect(wide, box.height() / 2, box.height() / 2)
            self._play_glyph(painter, button)
            painter.setPen(colour("accent_text"))
            painter.setFont(font)
            text_box = wide.adjusted(button.width(), 0, -8, 0)
            painter.drawText(text_box, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, label)
            return
        painter.drawEllipse(button)
        if state.playing:
            bar = button.width() / 7
            painter.setBrush(colour("accent_text"))
            centre = QRectF(button).center()
            for dx in (-1.5 * bar, 0.5 * bar):
                painter.drawRect(QRectF(centre.x() + dx, centre.y() - 2.2 * bar, bar, 4.4 * bar))
        else:
            self._play_glyph(painter, button)
        line = QRectF(track.left(), track.center().y() - 1.5, track.width(), 3)
        painter.setBrush(colour("border"))
        painter.drawRoundedRect(line, 1.5, 1.5)
        done = state.position / state.duration if state.duration > 0 else 0.0
        painter.setBrush(colour("accent"))
        painter.drawRoundedRect(QRectF(line.left(), line.top(), line.width() * min(1.0, done), 3), 1.5, 1.5)
        painter.drawEllipse(QPointF(line.left() + line.width() * min(1.0, done), line.center().y()), 5, 5)
        painter.setPen(colour("muted"))
        painter.setFont(small)
        if state.loading:
            when = QCoreApplication.translate("BubbleDelegate", "loading…")
        elif state.duration > 0:
            when = f"{_clock(state.position)} / {_clock(state.duration)}"
        else:
            when = _clock(state.position)
        painter.drawText(
            QRect(track.right() + 8, box.top(), box.right() - track.right() - 8, box.height()),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            when,
        )

    @staticmethod
    def _play_glyph(painter: QPainter, button: QRect) -> None:
        painter.setBrush(colour("accent_text"))
        c = QRectF(button).center()
        r = button.height() / 4.2
        painter.drawPolygon(QPolygonF([QPointF(c.x() - r * 0.7, c.y() - r), QPointF(c.x() - r * 0.7, c.y() + r),
                                       QPointF(c.x() + r, c.y())]))  # fmt: skip
        painter.setBrush(colour("accent"))

    def editorEvent(self, event: QEvent, model, option: QStyleOptionViewItem, index: Index) -> bool:
        """A click on a voice note's button plays or pauses it; on its track, seeks there."""
        if event.type() != QEvent.Type.MouseButtonRelease or not index.data(MessageRole.VOICE):
            return super().editorEvent(event, model, option, index)
        box = self._geometry(option, index)[4].translated(option.rect.topLeft())
        point = event.position().toPoint()
        button, track = self.voice_parts(box)
        message = index.data(MessageRole.MESSAGE)
        state = index.data(MessageRole.VOICE)
        if (button.contains(point) or (not state.in_app and box.contains(point))) and message is not None:
            self.voiceToggled.emit(message.id)
            return True
        if state.in_app and track.adjusted(0, -4, 0, 4).contains(point) and track.width() > 0 and message is not None:
            self.voiceSeek.emit(message.id, (point.x() - track.left()) / track.width())
            return True
        return super().editorEvent(event, model, option, index)


def _clock(milliseconds: int) -> str:
    """0:07, 1:05:03: a recording's time as the locale writes a duration."""
    seconds = max(0, int(milliseconds) // 1000)
    time = QTime(0, 0).addSecs(seconds)
    return QLocale().toString(time, "h:mm:ss" if seconds >= 3600 else "m:ss")
