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
