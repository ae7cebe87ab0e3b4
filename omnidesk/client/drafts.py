"""Unsent reply drafts, one per conversation, kept on disk across restarts.

A draft belongs to the conversation it was typed in (server, operator and conversation id): switching to
another conversation puts the composer's text away under the old one and brings back the new one's. The
file is small JSON, replaced atomically; drafts never leave the workstation and are dropped at logout.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

__all__ = ["Drafts"]


class Drafts:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._drafts: dict[str, str] = {}
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            raw = {}
        if isinstance(raw, dict):
            self._drafts = {str(key): str(value) for key, value in raw.items() if value}

    @staticmethod
    def _key(server_url: str, user_id: int, conversation_id: int) -> str:
        return f"{server_url}|{user_id}|{conversation_id}"

    def get(self, server_url: str, user_id: int, conversation_id: int) -> str:
        return self._drafts.get(self._key(server_url, user_id, conversation_id), "")

    def put(self, server_url: str, user_id: int, conversation_id: int, text: str) -> None:
        key = self._key(server_url, user_id, conversation_id)
        if (self._drafts.get(key) or "") == text:
            return
        if text.strip():
            self._drafts[key] = text
        else:
            self._drafts.pop(key, None)
        self._save()

    def forget_user(self, server_url: str, user_id: int) -> None:
        """Logout: the operator's drafts go with them (the next user must not find them)."""
        prefix = f"{server_url}|{user_id}|"
        before = len(self._drafts)
        self._drafts = {key: value for key, value in self._drafts.items() if not key.startswith(prefix)}
        if len(self._drafts) != before:
            self._save()

    def __len__(self) -> int:
        return len(self._drafts)

    def _save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=".drafts-", dir=self.path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(self._drafts, out, ensure_ascii=False)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(name, 0o600)
            os.replace(name, self.path)
        except BaseException:
            Path(name).unlink(missing_ok=True)
            raise
