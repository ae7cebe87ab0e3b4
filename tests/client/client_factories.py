"""Protocol objects for model tests, and an in-memory page source with the server's cursor rules."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from omnidesk.domain.enums import ChannelKind, ConversationStatus, DeliveryStatus, Direction, MessageKind
from omnidesk.protocol import ChannelOut, ConversationOut, CustomerBrief, MessageOut, Page

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
KINDS = list(ChannelKind)


def conversation(number: int, *, minutes: float | None = None, **changes: object) -> ConversationOut:
    kind = KINDS[number % len(KINDS)]
    fields: dict[str, object] = {
        "id": number,
        "channel": ChannelOut(id=number % len(KINDS) + 1, kind=kind, name=kind.value.title()),
        "customer": CustomerBrief(id=1000 + number, name=f"Customer {number}"),
        "queue_id": None,
        "status": ConversationStatus.OPEN,
        "assignee_id": None,
        "last_message_at": T0 + timedelta(minutes=number if minutes is None else minutes),
        "last_message_preview": f"Question number {number}",
        "unread_count": number % 3,
        "created_at": T0,
    }
    fields.update(changes)
    return ConversationOut.model_validate(fields)


def message(number: int, conversation_id: int = 1, **changes: object) -> MessageOut:
    fields: dict[str, object] = {
        "id": number,
        "conversation_id": conversation_id,
        "direction": Direction.IN if number % 2 else Direction.OUT,
        "kind": MessageKind.TEXT,
        "author_id": None if number % 2 else 7,
        "author_name": None if number % 2 else "Olena",
        "text": f"Message {number} " + "word " * (number % 20),
        "sent_at": T0 + timedelta(seconds=number),
        "delivery_status": None if number % 2 else DeliveryStatus.SENT,
    }
    fields.update(changes)
    return MessageOut.model_validate(fields)


class ConversationPages:
    """Serves conversations newest first in pages, like GET /conversations: the cursor is a keyset position (the
    last row's activity and id), so a page read again from a cursor starts after that position whatever moved."""

    def __init__(self, items: list[ConversationOut], page_size: int | None = 20) -> None:
        self.items = items
        self.page_size = page_size  # None: as many as the model asks for
        self.requests = 0
        self.limits: list[int] = []
        self.cursors: list[str | None] = []

    async def __call__(self, chosen: object, cursor: str | None, limit: int = 50) -> Page[ConversationOut]:
        self.requests += 1
        self.limits.append(limit)
        self.cursors.append(cursor)
        await asyncio.sleep(0)
        size = self.page_size or limit
        ordered = sorted(self.items, key=lambda c: (c.last_message_at, c.id), reverse=True)
        ordered = [c for c in ordered if chosen is None or chosen.admits(c, 7)]  # type: ignore[attr-defined]
        if cursor:
            moment, _, last_id = cursor.partition("|")
            after = (datetime.fromisoformat(moment), int(last_id))
            ordered = [c for c in ordered if (c.last_message_at, c.id) < after]
        chunk = ordered[:size]
        more = size < len(ordered)
        last = chunk[-1] if chunk else None
        next_cursor = f"{last.last_message_at.isoformat()}|{last.id}" if more and last else None
        return Page[ConversationOut](items=chunk, next_cursor=next_cursor)


class MessagePages:
    """Serves a history like GET /conversations/{id}/messages: newest page first, ascending within."""

    def __init__(self, items: list[MessageOut], page_size: int = 20) -> None:
        self.items = sorted(items, key=lambda m: (m.sent_at, m.id))
        self.page_size = page_size

    async def __call__(self, conversation_id: int, cursor: str | None) -> Page[MessageOut]:
        await asyncio.sleep(0)
        mine = [m for m in self.items if m.conversation_id == conversation_id]
        end = len(mine) if cursor is None else int(cursor)
        start = max(0, end - self.page_size)
        return Page[MessageOut](items=mine[start:end], next_cursor=str(start) if start > 0 else None)
