"""A verified delivery's items stored exactly once, for every provider channel and by webhook or long poll alike:
messages through the general ingest path, then their details and files; receipts onto our own messages (never
stepping backwards); edits onto the customer's (the previous text kept in the details); deletions marked (the message
kept for audit); echoes (what our side sent from the platform's own app) as outbound messages; subscription changes
(Viber subscribed / unsubscribed, VK message_allow / message_deny) into ``channel_subscriptions``. A public comment
becomes a conversation of kind "comment" on the channel's companion comments channel.

A message is stored by ingest (deduplicated on the platform's id, in one transaction); its details (button, contact,
location, the raw payload) and its files follow in a second transaction that marks it ``complete``. The platform
hears "stored" only after both commits. If the process dies in between, the platform's redelivery finds the message
(a duplicate for ingest) without complete details and finishes it, so nothing is lost and nothing is stored twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import functools
import logging

import httpx
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from omnidesk.channels.base import AttachmentRef, Connector, InboundItem, ItemKind, ReceiptStatus, SendFailure
from omnidesk.domain import delivery
from omnidesk.domain.enums import DeliveryStatus, Direction, EventType, MessageKind
from omnidesk.domain.identity import InvalidIdentifier
from omnidesk.domain.identity import normalize as _normalize
from omnidesk.protocol import InboundAck, InboundMessage, Sender
from omnidesk.protocol.customers import TimelineKind
from omnidesk.server.admin.models import Channel
from omnidesk.server.attachments import service as attachments
from omnidesk.server.channels import threads
from omnidesk.server.channels.models import ChannelSubscription, MessageDetails
from omnidesk.server.channels.service import announce_message
from omnidesk.server.config import Settings
from omnidesk.server.conversations.models import Conversation, Message
from omnidesk.server.conversations.serialize import message_out, message_query
from omnidesk.server.customers.models import Identity
from omnidesk.server.db import Database, dialect_insert, utcnow
from omnidesk.server.events.service import emit_many
from omnidesk.server.ingest.service import ChannelRef, announce_conversation, conversation_for_outbound, ingest
from omnidesk.server.timeline.service import record_item

log = logging.getLogger("omnidesk.channels")

RECEIPT_GRACE = dt.timedelta(minutes=10)
# normalize is pure and phone parsing costs CPU: a returning customer's identifiers are read once per process.
normalize = functools.lru_cache(maxsize=65536)(_normalize)


def _known_extras(db: Database) -> dict[tuple[int, str, str], frozenset]:
    """(channel, sender kind, sender value) -> the further identifiers already attached, per database."""
    known = getattr(db, "_channel_known_extras", None)
    if known is None:
        known = db._channel_known_extras = {}
    return known


class TryLater(Exception):
    """Answer 503: the platform redelivers (a receipt for a reply whose send is not yet recorded)."""


def fallback_text(item: InboundItem) -> str:
    """A language-neutral line for a message without text (the client shows the file, contact or place itself)."""
    if item.text:
        return item.text
    if item.contact is not None:
        return " ".join(p for p in ("👤", item.contact.name, item.contact.phone) if p)
    if item.location is not None:
        loc = item.location
        return " ".join(p for p in ("📍", loc.name, f"{loc.latitude:.5f}, {loc.longitude:.5f}") if p)
    if item.attachments:
        ref = item.attachments[0]
        icon = {"image": "🖼", "voice": "🎤", "audio": "🎵", "video": "🎬", "sticker": "🏷"}.get(ref.kind, "📎")
        return f"{icon} {ref.file_name}" if ref.file_name else icon
    if item.button:
        return item.button
    return "…"


def has_content(item: InboundItem) -> bool:
    """Whether a message item carries anything to show (Viber's conversation_started with only its deep-link context
    does not: nothing is stored until the customer writes)."""
    return bool(item.text or item.attachments or item.contact or item.location or item.button)


def details_payload(item: InboundItem) -> dict:
    payload: dict = {}
    if item.button is not None:
        payload["button"] = item.button
    if item.contact is not None:
        payload["contact"] = {
            "name": item.contact.name,
            "phone": item.contact.phone,
            "platform_user_id": item.contact.platform_user_id,
        }
    if item.location is not None:
        loc = item.location
        payload["location"] = {"latitude": loc.latitude, "longitude": loc.longitude, "name": loc.name}
        payload["location"]["address"] = loc.address
    if item.start_payload:
        payload["start"] = item.start_payload
    if item.raw is not None:
        payload["raw"] = item.raw
    return payload


def _log_failure(future: asyncio.Future) -> None:
    if not future.cancelled() and future.exception() is not None:
        log.warning("a message's raw payload was not stored: %s", type(future.exception()).__name__)


class DetailsWriter:
    """Group commit of plain messages' details (their raw payload): many webhooks' rows in one transaction.

    ``write`` returns once its row is committed, so the platform still hears "stored" only after the commit; under
    load one transaction carries the rows of every delivery that arrived meanwhile (as ingest's batcher does).
    """

    def __init__(self, db: Database, max_rows: int = 500) -> None:
        self.db = db
        self.max_rows = max_rows
        self.pending: list[tuple[int, dict, asyncio.Future]] = []
        self.task: asyncio.Task | None = None
        self.unsettled: dict[int, asyncio.Future] = {}  # message id -> its row's commit, while queued or in flight

    def _track(self, message_id: int, future: asyncio.Future) -> None:
        self.unsettled[message_id] = future
        future.add_done_callback(lambda _: self.unsettled.pop(message_id, None))

    async def settled(self, message_id: int) -> None:
        """Wait until a queued row of this message is committed (or failed): an edit or a deletion arriving right
        after the message then finds the row instead of racing it for the same key."""
        future = self.unsettled.get(message_id)
        if future is not None:
            await asyncio.wait([future])

    async def write(self, message_id: int, payload: dict) -> None:
        future = asyncio.get_running_loop().create_future()
        self._track(message_id, future)
        self.pending.append((message_id, payload, future))
        if self.task is None or self.task.done():
            self.task = asyncio.create_task(self._flush())
        await future

    def write_behind(self, message_id: int, payload: dict) -> None:
        """Queue the row without waiting for its commit (a failure is logged, the message is already stored)."""
        future = asyncio.get_running_loop().create_future()
        future.add_done_callback(_log_failure)
        self._track(message_id, future)
        self.pending.append((message_id, payload, future))
        if self.task is None or self.task.done():
            self.task = asyncio.create_task(self._flush())

    async def _flush(self) -> None:
        await asyncio.sleep(0)  # let the deliveries of this moment join
        while self.pending:
            batch, self.pending = self.pending[: self.max_rows], self.pending[self.max_rows :]
            try:
                async with self.db.session() as session:
                    await session.execute(
                        dialect_insert(self.db)(MessageDetails)
                        .values([{"message_id": m, "payload": p, "complete": True} for m, p, _ in batch])
                        .on_conflict_do_nothing(index_elements=["message_id"])
                    )
                    await session.commit()
            except Exception as exc:
                for _, _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            for _, _, future in batch:
                if not future.done():
                    future.set_result(None)


class InboundHandler:
    def __init__(self, db: Database, settings: Settings, batcher=None, writer: DetailsWriter | None = None) -> None:
        self.db = db
        self.settings = settings
        self.batcher = batcher
        self.writer = writer

    async def handle(
        self, channel: Channel, connector: Connector, items: list[InboundItem], client: httpx.AsyncClient
    ) -> list[InboundAck]:
        ref = ChannelRef(channel.id, channel.kind, channel.name, channel.queue_id, channel.webhook_url)
        acks: list[InboundAck] = []
        for item in items:
            if item.kind is ItemKind.MESSAGE:
                if item.sender is None or not has_content(item):
                    log.info("channel %s: %s carries nothing to store", ref.id, item.external_id)
                    continue
                target = ref
                if item.thread is not None:
                    target = await self.comments_channel(connector) or ref
                ack = await self.message(target, connector, item, client)
                if item.thread is not None:
                    async with self.db.session() as session:
                        await threads.remember(session, ack.conversation_id, ref.kind, item)
                        await session.commit()
                acks.append(ack)
            elif item.kind is ItemKind.RECEIPT:
                await self.receipt(ref, item)
            elif item.kind is ItemKind.EDIT:
                await self.edit(ref, connector, item, client)
            elif item.kind is ItemKind.DELETION:
                await self.deletion(ref, item, connector)
            elif item.kind is ItemKind.ECHO:
                with contextlib.suppress(IntegrityError):  # a concurrent redelivery stored it
                    await self.echo(ref, item, connector)
            elif item.kind in (ItemKind.SUBSCRIBED, ItemKind.UNSUBSCRIBED):
                with contextlib.suppress(IntegrityError):
                    await self.subscription(ref, item)
        return acks

    async def comments_channel(self, connector: Connector) -> ChannelRef | None:
        """The companion channel where this channel's public comments become conversations (VK, Meta, Instagram)."""
        channel_id = connector.config.options.get("comments_channel")
        if not channel_id:
            return None
        async with self.db.session() as session:
            row = await session.get(Channel, int(channel_id))
            found = row and row.is_active and ChannelRef(row.id, row.kind, row.name, row.queue_id, row.webhook_url)
            await session.rollback()
        return found or None

    def _identifiers(self, item: InboundItem):
        region = self.settings.default_region
        assert item.sender is not None
        identifier = normalize(item.sender.kind, item.sender.value, region)
        extra = []
        for other in item.identities:
            try:
                found = normalize(other.kind, other.value, region)
            except InvalidIdentifier:
                log.info("channel item %s: ignoring an unreadable %s identifier", item.external_id, other.kind)
                continue
            if found != identifier and found not in extra:
                extra.append(found)
        return identifier, extra

    async def message(
        self, ref: ChannelRef, connector: Connector, item: InboundItem, client: httpx.AsyncClient
    ) -> InboundAck:
        identifier, extra = self._identifiers(item)
        # Validated by the platform's parser already; the text may be empty for a photo, so no min-length check here.
        message = InboundMessage.model_construct(
            external_id=item.external_id[:255],
            sender=Sender.model_construct(kind=identifier.kind, value=identifier.value, name=item.sender.name),
            identities=[],
            text=fallback_text(item)[:4096],
            sent_at=item.sent_at,
        )
        seen_key = (ref.id, identifier.kind.value, identifier.value)
        known = _known_extras(self.db)
        known_extra = known.get(seen_key)
        # The sender's further identifiers (a username, the phone of a WhatsApp id) were attached by an earlier message:
        # this one takes ingest's one-identifier path (and PostgreSQL's group commit).
        fresh = [i for i in extra if known_extra is None or i not in known_extra]
        ack = await ingest(self.db, ref, message, identifier, fresh, batcher=self.batcher)
        if len(known) > 100_000:
            known.clear()
        known[seen_key] = frozenset(extra) | (known_extra or frozenset())
        payload = details_payload(item)
        if not item.attachments and self.writer is not None and not set(payload) - {"raw"}:
            # A plain text's raw payload (the audit copy: the message itself is committed): written behind, in
            # group commits, so the platform's answer does not wait for a second transaction.
            self.writer.write_behind(ack.message_id, payload)
            return ack
        if not item.attachments:
            # One statement, no event: the details of a message without files (a button, a contact, the raw payload).
            async with self.db.session() as session:
                inserted = await session.execute(
                    dialect_insert(self.db)(MessageDetails)
                    .values(message_id=ack.message_id, payload=payload, complete=True)
                    .on_conflict_do_nothing(index_elements=["message_id"])
                )
                if inserted.rowcount == 1 and set(payload) - {"raw"}:
                    await announce_message(session, self.db, ack.message_id)
                await session.commit()
            return ack
        async with self.db.session() as session:
            complete = await session.scalar(
                select(MessageDetails.complete).where(MessageDetails.message_id == ack.message_id)
            )
            await session.rollback()
        if complete:
            return ack
        files = []
        for attachment in item.attachments:
            files.append((attachment, await self._download(connector, attachment, client)))
        async with self.db.session() as session:
            inserted = await session.execute(
                dialect_insert(self.db)(MessageDetails)
                .values(message_id=ack.message_id, payload=payload, complete=True)
                .on_conflict_do_nothing(index_elements=["message_id"])
            )
            if inserted.rowcount != 1:  # a concurrent redelivery finished it
                await session.rollback()
                return ack
            for attachment, data in files:
                try:
                    await attachments.store(
                        session,
                        self.settings,
                        conversation_id=ack.conversation_id,
                        message_id=ack.message_id,
                        direction=Direction.IN.value,
                        data=data,
                        declared_mime=attachment.mime_type,
                        file_name=attachment.file_name,
                        wanted_kind=attachment.kind,
                        platform_id=attachment.platform_id[:255],
                        max_bytes=connector.capabilities.max_media_bytes or None,
                    )
                except attachments.AttachmentRefused as exc:
                    log.info("message %s: file not stored: %s", ack.message_id, exc)
            await announce_message(session, self.db, ack.message_id)
            await session.commit()
        return ack

    async def watermark(self, ref: ChannelRef, item: InboundItem) -> None:
        """A receipt that names no message but a moment (Messenger's ``delivery`` and ``read`` with only a
        ``watermark``): every reply of ours to that person on this channel sent at or before it is delivered / read.
        Each reply raised is announced once; one already further along (read) is left as it is."""
        if item.sender is None or item.sent_at is None or item.status is ReceiptStatus.FAILED:
            return
        try:
            identifier = normalize(item.sender.kind, item.sender.value, self.settings.default_region)
        except InvalidIdentifier:
            return
        new = item.status.value
        lower = delivery.below(new)
        async with self.db.session() as session:
            conversations = (
                select(Conversation.id)
                .join(Identity, Identity.id == Conversation.identity_id)
                .where(
                    Conversation.channel_id == ref.id,
                    Identity.kind == identifier.kind.value,
                    Identity.value == identifier.value,
                )
            )
            raised = (
                await session.scalars(
                    update(Message)
                    .where(
                        Message.conversation_id.in_(conversations),
                        Message.channel_id == ref.id,
                        Message.direction == Direction.OUT.value,
                        Message.external_id.is_not(None),
                        Message.sent_at <= item.sent_at,
                        Message.delivery_status.in_(lower),
                    )
                    .values(delivery_status=new, delivery_error=None)
                    .returning(Message.id)
                )
            ).all()
            for message_id in raised:
                await announce_message(session, self.db, message_id)
            await session.commit()

    async def _download(self, connector: Connector, ref: AttachmentRef, client: httpx.AsyncClient) -> bytes:
        limit = min(self.settings.attachment_max_bytes, connector.capabilities.max_media_bytes or 1 << 62)
        if ref.size and ref.size > limit:
            return b""  # refused by store() with a reason in the log; the message itself is kept
        try:
            data, _mime = await connector.fetch_attachment(client, ref)
        except SendFailure as failure:
            if failure.retryable:
                raise
            log.info("a file of %s could not be fetched: %s", connector.config.name, failure.reason)
            return b""
        except (httpx.InvalidURL, httpx.UnsupportedProtocol):  # a payload's address no client can fetch: kept unfetched
            log.info("a file of %s has an unusable address", connector.config.name)
            return b""
        return data

    async def receipt(self, ref: ChannelRef, item: InboundItem) -> None:
        assert item.status is not None
        if not item.target_external_id:
            await self.watermark(ref, item)
            return
        async with self.db.session() as session:
            row = (
                await session.execute(
                    select(Message.id, Message.delivery_status).where(
                        Message.channel_id == ref.id,
                        Message.external_id == item.target_external_id,
                        Message.direction == Direction.OUT.value,
                    )
                )
            ).first()
            if row is None:
                await session.rollback()
                recent = item.sent_at is None or dt.datetime.now(dt.UTC) - item.sent_at < RECEIPT_GRACE
                if recent:
                    raise TryLater(f"no reply with the id {item.target_external_id} yet")
                return  # a receipt for something this server never sent (another system on the same number)
            if item.status is ReceiptStatus.FAILED:
                new, error = DeliveryStatus.FAILED.value, item.error or "not delivered"
                if row.delivery_status == DeliveryStatus.READ.value:
                    await session.rollback()
                    return
            else:
                new, error = item.status.value, None
                if not delivery.advances(row.delivery_status, new):
                    await session.rollback()
                    return  # an older state arriving late, or a repeat
            await session.execute(
                update(Message).where(Message.id == row.id).values(delivery_status=new, delivery_error=error)
            )
            await announce_message(session, self.db, row.id)
            await session.commit()

    async def _settle_details(self, session, message_id: int) -> bool:
        """True (after rolling the session back) when this message's details row is still being written behind its
        ack: the caller waits for it and starts over, so that its own read sees the row."""
        if self.writer is None or message_id not in self.writer.unsettled:
            return False
        await session.rollback()
        await self.writer.settled(message_id)
        return True

    async def _retrying(self, change) -> None:
        """Run a change of a message's details again when another process wrote the same row meanwhile (its insert
        and ours raced for the key): the second attempt reads that row and updates it."""
        conflicts = 0
        while True:  # False at most once per message: its row is committed when the wait ends
            try:
                if await change():
                    return
            except IntegrityError:
                conflicts += 1
                if conflicts == 3:
                    raise
                log.info("a message's details changed meanwhile; applying the change again")

    async def edit(self, ref: ChannelRef, connector: Connector, item: InboundItem, client: httpx.AsyncClient) -> None:
        await self._retrying(functools.partial(self._edit, ref, connector, item, client))

    async def _edit(self, ref: ChannelRef, connector: Connector, item: InboundItem, client: httpx.AsyncClient) -> bool:
        """One attempt; False to be called again (a details row was still being written)."""
        async with self.db.session() as session:
            row = (
                await session.execute(
                    select(Message.id, Message.text).where(
                        Message.channel_id.in_(await self._channel_ids(ref, connector)),
                        Message.external_id == item.target_external_id,
                        Message.direction == Direction.IN.value,
                    )
                )
            ).first()
            if row is None:
                await session.rollback()
                if item.sender is None:
                    return True  # an edit of something never stored, with no author to store it for
                # The original never reached us (e.g. sent before the channel was connected): store the new version.
                original = InboundItem(
                    kind=ItemKind.MESSAGE,
                    external_id=item.target_external_id or item.external_id,
                    sender=item.sender,
                    text=item.text,
                    sent_at=item.sent_at,
                    raw=item.raw,
                )
                await self.message(ref, connector, original, client)
                return True
            if row.text == (item.text or ""):
                await session.rollback()
                return True  # a redelivered edit
            if await self._settle_details(session, row.id):
                return False
            details = await session.get(MessageDetails, row.id)
            entry = {"text": row.text, "replaced_at": (item.sent_at or dt.datetime.now(dt.UTC)).isoformat()}
            if details is None:
                session.add(MessageDetails(message_id=row.id, payload={"edits": [entry]}, complete=True))
            else:
                payload = dict(details.payload or {})
                payload["edits"] = [*payload.get("edits", []), entry]
                details.payload = payload
            await session.execute(update(Message).where(Message.id == row.id).values(text=item.text or ""))
            await announce_message(session, self.db, row.id)
            await session.commit()
        return True

    async def _channel_ids(self, ref: ChannelRef, connector: Connector) -> list[int]:
        """The channel and its comments channel: an edited or deleted comment is found on the latter."""
        companion = connector.config.options.get("comments_channel")
        return [ref.id, int(companion)] if companion else [ref.id]

    async def deletion(self, ref: ChannelRef, item: InboundItem, connector: Connector | None = None) -> None:
        ids = await self._channel_ids(ref, connector) if connector is not None else [ref.id]
        await self._retrying(functools.partial(self._deletion, ids, item))

    async def _deletion(self, ids: list[int], item: InboundItem) -> bool:
        async with self.db.session() as session:
            message_id = await session.scalar(
                select(Message.id).where(Message.channel_id.in_(ids), Message.external_id == item.target_external_id)
            )
            if message_id is None:
                await session.rollback()
                return True
            if await self._settle_details(session, message_id):
                return False
            details = await session.get(MessageDetails, message_id)
            if details is None:
                session.add(MessageDetails(message_id=message_id, payload={"deleted": True}, complete=True))
            elif not (details.payload or {}).get("deleted"):
                details.payload = {**(details.payload or {}), "deleted": True}
            else:
                await session.rollback()
                return True
            await announce_message(session, self.db, message_id)
            await session.commit()
        return True

    async def echo(self, ref: ChannelRef, item: InboundItem, connector: Connector) -> None:
        for attempt in range(3):
            try:
                return await self._echo(ref, item, connector)
            except IntegrityError:  # the same echo, or a first message of the person, stored meanwhile: read it
                if attempt == 2:
                    raise
                log.info("channel %s: echo %s raced another delivery; trying again", ref.id, item.external_id)

    async def _echo(self, ref: ChannelRef, item: InboundItem, connector: Connector) -> None:
        """A message our side sent from the platform's own app (Meta's is_echo, VK's message_reply): stored once as an
        outbound message without an author, marked ``echo`` in its details. Our own sends come back this way too:
        their platform id is already on the reply, and while a reply of that conversation is still being sent the
        platform is asked to redeliver (its id is recorded right after the send)."""
        if item.sender is None:
            return
        identifier = normalize(item.sender.kind, item.sender.value, self.settings.default_region)
        now = utcnow()
        async with self.db.session() as session:
            if await session.scalar(
                select(Message.id).where(Message.channel_id == ref.id, Message.external_id == item.external_id[:255])
            ):
                await session.rollback()
                return
            ours = connector.sent_by_us(item)
            if ours is not None and await session.scalar(
                select(Message.id).where(
                    Message.id == ours, Message.channel_id == ref.id, Message.direction == Direction.OUT.value
                )
            ):
                await session.rollback()
                return  # one piece of a long reply of ours (only the last piece's id is the message's)
            conversation = (
                await session.scalars(
                    select(Conversation)
                    .join(Identity, Identity.id == Conversation.identity_id)
                    .where(
                        Conversation.channel_id == ref.id,
                        Identity.kind == identifier.kind.value,
                        Identity.value == identifier.value,
                    )
                    .order_by(Conversation.id.desc())
                    .limit(1)
                )
            ).first()
            created = False
            if conversation is None:  # our side wrote first (a page messaging a person): their conversation begins
                conversation, created = await conversation_for_outbound(
                    session, self.db, ref, identifier, item.sender.name
                )
            in_flight = await session.scalar(
                select(Message.id).where(
                    Message.conversation_id == conversation.id,
                    Message.direction == Direction.OUT.value,
                    Message.external_id.is_(None),
                    Message.delivery_status == DeliveryStatus.QUEUED.value,
                    Message.sent_at > now - RECEIPT_GRACE,
                )
            )
            if in_flight is not None:
                await session.rollback()
                raise TryLater(f"a reply of conversation {conversation.id} is being sent")
            sent_at = item.sent_at or now
            text = (item.text or fallback_text(item))[:4096]
            message_id = await session.scalar(
                insert(Message)
                .values(
                    conversation_id=conversation.id,
                    channel_id=ref.id,
                    external_id=item.external_id[:255],
                    direction=Direction.OUT.value,
                    kind=MessageKind.TEXT.value,
                    author_id=None,
                    text=text,
                    sent_at=sent_at,
                    created_at=now,
                    delivery_status=DeliveryStatus.SENT.value,
                )
                .returning(Message.id)
            )
            payload: dict = {"echo": True}
            if item.raw is not None:
                payload["raw"] = item.raw
            session.add(MessageDetails(message_id=message_id, payload=payload, complete=True))
            if created or sent_at >= conversation.last_message_at:
                conversation.last_message_at = sent_at
                conversation.last_message_preview = text[:200]
                conversation.last_message_direction = Direction.OUT.value
            conversation.updated_at = now
            await record_item(
                session,
                customer_id=conversation.customer_id,
                kind=TimelineKind.MESSAGE_OUT,
                at=sent_at,
                conversation_id=conversation.id,
                channel_id=ref.id,
                message_id=message_id,
            )
            await session.flush()
            message = message_out((await session.execute(message_query().where(Message.id == message_id))).one())
            await emit_many(
                session,
                self.db,
                [(EventType.MESSAGE_CREATED.value, {"message": message.model_dump(mode="json")})],
                queue_id=conversation.queue_id,
                user_id=conversation.assignee_id,
            )
            if created:
                await announce_conversation(session, self.db, conversation.id, created=True)
            await session.commit()

    async def subscription(self, ref: ChannelRef, item: InboundItem) -> None:
        """Remember whether the user allows the channel to write to them; an older event never overrides a newer."""
        if item.sender is None:
            return
        address = normalize(item.sender.kind, item.sender.value, self.settings.default_region).value
        subscribed = item.kind is ItemKind.SUBSCRIBED
        when = item.sent_at or utcnow()
        async with self.db.session() as session:
            row = await session.get(ChannelSubscription, (ref.id, address))
            if row is None:
                session.add(
                    ChannelSubscription(channel_id=ref.id, address=address, subscribed=subscribed, changed_at=when)
                )
            elif row.changed_at <= when:
                row.subscribed, row.changed_at = subscribed, when
            else:
                await session.rollback()
                return
            await session.commit()
