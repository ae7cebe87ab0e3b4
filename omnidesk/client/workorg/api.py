"""Typed calls of the work-organisation endpoints on the signed-in connection (no Qt here)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import TypeAdapter

from omnidesk.client.api import ApiClient
from omnidesk.client.customers import CustomerApi
from omnidesk.protocol import ChannelOut, ConversationOut, MessageOut
from omnidesk.protocol.customers import CustomerSummary
from omnidesk.protocol.workorg import (
    Board,
    BulkAssignOut,
    CannedOut,
    MentionOut,
    OfferOut,
    PresenceOut,
    PreviewOut,
    QueueOut,
    RenderOut,
    RuleChange,
    RuleOut,
)

_presence = TypeAdapter(list[PresenceOut])
_queues = TypeAdapter(list[QueueOut])
_rules = TypeAdapter(list[RuleOut])
_canned = TypeAdapter(list[CannedOut])
_mentions = TypeAdapter(list[MentionOut])
_offers = TypeAdapter(list[OfferOut])
_history = TypeAdapter(list[RuleChange])
_channels = TypeAdapter(list[ChannelOut])


class WorkApi:
    """``connection`` gives the signed-in ApiClient when a call runs (it raises SessionExpired when signed out)."""

    def __init__(self, connection: Callable[[], ApiClient]) -> None:
        self.connection = connection

    async def _json(self, method: str, path: str, **kwargs: Any) -> Any:
        # ApiClient._call is the session's one door: bearer token, one transparent refresh, typed errors.
        response = await self.connection()._call(method, path, **kwargs)
        return None if response.status_code == 204 else response.json()

    async def presence(self) -> list[PresenceOut]:
        return _presence.validate_python(await self._json("GET", "/presence"))

    async def set_presence(self, status: str) -> PresenceOut:
        return PresenceOut.model_validate(await self._json("PUT", "/presence", json={"status": status}))

    async def take_next(self) -> ConversationOut | None:
        data = await self._json("POST", "/conversations/next")
        return None if data is None else ConversationOut.model_validate(data)

    async def transfer(self, conversation_id: int, *, user_id=None, queue_id=None, note: str = "") -> ConversationOut:
        body = {"user_id": user_id, "queue_id": queue_id, "note": note}
        return ConversationOut.model_validate(
            await self._json("POST", f"/conversations/{conversation_id}/transfer", json=body)
        )

    async def note(self, conversation_id: int, text: str) -> MessageOut:
        body = {"text": text, "kind": "note"}
        return MessageOut.model_validate(
            await self._json("POST", f"/conversations/{conversation_id}/messages", json=body)
        )

    async def queues(self) -> list[QueueOut]:
        return _queues.validate_python(await self._json("GET", "/queues"))

    async def channels(self) -> list[ChannelOut]:
        return _channels.validate_python(await self._json("GET", "/channels"))

    async def board(self) -> Board:
        return Board.model_validate(await self._json("GET", "/board"))

    async def reassign(self, conversation_ids: list[int], *, user_id=None, queue_id=None) -> BulkAssignOut:
        body = {"conversation_ids": conversation_ids, "user_id": user_id, "queue_id": queue_id}
        return BulkAssignOut.model_validate(await self._json("POST", "/board/reassign", json=body))

    async def rules(self) -> list[RuleOut]:
        return _rules.validate_python(await self._json("GET", "/routing/rules"))

    async def save_rule(self, rule_id: int | None, body: dict) -> RuleOut:
        if rule_id is None:
            return RuleOut.model_validate(await self._json("POST", "/routing/rules", json=body))
        return RuleOut.model_validate(await self._json("PUT", f"/routing/rules/{rule_id}", json=body))

    async def delete_rule(self, rule_id: int) -> None:
        await self._json("DELETE", f"/routing/rules/{rule_id}")

    async def reorder(self, rule_ids: list[int]) -> list[RuleOut]:
        return _rules.validate_python(await self._json("PUT", "/routing/order", json={"rule_ids": rule_ids}))

    async def history(self, rule_id: int) -> list[RuleChange]:
        return _history.validate_python(await self._json("GET", f"/routing/rules/{rule_id}/history"))

    async def preview(self, body: dict) -> PreviewOut:
        return PreviewOut.model_validate(await self._json("POST", "/routing/preview", json=body))

    async def find_customers(self, q: str) -> list[CustomerSummary]:
        """Customers by name, phone or e-mail (the customer search the card uses), for the rule preview."""
        return (await CustomerApi(self.connection()).search(q, limit=20)).items

    async def canned(self, q: str = "") -> list[CannedOut]:
        return _canned.validate_python(await self._json("GET", "/canned-replies", params={"q": q} if q else None))

    async def save_canned(self, reply_id: int | None, body: dict) -> CannedOut:
        if reply_id is None:
            return CannedOut.model_validate(await self._json("POST", "/canned-replies", json=body))
        return CannedOut.model_validate(await self._json("PUT", f"/canned-replies/{reply_id}", json=body))

    async def delete_canned(self, reply_id: int) -> None:
        await self._json("DELETE", f"/canned-replies/{reply_id}")

    async def render(self, reply_id: int, conversation_id: int) -> RenderOut:
        body = {"conversation_id": conversation_id}
        return RenderOut.model_validate(await self._json("POST", f"/canned-replies/{reply_id}/render", json=body))

    async def activity(self, conversation_id: int, typing: bool) -> None:
        await self._json("POST", f"/conversations/{conversation_id}/activity", json={"typing": typing})

    async def mentions(self) -> list[MentionOut]:
        return _mentions.validate_python(await self._json("GET", "/mentions"))

    async def offers(self) -> list[OfferOut]:
        return _offers.validate_python(await self._json("GET", "/offers"))

    async def accept_offer(self, offer_id: int) -> ConversationOut:
        return ConversationOut.model_validate(await self._json("POST", f"/offers/{offer_id}/accept"))

    async def decline_offer(self, offer_id: int) -> OfferOut:
        return OfferOut.model_validate(await self._json("POST", f"/offers/{offer_id}/decline"))
