"""The settings-free face of the one credential seal (omnidesk/server/channels/crypto.py) for e-mail, web chat and
form channels, whose code reaches their secrets without the server's settings at hand.

``configure(settings)`` is called once by the app factory (and by the CLI commands that create such channels), so
these channels seal with exactly the key every other channel uses: ``channel_key`` (``OMNIDESK_CHANNEL_KEY``), or the
key file ``channel.key`` in the data directory, created with mode 0600 on first use. Before that (a script, a test
reading a mailbox without a server), the settings come from the environment and the defaults. Secrets are never
logged and never returned by the API.
"""

from __future__ import annotations

from collections.abc import Mapping

from omnidesk.server.channels import crypto as channel_crypto
from omnidesk.server.config import Settings

KEY_ENV = "OMNIDESK_CHANNEL_KEY"  # the channel_key setting from the environment

_configured: Settings | None = None


class SecretStoreError(Exception):
    """The stored secrets cannot be decrypted with the configured key(s)."""


def configure(settings: Settings) -> None:
    global _configured
    _configured = settings


def _settings() -> Settings:
    return _configured if _configured is not None else Settings()


def encrypt(secrets: Mapping[str, str]) -> str:
    try:
        return channel_crypto.seal(_settings(), dict(secrets))
    except channel_crypto.SecretsUnreadable as exc:
        raise SecretStoreError(str(exc)) from None


def decrypt(token: str | None) -> dict[str, str]:
    if not token:
        return {}
    try:
        return channel_crypto.unseal(_settings(), token)
    except channel_crypto.SecretsUnreadable as exc:
        raise SecretStoreError(f"channel secrets cannot be decrypted: {exc}") from None
