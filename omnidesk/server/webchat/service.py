"""Web chat on the server: channels, visitors, their messages, who is online, and the live fan-out to visitors."""

from __future__ import annotations

import asyncio
import collections
import contextlib
import datetime as dt
import json
import logging
import secrets as pysecrets
import time
from typing import Any

from sqlalchemy import exists, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domain.enums import ChannelKind, Direction, EventType, MessageKind, Role
from omnidesk.domain.identity import Identifier, IdentityKind, normalize
from omnidesk.protocol import InboundMessage
from omnidesk.protocol.workorg import ActivityOut
from omnidesk.server.admin.models import Channel
from omnidesk.server.admin.service import create_api_channel
from omnidesk.server.attachments import service as attachment_service
from omnidesk.server.attachments.models import Attachment
from omnidesk.server.audit import service as audit
from omnidesk.server.audit.service import Actor
from omnidesk.server.auth.models import AuthSession
from omnidesk.server.channel_settings import service as channel_settings
from omnidesk.server.channels.models import MessageDetails
from omnidesk.server.channels.service import announce_message
from omnidesk.server.conversations.models import Conversation, Message
from omnidesk.server.csat import service as csat_service
from omnidesk.server.customers.models import Customer
from omnidesk.server.db import Database, dialect_insert, utcnow
from omnidesk.server.events.service import EventHub
from omnidesk.server.ingest.service import ChannelRef, ingest
from omnidesk.server.presence.service import announce_activity
from omnidesk.server.queues.models import QueueMember
from omnidesk.server.users.models import User
from omnidesk.server.webchat.models import WebchatVisitor

log = logging.getLogger("omnidesk.webchat")

HISTORY = 100
VISITOR_FIELD_SIZES = {"name": 200, "site_user": 200, "page_title": 300, "language": 35, "user_agent": 500}


async def create_webchat_channel(
    session: AsyncSession, *, name: str, options: dict[str, Any], queue_id: int | None, actor: Actor | None
) -> tuple[Channel, str]:
    """A web chat channel; returns it and the site secret (for signed user tokens), shown once. Caller commits."""
    channel, _token = await create_api_channel(
        session, name=name, queue_id=queue_id, actor=actor, kind=ChannelKind.WEBCHAT
    )
    site_secret = pysecrets.token_urlsafe(32)
    await channel_settings.save(
        session, channel.id, options, {"site_secret": site_secret, "visitor_secret": pysecrets.token_urlsafe(32)}
    )
    return channel, site_secret


def snippet(base_url: str, channel_id: int, options: dict[str, Any]) -> str:
    attrs = [f'src="{base_url}/widget.js"', f'data-channel="{channel_id}"']
    for key in ("color", "language", "position"):
        if options.get(key):
            attrs.append(f'data-{"lang" if key == "language" else key}="{options[key]}"')
    return f"<script {' '.join(attrs)} async></script>"


async def webchat_channel(db: Database, channel_id: int):
    async with db.session() as session:
        c = await session.scalar(
            select(Channel).where(
                Channel.id == channel_id, Channel.kind == ChannelKind.WEBCHAT.value, Channel.is_active
            )
        )
        if c is None:
            return None
        ref = ChannelRef(c.id, c.kind, c.name, c.queue_id, c.webhook_url)
        options, secrets = await channel_settings.load(session, c.id)
        await session.rollback()
    return ref, options, secrets


async def operators_online(db: Database, queue_id: int | None) -> bool:
    """Someone who can answer holds a live session: a member of the queue, or a supervisor or admin."""
    now = utcnow()
    member = exists().where(QueueMember.user_id == User.id, QueueMember.queue_id == queue_id)
    async with db.session() as session:
        found = await session.scalar(
            select(AuthSession.id)
            .join(User, User.id == AuthSession.user_id)
            .where(
                AuthSession.revoked_at.is_(None),
                AuthSession.access_expires_at > now,
                or_(User.role.in_([Role.SUPERVISOR.value, Role.ADMIN.value]), member),
            )
            .limit(1)
        )
    return found is not None


def visitor_identifier(channel_id: int, key: str) -> Identifier:
    return normalize(IdentityKind.EXTERNAL, f"webchat:{channel_id}:{key}")


