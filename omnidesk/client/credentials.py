"""The remembered session: the refresh token in the operating system's keyring, and nowhere else.

Before promising "remember me" the client checks the keyring backend. The fail and null backends, a
chainer with nothing viable behind it, and the plain-text file backends of keyrings.alt do not keep a
secret safe, so with them nothing is stored and the login dialog says why.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import keyring
import keyring.errors
from keyring.backend import KeyringBackend

__all__ = ["KeyringStatus", "SessionVault"]

log = logging.getLogger(__name__)

SERVICE = "OmniDesk"
_UNSAFE_BACKENDS = {
    ("keyring.backends.fail", "Keyring"),
    ("keyring.backends.null", "Keyring"),
    ("keyrings.alt.file", "PlaintextKeyring"),
    ("keyrings.alt.file", "EncryptedKeyring"),  # asks for its own master password on a terminal
}


@dataclass(frozen=True)
class KeyringStatus:
    usable: bool
    backend_name: str


def _describe(backend: KeyringBackend) -> str:
    name = getattr(backend, "name", None)
    return str(name) if name else f"{type(backend).__module__}.{type(backend).__name__}"


def _usable(backend: KeyringBackend) -> bool:
    kind = type(backend)
    if (kind.__module__, kind.__name__) in _UNSAFE_BACKENDS:
        return False
    chained = getattr(kind, "backends", None)
    if kind.__name__ == "ChainerBackend" and chained is not None:
        return any(_usable(inner) for inner in chained)
    try:
        return float(backend.priority) > 0
    except Exception:
        return False


class SessionVault:
    """Keeps one refresh token per (server, username) in the keyring, if the keyring can be trusted."""

    def __init__(self, backend: KeyringBackend | None = None) -> None:
        self._backend = backend

    @property
    def backend(self) -> KeyringBackend:
        return self._backend or keyring.get_keyring()

    def status(self) -> KeyringStatus:
        backend = self.backend
        return KeyringStatus(_usable(backend), _describe(backend))

    @staticmethod
    def _account(server_url: str, username: str) -> str:
        return f"{username}@{server_url}"

    def remember(self, server_url: str, username: str, refresh_token: str) -> bool:
        """Store the token; False (and nothing written anywhere) when no safe keyring exists."""
        if not self.status().usable:
            return False
        try:
            self.backend.set_password(SERVICE, self._account(server_url, username), refresh_token)
        except keyring.errors.KeyringError as error:
            log.warning("the keyring refused the session token: %s", error)
            return False
        return True

    def recall(self, server_url: str, username: str) -> str | None:
        if not self.status().usable:
            return None
        try:
            return self.backend.get_password(SERVICE, self._account(server_url, username))
        except keyring.errors.KeyringError as error:
            log.warning("the keyring could not be read: %s", error)
            return None

    def forget(self, server_url: str, username: str) -> None:
        if not self.status().usable:
            return
        try:
            self.backend.delete_password(SERVICE, self._account(server_url, username))
        except keyring.errors.PasswordDeleteError:
            pass
        except keyring.errors.KeyringError as error:
            log.warning("the keyring could not forget the session: %s", error)
