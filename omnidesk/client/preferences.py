"""The operator's non-secret preferences (server address, user name, language) and the client's folders.

Secrets never come here: the refresh token lives in the keyring (credentials.py) or nowhere.
OMNIDESK_CLIENT_HOME puts settings and the outbox in one folder (tests, portable installs).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs
from PySide6.QtCore import QSettings

__all__ = ["ClientFolders", "Preferences"]

APP = "omnidesk"


@dataclass(frozen=True)
class ClientFolders:
    config: Path
    data: Path

    @classmethod
    def locate(cls, home: str | os.PathLike[str] | None = None) -> ClientFolders:
        home = home or os.environ.get("OMNIDESK_CLIENT_HOME")
        if home:
            return cls(Path(home), Path(home))
        return cls(Path(platformdirs.user_config_dir(APP)), Path(platformdirs.user_data_dir(APP)))

    @property
    def outbox(self) -> Path:
        return self.data / "outbox.json"


class Preferences:
    def __init__(self, folders: ClientFolders) -> None:
        folders.config.mkdir(parents=True, exist_ok=True)
        self._settings = QSettings(str(folders.config / "client.ini"), QSettings.Format.IniFormat)

    def _text(self, key: str, default: str = "") -> str:
        value = self._settings.value(key, default)
        return str(value) if value is not None else default

    def _set(self, key: str, value: object) -> None:
        self._settings.setValue(key, value)
        self._settings.sync()

    @property
    def server_url(self) -> str:
        return self._text("session/server_url")

    @server_url.setter
    def server_url(self, value: str) -> None:
        self._set("session/server_url", value)

    @property
    def username(self) -> str:
        return self._text("session/username")

    @username.setter
    def username(self, value: str) -> None:
        self._set("session/username", value)

    @property
    def remember(self) -> bool:
        return self._text("session/remember", "false").lower() == "true"

    @remember.setter
    def remember(self, value: bool) -> None:
        self._set("session/remember", "true" if value else "false")

    @property
    def language(self) -> str:
        """ "" follows the system; otherwise a code of i18n.LANGUAGES."""
        return self._text("ui/language")

    @language.setter
    def language(self, value: str) -> None:
        self._set("ui/language", value)

    @property
    def window_layout(self) -> tuple[object, object, object]:
        """The main window's geometry, its state and the panes' splitter, as Qt saved them (empty: defaults)."""
        return tuple(self._settings.value(f"window/{key}") or b"" for key in ("geometry", "state", "splitter"))  # type: ignore[return-value]

    @window_layout.setter
    def window_layout(self, value: tuple[object, object, object]) -> None:
        for key, saved in zip(("geometry", "state", "splitter"), value, strict=True):
            self._settings.setValue(f"window/{key}", saved)
        self._settings.sync()

    # --- notifications (issue 16) ---

    @property
    def notify_desktop(self) -> bool:
        return self._text("notify/desktop", "true").lower() == "true"

    @notify_desktop.setter
    def notify_desktop(self, value: bool) -> None:
        self._set("notify/desktop", "true" if value else "false")

    @property
    def notify_sound(self) -> bool:
        return self._text("notify/sound", "true").lower() == "true"

    @notify_sound.setter
    def notify_sound(self, value: bool) -> None:
        self._set("notify/sound", "true" if value else "false")

    @property
    def quiet_hours(self) -> str:
        """ "22:00-08:00" style; "" for none."""
        return self._text("notify/quiet_hours", "")

    @quiet_hours.setter
    def quiet_hours(self, value: str) -> None:
        self._set("notify/quiet_hours", value)

    @property
    def away_after(self) -> float:
        """Seconds without keyboard or mouse input before "online" becomes "away" (``presence/away_after`` in
        client.ini; 300 by default, at least 1)."""
        try:
            return max(1.0, float(self._text("presence/away_after", "300")))
        except ValueError:
            return 300.0

    @away_after.setter
    def away_after(self, value: float) -> None:
        self._set("presence/away_after", str(value))

    @property
    def theme(self) -> str:
        """ "light", "dark" or "contrast" (high contrast); "" follows the system."""
        return self._text("ui/theme", "")

    @theme.setter
    def theme(self, value: str) -> None:
        self._set("ui/theme", value)
