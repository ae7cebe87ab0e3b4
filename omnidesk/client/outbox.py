"""Replies the server has not acknowledged yet, kept in a small JSON file on disk.

A reply is written here, with its idempotency key, before the first attempt to send it, and removed only
once the server answered 200/201. After a crash, a closed laptop lid or a dead network the next attempt
reuses the same key, so the server stores and sends it exactly once.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

__all__ = ["Outbox", "PendingReply"]


@dataclass
class PendingReply:
    client_key: str
    server_url: str
    user_id: int
    conversation_id: int
    text: str
    created_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat())
    error: str | None = None  # set when the server refused it for good (shown to the operator)
    details: dict = field(default_factory=dict)  # more fields of the reply's body (an e-mail's "mail": To, Cc, subject)

    @property
    def created(self) -> datetime:
        return datetime.fromisoformat(self.created_at)


class Outbox:
    """A durable list of pending replies; every change is fsync'ed and atomically replaced."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._replies: dict[str, PendingReply] = {}
        self._load()

    def _load(self) -> None:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return
        except (OSError, ValueError):
            # Never throw pending replies away: keep the unreadable file for a human to look at.
            broken = self.path.with_suffix(f".broken-{uuid.uuid4().hex[:8]}.json")
            os.replace(self.path, broken)
            return
        for item in raw.get("replies", []):
            reply = PendingReply(**item)
            self._replies[reply.client_key] = reply

    def _save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        body = json.dumps({"version": 1, "replies": [asdict(r) for r in self._replies.values()]}, indent=1)
        handle, temporary = tempfile.mkstemp(prefix=".outbox-", dir=self.path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(body)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def add(
        self, *, server_url: str, user_id: int, conversation_id: int, text: str, details: dict | None = None
    ) -> PendingReply:
        reply = PendingReply(
            client_key=f"od-{uuid.uuid4().hex}",
            server_url=server_url,
            user_id=user_id,
            conversation_id=conversation_id,
            text=text,
            details=dict(details or {}),
        )
        with self._lock:
            self._replies[reply.client_key] = reply
            self._save()
        return reply

    def pending(self, server_url: str, user_id: int, *, conversation_id: int | None = None) -> list[PendingReply]:
        """This operator's replies on this server, oldest first."""
        with self._lock:
            replies = [
                reply
                for reply in self._replies.values()
                if reply.server_url == server_url
                and reply.user_id == user_id
                and (conversation_id is None or reply.conversation_id == conversation_id)
            ]
        return sorted(replies, key=lambda reply: reply.created_at)

    def get(self, client_key: str) -> PendingReply | None:
        return self._replies.get(client_key)

    def acknowledge(self, client_key: str) -> None:
        """The server stored the reply: forget it."""
        with self._lock:
            if self._replies.pop(client_key, None) is not None:
                self._save()

    def refuse(self, client_key: str, reason: str) -> None:
        """The server refused the reply for good: keep the text, stop retrying, show the reason."""
        with self._lock:
            reply = self._replies.get(client_key)
            if reply is not None:
                reply.error = reason
                self._save()

    def __len__(self) -> int:
        return len(self._replies)
