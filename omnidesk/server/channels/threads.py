"""Comment conversations: which public comment a conversation answers, its post as context, public or private."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.channels.base import InboundItem, ThreadRef
from omnidesk.server.channels.models import ConversationThread


def post_id_of(kind: str, item: InboundItem) -> str | None:
    """Where the post's text is read from: the VK post, the Instagram media, the Page post."""
    assert item.thread is not None
    raw: Any = item.raw or {}
    if kind == "vk":
        owner, post, _ = item.thread.external_id.removeprefix("wall:").split("_")
        return f"{owner}_{post}"
    value = raw.get("value") if isinstance(raw, dict) else None
    if isinstance(value, dict):
        if isinstance(value.get("media"), dict):
            return value["media"].get("id")
        return value.get("post_id")
    return None


async def remember(session: AsyncSession, conversation_id: int, kind: str, item: InboundItem) -> None:
    """The conversation answers the latest comment (a reply goes under it); the operator's public/private choice
    and a context already read stay."""
    assert item.thread is not None
    thread = await session.get(ConversationThread, conversation_id)
    post_id = post_id_of(kind, item)
    if thread is None:
        session.add(
            ConversationThread(
                conversation_id=conversation_id,
                kind=item.thread.kind,
                external_id=item.thread.external_id,
                post_id=post_id,
                context=item.thread.context,
                url=item.thread.url,
                public=True,
            )
        )
    else:
        if thread.post_id != post_id:
            thread.context = item.thread.context
        thread.external_id, thread.post_id = item.thread.external_id, post_id
        thread.url = item.thread.url or thread.url
    await session.flush()


def as_ref(thread: ConversationThread) -> ThreadRef:
    return ThreadRef(thread.kind, thread.external_id, thread.context, thread.url)
