"""The generic API channel's connector: OmniDesk's own inbound JSON and the signed webhook for replies.

Inbound, a system POSTs :class:`omnidesk.protocol.InboundMessage` JSON with the channel's bearer token (only its hash
is stored). Outbound, each reply is POSTed as JSON to the channel's webhook URL with ``Idempotency-Key:
omnidesk-message-<id>`` (the same on every retry, so the receiver drops repeats) and, when a webhook secret is set,
``X-OmniDesk-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`` with ``X-OmniDesk-Timestamp``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time

import httpx
import pydantic

from omnidesk.channels.base import (
    Capabilities,
    Connector,
    InboundItem,
    InboundRequest,
    ItemKind,
    OutboundMessage,
    SenderRef,
    SendFailure,
    SendResult,
    Unverified,
)
from omnidesk.protocol import InboundMessage
from omnidesk.protocol.schemas import MAX_TEXT


def sign(secret: str, body: bytes, timestamp: str) -> str:
    """HMAC-SHA256 of ``timestamp.body``: the webhook receiver recomputes it to trust the POST."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiConnector(Connector):
    kind = "api"
    capabilities = Capabilities(max_text=MAX_TEXT)
    delivers_itself = False

    def verify(self, request: InboundRequest) -> None:
        expected = self.config.secrets.get("token_hash")
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if not expected or scheme.lower() != "bearer" or not token:
            raise Unverified("channel token missing")
        if not hmac.compare_digest(token_digest(token.strip()), expected):
            raise Unverified("channel token invalid")

    def parse(self, request: InboundRequest) -> list[InboundItem]:
        try:
            message = InboundMessage.model_validate_json(request.body)
        except pydantic.ValidationError as exc:
            raise ValueError(str(exc)) from None
        return [
            InboundItem(
                kind=ItemKind.MESSAGE,
                external_id=message.external_id,
                sender=SenderRef(message.sender.kind, message.sender.value, message.sender.name),
                identities=tuple(SenderRef(s.kind, s.value, s.name) for s in message.identities),
                text=message.text,
                sent_at=message.sent_at,
            )
        ]

    def body(self, message: OutboundMessage) -> bytes:
        document = {
            "type": "message.outgoing",
            "message_id": message.message_id,
            "conversation_id": message.conversation_id,
            "channel_id": message.channel_id,
            "customer": {
                "id": message.recipient.customer_id,
                "name": message.recipient.name,
                "identities": [{"kind": k, "value": v} for k, v in message.recipient.identities],
            },
            "author": {"id": message.author.id, "username": message.author.username, "name": message.author.name},
            "text": message.text,
            "sent_at": message.sent_at.isoformat(),
        }
        return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()

    def headers(self, message: OutboundMessage, raw: bytes) -> dict[str, str]:
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json",
            "Idempotency-Key": f"omnidesk-message-{message.message_id}",
            "User-Agent": "OmniDesk",
            "X-OmniDesk-Timestamp": timestamp,
        }
        secret = self.config.secrets.get("webhook_secret")
        if secret:
            headers["X-OmniDesk-Signature"] = sign(secret, raw, timestamp)
        return headers

    async def send(self, client: httpx.AsyncClient, message: OutboundMessage) -> SendResult:
        url = self.config.webhook_url
        if not url:
            raise SendFailure("the channel has no webhook URL to deliver replies to", retryable=False)
        raw = self.body(message)
        response = await client.post(url, content=raw, headers=self.headers(message, raw))
        if response.status_code >= 300:
            raise self.classify(response)
        return SendResult()

    def classify(self, response: httpx.Response) -> SendFailure:
        failure = super().classify(response)
        # The status and a short reason only: the receiver's answer may be an internal service's page.
        failure.reason = f"HTTP {response.status_code}"
        return failure
