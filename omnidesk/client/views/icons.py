"""Channel icons drawn for OmniDesk (resources/icons/<kind>.svg), cached per kind."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon

from omnidesk.client.resources import resource_dir

__all__ = ["app_icon", "channel_icon"]


@cache
def channel_icon(kind: str) -> QIcon:
    path = resource_dir("icons") / f"{kind}.svg"
    if not path.exists():
        path = resource_dir("icons") / "api.svg"
    return QIcon(str(path))


@cache
def app_icon() -> QIcon:
    return QIcon(str(resource_dir("icons") / "omnidesk.svg"))
