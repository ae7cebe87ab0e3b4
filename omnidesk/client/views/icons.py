"""Channel icons drawn for OmniDesk (resources/icons/<kind>.svg), cached per kind."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QIcon, QPainter, QPixmap

from omnidesk.client.resources import resource_dir

__all__ = ["app_icon", "avatar_pixmap", "channel_icon"]


@cache
def channel_icon(kind: str) -> QIcon:
    path = resource_dir("icons") / f"{kind}.svg"
    if not path.exists():
        path = resource_dir("icons") / "api.svg"
    return QIcon(str(path))


@cache
def app_icon() -> QIcon:
    return QIcon(str(resource_dir("icons") / "omnidesk.svg"))


def avatar_pixmap(name: str, key: object, channel_kind: str, size: int) -> QPixmap:
    """The customer's avatar (initials on their colour) with the channel's icon on its lower right corner."""
    from omnidesk.client.views.theme import paint_avatar

    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    paint_avatar(painter, QRectF(0, 0, size, size), name, key)
    badge = size // 2
    channel_icon(channel_kind).paint(painter, QRect(size - badge, size - badge, badge, badge))
    painter.end()
    return pixmap
