"""The demo's mail server: a small SMTP server and an IMAP server over one mailbox, on loopback ports.

The e-mail channel then works as it does against a real mail server, with nothing to install: customers' mails are
submitted over SMTP and land in the support mailbox's INBOX; the server's IMAP reader (server/email/poller.py) logs in,
selects INBOX (UIDVALIDITY), fetches by UID with ``BODY.PEEK[]`` and is woken by IDLE; operators' replies leave through
the e-mail connector over SMTP and are handed to ``on_outgoing`` (the demo's customers read them there).

Only what a single mailbox needs is spoken: SMTP EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT; IMAP CAPABILITY, LOGIN,
SELECT/EXAMINE, UID SEARCH, UID FETCH, FETCH, NOOP, IDLE/DONE, LOGOUT. It accepts any login: it is a demo, bound to
127.0.0.1.
"""

from __future__ import annotations

import asyncio
import contextlib
import email
import email.policy
import logging
import re
import time
from collections.abc import Callable
from email.message import EmailMessage

log = logging.getLogger("omnidesk.demo")

_RANGE = re.compile(r"^(\d+)(?::(\d+|\*))?$")


class DemoMailServer:
    """SMTP and IMAP on loopback for ``mailbox`` (the support address); other recipients get ``on_outgoing``."""

    def __init__(self, mailbox: str, on_outgoing: Callable[[EmailMessage], None] | None = None) -> None:
        self.mailbox = mailbox.lower()
        self.on_outgoing = on_outgoing
        self.inbox: list[bytes] = []  # UID n is inbox[n - 1]
        self.uidvalidity = int(time.time())
        self.smtp_port = 0
        self.imap_port = 0
        self.outgoing: list[EmailMessage] = []
        self._servers: list[asyncio.base_events.Server] = []
        self._idlers: set[asyncio.Event] = set()

    async def start(self) -> DemoMailServer:
        smtp = await asyncio.start_server(self._smtp, "127.0.0.1", 0)
        imap = await asyncio.start_server(self._imap, "127.0.0.1", 0)
        self._servers = [smtp, imap]
        self.smtp_port = smtp.sockets[0].getsockname()[1]
        self.imap_port = imap.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        for server in self._servers:
            server.close()
        for server in self._servers:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(server.wait_closed(), 2)

    def deliver(self, raw: bytes, recipients: list[str]) -> None:
        """A mail accepted over SMTP: into the INBOX for the mailbox, to ``on_outgoing`` for anyone else."""
        if any(r.lower() == self.mailbox for r in recipients):
            self.inbox.append(raw)
            for idler in self._idlers:
                idler.set()
        others = [r for r in recipients if r.lower() != self.mailbox]
        if others:
            message = email.message_from_bytes(raw, policy=email.policy.default)
            self.outgoing.append(message)
            if self.on_outgoing is not None:
                self.on_outgoing(message)

    # --- SMTP ----------------------------------------------------------------------------------------------------

    async def _smtp(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        def say(line: str) -> None:
            writer.write(line.encode() + b"\r\n")

        sender, recipients = None, []
        say("220 mail.omnidesk.demo ESMTP")
        try:
            while line := await reader.readline():
                command = line.decode("utf-8", "replace").strip()
                verb = command[:4].upper()
                if verb == "EHLO":
                    say("250-mail.omnidesk.demo")
                    say("250-8BITMIME")
                    say("250-SMTPUTF8")
                    say("250 SIZE 26214400")
                elif verb == "HELO":
                    say("250 mail.omnidesk.demo")
                elif verb == "MAIL":
                    sender, recipients = _address(command), []
                    say("250 OK")
                elif verb == "RCPT":
                    recipients.append(_address(command))
                    say("250 OK")
                elif verb == "DATA":
                    if sender is None or not recipients:
                        say("503 need MAIL and RCPT first")
                        continue
                    say("354 end with <CRLF>.<CRLF>")
                    lines = []
                    while (data := await reader.readline()) not in (b".\r\n", b".\n", b""):
                        lines.append(data[1:] if data.startswith(b"..") else data)
                    self.deliver(b"".join(lines), recipients)
                    sender, recipients = None, []
                    say("250 OK queued")
                elif verb == "RSET":
                    sender, recipients = None, []
                    say("250 OK")
                elif verb == "NOOP":
                    say("250 OK")
                elif verb == "QUIT":
                    say("221 bye")
                    await writer.drain()
                    break
                else:
                    say("502 command not implemented")
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    # --- IMAP ----------------------------------------------------------------------------------------------------

    async def _imap(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        def say(line: str | bytes) -> None:
            writer.write((line.encode() if isinstance(line, str) else line) + b"\r\n")

        say("* OK [CAPABILITY IMAP4rev1 IDLE] OmniDesk demo mailbox ready")
        news = asyncio.Event()
        try:
            while line := await reader.readline():
                tag, _, rest = line.decode("utf-8", "replace").strip().partition(" ")
                verb, _, args = rest.partition(" ")
                verb = verb.upper()
                if verb == "UID":
                    verb, _, args = args.partition(" ")
                    verb = "UID " + verb.upper()
                if verb == "CAPABILITY":
                    say("* CAPABILITY IMAP4rev1 IDLE")
                    say(f"{tag} OK CAPABILITY completed")
                elif verb == "LOGIN":
                    say(f"{tag} OK LOGIN completed")
                elif verb in ("SELECT", "EXAMINE"):
                    say(f"* {len(self.inbox)} EXISTS")
                    say("* 0 RECENT")
                    say("* FLAGS (\\Seen \\Answered \\Flagged \\Deleted \\Draft)")
                    say(f"* OK [UIDVALIDITY {self.uidvalidity}] UIDs valid")
                    say(f"* OK [UIDNEXT {len(self.inbox) + 1}] Predicted next UID")
                    say(f"{tag} OK [READ-WRITE] {verb} completed")
                elif verb == "UID SEARCH":
                    uids = self._uids(args.split()[-1] if args else "1:*")
                    say("* SEARCH" + "".join(f" {u}" for u in uids))
                    say(f"{tag} OK SEARCH completed")
                elif verb in ("UID FETCH", "FETCH"):
                    wanted, _, _items = args.partition(" ")
                    for uid in self._uids(wanted):
                        raw = self.inbox[uid - 1]
                        say(f"* {uid} FETCH (UID {uid} BODY[] {{{len(raw)}}}".encode() + b"\r\n" + raw + b")")
                    say(f"{tag} OK FETCH completed")
                elif verb == "NOOP":
                    say(f"* {len(self.inbox)} EXISTS")
                    say(f"{tag} OK NOOP completed")
                elif verb == "IDLE":
                    await self._idle(reader, writer, tag, news)
                elif verb == "LOGOUT":
                    say("* BYE logging out")
                    say(f"{tag} OK LOGOUT completed")
                    await writer.drain()
                    break
                else:
                    say(f"{tag} BAD command not supported here")
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            self._idlers.discard(news)
            writer.close()

    async def _idle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, tag: str, news) -> None:
        """``+ idling`` until the client says DONE; a new mail meanwhile is announced as ``* n EXISTS``."""
        news.clear()
        self._idlers.add(news)
        writer.write(b"+ idling\r\n")
        await writer.drain()
        done = asyncio.ensure_future(reader.readline())
        try:
            while True:
                waiting = asyncio.ensure_future(news.wait())
                finished, _ = await asyncio.wait({done, waiting}, return_when=asyncio.FIRST_COMPLETED)
                if waiting in finished:
                    news.clear()
                    writer.write(f"* {len(self.inbox)} EXISTS\r\n".encode())
                    await writer.drain()
                else:
                    waiting.cancel()
                if done in finished:
                    break
        finally:
            self._idlers.discard(news)
            if not done.done():
                done.cancel()
        writer.write(f"{tag} OK IDLE terminated\r\n".encode())

    def _uids(self, wanted: str) -> list[int]:
        """The existing UIDs in a set such as ``5``, ``5:*``, ``2:4`` or ``1,3,5``."""
        found: list[int] = []
        top = len(self.inbox)
        for piece in wanted.split(","):
            m = _RANGE.match(piece.strip())
            if not m:
                continue
            start = int(m.group(1))
            end = start if m.group(2) is None else (top if m.group(2) == "*" else int(m.group(2)))
            low, high = sorted((start, end))
            found += [u for u in range(max(low, 1), min(high, top) + 1) if u not in found]
        if wanted.endswith("*") and top and top not in found:
            found.append(top)  # "n:*" always includes the highest UID (RFC 3501)
        return found


def _address(command: str) -> str:
    start, end = command.find("<"), command.find(">")
    return command[start + 1 : end] if 0 <= start < end else command.split(":", 1)[-1].strip()
