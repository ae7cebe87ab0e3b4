"""Schemas of history search (GET /api/v1/search/messages): one hit per message, with a highlighted snippet."""

from __future__ import annotations

from datetime import datetime

from omnidesk.domain.enums import Direction, MessageKind
from omnidesk.protocol.schemas import Contract


class Snippet(Contract):
    """A piece of the message around the match; ``highlights`` are [start, end) character offsets into ``text``.

    Offsets, not markup: the client highlights with its own formatting, and a message containing "<b>" stays text.
    """

    text: str
    highlights: list[tuple[int, int]]


class SearchHit(Contract):
    message_id: int
    conversation_id: int
    customer_id: int
    customer_name: str | None = None
    channel_id: int
    queue_id: int | None
    direction: Direction
    kind: MessageKind
    author_id: int | None
    author_name: str | None = None
    sent_at: datetime
    snippet: Snippet