async def get_or_create_visitor(db: Database, channel_id: int, key: str | None, info: dict[str, Any]) -> WebchatVisitor:
    async with db.session() as session:
        visitor = None
        if key:
            visitor = await session.scalar(
                select(WebchatVisitor).where(WebchatVisitor.visitor_key == key, WebchatVisitor.channel_id == channel_id)
            )
        if visitor is None:
            visitor = WebchatVisitor(channel_id=channel_id, visitor_key=pysecrets.token_hex(16))
            session.add(visitor)
        for field in ("page_url", "referrer", "user_agent", "name", "site_user", "page_title", "language"):
            value = info.get(field)
            if value:
                setattr(visitor, field, str(value).strip()[: VISITOR_FIELD_SIZES.get(field, 2000)])
        visitor.last_seen_at = utcnow()
        await session.commit()
        await session.refresh(visitor)
        session.expunge(visitor)
    return visitor


async def post_visitor_message(
    db: Database,
    channel: ChannelRef,
    visitor: WebchatVisitor,
    text: str,
    client_key: str,
    extra: list[Identifier] = (),
    batcher=None,
):
    identifier = visitor_identifier(channel.id, visitor.visitor_key)
    extra = list(extra)
    if visitor.site_user:
        extra.append(normalize(IdentityKind.EXTERNAL, visitor.site_user))
    message = InboundMessage(
        external_id=f"webchat:{visitor.visitor_key}:{client_key}"[:255],
        sender={"kind": "external", "value": identifier.value, "name": (visitor.name or "")[:200] or None},
        identities=[{"kind": i.kind.value, "value": i.value} for i in extra],
        text=text,
    )
    ack = await ingest(db, channel, message, identifier, extra, batcher=batcher)
    async with db.session() as session:
        v = await session.get(WebchatVisitor, visitor.id)
        v.conversation_id, v.customer_id, v.last_seen_at = ack.conversation_id, ack.customer_id, utcnow()
        if visitor.language and ack.customer_id is not None:
            await _learn_language(session, ack.customer_id, visitor.language)
        await session.commit()
    return ack


async def _learn_language(session: AsyncSession, customer_id: int, browser_language: str) -> None:
    """A customer whose language is not known yet takes the browser's (its primary subtag: ``uk-UA`` → ``uk``), so
    replies, surveys and the card speak it; a language an operator set is never overwritten."""
    language = browser_language.split("-", 1)[0].lower()
    if not language.isalpha() or not 2 <= len(language) <= 3:
        return
    changed = await session.execute(
        update(Customer)
        .where(Customer.id == customer_id, or_(Customer.language.is_(None), Customer.language == ""))
        .values(language=language)
    )
    if changed.rowcount:
        await audit.record(
            session, Actor(None, "webchat"), "customer.language.learned", "customer", customer_id,
            {"language": language, "from": "browser"},
        )  # fmt: skip


# Files a visitor may not send through a public widget: programs and scripts (everything else is kept and always
# served to operators as a download, see server/attachments).
REFUSED_VISITOR_TYPES = frozenset(
    {
        "application/x-msdownload",
        "application/x-dosexec",
        "application/x-executable",
        "application/x-elf",
        "application/x-mach-binary",
        "application/x-sharedlib",
        "application/vnd.microsoft.portable-executable",
        "application/x-shockwave-flash",
        "application/java-archive",
        "text/html",
    }
)
VISITOR_FILE_MAX = 10 * 1024 * 1024  # the web chat connector's max_media_bytes


class VisitorFileRefused(ValueError):
    """A visitor's file that is not taken (empty, too large, a program); the message says why."""

    def __init__(self, reason: str, too_large: bool = False) -> None:
        super().__init__(reason)
        self.too_large = too_large


def public_message(
    m: dict[str, Any], files: list[dict[str, Any]] | None = None, choices: list[str] | None = None
) -> dict[str, Any]:
    """What a visitor may see of a message: never notes or system lines, never who wrote internally. ``choices``:
    the answers an outgoing message offers as buttons (a survey's scores, an operator's quick replies), each sent
    back as the visitor's text; the widget shows them under the latest message only."""
    return {
        "id": m["id"],
        "direction": m["direction"],
        "text": m["text"],
        "sent_at": m["sent_at"],
        "author": m.get("author_name") if m["direction"] == "out" else None,
        "files": files or [],
        "choices": (choices or []) if m["direction"] == "out" else [],
    }


