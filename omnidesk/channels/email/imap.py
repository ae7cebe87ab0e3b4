"""One mailbox over IMAP (aioimaplib): the folder's UIDVALIDITY, the messages after a UID, and IDLE when offered.

Nothing here knows the database: the caller keeps the (UIDVALIDITY, last UID) position and stores each message before
it advances it, so a restart or a reconnect neither skips nor repeats a message. Messages are fetched with
``BODY.PEEK[]`` so reading them does not change their flags in the customer-facing mailbox.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from dataclasses import dataclass

import aioimaplib

_FETCH_HEAD = re.compile(rb"^\d+ FETCH \(.*?UID (\d+)", re.I)
_UIDVALIDITY = re.compile(rb"UIDVALIDITY (\d+)", re.I)
_UIDNEXT = re.compile(rb"UIDNEXT (\d+)", re.I)


class ImapError(Exception):
    """The server refused or dropped something; the poller reconnects after a pause."""


@dataclass(frozen=True)
class ImapSettings:
    host: str
    port: int
    username: str
    password: str
    tls: bool = False
    folder: str = "INBOX"
    timeout: float = 30.0


@dataclass(frozen=True)
class Fetched:
    uid: int
    raw: bytes


class Mailbox:
    def __init__(self, settings: ImapSettings) -> None:
        self.settings = settings
        self.client: aioimaplib.IMAP4 | None = None
        self.uidvalidity: int | None = None
        self.uidnext: int | None = None

    async def __aenter__(self) -> Mailbox:
        await self.connect()
        return self

    async def __aexit__(self, *exc) -> None:
        await self.close()

    async def connect(self) -> None:
        s = self.settings
        cls = aioimaplib.IMAP4_SSL if s.tls else aioimaplib.IMAP4
        self.client = cls(host=s.host, port=s.port, timeout=s.timeout)
        await self.client.wait_hello_from_server()
        r = await self.client.login(s.username, s.password)
        if r.result != "OK":
            raise ImapError(f"IMAP login refused for {s.username}: {_words(r.lines)}")
        r = await self.client.select(_quote(s.folder))
        if r.result != "OK":
            raise ImapError(f"IMAP folder {s.folder!r} cannot be selected: {_words(r.lines)}")
        for line in r.lines:
            if isinstance(line, (bytes, bytearray)):
                if m := _UIDVALIDITY.search(line):
                    self.uidvalidity = int(m.group(1))
                if m := _UIDNEXT.search(line):
                    self.uidnext = int(m.group(1))
        if self.uidvalidity is None:
            raise ImapError("the IMAP server did not report UIDVALIDITY")

    @property
    def supports_idle(self) -> bool:
        return bool(self.client and self.client.has_capability("IDLE"))

    async def fetch_after(self, last_uid: int, limit: int = 200) -> list[Fetched]:
        """Up to ``limit`` messages with UID > ``last_uid``, oldest first."""
        assert self.client is not None
        r = await self.client.uid_search(f"UID {last_uid + 1}:*")
        if r.result != "OK":
            raise ImapError(f"IMAP search failed: {_words(r.lines)}")
        uids = sorted(int(u) for line in r.lines[:1] for u in bytes(line).split() if u.isdigit())
        uids = [u for u in uids if u > last_uid][:limit]  # "n:*" always matches the highest UID, even below n
        if not uids:
            return []
        r = await self.client.uid("fetch", ",".join(map(str, uids)), "(UID BODY.PEEK[])")
        if r.result != "OK":
            raise ImapError(f"IMAP fetch failed: {_words(r.lines)}")
        found: list[Fetched] = []
        lines = r.lines
        for i, line in enumerate(lines):
            if isinstance(line, (bytes, bytearray)) and (m := _FETCH_HEAD.match(bytes(line))) and i + 1 < len(lines):
                body = lines[i + 1]
                if isinstance(body, bytearray):
                    found.append(Fetched(int(m.group(1)), bytes(body)))
        found.sort(key=lambda f: f.uid)
        return found

    async def wait_for_news(self, timeout: float) -> None:
        """Return when the server announces a change (IDLE), or after ``timeout`` seconds (a NOOP keeps it alive)."""
        assert self.client is not None
        if not self.supports_idle:
            await asyncio.sleep(timeout)
            await self.client.noop()
            return
        idle = await self.client.idle_start(timeout=timeout)
        try:
            with contextlib.suppress(TimeoutError, asyncio.TimeoutError):
                await self.client.wait_server_push(timeout=timeout)
        finally:
            self.client.idle_done()
            with contextlib.suppress(TimeoutError, asyncio.TimeoutError):
                await asyncio.wait_for(idle, 10)

    async def close(self) -> None:
        if self.client is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.client.logout(), 5)
            self.client = None


def _quote(folder: str) -> str:
    return folder if re.fullmatch(r"[A-Za-z0-9_./-]+", folder) else '"' + folder.replace('"', '\\"') + '"'


def _words(lines) -> str:
    return " ".join(bytes(x).decode("utf-8", "replace") for x in lines if isinstance(x, (bytes, bytearray)))[:300]
