"""Channel credentials encrypted at rest: Fernet (AES-128-CBC + HMAC-SHA256, from ``cryptography``).

The key comes from the ``channel_key`` setting (several comma-separated keys: the first encrypts, all decrypt, so a
key can be rotated), or from ``channel_key_file`` (default ``channel.key`` in the data directory), which is created
with mode 0600 on first use. The database alone never reveals a bot token or an app secret.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from omnidesk.server.config import Settings

_lock = threading.Lock()
_cache: dict[tuple, MultiFernet] = {}


class SecretsUnreadable(Exception):
    """The stored credentials cannot be decrypted with the configured key(s)."""


def _key_file(settings: Settings) -> Path:
    return Path(settings.channel_key_file) if settings.channel_key_file else settings.files_dir / "channel.key"


def _keys(settings: Settings) -> list[bytes]:
    if settings.channel_key:
        return [k.strip().encode() for k in settings.channel_key.split(",") if k.strip()]
    path = _key_file(settings)
    with _lock:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as out:
                out.write(Fernet.generate_key() + b"\n")
    return [line.strip() for line in path.read_bytes().splitlines() if line.strip()]


def box(settings: Settings) -> MultiFernet:
    ident = (settings.channel_key, settings.channel_key_file, str(settings.files_dir))
    found = _cache.get(ident)
    if found is None:
        try:
            found = MultiFernet([Fernet(k) for k in _keys(settings)])
        except (ValueError, IndexError) as exc:
            raise SecretsUnreadable(f"the channel key is not a Fernet key: {type(exc).__name__}") from None
        _cache[ident] = found
    return found


def seal(settings: Settings, secrets: dict[str, str]) -> str:
    return box(settings).encrypt(json.dumps(secrets, separators=(",", ":")).encode()).decode()


def unseal(settings: Settings, token: str) -> dict[str, str]:
    try:
        return json.loads(box(settings).decrypt(token.encode()))
    except InvalidToken:
        raise SecretsUnreadable("the channel credentials do not decrypt with the configured key") from None