async def choices_of(session: AsyncSession, message_ids: list[int]) -> dict[int, list[str]]:
    """The quick replies these messages carry (kept with the message for the outbox: omnidesk.server.channels
    .replies.attach, omnidesk.server.csat.service.answer_choices)."""
    if not message_ids:
        return {}
    rows = (
        await session.execute(
            select(MessageDetails.message_id, MessageDetails.payload).where(MessageDetails.message_id.in_(message_ids))
        )
    ).all()
    out: dict[int, list[str]] = {}
    for r in rows:
        quick = r.payload.get("quick_replies") if isinstance(r.payload, dict) else None
        if isinstance(quick, list) and quick:
            out[r.message_id] = [str(q) for q in quick]
    return out


async def files_of(session: AsyncSession, message_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """The files of these messages as a visitor sees them (name, size, type; fetched by id with the visitor's token)."""
    if not message_ids:
        return {}
    rows = (
        await session.execute(
            select(Attachment.id, Attachment.message_id, Attachment.file_name, Attachment.size, Attachment.mime_type)
            .where(Attachment.message_id.in_(message_ids))
            .order_by(Attachment.id)
        )
    ).all()
    out: dict[int, list[dict[str, Any]]] = collections.defaultdict(list)
    for r in rows:
        out[r.message_id].append(
            {
                "id": r.id,
                "name": r.file_name,
                "size": r.size,
                "type": r.mime_type,
                "image": r.mime_type in attachment_service.IMAGE_TYPES,
            }
        )
    return out


def check_visitor_file(data: bytes, declared: str | None, file_name: str | None) -> attachment_service.Sniffed:
    """Refuses what a visitor may not send, before anything is stored (no message for a refused file); returns the
    type the bytes say."""
    if not data:
        raise VisitorFileRefused("the file is empty")
    if len(data) > VISITOR_FILE_MAX:
        raise VisitorFileRefused(f"the file is larger than {VISITOR_FILE_MAX // 1048576} MB", too_large=True)
    sniffed = attachment_service.sniff(data, declared, file_name)
    name = (file_name or "").lower()
    if sniffed.mime_type in REFUSED_VISITOR_TYPES or name.endswith((".exe", ".msi", ".bat", ".cmd", ".scr", ".js")):
        raise VisitorFileRefused("programs and scripts cannot be sent in the chat")
    return sniffed


async def post_visitor_file(
    db: Database,
    settings,
    channel: ChannelRef,
    visitor: WebchatVisitor,
    data: bytes,
    declared: str | None,
    file_name: str | None,
    client_key: str,
):
    """A visitor's file: one message (its text the file's name) with the file attached; exactly once per client key
    (a retried upload answers the same message). Raises :class:`VisitorFileRefused`."""
    sniffed = check_visitor_file(data, declared, file_name)
    kind = attachment_service.kind_for(sniffed.mime_type)
    name = attachment_service.safe_name(file_name, sniffed, kind)
    icon = {"image": "🖼", "audio": "🎵", "video": "🎬"}.get(kind, "📎")
    ack = await post_visitor_message(db, channel, visitor, f"{icon} {name}", client_key)
    async with db.session() as session:
        inserted = await session.execute(
            dialect_insert(db)(MessageDetails)
            .values(message_id=ack.message_id, payload={"raw": {"webchat_file": name}}, complete=True)
            .on_conflict_do_nothing(index_elements=["message_id"])
        )
        if inserted.rowcount != 1:  # the same upload again (a retry): its file is stored already
            await session.rollback()
            return ack
        try:
            await attachment_service.store(
                session,
                settings,
                conversation_id=ack.conversation_id,
                message_id=ack.message_id,
                direction=Direction.IN.value,
                data=data,
                declared_mime=declared,
                file_name=file_name,
                max_bytes=VISITOR_FILE_MAX,
            )
        except attachment_service.AttachmentRefused as exc:  # checked above; the server's own limit may be lower
            await session.rollback()
            raise VisitorFileRefused(str(exc), too_large="larger" in str(exc)) from None
        await announce_message(session, db, ack.message_id)
        await session.commit()
    return ack


async def history(db: Database, conversation_id: int | None) -> list[dict[str, Any]]:
    if conversation_id is None:
        return []
    async with db.session() as session:
        rows = (
            await session.execute(
                select(Message.id, Message.direction, Message.text, Message.sent_at, Message.kind)
                .where(Message.conversation_id == conversation_id, Message.kind == MessageKind.TEXT.value)
                .order_by(Message.id.desc())
                .limit(HISTORY)
            )
        ).all()
        ids = [r.id for r in rows]
        files = await files_of(session, ids)
        choices = await choices_of(session, [r.id for r in rows if r.direction == Direction.OUT.value])
        # A survey question answered or too old: its buttons would answer nothing, so they are left out.
        for message_id in await csat_service.closed_questions(session, list(choices), utcnow()):
            del choices[message_id]
        await session.rollback()
    return [
        public_message(
            {"id": r.id, "direction": r.direction, "text": r.text, "sent_at": r.sent_at.isoformat()},
            files.get(r.id, []),
            choices.get(r.id),
        )
        for r in reversed(rows)
    ]


# A visitor typing is told to the operators (a conversation.activity event with ``visitor``) at most this often per
# conversation and server process; the widget reports typing every 3 s while the visitor types.
VISITOR_TYPING_EVERY = 3.0


async def tell_visitor_typing(db: Database, conversation_id: int) -> None:
    """The customer types in the web chat: a conversation.activity event (``visitor``: not a colleague) for whoever
    sees the conversation, on every server process (the event log carries it)."""
    async with db.session() as session:
        row = (
            await session.execute(
                select(Conversation.queue_id, Conversation.assignee_id, Customer.display_name)
                .join(Customer, Customer.id == Conversation.customer_id)
                .where(Conversation.id == conversation_id)
            )
        ).one_or_none()
        if row is None:
            return
        seen = ActivityOut(
            conversation_id=conversation_id,
            user_id=0,
            display_name=row.display_name or "",
            typing=True,
            at=utcnow(),
            visitor=True,
        )
        await announce_activity(session, db, seen, queue_id=row.queue_id, assignee_id=row.assignee_id)
        await session.commit()


class VisitorFanout:
    """Follows the event log and wakes the streams of the visitors (on this process) whose conversation changed.

    Typing both ways goes through the event log, so it crosses server processes: an operator typing a reply
    (conversation.activity with ``typing``, which the desktop client reports every few seconds) reaches the
    visitor's stream as a ``typing`` frame; the visitor typing becomes a conversation.activity event with
    ``visitor`` (tell_visitor_typing) the operators' clients show live. ``visitor_typing`` also answers the
    conversation's web chat state read on this process."""

    def __init__(self, hub: EventHub) -> None:
        self.hub = hub
        self.queues: dict[int, set[asyncio.Queue]] = collections.defaultdict(set)
        self.operator_typing: dict[int, float] = {}
        self.visitor_typing: dict[int, float] = {}
        self._visitor_told: dict[int, float] = {}  # conversation → when its visitor's typing was last told
        self.online_visitors: dict[int, int] = collections.defaultdict(int)  # conversation → open streams
        # (channel, customer) → the streams of that visitor: a new conversation of theirs on that channel (after the
        # last one was resolved) takes the streams along, so the operator's answers to it arrive live.
        self.visitors: dict[tuple[int, int], set[asyncio.Queue]] = collections.defaultdict(set)
        self._followed: dict[asyncio.Queue, int] = {}  # stream → the conversation it follows now
        self._visitor_of: dict[asyncio.Queue, tuple[int, int]] = {}

    def subscribe(self, conversation_id: int, visitor: tuple[int, int] | None = None) -> asyncio.Queue:
        """A visitor's stream of ``conversation_id``; ``visitor`` (channel id, customer id) lets it follow them."""
        q: asyncio.Queue = asyncio.Queue(maxsize=200)
        self._follow(q, conversation_id)
        if visitor is not None:
            self.visitors[visitor].add(q)
            self._visitor_of[q] = visitor
        return q

    def _follow(self, q: asyncio.Queue, conversation_id: int) -> None:
        self.queues[conversation_id].add(q)
        self.online_visitors[conversation_id] += 1
        self._followed[q] = conversation_id

    def _unfollow(self, q: asyncio.Queue) -> None:
        conversation_id = self._followed.pop(q, None)
        if conversation_id is None:
            return
        self.queues[conversation_id].discard(q)
        self.online_visitors[conversation_id] -= 1
        if not self.queues[conversation_id]:
            del self.queues[conversation_id]
            self.online_visitors.pop(conversation_id, None)

    def unsubscribe(self, q: asyncio.Queue) -> None:
        self._unfollow(q)
        visitor = self._visitor_of.pop(q, None)
        if visitor is not None:
            self.visitors[visitor].discard(q)
            if not self.visitors[visitor]:
                del self.visitors[visitor]

    def moved(self, channel_id: int, customer_id: int, conversation_id: int) -> None:
        """A new conversation of a visitor with streams here: they follow it from now on, and each stream is told
        (a ``moved`` frame: it sends the new conversation's history, which the widget shows once per message)."""
        for q in list(self.visitors.get((channel_id, customer_id), ())):
            if self._followed.get(q) != conversation_id:
                self._unfollow(q)
                self._follow(q, conversation_id)
                with contextlib.suppress(asyncio.QueueFull):
                    q.put_nowait({"type": "moved", "conversation_id": conversation_id})

    def publish(self, conversation_id: int, frame: dict[str, Any]) -> None:
        for q in list(self.queues.get(conversation_id, ())):
            with contextlib.suppress(asyncio.QueueFull):
                q.put_nowait(frame)

    def typing(self, conversation_id: int) -> None:
        self.operator_typing[conversation_id] = time.monotonic() + 5
        self.publish(conversation_id, {"type": "typing", "typing": True})

    def should_tell_visitor_typing(self, conversation_id: int) -> bool:
        """Whether this report of the visitor typing is told to the operators (at most every VISITOR_TYPING_EVERY)."""
        now = time.monotonic()
        if now - self._visitor_told.get(conversation_id, -VISITOR_TYPING_EVERY) < VISITOR_TYPING_EVERY:
            return False
        self._visitor_told[conversation_id] = now
        if len(self._visitor_told) > 10_000:  # forget conversations nobody typed in lately
            self._visitor_told = {c: t for c, t in self._visitor_told.items() if now - t < VISITOR_TYPING_EVERY}
        return True

    async def run(self) -> None:
        after = self.hub.last_seq
        wanted = {EventType.MESSAGE_CREATED.value, EventType.MESSAGE_UPDATED.value}
        activity = EventType.CONVERSATION_ACTIVITY.value
        created = EventType.CONVERSATION_CREATED.value
        while True:
            batch = await self.hub.events_after(after, limit=1000)
            if not batch:
                await self.hub.wait_changed(5.0)
                continue
            after = batch[-1].seq
            if not self.queues:
                continue
            watched: list[tuple[str, dict[str, Any]]] = []
            for event in batch:
                if event.type == created and self.visitors:
                    conversation = _payload(event)["conversation"]
                    self.moved(conversation["channel"]["id"], conversation["customer"]["id"], conversation["id"])
                    continue
                if event.type == activity:
                    seen = _payload(event)["activity"]
                    if seen.get("typing") and not seen.get("visitor") and seen["conversation_id"] in self.queues:
                        self.typing(seen["conversation_id"])  # an operator types a reply (on whichever process)
                    continue
                if event.type not in wanted:
                    continue
                message = _payload(event)["message"]
                if message["conversation_id"] in self.queues and message.get("kind") == MessageKind.TEXT.value:
                    watched.append((event.type, message))
            if not watched:
                continue
            # The files of every watched message of the batch in one read (not one per message event).
            # The files and quick replies of every watched message of the batch in one read each (not one per event).
            async with self.hub.db.session() as session:
                files = await files_of(session, list({message["id"] for _, message in watched}))
                outgoing = {message["id"] for _, message in watched if message["direction"] == Direction.OUT.value}
                choices = await choices_of(session, list(outgoing))
                await session.rollback()
            for kind, message in watched:
                self.publish(
                    message["conversation_id"],
                    {
                        "type": kind,
                        "message": public_message(message, files.get(message["id"]), choices.get(message["id"])),
                    },
                )


def _payload(event) -> dict[str, Any]:
    """The payload of a sequenced event, read back from its SSE frame (the hub keeps events as frames)."""
    return json.loads(event.frame.split(b"\ndata: ", 1)[1].rstrip(b"\n"))["payload"]


def visitor_online(fanout: VisitorFanout | None, conversation_id: int, last_seen: dt.datetime | None) -> bool:
    if fanout is not None and fanout.online_visitors.get(conversation_id):
        return True
    return last_seen is not None and utcnow() - last_seen < dt.timedelta(seconds=60)
